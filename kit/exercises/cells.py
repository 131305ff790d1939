"""The exercise source notebooks: cell roles, solution regions, and loading one exercise with its questions.

The source notebooks in ``exercises/`` hold the solutions between nbgrader's markers, in
cells whose metadata marks them as solution cells (``metadata.nbgrader.solution``), so a
teacher who uses nbgrader can take them as they are::

    ### BEGIN SOLUTION
    uk_2025 = base.loc[..., "share_gdp_pct"].item()
    ### END SOLUTION

    >>> solution_regions(["x = 1", "### BEGIN SOLUTION", "y = 2", "### END SOLUTION"])
    [(1, 3)]
    >>> solution_regions(["### BEGIN SOLUTION", "y = 2"])
    Traceback (most recent call last):
    ...
    kit.exercises.cells.MarkerError: line 1: BEGIN SOLUTION is never closed by END SOLUTION
    >>> ex = load_exercise(find_exercises(names=["01_spending_targets"])[0])
    >>> "q1" in ex.specs
    True

A cell's role: a solution (``is_solution``), a teaching note (``is_instructor``, removed
from the student copies), or what ``metadata.kit.role`` says (``checks``: the practice-check
setup cell; ``check``: a cell that calls a check). :func:`load_exercise` checks every marker
and cell id and fails closed, naming the file, the cell number and the cell id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KitError, listing
from ..files import ROOT
from ..notebook import cell_source
from .observe import KINDS

EXERCISES = ROOT / "exercises"
BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"


class MarkerError(ValueError):
    """A malformed solution marker inside one cell (the message names the line)."""


@dataclass
class Exercise:
    """One source notebook: its name, cells, questions (specs) and open questions."""

    name: str
    path: Path
    nb: dict
    specs: dict = field(default_factory=dict)      # question -> spec (auto-checked)
    open_questions: list = field(default_factory=list)


def is_solution(cell) -> bool:
    meta = cell.get("metadata", {}) or {}
    return bool((meta.get("nbgrader") or {}).get("solution")) or "solution" in (meta.get("tags") or [])


def is_instructor(cell) -> bool:
    meta = cell.get("metadata", {}) or {}
    return (meta.get("kit") or {}).get("role") == "instructor" or "instructor" in (meta.get("tags") or [])


def role(cell) -> str | None:
    return ((cell.get("metadata", {}) or {}).get("kit") or {}).get("role")


def grade_id(cell) -> str | None:
    return ((cell.get("metadata", {}) or {}).get("nbgrader") or {}).get("grade_id")


def solution_regions(lines: list[str]) -> list[tuple[int, int]]:
    """(begin, end) line indexes of each ``BEGIN SOLUTION`` ... ``END SOLUTION`` pair.

    >>> solution_regions(["### END SOLUTION"])
    Traceback (most recent call last):
    ...
    kit.exercises.cells.MarkerError: line 1: END SOLUTION without a BEGIN SOLUTION before it
    """
    regions, start = [], None
    for i, line in enumerate(lines):
        if BEGIN in line:
            if start is not None:
                raise MarkerError(f"line {i + 1}: BEGIN SOLUTION inside another solution (opened on line {start + 1})")
            start = i
        elif END in line:
            if start is None:
                raise MarkerError(f"line {i + 1}: END SOLUTION without a BEGIN SOLUTION before it")
            regions.append((start, i))
            start = None
    if start is not None:
        raise MarkerError(f"line {start + 1}: BEGIN SOLUTION is never closed by END SOLUTION")
    return regions


def _where(path: Path, index: int, cell) -> str:
    cid = cell.get("id")
    return f"{path}, cell {index + 1}" + (f" (id {cid!r})" if cid else "")


def load_exercise(path: Path) -> Exercise:
    """Read and check one source notebook; raise KitError listing every problem found."""
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise KitError(f"{path}: not a readable notebook ({type(err).__name__}: {err})") from None
    ex = Exercise(name=path.stem, path=path, nb=nb)
    problems, seen_ids, seen_grade_ids = [], {}, {}
    for i, cell in enumerate(cells):
        where = _where(path, i, cell)
        cid, gid = cell.get("id"), grade_id(cell)
        if not cid:
            problems.append(f"{where}: the cell has no id (give every cell a stable id)")
        elif cid in seen_ids:
            problems.append(f"{where}: id {cid!r} is also used by cell {seen_ids[cid] + 1}")
        else:
            seen_ids[cid] = i
        if gid:
            if gid in seen_grade_ids:
                problems.append(f"{where}: grade_id {gid!r} is also used by cell {seen_grade_ids[gid] + 1}")
            seen_grade_ids.setdefault(gid, i)
        src = cell_source(cell)
        has_marker = BEGIN in src or END in src
        if has_marker and not is_solution(cell):
            problems.append(f"{where}: solution marker outside a solution cell "
                            "(mark the cell with nbgrader metadata solution: true, or remove the marker)")
            continue
        if has_marker and cell.get("cell_type") != "code":
            problems.append(f"{where}: solution markers are for code cells; a markdown solution cell is replaced whole")
            continue
        if is_solution(cell) and cell.get("cell_type") == "code":
            try:
                solution_regions(src.splitlines())
            except MarkerError as err:
                problems.append(f"{where}: {err}")
        spec = ((cell.get("metadata") or {}).get("kit") or {})
        if is_solution(cell) and spec.get("question"):
            q = spec["question"]
            if spec.get("kind") == "open":
                ex.open_questions.append(q)
            elif spec.get("kind") not in KINDS:
                problems.append(f"{where}: question {q!r} has kind {spec.get('kind')!r}; expected one of "
                                f"{', '.join(KINDS)} or open")
            elif not spec.get("answer"):
                problems.append(f"{where}: question {q!r} names no answer variable (metadata kit.answer)")
            elif q in ex.specs:
                problems.append(f"{where}: question {q!r} is declared twice")
            else:
                ex.specs[q] = {k: v for k, v in spec.items() if k != "role"}
        if is_solution(cell) and is_instructor(cell):
            problems.append(f"{where}: a cell cannot be both a solution and an instructor note")
    if not ex.specs:
        problems.append(f"{path}: no auto-checked question (solution cells with metadata kit.question)")
    if not any(role(c) == "checks" for c in cells):
        problems.append(f"{path}: no checks cell (a code cell with metadata kit.role = 'checks')")
    if problems:
        raise KitError(listing("The release stopped: fix these solution markers or cells first", problems))
    return ex


def find_exercises(folder: Path = EXERCISES, names=None) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise KitError(f"no exercises folder at {folder}")
    paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if names:
        wanted = {Path(n).stem for n in names}
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise KitError(f"no exercise called {', '.join(sorted(unknown))} in {folder}; "
                           f"there are: {', '.join(p.stem for p in paths)}")
        paths = [p for p in paths if p.stem in wanted]
    if not paths:
        raise KitError(f"no exercise notebooks (*.ipynb) in {folder}")
    return paths
