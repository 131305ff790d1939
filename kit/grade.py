"""``python -m kit grade SUBMISSIONS_DIR``: grade a class's notebooks without trusting them.

    python -m kit grade submitted/              # writes grades/grades.csv and grades/feedback/<student>.html
    python -m kit grade submitted/ --out week3 --cell-timeout 20 --jobs 2

``SUBMISSIONS_DIR`` holds one folder per student with that student's notebooks, named as
the released exercises (``SUBMISSIONS_DIR/<student>/<exercise>.ipynb``, like nbgrader's
``submitted/``). The expected answers come from running the source notebooks in
``exercises/`` at grading time; they stay in this process and never enter a student's kernel.

How each submission is run (see "Exercises and grading" in the README for what this does
*not* protect against):

- in its own kernel, started in a fresh temporary folder that holds a copy of the notebook;
  the submission itself is only read, never run in place or changed;
- cell by cell, each with a time limit (the kernel is interrupted, and killed and restarted if
  the interrupt does not stop the cell), within a time limit for the whole notebook;
- a kernel that dies (``os._exit``, a crash) is restarted and the notebook run again without
  the cell that killed it, a few times at most; what happened is in the feedback;
- outputs beyond a size limit are dropped (a flood costs nothing but that cell's output);
- cells are matched to the released exercise by their nbgrader ``grade_id`` or cell id, and run
  in the exercise's order; cells the student added run after the cell they follow; deleted
  cells are simply missing; the practice-check key is never in the kernel;
- the answers are read after the last cell by code that runs in its own namespace (the
  student's variable names cannot collide with it) and reports only the student's values;
  the comparison with the hidden expected answers happens here, in the grading process, so a
  cell that overwrites or monkeypatches the checks cannot change its grade;
- up to one kernel per core at a time.

Output: ``grades.csv`` (one row per student and exercise: ``student``, ``exercise``, one
column per auto-checked question, ``total``, ``max``, then ``notes``) and one offline HTML
feedback page per student.
"""

from __future__ import annotations

import asyncio
import csv
import html
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .errors import KitError
from .files import ROOT, replace_folder
from .kernels import kernel_manager, run_all
from .terminal import strip_escapes


DEFAULT_OUT = Path("grades")
MAX_NOTEBOOK_BYTES = 20_000_000
MAX_CELLS = 400
MAX_CELL_SOURCE = 200_000


@dataclass
class Limits:
    """Time, output and memory limits for one notebook."""

    cell_timeout: float = 30.0        # seconds per cell before the kernel is interrupted
    notebook_timeout: float = 300.0   # seconds for the whole notebook (all attempts)
    grace: float = 5.0                # after an interrupt, seconds before the kernel is killed
    output_bytes: int = 200_000       # output kept per cell (more is dropped)
    memory_mb: int | None = 4096      # address-space limit of the kernel process
    file_mb: int | None = 512         # largest file the kernel may write
    restarts: int = 3                 # kernel restarts after a crash or a hang
    startup_timeout: float = 60.0


@dataclass
class CellReport:
    """What happened to one cell."""

    label: str
    status: str = "ok"         # ok, error, timeout, crashed, hung, not run
    detail: str = ""
    truncated: bool = False
    question: str | None = None


@dataclass
class RunReport:
    observations: dict | None = None     # question -> observation (None: answers not readable)
    cells: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Planned:
    """A cell to run: its label for messages, source and the question it answers (if any)."""

    label: str
    source: str
    question: str | None = None


# ---------------------------------------------------------------------------
# the kernel
# ---------------------------------------------------------------------------

def _limiter(limits: Limits):
    def apply():  # runs in the kernel's process, before Python starts
        import resource
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if limits.memory_mb:
            size = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        if limits.file_mb:
            size = limits.file_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "KIT_DATA_DIR", "VIRTUAL_ENV", "TMPDIR", "SYSTEMROOT")


def _kernel_env(workdir: Path) -> dict:
    env = {k: os.environ[k] for k in _ENV_KEEP if k in os.environ}
    # the kernel imports this kit even where it is not installed (a container with the code mounted)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)]
                                        + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))
    env.update(HOME=str(workdir), IPYTHONDIR=str(workdir / ".ipython"), MPLCONFIGDIR=str(workdir / ".mpl"),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1", KIT_GRADING="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


# Runs before the student's cells, in its own namespace: charts are not drawn while grading.
PRELUDE = '''
try:
    import altair as _alt
    _alt.renderers.register("kit-grading", lambda spec, **kw: {"text/plain": "<Altair chart: not drawn while grading>"})
    _alt.renderers.enable("kit-grading")
    import kit.render as _render
    def _enable(*args, **kwargs):
        _alt.renderers.enable("kit-grading")
        return "kit-grading"
    _render.enable = _enable
except Exception:
    pass
'''

# Reads the answers after the last cell: a fresh copy of kit.checks, its own namespace, the
# student's namespace only read. Only the student's values leave the kernel.
EXTRACT = '''
import importlib.util as _util, json as _json, sys as _sys
_spec = _util.spec_from_file_location("_kit_checks_for_grading", CHECKS_PATH)
_mod = _util.module_from_spec(_spec)
_sys.modules[_spec.name] = _mod
_spec.loader.exec_module(_mod)
_result = {q: _mod.observe(USER_NS, s) for q, s in SPECS.items()}
with open(OUT, "w", encoding="utf-8") as _f:
    _json.dump(_result, _f)
'''


def _isolated(src: str, names: dict) -> str:
    """Code that runs ``src`` in a fresh namespace (``USER_NS`` = the student's, read only)."""
    return ("(lambda __b: __b.exec(__b.compile(" + repr(src) + ", '<kit-grading>', 'exec'), "
            "dict(" + repr(names) + ", __builtins__=__b, __name__='__kit_grading__', USER_NS=__b.globals())))"
            "(__import__('builtins'))")


class _Kernel:
    """One kernel for one notebook run, with an nbclient client that caps outputs."""

    def __init__(self, workdir: Path, limits: Limits):
        self.workdir, self.limits = workdir, limits
        self.km = self.kc = self.client = None
        self.pid = None

    async def start(self, n_cells: int):
        import nbformat
        from nbclient import NotebookClient

        limits = self.limits

        class _Client(NotebookClient):
            kept: dict = {}
            truncated: set = set()
            idle: set = set()

            def process_message(self, msg, cell, cell_index):
                if msg.get("msg_type") == "status" and msg.get("content", {}).get("execution_state") == "idle":
                    self.idle.add(cell_index)
                return super().process_message(msg, cell, cell_index)

            def output(self, outs, msg, display_id, cell_index):
                content = msg.get("content", {})
                if msg.get("msg_type") == "error":
                    content["traceback"] = []          # the one-line ename/evalue is enough
                    content["evalue"] = str(content.get("evalue", ""))[:2000]
                else:
                    size = len(content.get("text", "")) if "text" in content else \
                        sum(len(v) if isinstance(v, str) else 200 for v in (content.get("data") or {}).values())
                    used = self.kept.get(cell_index, 0)
                    if used + size > limits.output_bytes:
                        self.truncated.add(cell_index)
                        return None
                    self.kept[cell_index] = used + size
                return super().output(outs, msg, display_id, cell_index)

        self.km = kernel_manager()
        await self.km.start_kernel(cwd=str(self.workdir), env=_kernel_env(self.workdir),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                   preexec_fn=_limiter(limits),
                                   extra_arguments=["--HistoryManager.enabled=False"])
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        self.pid = getattr(proc, "pid", None)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=limits.startup_timeout)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("") for _ in range(n_cells)]
        self.client = _Client(nb, km=self.km, kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
                              store_widget_state=False, record_timing=False, iopub_timeout=4,
                              raise_on_iopub_timeout=False, timeout_func=lambda cell: self._timeout)
        self.client.kept, self.client.truncated, self.client.idle = {}, set(), set()
        self.client.kc = self.kc
        self._timeout = limits.cell_timeout

    async def execute(self, index: int, source: str, timeout: float, label: str, store_history=True) -> CellReport:
        import nbformat
        from nbclient.exceptions import DeadKernelError

        cell = nbformat.v4.new_code_cell(source)
        self.client.nb.cells[index] = cell
        self.client.idle.discard(index)
        self._timeout = max(1.0, timeout)
        report = CellReport(label)
        started = time.monotonic()
        task = asyncio.ensure_future(self.client.async_execute_cell(cell, index, store_history=store_history))
        done, _ = await asyncio.wait({task}, timeout=self._timeout + self.limits.grace)
        if not done:
            task.cancel()
            try:
                await task
            except BaseException:  # noqa: BLE001 - the task is abandoned either way
                pass
            report.status = "hung"
            report.detail = (f"still running {self._timeout:.0f} s after its time limit and an interrupt; "
                             "the kernel was stopped")
            return report
        try:
            task.result()
        except DeadKernelError:
            report.status, report.detail = "crashed", "the kernel stopped while running this cell"
            return report
        except Exception as err:  # noqa: BLE001
            report.status, report.detail = "crashed", f"the kernel stopped answering ({type(err).__name__})"
            return report
        elapsed = time.monotonic() - started
        # output still arriving when the cell finished (a flood nbclient stopped waiting for) is cut too
        report.truncated = index in self.client.truncated or index not in self.client.idle
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if elapsed >= self._timeout and (not errors or errors[-1].get("ename") == "KeyboardInterrupt"):
            report.status = "timeout"
            report.detail = f"stopped after the {self._timeout:.0f} s time limit (an endless loop?)"
        elif errors:
            err = errors[-1]
            evalue = strip_escapes(str(err.get("evalue", ""))).strip().splitlines()
            report.status = "error"
            report.detail = f"{err.get('ename', 'Error')}: {evalue[-1] if evalue else ''}".strip().rstrip(":")[:300]
        return report

    async def stop(self):
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        except Exception:  # noqa: BLE001
            pass
        try:
            if self.km is not None and self.km.has_kernel:
                await asyncio.wait_for(self.km.shutdown_kernel(now=True), timeout=15)
        except Exception:  # noqa: BLE001
            pass
        if self.pid:  # whatever the student's code started in the kernel's process group
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass


async def run_cells(planned: list[Planned], specs: dict, workdir: Path, limits: Limits) -> RunReport:
    """Run ``planned`` cells in a fresh kernel in ``workdir``; read the answers of ``specs``."""
    started = time.monotonic()
    deadline = None        # the notebook's time runs from the end of the first kernel's start-up
    report = RunReport()
    skip: dict[int, CellReport] = {}
    private = Path(tempfile.mkdtemp(prefix="kit-answers-"))
    out_file = private / f"answers-{os.urandom(8).hex()}.json"
    n = len(planned) + 2
    try:
        for attempt in range(limits.restarts + 1):
            kernel = _Kernel(workdir, limits)
            reports: list[CellReport] = []
            failed_at = None
            try:
                try:
                    await kernel.start(n)
                except Exception as err:  # noqa: BLE001
                    report.problems.append(f"the kernel could not start ({type(err).__name__}: {str(err)[:200]})")
                    break
                await kernel.execute(0, PRELUDE, 60, "prelude", store_history=False)
                if deadline is None:
                    deadline = time.monotonic() + limits.notebook_timeout
                for i, cell in enumerate(planned):
                    if i in skip:
                        reports.append(skip[i])
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining < 1:
                        reports.append(CellReport(cell.label, "not run", "the notebook's time limit was reached",
                                                  question=cell.question))
                        continue
                    rep = await kernel.execute(i + 1, cell.source, min(limits.cell_timeout, remaining), cell.label)
                    rep.question = cell.question
                    reports.append(rep)
                    if rep.status in ("crashed", "hung"):
                        failed_at = i
                        break
                if failed_at is None:
                    code = _isolated(EXTRACT, {"CHECKS_PATH": checks.__file__, "SPECS": specs, "OUT": str(out_file)})
                    rep = await kernel.execute(n - 1, code, 30, "reading the answers", store_history=False)
                    try:
                        answers = json.loads(out_file.read_text(encoding="utf-8")) if rep.status == "ok" else None
                    except (OSError, ValueError):
                        answers = None
                    if isinstance(answers, dict):
                        report.observations = answers
                    else:
                        report.problems.append("the answers could not be read after the last cell"
                                               + (f" ({rep.detail})" if rep.detail else ""))
                    report.cells = reports
                    break
            finally:
                await kernel.stop()
            skip[failed_at] = reports[-1]
            report.cells = reports + [CellReport(c.label, "not run", "", question=c.question)
                                      for c in planned[failed_at + 1:]]
            what = "stopped (crashed)" if reports[-1].status == "crashed" else "hung"
            if attempt == limits.restarts or deadline is None or time.monotonic() > deadline:
                report.problems.append(f"the kernel {what} at {reports[-1].label}; too many restarts or no time left, "
                                       "so the answers could not be read")
                break
            report.problems.append(f"the kernel {what} at {reports[-1].label}: the notebook was run again "
                                   "in a new kernel without that cell")
    finally:
        shutil.rmtree(private, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report


# ---------------------------------------------------------------------------
# planning: match a submission's cells to the released exercise
# ---------------------------------------------------------------------------

def _cells(nb) -> list[dict]:
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise ValueError("it has no list of cells")
    return [c for c in cells if isinstance(c, dict)]


def _label(number: int, tcell: dict | None) -> str:
    from .release import grade_id, role

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
    from .release import cell_source, grade_id, is_solution, role

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


# ---------------------------------------------------------------------------
# expected answers (from the source notebooks) and scoring
# ---------------------------------------------------------------------------

_EXPECTED_CACHE: dict = {}


def _stamp(ex) -> tuple:
    from . import package

    files = [Path(ex.path)] + sorted(package.data_dir().glob("*"))
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def expected_answers(exercises: list, jobs: int | None = None, limits: Limits | None = None) -> dict:
    """Run each source notebook (with its solutions); return {exercise: {question: observation}}.

    Raises KitError naming the file and cell if a solution cell fails. Cached in this process
    while the notebook and the data files are unchanged.
    """
    from .release import cell_source, role

    limits = limits or Limits(cell_timeout=120, notebook_timeout=600, memory_mb=None)
    todo = [ex for ex in exercises if (ex.name, _stamp(ex)) not in _EXPECTED_CACHE]

    async def one(ex):
        planned, numbers = [], []
        for number, cell in enumerate(ex.nb["cells"], start=1):
            if cell.get("cell_type") == "code" and role(cell) != "check":
                planned.append(Planned(f"cell {number} (id {cell.get('id')!r})", cell_source(cell)))
                numbers.append(number)
        workdir = Path(tempfile.mkdtemp(prefix="kit-solve-"))
        try:
            shutil.copy2(ex.path, workdir / ex.path.name)
            return await run_cells(planned, ex.specs, workdir, limits)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    results = run_all([lambda ex=ex: one(ex) for ex in todo], jobs)
    problems = []
    for ex, result in zip(todo, results):
        bad = [c for c in result.cells if c.status != "ok"]
        if bad or result.problems or result.observations is None:
            for c in bad:
                problems.append(f"{ex.path}, {c.label}: {c.status}: {c.detail}")
            problems += [f"{ex.path}: {p}" for p in result.problems]
            continue
        _EXPECTED_CACHE[(ex.name, _stamp(ex))] = result.observations
    if problems:
        raise KitError("The solutions do not run cleanly, so there is nothing to check against:\n"
                       + "\n".join(f"  - {p}" for p in problems))
    return {ex.name: _EXPECTED_CACHE[(ex.name, _stamp(ex))] for ex in exercises}


@dataclass
class Graded:
    """One student's grade for one exercise."""

    student: str
    exercise: str
    scores: dict = field(default_factory=dict)       # question -> points
    results: dict = field(default_factory=dict)      # question -> checks.Result
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
        entry = checks.fingerprint(expected[q], spec, salt)
        if observations is None:
            result = checks.Result(q, "error", f"{q}: your answers could not be read (see the notes).")
        else:
            result = checks.compare(observations.get(q, {"type": "undefined", "name": spec.get("answer")}), entry, spec)
        results[q] = result
        scores[q] = points[q] if result.status == "right" else points[q] * close_credit if result.status == "close" else 0.0
    return scores, results, points


# ---------------------------------------------------------------------------
# grading a folder of submissions
# ---------------------------------------------------------------------------

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
    from .release import EXERCISES, find_exercises, load_exercise, make_version

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
                g.results = {q: checks.Result(q, "missing", f"{q}: not submitted.") for q in ex.specs}
                results.append(g)
    results.sort(key=lambda g: (g.student, g.exercise))
    write_outputs(results, used, out)
    log(f"wrote {out / 'grades.csv'} and {len(students)} feedback page(s) in {out / 'feedback'}/")
    return results


# ---------------------------------------------------------------------------
# outputs
# ---------------------------------------------------------------------------

def _csv_safe(text: str) -> str:
    """Text that a spreadsheet will not run as a formula.

    >>> _csv_safe("=HYPERLINK()"), _csv_safe("ana")
    ("'=HYPERLINK()", 'ana')
    """
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _slug(name: str) -> str:
    """A safe file name for a student's feedback page.

    >>> _slug("../Ana María/x")
    'Ana-Mar-a-x'
    """
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")
    return slug or "student"


def grades_csv(results: list[Graded], exercises: list) -> str:
    questions = []
    for ex in exercises:
        questions += [q for q in ex.specs if q not in questions]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", "exercise", *questions, "total", "max", "notes"])
    for g in results:
        row = [_csv_safe(g.student), g.exercise]
        row += [f"{g.scores[q]:g}" if q in g.scores else "" for q in questions]
        row += [f"{g.total:g}", f"{g.max:g}", _csv_safe("; ".join(g.notes))[:500]]
        writer.writerow(row)
    return buf.getvalue()


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1f2328}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;
border-bottom:1px solid #d0d7de}.right{color:#1a7f37}.close{color:#9a6700}.no{color:#b42318}
.note{background:#fff8c5;padding:.4rem .6rem;border-radius:4px}blockquote{border-left:3px solid #d0d7de;
margin:.5rem 0;padding:.2rem .8rem;white-space:pre-wrap}small{color:#57606a}
@media print{body{margin:0}}
"""


def feedback_html(student: str, graded: list[Graded], exercises: dict) -> str:
    """One student's feedback page: plain HTML, no scripts, nothing loaded from the network."""
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Feedback: {esc(student)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Feedback for {esc(student)}</h1>",
             "<p><small>Generated by <code>python -m kit grade</code>. Each answer was checked by running "
             "your notebook from top to bottom in a fresh kernel.</small></p>"]
    if len(graded) > 1:
        parts.append("<table><thead><tr><th>Exercise</th><th>Points</th></tr></thead><tbody>")
        parts += [f"<tr><td>{esc(g.exercise)}</td><td>{g.total:g} / {g.max:g}</td></tr>" for g in graded]
        parts.append("</tbody></table>")
    for g in graded:
        ex = exercises.get(g.exercise)
        parts.append(f"<h2>{esc(g.exercise)}: {g.total:g} / {g.max:g}</h2>")
        for note in g.notes:
            parts.append(f'<p class="note">{esc(note)}</p>')
        parts.append("<table><thead><tr><th>Question</th><th>Points</th><th>Feedback</th></tr></thead><tbody>")
        for q, result in g.results.items():
            cls = {"right": "right", "close": "close"}.get(result.status, "no")
            parts.append(f'<tr><td>{esc(q)}</td><td class="{cls}">{g.scores.get(q, 0):g} / {g.points.get(q, 0):g}'
                         f"</td><td>{esc(result.message)}</td></tr>")
        parts.append("</tbody></table>")
        trouble = [c for c in g.cells if c.status not in ("ok", "not run") or c.truncated]
        if trouble:
            parts.append("<h3>Cells with problems</h3><ul>")
            for c in trouble:
                text = c.label + (f": {c.status}" if c.status != "ok" else "") + (f": {c.detail}" if c.detail else "")
                if c.truncated:
                    text += ": its output was too long and was cut"
                parts.append(f"<li>{esc(text)}</li>")
            parts.append("</ul>")
        for q in (ex.open_questions if ex else []):
            answer = g.open_answers.get(q, "").strip()
            parts.append(f"<h3>{esc(q)} (discussion: read by your teacher, not auto-graded)</h3>")
            parts.append(f"<blockquote>{esc(answer) if answer and answer != '*Write your answer here.*' else '<em>no answer</em>'}"
                         "</blockquote>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_outputs(results: list[Graded], exercises: list, out: Path):
    """grades.csv and feedback/<student>.html, written to a temporary folder then moved into place."""
    with replace_folder(out) as staging:
        (staging / "grades.csv").write_text(grades_csv(results, exercises), encoding="utf-8")
        (staging / "feedback").mkdir()
        by_student: dict = {}
        for g in results:
            by_student.setdefault(g.student, []).append(g)
        names = {ex.name: ex for ex in exercises}
        used_slugs: set = set()
        for student, graded in by_student.items():
            slug = _slug(student)
            while slug in used_slugs:
                slug += "_"
            used_slugs.add(slug)
            (staging / "feedback" / f"{slug}.html").write_text(feedback_html(student, graded, names), encoding="utf-8")
