"""Grade a class's notebooks without trusting them: match each submission's cells, run them, score the answers.

    from kit.exercises.grade import grade
    results = grade(Path("submitted"), Path("grades"))   # grades/grades.csv, grades/feedback/<student>.html

``python -m kit grade SUBMISSIONS_DIR`` calls it.
``SUBMISSIONS_DIR`` holds one folder per student with that student's notebooks, named as
the released exercises (``SUBMISSIONS_DIR/<student>/<exercise>.ipynb``, like nbgrader's
``submitted/``). The expected answers come from running the source notebooks in
``exercises/`` at grading time; they stay in this process and never enter a student's kernel.

Each notebook runs in the sandbox (``kit.exercises.sandbox``: its own kernel and temporary
folder, time, output and memory limits); its cells are matched to the released exercise by
their nbgrader ``grade_id`` or cell id and run in the exercise's order (:func:`plan`); the
answers it leaves are compared with the expected ones (``kit.exercises.answers``) here, in the
grading process (:func:`score`). Up to one kernel per core at a time.

Output (``kit.exercises.feedback``): ``grades.csv`` and one offline HTML feedback page per
student.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KitError
from ..kernels import run_all
from ..notebook import cell_source
from .answers import expected_answers
from .cells import EXERCISES, find_exercises, grade_id, is_solution, load_exercise, role
from .feedback import write_outputs
from .keys import fingerprint
from .sandbox import CellReport, Limits, Planned, run_cells
from .verdicts import Result, compare
from .versions import make_version

DEFAULT_OUT = Path("grades")
MAX_NOTEBOOK_BYTES = 20_000_000
MAX_CELLS = 400
MAX_CELL_SOURCE = 200_000


def _cells(nb) -> list[dict]:
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise ValueError("it has no list of cells")
    return [c for c in cells if isinstance(c, dict)]


def _label(number: int, tcell: dict | None) -> str:
    if tcell is None:
        return f"cell {number} (added by the student)"
    gid = grade_id(tcell) or tcell.get("id")
    what = {"checks": "the checks cell", "check": "a check cell"}.get(role(tcell), gid)
    return f"cell {number} ({what})"


def plan(submission: dict, template: dict) -> tuple[list[Planned], dict, list[str]]:
    """Cells to run (in the exercise's order), open answers, and notes about the matching.

    Cells are matched to the template by nbgrader ``grade_id``, then by cell id. Matched cells
    run in the template's order; a cell the student added runs after the cell it follows.
    The checks cell runs without its key and the template's check cells are skipped.
    """
    tcells = template["cells"]
    by_gid = {grade_id(c): i for i, c in enumerate(tcells) if grade_id(c)}
    by_id = {c.get("id"): i for i, c in enumerate(tcells) if c.get("id")}
    keyed, open_answers, notes = [], {}, []
    anchor = -1
    matched = set()
    cells = _cells(submission)
    if len(cells) > MAX_CELLS:
        notes.append(f"only the first {MAX_CELLS} of {len(cells)} cells were graded")
        cells = cells[:MAX_CELLS]
    for number, cell in enumerate(cells, start=1):
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        gid = ((meta.get("nbgrader") or {}) if isinstance(meta.get("nbgrader"), dict) else {}).get("grade_id")
        t = by_gid.get(gid) if isinstance(gid, str) else None
        if t is None and isinstance(cell.get("id"), str):
            t = by_id.get(cell["id"])
        tcell = tcells[t] if t is not None else None
        if tcell is not None and tcell.get("cell_type") != cell.get("cell_type"):
            tcell, t = None, None
        try:
            source = cell_source(cell)
        except Exception:  # noqa: BLE001
            source = ""
        if cell.get("cell_type") == "markdown":
            spec = ((tcell or {}).get("metadata", {}).get("kit") or {})
            if tcell is not None and is_solution(tcell) and spec.get("kind") == "open":
                open_answers[spec["question"]] = source[:5000]
            continue
        if cell.get("cell_type") != "code":
            continue
        if len(source) > MAX_CELL_SOURCE:
            notes.append(f"cell {number} is longer than {MAX_CELL_SOURCE} characters and was not run")
            continue
        if t is not None:
            anchor = t
            matched.add(t)
            if role(tcell) == "check":
                continue
            if role(tcell) == "checks":
                source = cell_source(tcell)
            question = (tcell.get("metadata", {}).get("kit") or {}).get("question") if is_solution(tcell) else None
            keyed.append(((t, 0, number), Planned(_label(number, tcell), source, question)))
        else:
            keyed.append(((anchor, 1, number), Planned(_label(number, None), source)))
    missing = [tcells[i].get("id") for i, c in enumerate(tcells)
               if c.get("cell_type") == "code" and i not in matched and role(c) != "check"]
    if missing:
        notes.append("cells of the exercise not found in the submission (deleted or retyped): " + ", ".join(missing))
    keyed.sort(key=lambda item: item[0])
    return [p for _, p in keyed], open_answers, notes


@dataclass
class Graded:
    """One student's grade for one exercise."""

    student: str
    exercise: str
    scores: dict = field(default_factory=dict)       # question -> points
    results: dict = field(default_factory=dict)      # question -> verdicts.Result
    points: dict = field(default_factory=dict)       # question -> max points
    cells: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    open_answers: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> float:
        return sum(self.scores.values())

    @property
    def max(self) -> float:
        return sum(self.points.values())


def score(ex, observations: dict | None, expected: dict, close_credit: float, salt: str) -> tuple[dict, dict, dict]:
    """Points and results per question (the key is made here, never in a kernel)."""
    scores, results, points = {}, {}, {}
    for q, spec in ex.specs.items():
        points[q] = float(spec.get("points", 1))
        entry = fingerprint(expected[q], spec, salt)
        if observations is None:
            result = Result(q, "error", f"{q}: your answers could not be read (see the notes).")
        else:
            result = compare(observations.get(q, {"type": "undefined", "name": spec.get("answer")}), entry, spec)
        results[q] = result
        scores[q] = points[q] if result.status == "right" else points[q] * close_credit if result.status == "close" else 0.0
    return scores, results, points


def _read_submission(path: Path) -> dict:
    if path.is_symlink():
        raise ValueError("it is a symbolic link (not graded)")
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"it is {size // 1_000_000} MB, more than the {MAX_NOTEBOOK_BYTES // 1_000_000} MB limit")
    data = path.read_bytes()
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise ValueError(f"it is not a notebook (not valid JSON: {str(err)[:120]})") from None
    _cells(nb)
    return nb


async def grade_one(student: str, ex, path: Path, template: dict, expected: dict, limits: Limits,
                    close_credit: float, salt: str) -> Graded:
    graded = Graded(student, ex.name)
    try:
        submission = _read_submission(path)
        planned, graded.open_answers, graded.notes = plan(submission, template)
    except (OSError, ValueError) as err:
        graded.notes.append(f"{path.name} could not be graded: {err}")
        graded.scores, graded.results, graded.points = score(ex, None, expected, close_credit, salt)
        return graded
    workdir = Path(tempfile.mkdtemp(prefix="kit-grade-"))
    try:
        (workdir / path.name).write_text(json.dumps(submission), encoding="utf-8")   # a fresh copy, not the original
        run = await run_cells(planned, ex.specs, workdir, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    graded.cells, graded.seconds = run.cells, run.seconds
    graded.notes += run.problems
    graded.scores, graded.results, graded.points = score(ex, run.observations, expected, close_credit, salt)
    for q, result in graded.results.items():
        trouble = [c for c in run.cells if c.question == q and c.status != "ok"]
        if trouble and result.status != "right":
            c = trouble[-1]
            result.message += f" Your {c.label} {_status_words(c)}."
    return graded


def _status_words(c: CellReport) -> str:
    """What happened to a cell, to follow "Your cell 7 (q3) ..."."""
    words = {"error": f"raised {c.detail}", "timeout": c.detail, "crashed": "stopped the kernel and was skipped",
             "hung": "did not stop when interrupted and was skipped",
             "not run": f"was not run: {c.detail}" if c.detail else "was not run"}
    return words.get(c.status, c.status)


def _exercise_for(stem: str, exercise_names: set) -> str | None:
    """The exercise a file name stands for: exact, or a browser's copy name such as ``name (1)``.

    >>> _exercise_for("01_spending_targets (1)", {"01_spending_targets", "02_gap_to_3_5"})
    '01_spending_targets'
    >>> _exercise_for("notes", {"01_spending_targets"}) is None
    True
    """
    if stem in exercise_names:
        return stem
    matches = [name for name in exercise_names if stem.startswith(name) and not stem[len(name):][:1].isalnum()]
    return max(matches, key=len) if matches else None


def find_submissions(folder: Path, exercise_names: set) -> tuple[list, list]:
    """[(student, exercise, path)] and notes about files that are not graded.

    ``folder/<student>/<exercise>.ipynb``; one level deeper is accepted too (nbgrader's
    ``submitted/<student>/<assignment>/``), and so are browser copy names (``name (1).ipynb``).
    If a student has two files for one exercise, the newer one is graded and the note says so.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KitError(f"no submissions folder at {folder} (expected {folder}/<student>/<exercise>.ipynb)")
    found, notes = [], []
    for student_dir in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        if not student_dir.is_dir() or student_dir.is_symlink():
            notes.append(f"{student_dir.name}: not a student folder (ignored)")
            continue
        files = [p for p in sorted(student_dir.iterdir()) if not p.name.startswith(".")]
        for sub in [p for p in files if p.is_dir() and not p.is_symlink()]:
            files += [p for p in sorted(sub.iterdir()) if not p.name.startswith(".") and not p.is_dir()]
        chosen: dict = {}
        for path in files:
            if path.is_dir():
                continue
            name = _exercise_for(path.stem, exercise_names) if path.suffix == ".ipynb" else None
            rel = path.relative_to(folder).as_posix()
            if name is None:
                notes.append(f"{rel}: not a released exercise (ignored)")
                continue
            if name in chosen:
                older, newer = sorted([chosen[name], path], key=lambda p: (p.lstat().st_mtime_ns, p.name))
                notes.append(f"{student_dir.name}: two files for {name}; graded {newer.relative_to(folder).as_posix()}, "
                             f"ignored {older.relative_to(folder).as_posix()}")
                chosen[name] = newer
            else:
                chosen[name] = path
        found += [(student_dir.name, name, path) for name, path in sorted(chosen.items())]
    return found, notes


def grade(submissions: Path, out: Path = DEFAULT_OUT, exercises_dir: Path | None = None, jobs: int | None = None,
          limits: Limits | None = None, close_credit: float = 0.5, log=None) -> list[Graded]:
    """Grade every submission; write grades.csv and feedback pages to ``out``. Returns the grades."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    submissions, out = Path(submissions), Path(out)
    if out.resolve() == submissions.resolve() or submissions.resolve() in out.resolve().parents:
        raise KitError(f"--out {out} is inside the submissions folder; grading never writes there")
    limits = limits or Limits()
    exercises = {ex.name: ex for ex in (load_exercise(p) for p in find_exercises(exercises_dir or EXERCISES))}
    found, notes = find_submissions(submissions, set(exercises))
    for note in notes:
        log(f"note: {note}")
    if not found:
        raise KitError(f"no submissions in {submissions}: expected {submissions}/<student>/<exercise>.ipynb with "
                       f"an exercise name among {', '.join(exercises)}")
    used = [exercises[name] for name in sorted({e for _, e, _ in found})]
    log(f"running the solutions of {len(used)} exercise(s) ...")
    expected = expected_answers(used, jobs=jobs)
    templates = {ex.name: make_version(ex, "grading", None) for ex in used}
    salt = os.urandom(8).hex()
    log(f"grading {len(found)} notebook(s), {jobs or os.cpu_count()} at a time ...")
    counter = {"done": 0}

    async def job(student, name, path):
        try:
            graded = await grade_one(student, exercises[name], path, templates[name], expected[name], limits,
                                     close_credit, salt)
        except Exception as err:  # noqa: BLE001 - one submission must never stop the class's grading
            graded = Graded(student, name, notes=[f"grading failed for this notebook ({type(err).__name__}: "
                                                  f"{str(err)[:200]}); grade it by hand"])
            graded.scores, graded.results, graded.points = score(exercises[name], None, expected[name],
                                                                 close_credit, salt)
        counter["done"] += 1
        log(f"[{counter['done']}/{len(found)}] {student}/{name}: {graded.total:g}/{graded.max:g}"
            + (f" ({'; '.join(graded.notes[:2])})" if graded.notes else "") + f" in {graded.seconds:.1f} s")
        return graded

    results = run_all([lambda s=s, n=n, p=p: job(s, n, p) for s, n, p in found], jobs)
    students = sorted({s for s, _, _ in found})
    have = {(g.student, g.exercise) for g in results}
    for student in students:           # an exercise someone submitted but this student did not
        for ex in used:
            if (student, ex.name) not in have:
                g = Graded(student, ex.name, notes=["no submission"])
                g.points = {q: float(spec.get("points", 1)) for q, spec in ex.specs.items()}
                g.scores = {q: 0.0 for q in ex.specs}
                g.results = {q: Result(q, "missing", f"{q}: not submitted.") for q in ex.specs}
                results.append(g)
    results.sort(key=lambda g: (g.student, g.exercise))
    write_outputs(results, used, out)
    log(f"wrote {out / 'grades.csv'} and {len(students)} feedback page(s) in {out / 'feedback'}/")
    return results
