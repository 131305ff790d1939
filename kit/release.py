"""``python -m kit release``: student, solutions and instructor copies of every exercise.

    python -m kit release                 # writes release/student, release/solutions, release/instructor
    python -m kit release --out handout-week3 01_spending_targets

The source notebooks in ``exercises/`` hold the solutions between nbgrader's markers, in
cells whose metadata marks them as solution cells (``metadata.nbgrader.solution``), so a
teacher who uses nbgrader can take them as they are::

    ### BEGIN SOLUTION
    uk_2025 = base.loc[..., "share_gdp_pct"].item()
    ### END SOLUTION

The release:

1. checks every marker and fails closed (an unterminated or nested ``BEGIN SOLUTION``, an
   ``END`` with no ``BEGIN``, a marker outside a solution cell, a duplicated cell id or
   ``grade_id``): the error names the file, the cell number and the cell id;
2. runs each source notebook (its solutions) in a kernel and turns every answer into a
   practice-check key: salted hashes only (see :mod:`kit.checks`), never typed by hand;
3. writes three versions: ``student/`` (each solution replaced by ``answer = ...  # your code
   here``, discussion answers by a prompt, instructor cells removed, outputs and execution
   counts cleared), ``solutions/`` (for after the deadline) and ``instructor/`` (the source,
   with the teaching notes);
4. scans the student files (sources, outputs, metadata, attachments) for any solution line,
   teaching note or expected value, and fails if one leaked;
5. moves the new release into place only when all of that passed (written to a temporary
   folder first, then renamed), and never writes into ``exercises/``.

Marker checks, in short:

    >>> solution_regions(["x = 1", "### BEGIN SOLUTION", "y = 2", "### END SOLUTION"])
    [(1, 3)]
    >>> solution_regions(["### BEGIN SOLUTION", "y = 2"])
    Traceback (most recent call last):
    ...
    kit.release.MarkerError: line 1: BEGIN SOLUTION is never closed by END SOLUTION
"""

from __future__ import annotations

import copy
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .errors import KitError
from .files import ROOT, replace_folder


EXERCISES = ROOT / "exercises"
DEFAULT_OUT = Path("release")
VERSIONS = ("student", "solutions", "instructor")
BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"
STUB = "...  # your code here"
DISCUSSION_STUB = "*Write your answer here.*"
_MIN_LEAK_LINE = 12     # shorter solution lines ("x", ")") cannot be told apart from ordinary code


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


# ---------------------------------------------------------------------------
# reading and checking the source notebooks
# ---------------------------------------------------------------------------

def cell_source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


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
    kit.release.MarkerError: line 1: END SOLUTION without a BEGIN SOLUTION before it
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
            elif spec.get("kind") not in checks.KINDS:
                problems.append(f"{where}: question {q!r} has kind {spec.get('kind')!r}; expected one of "
                                f"{', '.join(checks.KINDS)} or open")
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
        raise KitError("The release stopped: fix these solution markers or cells first:\n"
                       + "\n".join(f"  - {p}" for p in problems))
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


# ---------------------------------------------------------------------------
# the three versions
# ---------------------------------------------------------------------------

def _set_source(cell, text: str):
    cell["source"] = text


def _clean_code(cell):
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    meta = cell.get("metadata") or {}
    for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
        meta.pop(key, None)


def stub_source(source: str, spec: dict | None) -> str:
    """The student's version of a solution cell: each marked region becomes a stub.

    >>> print(stub_source("### BEGIN SOLUTION\\nn = len(df)\\n### END SOLUTION\\nn", {"answer": "n"}))
    n = ...  # your code here
    n
    """
    lines = source.splitlines()
    regions = solution_regions(lines)
    answer = (spec or {}).get("answer")
    if not regions:                       # nbgrader: a solution cell with no markers is replaced whole
        return f"{answer} = {STUB}" if answer else STUB
    out, last = [], 0
    for begin, end in regions:
        out += lines[last:begin]
        indent = re.match(r"\s*", lines[begin]).group(0)
        body = "\n".join(lines[begin + 1:end])
        names = re.findall(rf"^{indent}([A-Za-z_]\w*)\s*=(?!=)", body, flags=re.M)
        name = answer if answer in names else (names[-1] if names else None)
        out.append(f"{indent}{name} = {STUB}" if name else f"{indent}{STUB}")
        last = end + 1
    out += lines[last:]
    return "\n".join(out)


def strip_markers(source: str) -> str:
    """The solution with the marker lines removed (the solutions version)."""
    return "\n".join(line for line in source.splitlines() if BEGIN not in line and END not in line)


def checks_cell_source(exercise: str, key_text: str | None) -> str:
    """The checks cell: a Grader with the hashed key (or none, while grading)."""
    head = ("from kit.checks import Grader\n\n"
            "# Practice checks: feedback while you work, not your grade.\n")
    if not key_text:
        return head + f'grader = Grader("{exercise}")\ncheck = grader.check'
    chunks = [key_text[i:i + 76] for i in range(0, len(key_text), 76)]
    body = "\n".join(f'    "{c}"' for c in chunks)
    return (head + "# The key holds only salted hashes of the answers, never the answers.\n"
            f'grader = Grader("{exercise}", key=(\n{body}\n))\ncheck = grader.check')


_KEY_LINE = re.compile(r'^\s*"([A-Za-z0-9+/=]+)"\s*$', flags=re.M)


def key_in(source: str) -> str | None:
    """The practice-check key written into a checks cell, if any.

    >>> key_in(checks_cell_source("x", "QUJD" * 30)) == "QUJD" * 30
    True
    """
    return "".join(_KEY_LINE.findall(source)) or None


_NB_META_KEEP = ("kernelspec", "language_info", "kit")


def make_version(ex: Exercise, version: str, key_text: str | None) -> dict:
    """One version of an exercise as a notebook dict: student, solutions or instructor.

    (``grading`` is the student version with a key-free checks cell.)
    """
    nb = copy.deepcopy(ex.nb)
    nb["metadata"] = {k: v for k, v in (nb.get("metadata") or {}).items() if k in _NB_META_KEEP}
    nb["metadata"].setdefault("kit", {})
    nb["metadata"]["kit"] = dict(nb["metadata"]["kit"], exercise=ex.name, version=version)
    cells = []
    for cell in nb["cells"]:
        if version != "instructor" and is_instructor(cell):
            continue
        _clean_code(cell)
        spec = (cell.get("metadata") or {}).get("kit")
        if role(cell) == "checks":
            _set_source(cell, checks_cell_source(ex.name, key_text))
        elif is_solution(cell) and version in ("student", "grading"):
            if cell.get("cell_type") == "code":
                _set_source(cell, stub_source(cell_source(cell), spec))
            else:
                _set_source(cell, DISCUSSION_STUB)
            cell.pop("attachments", None)
        elif is_solution(cell) and version == "solutions" and cell.get("cell_type") == "code":
            _set_source(cell, strip_markers(cell_source(cell)))
        cells.append(cell)
    nb["cells"] = cells
    return nb


# ---------------------------------------------------------------------------
# leak scan
# ---------------------------------------------------------------------------

def secrets_of(ex: Exercise, expected: dict | None = None) -> list[tuple[str, str]]:
    """(what, text) pairs that must never appear in a student file.

    Solution lines, model answers and teaching notes (lines long enough to be told apart
    from ordinary code and not also part of the given cells), and the expected values.
    """
    public, secret = set(), []
    for cell in ex.nb["cells"]:
        if not is_solution(cell) and not is_instructor(cell):
            public.update(line.strip() for line in cell_source(cell).splitlines())
    for i, cell in enumerate(ex.nb["cells"]):
        if not (is_solution(cell) or is_instructor(cell)):
            continue
        lines = cell_source(cell).splitlines()
        if is_solution(cell) and cell.get("cell_type") == "code":
            regions = solution_regions(lines) or [(-1, len(lines))]
            lines = [line for b, e in regions for line in lines[b + 1:e]]
        what = "teaching note" if is_instructor(cell) else "solution line"
        for line in lines:
            text = line.strip()
            if len(text) >= _MIN_LEAK_LINE and text not in public and text != DISCUSSION_STUB:
                secret.append((f"{what} from cell {i + 1}", text))
    for q, obs in (expected or {}).items():
        for text in _value_texts(obs):
            secret.append((f"expected value of {q}", text))
    return secret


def _value_texts(obs: dict) -> set[str]:
    """Distinctive texts of an expected answer (too-short ones would match by chance)."""
    texts = set()
    kind = obs.get("type")
    if kind == "number":
        forms = obs["forms"]
        full = forms[max(forms, key=int)]
        texts.add(full)
        short = full.rstrip("0").rstrip(".") if "." in full else full
        texts.add(short)
    elif kind == "text":
        texts.add(obs["value"])
    elif kind in ("table", "chart") and "forms" in obs:
        forms = obs["forms"]
        for row in forms[max(forms, key=int)].split("\x1f"):
            for cell in row.split("\x1e"):
                if re.fullmatch(r"-?\d+\.\d+", cell):
                    texts.add(cell)
    return {t for t in texts if len(t.lstrip("-").replace(".", "")) >= 3 and t.lower() not in ("nan", "inf")}


def _strings(value):
    """Every string inside a JSON-like value (for scanning outputs and metadata)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _attachment_texts(cell):
    import base64
    for name, bundle in (cell.get("attachments") or {}).items():
        yield name
        for data in (bundle or {}).values():
            for text in _strings(data):
                yield text
                try:
                    yield base64.b64decode(text, validate=False).decode("utf-8", "ignore")
                except Exception:
                    pass


def _found(text: str, secret: str, is_value: bool) -> bool:
    if not is_value:
        return secret in text
    pattern = r"(?<![\w.])" + re.escape(secret) + r"(?![\w]|\.\d)"
    return re.search(pattern, text, flags=re.I) is not None


def scan_student(nb: dict, ex: Exercise, expected: dict, where: str) -> list[str]:
    """Every leak in a student notebook: solution lines, notes, expected values, markers."""
    problems = []
    items = secrets_of(ex, expected)
    places = [("notebook metadata", json.dumps(nb.get("metadata", {}), ensure_ascii=False))]
    for i, cell in enumerate(nb["cells"]):
        src = cell_source(cell)
        if role(cell) == "checks":          # the key is base64 of hashes: scan the decoded key instead
            key = key_in(src)
            src = _KEY_LINE.sub("", src)
            if key:
                try:
                    places.append((f"cell {i + 1} (the practice-check key)", json.dumps(checks.decode_key(key))))
                except Exception:
                    problems.append(f"{where}, cell {i + 1}: the practice-check key cannot be read back")
        places.append((f"cell {i + 1} source", src))
        places.append((f"cell {i + 1} outputs", "\n".join(_strings(cell.get("outputs", [])))))
        places.append((f"cell {i + 1} metadata", "\n".join(_strings(cell.get("metadata", {})))))
        places.append((f"cell {i + 1} attachments", "\n".join(_attachment_texts(cell))))
    for place, text in places:
        if not text:
            continue
        for marker in (BEGIN, END):
            if marker in text:
                problems.append(f"{where}, {place}: contains a solution marker ({marker})")
        for what, secret in items:
            if _found(text, secret, what.startswith("expected value")):
                shown = secret if not what.startswith("expected") else "(value hidden)"
                problems.append(f"{where}, {place}: contains a {what}: {shown[:80]}")
    return problems


# ---------------------------------------------------------------------------
# keys: run the solutions, hash the answers
# ---------------------------------------------------------------------------

def build_key(ex: Exercise, expected: dict, salt: str | None = None) -> dict:
    """The practice-check key of an exercise from its solutions' observations."""
    salt = salt or secrets.token_hex(8)
    entries, problems = {}, []
    for q, spec in ex.specs.items():
        try:
            entries[q] = checks.fingerprint(expected.get(q, {"type": "undefined"}), spec, salt)
        except ValueError as err:
            problems.append(f"{ex.path}, {q} (`{spec.get('answer')}`): {err}")
    if problems:
        raise KitError("The release stopped: a solution does not produce a checkable answer:\n"
                       + "\n".join(f"  - {p}" for p in problems))
    public = {q: {k: v for k, v in spec.items() if k not in ("points",)} for q, spec in ex.specs.items()}
    return {"exercise": ex.name, "questions": public, "entries": entries}


def solve(exercises: list[Exercise], jobs: int | None = None, limits=None) -> dict:
    """Run each exercise's solutions in a kernel; return {name: {question: observation}}.

    A solution cell that fails stops the release with the file and cell number.
    """
    from . import grade

    return grade.expected_answers(exercises, jobs=jobs, limits=limits)


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

def _write_nb(nb: dict, path: Path):
    import nbformat

    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(node, f)


def _guard(out: Path, exercises_dir: Path):
    o, e = out.resolve(), exercises_dir.resolve()
    if o == e or e in o.parents or o in e.parents:
        raise KitError(f"--out {out} would write into or over the source notebooks in {exercises_dir}; "
                       "choose another folder")


def release(exercises_dir: Path = EXERCISES, out: Path = DEFAULT_OUT, names=None, jobs=None,
            expected: dict | None = None, log=print) -> dict:
    """Release the exercises; return {exercise: {version: path}}. See the module docstring."""
    exercises_dir, out = Path(exercises_dir), Path(out)
    _guard(out, exercises_dir)
    exercises = [load_exercise(p) for p in find_exercises(exercises_dir, names)]
    if expected is None:
        log(f"running the solutions of {len(exercises)} exercise(s) to make the practice checks ...")
        expected = solve(exercises, jobs=jobs)
    written, problems = {}, []
    with replace_folder(out) as staging:
        for ex in exercises:
            key_text = checks.encode_key(build_key(ex, expected[ex.name]))
            written[ex.name] = {}
            for version in VERSIONS:
                nb = make_version(ex, version, key_text)
                path = staging / version / f"{ex.name}.ipynb"
                _write_nb(nb, path)
                written[ex.name][version] = out / version / f"{ex.name}.ipynb"
            student = json.loads((staging / "student" / f"{ex.name}.ipynb").read_text(encoding="utf-8"))
            problems += scan_student(student, ex, expected[ex.name], f"student/{ex.name}.ipynb")
        if problems:
            raise KitError("The release stopped: the student copies would leak answers:\n"
                           + "\n".join(f"  - {p}" for p in problems[:40]))
    for name, versions in written.items():
        log(f"released {name}: " + ", ".join(f"{v}/" for v in versions))
    return written
