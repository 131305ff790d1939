"""The grading sandbox: cells run in a kernel with time, output and memory limits, and the answers read back.

    from kit.exercises.sandbox import Limits, Planned, run_cells
    from kit.kernels import run_all
    spec = {"question": "q1", "answer": "x", "kind": "number", "decimals": 0}
    [report] = run_all([lambda: run_cells([Planned("cell 1", "x = 41 + 1")], {"q1": spec}, workdir, Limits())])
    report.observations["q1"]["forms"]["0"], [c.status for c in report.cells]     # ('42', ['ok'])

How the cells run (:func:`run_cells`):

- in a kernel of their own, started in ``workdir`` (the grader gives each submission a fresh
  temporary folder holding a copy of it), with a clean environment and ``rlimit``s on memory,
  file size and core dumps (:class:`Limits`);
- cell by cell, each with a time limit (the kernel is interrupted, and killed and restarted if
  the interrupt does not stop the cell), within a time limit for the whole notebook;
- a kernel that dies (``os._exit``, a crash) is restarted and the cells run again without
  the one that killed it, a few times at most; what happened is in the report;
- outputs beyond a size limit are dropped (a flood costs nothing but that cell's output);
- the answers are read after the last cell by code that runs in its own namespace (the
  student's variable names cannot collide with it) with a fresh copy of
  ``kit.exercises.observe``, and only the student's values leave the kernel.

This module runs inside the grading sandbox (``kit.exercises.worker``, started in bubblewrap by
``kit.exercises.jail``): the isolation is the sandbox's, the limits here are per kernel.
Charts are not drawn: the kernel's environment has ``KIT_GRADING=1`` (``kit.render.enable``).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..files import ROOT
from ..kernels import kernel_manager
from ..terminal import strip_escapes
from . import observe


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
    cpu_seconds: int | None = 600     # CPU time of one kernel process
    processes: int | None = 256       # processes and threads in one sandbox (bubblewrap only)
    open_files: int | None = 1024     # open files per process


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
        if limits.cpu_seconds:
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
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


# Runs before the student's cells (its time is not the notebook's): the libraries every exercise imports,
# loaded once so that a cold import does not eat the first cell's time limit. Charts are not drawn while
# grading because kit.render.enable() sees KIT_GRADING=1 (set in _kernel_env); nothing is replaced here.
PRELUDE = "try:\n    import numpy, pandas, altair\nexcept Exception:\n    pass\n"

# Reads the answers after the last cell: a fresh copy of kit.exercises.observe (loaded by file path, so
# whatever the student did to the kit's modules), its own namespace, the student's namespace only read.
# Only the student's values leave the kernel.
EXTRACT = '''
import importlib.util as _util, json as _json, sys as _sys
_spec = _util.spec_from_file_location("_kit_observe_for_grading", OBSERVE_PATH)
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
                if msg.get("msg_type") == "update_display_data" and not self._keep(msg, cell_index):
                    return None            # display updates count against the cell's output limit too
                return super().process_message(msg, cell, cell_index)

            def _keep(self, msg, cell_index) -> bool:
                content = msg.get("content", {})
                size = len(content.get("text", "")) if "text" in content else \
                    sum(len(v) if isinstance(v, str) else 200 for v in (content.get("data") or {}).values())
                used = self.kept.get(cell_index, 0)
                if used + size > limits.output_bytes:
                    self.truncated.add(cell_index)
                    return False
                self.kept[cell_index] = used + size
                return True

            def output(self, outs, msg, display_id, cell_index):
                content = msg.get("content", {})
                if msg.get("msg_type") == "error":
                    content["traceback"] = []          # the one-line ename/evalue is enough
                    content["evalue"] = str(content.get("evalue", ""))[:2000]
                elif not self._keep(msg, cell_index):
                    return None
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
                    code = _isolated(EXTRACT, {"OBSERVE_PATH": observe.__file__, "SPECS": specs, "OUT": str(out_file)})
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
