"""Execute notebooks in parallel, one kernel each, with nbclient.

Every kernel runs this environment's Python (``sys.executable``, whatever kernelspecs
are installed elsewhere), starts in the notebook's folder so relative paths work, and
gets extra environment variables (the handout build sets ``KIT_HANDOUT=1``)::

    >>> kernel_argv()[0] == sys.executable
    True

``execute_all(jobs, ...)`` runs the jobs with up to ``parallel`` kernels at once. The first
failing cell stops the queue (running notebooks finish); its error names the notebook, the
cell number and the cell's first line, and carries the exception's last line, never a
raw traceback.

Import cost: ``rfc3987-syntax`` (pulled in by ``jsonschema[format-nongpl]``) compiles its
parsers at import, about 1 s in each process that imports nbformat or Altair. It only adds
the ``iri`` / ``iri-reference`` format checks, which neither notebooks nor Vega-Lite's
schema use, so the build and its kernels skip it (``SKIP_MODULES``).
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KitError

# Modules that cost much to import and that execution does not need (see the module doc).
SKIP_MODULES = ("rfc3987_syntax",)

_LAUNCHER = (
    "import sys\n"
    "from pathlib import Path\n"
    "if sys.path and (sys.path[0] == '' or Path(sys.path[0]) == Path.cwd()):\n"
    "    del sys.path[0]\n"
    "for name in {skip!r}:\n"
    "    sys.modules.setdefault(name, None)\n"
    "from ipykernel import kernelapp as app\n"
    "app.launch_new_instance()\n"
).format(skip=SKIP_MODULES)


def skip_slow_imports() -> None:
    """Make ``import rfc3987_syntax`` fail fast in this process (jsonschema then skips it)."""
    for name in SKIP_MODULES:
        sys.modules.setdefault(name, None)


def kernel_argv() -> list[str]:
    """The command that starts a kernel: this Python, ipykernel, no slow optional imports."""
    return [sys.executable, "-c", _LAUNCHER, "-f", "{connection_file}"]


class NotebookError(KitError):
    """A notebook failed to execute: names the notebook and the cell."""

    def __init__(self, notebook: str, cell: int | None, first_line: str, reason: str):
        self.notebook, self.cell, self.first_line, self.reason = notebook, cell, first_line, reason
        where = f"{notebook}, cell {cell}" if cell is not None else notebook
        if first_line:
            where += f" (`{first_line}`)"
        super().__init__(f"{where}: {reason}")


@dataclass
class Job:
    """One notebook to execute: where it is, what to call it in messages, its extra env."""

    path: Path
    label: str
    env: dict = field(default_factory=dict)
    log: Path | None = None  # the kernel's own stdout/stderr go here (else nowhere)


@dataclass
class Outcome:
    job: Job
    notebook: object = None  # the executed nbformat.NotebookNode
    seconds: float = 0.0
    error: NotebookError | None = None
    skipped: bool = False  # not started because an earlier notebook failed


def first_line(source) -> str:
    """The first non-empty line of a cell's source, shortened for a message.

    >>> first_line("\\n\\nx = kit.load('nope')  # comment\\nmore")
    "x = kit.load('nope')  # comment"
    """
    text = "".join(source) if isinstance(source, list) else str(source)
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "..."
    return ""


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _reason(err: BaseException, cell=None) -> str:
    """The exception's type and message: from the cell's error output, else from the error itself."""
    for out in reversed((cell or {}).get("outputs", []) if cell is not None else []):
        if out.get("output_type") == "error" and out.get("ename") not in (None, "", "NoneType"):
            evalue = _ANSI.sub("", str(out.get("evalue") or "")).strip()
            return f"{out['ename']}: {evalue}" if evalue else out["ename"]
    ename = getattr(err, "ename", None)
    if ename and ename != "NoneType":
        evalue = _ANSI.sub("", str(getattr(err, "evalue", "") or "")).strip()
        return f"{ename}: {evalue}" if evalue else ename
    lines = [line.strip() for line in _ANSI.sub("", str(err)).splitlines() if line.strip()]
    return lines[-1] if lines else type(err).__name__


def _kernel_manager():
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class ThisPythonKernelSpecs(KernelSpecManager):
        """Always this environment's Python, whatever kernelspecs are installed elsewhere."""

        def get_kernel_spec(self, kernel_name):
            return KernelSpec(argv=kernel_argv(), display_name="Python 3", language="python", env={}, metadata={})

    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=ThisPythonKernelSpecs())


async def _execute(job: Job, timeout: int) -> Outcome:
    import nbformat
    from nbclient import NotebookClient

    started = time.perf_counter()
    try:
        nb = nbformat.read(job.path, as_version=4)
    except Exception as err:  # noqa: BLE001 - any unreadable notebook gets the same message
        error = NotebookError(job.label, None, "", f"not a readable notebook ({type(err).__name__}: {err})")
        return Outcome(job, error=error)
    km = _kernel_manager()
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        allow_errors=False,
        record_timing=False,
        store_widget_state=False,
        kernel_name="python3",
        resources={"metadata": {"path": str(job.path.parent.resolve())}},
    )
    env = dict(os.environ)
    env.update(job.env)
    env.pop("JPY_PARENT_PID", None)
    outcome = Outcome(job, notebook=nb)
    index = None
    if job.log:
        job.log.parent.mkdir(parents=True, exist_ok=True)
    log = open(job.log, "wb") if job.log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        async with client.async_setup_kernel(env=env, stdout=log, stderr=log):
            msg_id = await _maybe_await(client.kc.kernel_info())
            info = await client.async_wait_for_reply(msg_id)
            if info is not None:
                nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(nb.cells):
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
    except Exception as err:  # noqa: BLE001 - reported with the notebook and cell
        cell_no = None if index is None else index + 1
        line = "" if index is None else first_line(nb.cells[index].source)
        reason = _reason(err, None if index is None else nb.cells[index])
        if "DeadKernel" in type(err).__name__ and job.log:
            reason += f" (the kernel stopped; its log: {job.log})"
        outcome.error = NotebookError(job.label, cell_no, line, reason)
    finally:  # the client does not own the kernel manager: stop the kernel here
        if client.kc is not None:
            client.kc.stop_channels()
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
        if job.log:
            log.close()
    outcome.seconds = time.perf_counter() - started
    return outcome


async def _maybe_await(value):
    return await value if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future) else value


def execute_all(jobs: list[Job], parallel: int | None = None, timeout: int = 300, on_done=None) -> list[Outcome]:
    """Execute ``jobs`` with up to ``parallel`` kernels; return one Outcome per job, in order.

    ``on_done(outcome)`` is called as each notebook finishes (for progress lines). After a
    failure no new notebook starts; those already running finish (so they can be cached).
    """
    skip_slow_imports()
    parallel = max(1, min(parallel or os.cpu_count() or 1, len(jobs) or 1))

    async def main():
        gate = asyncio.Semaphore(parallel)
        failed = asyncio.Event()

        async def one(job):
            async with gate:
                if failed.is_set():
                    return Outcome(job, skipped=True)
                outcome = await _execute(job, timeout)
                if outcome.error:
                    failed.set()
                if on_done:
                    on_done(outcome)
                return outcome

        return await asyncio.gather(*(one(job) for job in jobs))

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return asyncio.run(main())
    # called from a running loop (Jupyter, Playwright's sync API): run in a thread of its own
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()
