"""Fingerprints of the folders grading must not change (submissions, kit/, exercises/), taken before and after.

    before = snapshot({"submissions": Path("submitted"), "kit": ROOT / "kit"})
    ...                                                   # grade
    changed = differences(before, snapshot(...))         # ["kit: kit/checks.py was changed", ...]

A snapshot is the SHA-256 of every file under each folder (``__pycache__`` folders are left
out: Python writes them itself) and of the virtual environment's top-level ``site-packages``
files (``.pth`` files and ``sitecustomize`` run at every start of Python). Symbolic links are
recorded by their target and other special files (a FIFO named like a notebook) by their kind:
nothing but a regular file is ever opened.

What the snapshot leaves out, :func:`forged_bytecode` checks instead: a compiled module in a
``__pycache__`` folder that Python would load in place of its source but whose code differs from
that source (a backdoor planted by a notebook graded without the sandbox)::

    bad = forged_bytecode(ROOT / "kit")     # ["kit/exercises/__pycache__/verdicts.cpython-311.pyc", ...]
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import site
import stat
import sys
from pathlib import Path

MAX_FILES = 200_000


def _digest(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError as err:
        return f"unreadable:{type(err).__name__}"
    if stat.S_ISLNK(mode):
        return "link:" + os.readlink(path)
    if not stat.S_ISREG(mode):
        return f"special:{stat.S_IFMT(mode):o}"      # never opened: a FIFO would block the grader
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError as err:
        return f"unreadable:{type(err).__name__}"
    return h.hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of the files under ``folder`` (no ``__pycache__``)."""
    folder = Path(folder)
    found = {}
    if not folder.exists():
        return found
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames) + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            path = Path(dirpath) / name
            found[path.relative_to(folder).as_posix()] = _digest(path)
            if len(found) > MAX_FILES:
                return found
    return found


def site_packages() -> list[Path]:
    """The folders whose top-level files Python runs at start-up (``.pth``, ``sitecustomize``)."""
    folders = [Path(p) for p in site.getsitepackages() if Path(p).is_dir()] if hasattr(site, "getsitepackages") else []
    return folders or [Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]


def snapshot(folders: dict) -> dict[str, dict]:
    """{name: tree(folder)} for each folder, plus ``venv`` (the site-packages' top-level files)."""
    shot = {name: tree(folder) for name, folder in folders.items()}
    shot["venv"] = {f"{sp}/{p.name}": _digest(p) for sp in site_packages()
                    for p in sorted(Path(sp).iterdir()) if p.is_file() or p.is_symlink()}
    return shot


def differences(before: dict, after: dict, limit: int = 20) -> list[str]:
    """What changed between two snapshots, in words (added, removed or changed files)."""
    changes = []
    for name in before:
        old, new = before[name], after.get(name, {})
        for path in sorted(set(old) | set(new)):
            if path not in new:
                changes.append(f"{name}: {path} was removed")
            elif path not in old:
                changes.append(f"{name}: {path} was added")
            elif old[path] != new[path]:
                changes.append(f"{name}: {path} was changed")
    if len(changes) > limit:
        changes = changes[:limit] + [f"... and {len(changes) - limit} more"]
    return changes


def forged_bytecode(folder: Path) -> list[str]:
    """Compiled modules under ``folder`` that Python would load but that differ from their source.

    Python loads ``__pycache__/<name>.<tag>.pyc`` when its header records the source's time and
    size, without looking at the code; a notebook that could write there (graded with
    ``--no-sandbox``) could change the grader. Each such file of this Python's tag is compared,
    code object to code object, with its source compiled afresh.
    """
    tag = sys.implementation.cache_tag
    bad = []
    for pyc in sorted(Path(folder).rglob(f"__pycache__/*.{tag}.pyc")):
        source = pyc.parent.parent / (pyc.name[: -len(f".{tag}.pyc")] + ".py")
        try:
            data = pyc.read_bytes() if stat.S_ISREG(os.lstat(pyc).st_mode) else b""
            if not source.is_file():
                bad.append(f"{pyc} (no source beside it)")
                continue
            fresh = compile(importlib.util.decode_source(source.read_bytes()), str(source), "exec", dont_inherit=True)
            if len(data) < 16 or marshal.loads(data[16:]) != fresh:
                bad.append(str(pyc))
        except (OSError, ValueError, EOFError, TypeError, SyntaxError):
            bad.append(str(pyc))
    return bad
