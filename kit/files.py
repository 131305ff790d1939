"""Where the project's files are, how messages show them, and writing them so that no reader ever
sees half of one.

``ROOT`` is the folder that holds ``kit/``, ``data/``, ``notebooks/`` and ``exercises/``
(the one place it is defined). A file is replaced by writing a temporary file next to it
and renaming that over it (``os.replace`` is atomic on one file system); a folder of
results (a release, a class's grades) is written in full next to the old one, then swapped
in::

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_text(folder / "page.html", "<p>new</p>")
    >>> (folder / "page.html").read_text(encoding="utf-8")
    '<p>new</p>'
    >>> with replace_folder(folder / "grades") as staging:
    ...     _ = (staging / "grades.csv").write_text("student,total\\n", encoding="utf-8")
    >>> sorted(p.name for p in (folder / "grades").iterdir())
    ['grades.csv']
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shown(path: Path) -> str:
    """``path`` as a message shows it: relative to the working folder when it is below it.

    >>> shown(Path.cwd() / "site" / "index.html")
    'site/index.html'
    """
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; when the block ends without error, it replaces ``path``.

    For writers that need a file name (Chromium printing a PDF); on an error the temporary
    file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: a reader sees the old file or the new one."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextmanager
def replace_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder next to ``target``; when the block ends without error, it takes ``target``'s place.

    On an error the new folder is removed and ``target`` keeps what it held. The swap is two
    renames on one file system, so ``target`` is never half written.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        yield staging
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
            os.rename(target, old / "previous")
        os.rename(staging, target)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
