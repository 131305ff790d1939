"""The expected answers: each exercise's solutions run in the sandbox, and the practice-check key made from them.

    from kit.exercises.cells import find_exercises, load_exercise
    ex = load_exercise(find_exercises(names=["01_spending_targets"])[0])
    expected = expected_answers([ex])[ex.name]      # {question: observation}, from running the solutions
    key = build_key(ex, expected)                    # salted hashes only

The release turns the answers into the key written into student copies (hashes only); the
grader compares submissions with them in its own process. They are never typed by hand,
and never enter a student's kernel.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

from ..data import package
from ..errors import KitError, listing
from ..kernels import run_all
from ..notebook import cell_source
from .cells import Exercise, role
from .keys import fingerprint
from .sandbox import Limits, Planned, run_cells

_EXPECTED_CACHE: dict = {}


def _stamp(ex) -> tuple:
    files = [Path(ex.path)] + sorted(package.data_dir().glob("*"))
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def expected_answers(exercises: list, jobs: int | None = None, limits: Limits | None = None) -> dict:
    """Run each source notebook (with its solutions); return {exercise: {question: observation}}.

    Raises KitError naming the file and cell if a solution cell fails. Cached in this process
    while the notebook and the data files are unchanged.
    """
    limits = limits or Limits(cell_timeout=120, notebook_timeout=600, memory_mb=None)
    todo = [ex for ex in exercises if (ex.name, _stamp(ex)) not in _EXPECTED_CACHE]

    async def one(ex):
        planned = [Planned(f"cell {number} (id {cell.get('id')!r})", cell_source(cell))
                   for number, cell in enumerate(ex.nb["cells"], start=1)
                   if cell.get("cell_type") == "code" and role(cell) != "check"]
        workdir = Path(tempfile.mkdtemp(prefix="kit-solve-"))
        try:
            shutil.copy2(ex.path, workdir / ex.path.name)
            return await run_cells(planned, ex.specs, workdir, limits)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    results = run_all([lambda ex=ex: one(ex) for ex in todo], jobs)
    problems = []
    for ex, result in zip(todo, results, strict=True):
        bad = [c for c in result.cells if c.status != "ok"]
        if bad or result.problems or result.observations is None:
            for c in bad:
                problems.append(f"{ex.path}, {c.label}: {c.status}: {c.detail}")
            problems += [f"{ex.path}: {p}" for p in result.problems]
            continue
        _EXPECTED_CACHE[(ex.name, _stamp(ex))] = result.observations
    if problems:
        raise KitError(listing("The solutions do not run cleanly, so there is nothing to check against", problems))
    return {ex.name: _EXPECTED_CACHE[(ex.name, _stamp(ex))] for ex in exercises}


def build_key(ex: Exercise, expected: dict, salt: str | None = None) -> dict:
    """The practice-check key of an exercise from its solutions' observations."""
    salt = salt or secrets.token_hex(8)
    entries, problems = {}, []
    for q, spec in ex.specs.items():
        try:
            entries[q] = fingerprint(expected.get(q, {"type": "undefined"}), spec, salt)
        except ValueError as err:
            problems.append(f"{ex.path}, {q} (`{spec.get('answer')}`): {err}")
    if problems:
        raise KitError(listing("The release stopped: a solution does not produce a checkable answer", problems))
    public = {q: {k: v for k, v in spec.items() if k not in ("points",)} for q, spec in ex.specs.items()}
    return {"exercise": ex.name, "questions": public, "entries": entries}
