"""Grade a class's notebooks without trusting them: match each submission's cells, run them, score the answers.

    from kit.exercises.grade import grade
    results = grade(Path("submitted"), Path("grades"))   # grades/grades.csv, grades/feedback/<student>.html

``python -m kit grade SUBMISSIONS_DIR`` calls it.
``SUBMISSIONS_DIR`` holds one folder per student with that student's notebooks, named as
the released exercises (``SUBMISSIONS_DIR/<student>/<exercise>.ipynb``, like nbgrader's
``submitted/``). The expected answers come from running the source notebooks in
``exercises/`` at grading time; they stay in this process and never enter a student's kernel.

Each notebook runs in a bubblewrap sandbox of its own (``kit.exercises.jail``; inside, the
worker runs its cells in a kernel with time, output and memory limits, ``kit.exercises.sandbox``),
once on the data and once on a perturbed copy (``kit.exercises.perturb``); its cells are matched to the released exercise by
their nbgrader ``grade_id`` or cell id and run in the exercise's order (:func:`plan`); the
answers it leaves are compared with the expected ones (``kit.exercises.answers``) here, in the
grading process (:func:`score`). Up to one kernel per core at a time.

Output (``kit.exercises.feedback``): ``grades.csv`` and one offline HTML feedback page per
student.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..data import package
from ..errors import KitError, listing
from ..files import ROOT
from ..kernels import run_all
from ..notebook import cell_source
from . import cleanup, integrity, untrusted
from .answers import for_grading, wall_clock, worker_plan
from .cells import EXERCISES, find_exercises, grade_id, is_solution, load_exercise, role
from .feedback import write_outputs
from .jail import UNPROTECTED, Jail
from .journal import NAME as JOURNAL
from .journal import Journal, file_sha256, from_record, text_sha256, to_record
from .keys import fingerprint
from .names import clean, match_roster, read_roster, shown_name
from .sandbox import CellReport, Limits, Planned, RunReport
from .submissions import find_submissions
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


def score(ex, observations: dict | None, expected: dict, close_credit: float, salt: str,
          again: tuple | None = None) -> tuple[dict, dict, dict]:
    """Points and results per question (the key is made here, never in a kernel).

    ``again`` is ``(observations, expected)`` from the second run on the perturbed copy of the
    data: a question then needs both runs right (or close) for its points. A question whose
    expected answer cannot serve as a key gets a "could not be graded" result and no points,
    never an exception (``kit.exercises.expected.validate_expected`` stops grading before that).
    """
    scores, results, points = {}, {}, {}
    runs = [(observations, expected)] + ([again] if again is not None else [])
    for q, spec in ex.specs.items():
        points[q] = float(spec.get("points", 1))
        verdicts = []
        for number, (seen, wanted) in enumerate(runs):
            try:
                entry = fingerprint((wanted or {})[q], spec, salt)
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                data = " on the changed data" if number else ""
                verdicts.append(Result(q, "ungraded", f"{q}: could not be graded: the expected answer{data} is not "
                                       f"usable ({str(err)[:120] or type(err).__name__}); your teacher grades it by hand."))
                continue
            if seen is None:
                verdicts.append(Result(q, "error", f"{q}: your answers could not be read (see the notes)."))
            else:
                verdicts.append(compare(seen.get(q, {"type": "undefined", "name": spec.get("answer")}), entry, spec))
        result = verdicts[0]
        if len(verdicts) > 1 and result.status in ("right", "close") and verdicts[1].status not in ("right", "close"):
            second = verdicts[1]
            result = second if second.status in ("ungraded", "error") else Result(
                q, "wrong", f"{q}: right on the notebook's data, but not when your notebook ran again on the same "
                "data with some values changed: compute the answer from the data rather than typing it in.")
        elif len(verdicts) > 1 and result.status == "right" and verdicts[1].status == "close":
            result = verdicts[1]
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


async def grade_one(student: str, ex, path: Path, template: dict, expected: list, limits: Limits,
                    close_credit: float, salt: str, jail: Jail, runs: tuple = ("original",),
                    seed: int | None = None) -> Graded:
    """Grade one notebook: its cells run once per data folder of ``runs``, all in one sandbox of ``jail``."""
    graded = Graded(student, ex.name)
    try:
        submission = _read_submission(path)
        planned, graded.open_answers, graded.notes = plan(submission, template)
    except (OSError, ValueError) as err:
        graded.notes.append(f"{path.name} could not be graded: {err}")
        graded.scores, graded.results, graded.points = score(ex, None, expected[0], close_credit, salt)
        return graded
    notebook = {"name": path.name, "text": json.dumps(submission)}    # a fresh copy, never the original
    raw, problem = await jail.run(worker_plan(planned, ex.specs, limits, jail, list(runs), notebook),
                                  wall_clock(limits, len(runs)))
    reports, problem = untrusted.reports(raw, [planned] * len(runs), ex.specs) if raw else (None, problem)
    if reports is None:
        graded.notes.append(f"the notebook's answers could not be read: {problem}")
        reports = [RunReport() for _ in runs]
    run, again = reports[0], reports[1] if len(reports) > 1 else None
    graded.cells = run.cells
    graded.seconds = sum(r.seconds for r in reports)
    graded.notes += run.problems + [f"on the perturbed data: {p}" for p in (again.problems if again else [])]
    graded.scores, graded.results, graded.points = score(
        ex, run.observations, expected[0], close_credit, salt,
        again=(again.observations, expected[1]) if again is not None else None)
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


def grade(submissions: Path, out: Path = DEFAULT_OUT, exercises_dir: Path | None = None, jobs: int | None = None,
          limits: Limits | None = None, close_credit: float = 0.5, log=None, sandbox: bool = True,
          resume: bool = False, seed: int | None = None, roster: Path | None = None) -> list[Graded]:
    """Grade every submission; write grades.csv and feedback pages to ``out``. Returns the grades.

    Each notebook runs in a bubblewrap sandbox (``sandbox=False``: a plain child process, see
    ``kit.exercises.jail``). Each finished notebook is journalled in ``out/journal.jsonl``;
    ``resume=True`` keeps the journalled ones (and the journal's ``seed``). The submissions,
    ``kit/``, ``exercises/`` and the data are fingerprinted before and after: if any changed,
    no grades are written (KitError saying what changed).
    """
    log = log or (lambda msg: print(msg, file=sys.stderr))
    submissions, out = Path(submissions), Path(out)
    if out.resolve() == submissions.resolve() or submissions.resolve() in out.resolve().parents:
        raise KitError(f"--out {out} is inside the submissions folder; grading never writes there")
    limits = limits or Limits()
    exercises_dir = Path(exercises_dir or EXERCISES)
    Jail(sandboxed=sandbox)            # bubblewrap checked first: refuse before anything is written
    if not sandbox:
        if resume:
            raise KitError("--resume needs the sandbox: without it a notebook could have written into the journal; "
                           "grade again without --resume")
        log(f"warning: {UNPROTECTED}")
    forged = integrity.forged_bytecode(ROOT / "kit")
    if forged:
        raise KitError(listing("Compiled kit modules differ from their source (a notebook graded without the sandbox "
                               "may have planted them): delete these files, check kit/ with git, and grade again", forged))
    exercises = {ex.name: ex for ex in (load_exercise(p) for p in find_exercises(exercises_dir))}
    found, notes = find_submissions(submissions, set(exercises))
    for note in notes:
        log(f"note: {clean(note)}")
    if not found:
        raise KitError(f"no submissions in {submissions}: expected {submissions}/<student>/<exercise>.ipynb with "
                       f"an exercise name among {', '.join(exercises)}")
    watched = {"submissions": submissions, "kit": ROOT / "kit", "exercises": exercises_dir, "data": package.data_dir()}
    before = integrity.snapshot(watched)
    inputs = text_sha256(json.dumps([before[k] for k in ("kit", "exercises", "data")], sort_keys=True))
    roster_ids = read_roster(roster) if roster else None
    if seed is None and not resume:
        seed = secrets.randbelow(1_000_000)      # recorded in the journal; --resume reuses it
    journal = Journal.open(out / JOURNAL, resume, seed, inputs + ("" if sandbox else ":no-sandbox"))
    seed = journal.header.get("seed")
    used = [exercises[name] for name in sorted({e for _, e, _ in found})]
    with cleanup.on_signals(), cleanup.temporary("kit-perturbed-") as scratch:
        log(f"running the solutions of {len(used)} exercise(s), on the data and on a perturbed copy (seed {seed}) ...")
        jail, runs, expected, table = for_grading(used, seed, scratch, sandbox, jobs, log)
        templates = {ex.name: make_version(ex, "grading", None) for ex in used}
        salt = os.urandom(8).hex()
        log(f"grading {len(found)} notebook(s), {jobs or os.cpu_count()} at a time ...")
        counter = {"done": 0}

        async def job(student, name, path):
            sha = file_sha256(path) if path.is_file() else ""
            record = journal.finished((student, name), sha)
            if record is not None:
                graded = from_record(Graded, record)
            else:
                try:
                    graded = await grade_one(student, exercises[name], path, templates[name], expected[name], limits,
                                             close_credit, salt, jail, runs, seed)
                except Exception as err:  # noqa: BLE001 - one submission must never stop the class's grading
                    graded = Graded(student, name, notes=[f"grading failed for this notebook ({type(err).__name__}: "
                                                          f"{str(err)[:200]}); grade it by hand"])
                    graded.scores, graded.results, graded.points = score(exercises[name], None, expected[name][0],
                                                                         close_credit, salt)
                journal.add((student, name), sha, to_record(graded))
            counter["done"] += 1
            log(f"[{counter['done']}/{len(found)}] {shown_name(student)}/{name}: {graded.total:g}/{graded.max:g}"
                + (f" ({clean('; '.join(graded.notes[:2]))})" if graded.notes else "") + f" in {graded.seconds:.1f} s"
                + (" (journalled)" if record is not None else ""))
            return graded

        results = run_all([lambda s=s, n=n, p=p: job(s, n, p) for s, n, p in found], jobs)
    changes = integrity.differences(before, integrity.snapshot(watched)) + [
        f"kit: {path} no longer matches its source" for path in integrity.forged_bytecode(ROOT / "kit")]
    if changes:
        os.replace(journal.path, journal.path.with_name("journal-rejected.jsonl"))
        raise KitError(listing("Grading wrote no grades: files that grading must never change were changed "
                               "while it ran (restore them, find out which notebook did it, grade again)", changes))
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
    ids = None
    if roster_ids is not None:
        ids, messages = match_roster(roster_ids, students, roster)
        for m in messages:
            log(f"note: {clean(m)}")
    write_outputs(results, used, out, student_ids=ids, protection=table)   # replaces out/ (and the journal) in one move
    log(f"wrote {out / 'grades.csv'} and {len(students)} feedback page(s) in {out / 'feedback'}/")
    return results
