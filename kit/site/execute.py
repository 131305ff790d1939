"""Execute notebooks in parallel, one kernel each, with nbclient.

    from kit.site.execute import Job, execute_all
    [outcome] = execute_all([Job(Path("notebooks/04_moldova.ipynb"), "04_moldova.ipynb", {"KIT_HANDOUT": "1"})])
    outcome.error          # None, or a NotebookError naming the notebook, the cell and the error
    outcome.notebook       # the executed notebook (nbformat)

Every kernel runs this environment's Python (see ``kit.kernels``), starts in the notebook's
folder so relative paths work, and gets extra environment variables (the handout build sets
``KIT_HANDOUT=1``).

``execute_all(jobs, ...)`` runs the jobs with up to ``parallel`` kernels at once. The first
failing cell stops the queue (running notebooks finish); its error names the notebook, the
cell number and the cell's first line, and carries the exception's last line, never a
raw traceback.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KitError
from ..kernels import kernel_manager, run_all
from ..notebook import first_line
from ..terminal import strip_escapes

#: What every kernel of the handout build gets in its environment: ``kit.render`` draws charts
#: as handout figures, and set and dict orders are the same in every run.
KERNEL_ENV = {"KIT_HANDOUT": "1", "PYTHONHASHSEED": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


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


def _reason(err: BaseException, cell=None) -> str:
    """The exception's type and message: from the cell's error output, else from the error itself."""
    for out in reversed((cell or {}).get("outputs", []) if cell is not None else []):
        if out.get("output_type") == "error" and out.get("ename") not in (None, "", "NoneType"):
            evalue = strip_escapes(str(out.get("evalue") or "")).strip()
            return f"{out['ename']}: {evalue}" if evalue else out["ename"]
    ename = getattr(err, "ename", None)
    if ename and ename != "NoneType":
        evalue = strip_escapes(str(getattr(err, "evalue", "") or "")).strip()
        return f"{ename}: {evalue}" if evalue else ename
    lines = [line.strip() for line in strip_escapes(str(err)).splitlines() if line.strip()]
    return lines[-1] if lines else type(err).__name__


async def _execute(job: Job, timeout: int) -> Outcome:
    import nbformat
    from nbclient import NotebookClient

    started = time.perf_counter()
    try:
        nb = nbformat.read(job.path, as_version=4)
    except Exception as err:  # noqa: BLE001 - any unreadable notebook gets the same message
        error = NotebookError(job.label, None, "", f"not a readable notebook ({type(err).__name__}: {err})")
        return Outcome(job, error=error)
    km = kernel_manager()
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
    failed = []

    async def one(job):
        if failed:
            return Outcome(job, skipped=True)
        outcome = await _execute(job, timeout)
        if outcome.error:
            failed.append(job)
        if on_done:
            on_done(outcome)
        return outcome

    return run_all([lambda job=job: one(job) for job in jobs], parallel)
