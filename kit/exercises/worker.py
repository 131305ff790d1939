"""Inside a grading sandbox: run one notebook's cells (once per data folder) and print a capped JSON result.

    echo '{"specs": {...}, "limits": {...}, "runs": [{"cells": [["cell 1", "x = 1", null]]}]}' \\
        | python -m kit.exercises.worker                 # -> {"runs": [{"observations": ..., "cells": [...]}]}

The grader (``kit.exercises.jail``) starts this module inside bubblewrap with a plan on
stdin: the question specs, the :class:`~kit.exercises.sandbox.Limits`, an optional notebook
copy to put in the working folder, and one or more *runs* (the same cells, each with its own
data folder: the datasets, then a perturbed copy). Each run gets a fresh working folder and
a fresh kernel (:func:`kit.exercises.sandbox.run_cells`, the kernel talks to this process over
the sandbox's own loopback); between runs every process the previous one left behind is
killed (in the sandbox's PID namespace, everything but this process and the namespace's init).

Nothing here is trusted by the grader: the student's code shares this sandbox and may forge
what this process prints, so the grader reads at most a few megabytes and validates every
field (``kit.exercises.untrusted``).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sys
from pathlib import Path

from .sandbox import Limits, Planned, run_cells

MAX_RESULT_BYTES = 8_000_000
WORKDIR = Path(os.environ.get("KIT_WORKDIR", "/tmp/work"))


def _in_jail() -> bool:
    """True in a bubblewrap PID namespace (read before any student code runs)."""
    try:
        return os.getpid() < 10 and Path("/proc/1/cmdline").read_bytes().split(b"\0")[0].endswith(b"bwrap")
    except OSError:
        return False


def _limit_self(limits: dict, jailed: bool):
    """Processes, open files and core dumps for this process and all it starts (the kernel adds memory,
    file size and CPU time of its own). The process limit counts per user namespace: only in a sandbox
    (outside one it would count every process of the teacher's account)."""
    for name, value in (("RLIMIT_CORE", 0), ("RLIMIT_NPROC", limits.get("processes") if jailed else None),
                        ("RLIMIT_NOFILE", limits.get("open_files"))):
        if value is None:
            continue
        soft, hard = resource.getrlimit(getattr(resource, name))
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (ValueError, OSError):
            pass


def _kill_leftovers():
    """Kill every process of the sandbox but its init and this one (what a run left behind)."""
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in (1, me):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                pass


def _fresh_workdir(notebook: dict | None):
    if WORKDIR.exists():
        shutil.rmtree(WORKDIR, ignore_errors=True)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    if notebook:
        (WORKDIR / Path(notebook["name"]).name).write_text(notebook["text"], encoding="utf-8")


def execute(plan: dict) -> dict:
    """Run the plan's runs one after the other; return {"runs": [...]} (plain JSON values only)."""
    from ..kernels import run_all

    jailed = _in_jail()
    Path(os.environ.get("HOME", str(WORKDIR))).mkdir(parents=True, exist_ok=True)
    limits = Limits(**{k: v for k, v in plan.get("limits", {}).items() if k in Limits.__dataclass_fields__})
    _limit_self(plan.get("limits", {}), jailed)
    out = []
    for number, spec in enumerate(plan["runs"]):
        if number and jailed:
            _kill_leftovers()
        _fresh_workdir(plan.get("notebook"))
        if spec.get("data_dir"):
            os.environ["KIT_DATA_DIR"] = spec["data_dir"]
        planned = [Planned(label, source, question) for label, source, question in spec["cells"]]
        report = run_all([lambda p=planned: run_cells(p, plan["specs"], WORKDIR, limits)], 1)[0]
        out.append({"observations": report.observations, "seconds": round(report.seconds, 3),
                    "problems": [str(p)[:500] for p in report.problems],
                    "cells": [{"status": c.status, "detail": c.detail[:300], "truncated": bool(c.truncated)}
                              for c in report.cells]})
    return {"runs": out}


def _heartbeat():
    """A byte on stderr every second: the grader stops a sandbox whose worker falls silent (a SIGSTOP)."""
    import threading
    import time

    def beat():
        while True:
            try:
                os.write(2, b".")
            except OSError:
                return
            time.sleep(1)

    threading.Thread(target=beat, daemon=True).start()


def _not_dumpable():
    """Close this process's /proc/<pid>/fd to the kernels it starts (prctl PR_SET_DUMPABLE 0, Linux): a
    notebook could otherwise write to the worker's stderr (faking the heartbeat) or its stdout."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def main() -> int:
    _not_dumpable()
    plan = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    sys.stdin.close()
    _heartbeat()
    # the grader reads a capped amount of stdout and validates it, so even a forged result could
    # only say what the student's own values could
    result = json.dumps(execute(plan), ensure_ascii=True)
    if len(result) > MAX_RESULT_BYTES:
        result = json.dumps({"error": "the result was larger than the grader accepts"})
    data = memoryview(result.encode("ascii"))
    while data:
        data = data[os.write(1, data):]
    return 0


if __name__ == "__main__":
    sys.exit(main())
