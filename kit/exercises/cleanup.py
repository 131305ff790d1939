"""Temporary folders and child process groups that go away even when grading is stopped (SIGTERM, SIGINT, Ctrl-C).

    from kit.exercises import cleanup
    with cleanup.on_signals():                      # while grading runs
        with cleanup.temporary("kit-perturbed-") as folder:
            ...                                      # removed at the end, or when the run is stopped
        cleanup.track_group(pid); ...; cleanup.untrack_group(pid)   # killed if the run is stopped

On SIGTERM or SIGINT the tracked process groups are killed, the tracked folders removed, and
the signal then ends the process as it would have (``KeyboardInterrupt`` / exit status 143).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_FOLDERS: set = set()
_GROUPS: set = set()
_CGROUPS: set = set()
_LOCK = threading.Lock()


@contextmanager
def temporary(prefix: str) -> Iterator[Path]:
    """A fresh temporary folder, removed when the block ends or when grading is stopped."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    with _LOCK:
        _FOLDERS.add(folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with _LOCK:
            _FOLDERS.discard(folder)


def track_group(pgid: int):
    with _LOCK:
        _GROUPS.add(pgid)


def untrack_group(pgid: int):
    with _LOCK:
        _GROUPS.discard(pgid)


def track_cgroup(folder: Path, tracked: bool = True):
    """A sandbox's cgroup folder, removed (once empty) by :func:`clean_all`."""
    with _LOCK:
        (_CGROUPS.add if tracked else _CGROUPS.discard)(folder)


def kill_group(pgid: int):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def clean_all():
    """Kill every tracked process group and remove every tracked folder (now)."""
    import time

    with _LOCK:
        groups, folders, cgroups = list(_GROUPS), list(_FOLDERS), list(_CGROUPS)
        _GROUPS.clear()
        _FOLDERS.clear()
        _CGROUPS.clear()
    for pgid in groups:
        kill_group(pgid)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    for _ in range(20):                 # a cgroup can be removed once its killed processes are gone
        cgroups = [c for c in cgroups if c.exists() and not _rmdir(c)]
        if not cgroups:
            break
        time.sleep(0.1)


def _rmdir(folder: Path) -> bool:
    try:
        folder.rmdir()
        return True
    except OSError:
        return False


@contextmanager
def on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT clean up first, then stop the run (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        try:
            yield
        finally:
            clean_all()
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def handler(signum, frame):
        clean_all()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    for sig in previous:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        clean_all()
