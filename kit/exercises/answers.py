"""The expected answers: each exercise's solutions run in a sandbox, and the practice-check key made from them.

    from kit.exercises.cells import find_exercises, load_exercise
    ex = load_exercise(find_exercises(names=["01_spending_targets"])[0])
    expected = expected_answers([ex])[ex.name]      # {question: observation}, from running the solutions
    key = build_key(ex, expected)                    # salted hashes only

The release turns the answers into the key written into student copies (hashes only); the
grader compares submissions with them in its own process. They are never typed by hand,
and never enter a student's sandbox. The solutions run in a sandbox of their own
(``kit.exercises.jail``; a plain child process where bubblewrap is missing and the caller
passes no jail: the release runs the teacher's own notebooks).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict
from pathlib import Path

from ..data import package
from ..errors import KitError, listing
from ..kernels import run_all
from ..notebook import cell_source
from . import untrusted
from .cells import Exercise, role
from .expected import validate_expected
from .jail import Jail, probe
from .keys import fingerprint
from .sandbox import Limits, Planned

_EXPECTED_CACHE: dict = {}
SOLUTION_LIMITS = Limits(cell_timeout=120, notebook_timeout=600, memory_mb=None, cpu_seconds=None)


def _stamp(ex, data_dir: Path) -> tuple:
    files = [Path(ex.path)] + sorted(Path(data_dir).glob("*"))
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def worker_plan(cells: list, specs: dict, limits: Limits, jail: Jail, runs: list, notebook: dict | None) -> bytes:
    """The JSON plan a sandbox's worker reads (``kit.exercises.worker``): the same cells once per data folder."""
    rows = [[p.label, p.source, p.question] for p in cells]
    return json.dumps({"specs": specs, "limits": asdict(limits), "notebook": notebook,
                       "runs": [{"data_dir": jail.data_dir(name), "cells": rows} for name in runs]}).encode("utf-8")


def wall_clock(limits: Limits, runs: int) -> float:
    """Seconds a sandbox may live, enforced from outside: every run's start-ups, cells and reading the answers."""
    return runs * (limits.startup_timeout * (limits.restarts + 1) + limits.notebook_timeout
                   + (limits.restarts + 1) * (limits.grace + 20) + 40) + 30


def default_jail() -> Jail:
    """For the teacher's own notebooks (the release): a sandbox where bubblewrap works, else a plain process."""
    return Jail({"original": package.data_dir()}, sandboxed=probe() is None)


def expected_answers(exercises: list, jobs: int | None = None, limits: Limits | None = None,
                     jail: Jail | None = None, runs: tuple = ("original",)) -> dict:
    """Run each source notebook (with its solutions) in a sandbox; return {exercise: {question: observation}}.

    With several ``runs`` (data folders of ``jail``), {exercise: [observations per run]}.
    Raises KitError naming the file and cell if a solution cell fails. Cached in this process
    while the notebook and the data files are unchanged.
    """
    limits = limits or SOLUTION_LIMITS
    jail = jail or default_jail()
    folders = [jail.data.get(name, package.data_dir()) for name in runs]
    keys = {ex.name: [(ex.name, name, _stamp(ex, folder)) for name, folder in zip(runs, folders, strict=True)]
            for ex in exercises}
    todo = [ex for ex in exercises if not all(k in _EXPECTED_CACHE for k in keys[ex.name])]

    async def one(ex):
        planned = [Planned(f"cell {number} (id {cell.get('id')!r})", cell_source(cell))
                   for number, cell in enumerate(ex.nb["cells"], start=1)
                   if cell.get("cell_type") == "code" and role(cell) != "check"]
        notebook = {"name": Path(ex.path).name, "text": Path(ex.path).read_text(encoding="utf-8")}
        raw, problem = await jail.run(worker_plan(planned, ex.specs, limits, jail, list(runs), notebook),
                                      wall_clock(limits, len(runs)))
        reports, problem = untrusted.reports(raw, [planned] * len(runs), ex.specs) if raw else (None, problem)
        return reports, problem

    results = run_all([lambda ex=ex: one(ex) for ex in todo], jobs)
    problems = []
    for ex, (reports, problem) in zip(todo, results, strict=True):
        if reports is None:
            problems.append(f"{ex.path}: {problem}")
            continue
        for name, result in zip(runs, reports, strict=True):
            where = "" if name == "original" else f" (on the {name} data)"
            bad = [c for c in result.cells if c.status != "ok"]
            problems += [f"{ex.path}, {c.label}{where}: {c.status}: {c.detail}" for c in bad]
            problems += [f"{ex.path}{where}: {p}" for p in result.problems]
            if result.observations is None and not result.problems:
                problems.append(f"{ex.path}{where}: the answers could not be read")
        if not problems:
            for name, key, result in zip(runs, keys[ex.name], reports, strict=True):
                validate_expected(ex, result.observations, "" if name == "original" else f"on the {name} data")
                _EXPECTED_CACHE[key] = result.observations
    if problems:
        raise KitError(listing("The solutions do not run cleanly, so there is nothing to check against", problems))
    if tuple(runs) == ("original",):
        return {ex.name: _EXPECTED_CACHE[keys[ex.name][0]] for ex in exercises}
    return {ex.name: [_EXPECTED_CACHE[k] for k in keys[ex.name]] for ex in exercises}


def for_grading(used: list, seed: int, scratch: Path, sandbox: bool, jobs: int | None, log) -> tuple:
    """The jail, runs, expected answers ({exercise: [original, perturbed]}) and protection table for grading.

    The perturbed copy of the data (``kit.exercises.perturb``, from ``seed``) is written to
    ``scratch`` (a temporary folder the caller removes) and bound read-only into every sandbox.
    """
    from .perturb import perturbed_copy, protection

    copy = perturbed_copy(package.data_dir(), seed, Path(scratch) / "data")
    jail = Jail({"original": package.data_dir(), "perturbed": copy}, sandboxed=sandbox)
    runs = ("original", "perturbed")
    expected = expected_answers(used, jobs=jobs, jail=jail, runs=runs)
    table = {ex.name: protection(expected[ex.name][0], expected[ex.name][1]) for ex in used}
    for name, per_q in table.items():
        same = [q for q, what in per_q.items() if what == "unprotected"]
        if same:
            log(f"note: {name}: {', '.join(same)} give the same answer on the perturbed copy "
                "(graded on the original data only)")
    return jail, runs, expected, table


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
