"""What decides whether a lesson runs again: content hashes of its inputs, and the executed-notebook cache.

A notebook's *execution key* hashes what its outputs can depend on: the notebook, the other
files in its folder, the data folder (``$KIT_DATA_DIR`` if set), the kit code that runs in
a lesson's kernel, and the versions of the stack (``STACK``). A page's *key* adds what only
shapes the page (the site's code and templates, the list of pages, today's review notice);
each page records the key it was built from (``<meta name="kit-build">``), so a rebuild
with nothing changed only computes hashes.

Which kit files count is read from the code, not typed by hand: the closure of the imports
of the kit modules the lessons import (``kit.site.imports``). Editing the exercises, the
command line or the data checks re-executes no lesson; a template edit rewrites the pages
without running anything::

    >>> kernel = kit_files("kernel", sorted((ROOT / "notebooks").glob("*.ipynb")))
    >>> KIT_DIR / "charts" / "theme.py" in kernel, KIT_DIR / "exercises" / "grade.py" in kernel
    (True, False)
    >>> css = KIT_DIR / "site" / "templates" / "handout.css"
    >>> css in kernel, css in kit_files("page")
    (False, True)

``.kit-cache/executed/<name>-<key>.ipynb`` keeps each executed notebook (:class:`Executed`);
deleting ``.kit-cache/`` is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from importlib import metadata
from pathlib import Path

from ..files import ROOT, write_text
from .imports import KIT_DIR, lesson_imports, reach

DEFAULT_CACHE = ROOT / ".kit-cache"
CACHE_ENV = "KIT_CACHE_DIR"
# versions that change what a notebook outputs
STACK = ("altair", "vl-convert-python", "pandas", "numpy", "ipykernel", "ipywidgets", "nbconvert", "mistune", "pygments")
_META_KEY = re.compile(rb'<meta name="kit-build" content="([0-9a-f]+)">')


def chosen_cache(given: Path | None = None) -> Path:
    """The build cache folder: ``given``, else ``$KIT_CACHE_DIR``, else ``.kit-cache/`` in the project."""
    return Path(given or os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def hash_files(paths, base: Path | None = None) -> str:
    """One sha256 over the names (relative to ``base``) and contents of ``paths``."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(base).as_posix() if base else path.name
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def tree(folder: Path, skip=lambda p: False) -> list[Path]:
    """The files below ``folder``, without hidden ones and ``__pycache__``."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).parts
        if any(part.startswith(".") or part == "__pycache__" for part in rel):
            continue
        if path.is_file() and not skip(path):
            found.append(path)
    return found


def stack_versions() -> str:
    """Python's and the stack's versions, one per line (``-`` for a package that is not installed)."""
    versions = [f"python {sys.version_info.major}.{sys.version_info.minor}"]
    for name in STACK:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return "\n".join(versions)


def kit_files(part: str, notebooks=()) -> set[Path]:
    """The kit files that can change a lesson's outputs (``"kernel"``) or a page (``"page"``).

    ``"kernel"``: what the lessons' kernels can run, from the kit modules ``notebooks`` import
    (see ``kit.site.imports``), and the code that runs them (``kit.site.execute``).
    ``"page"``: what the build and its templates can run to write a page.
    """
    if part == "kernel":
        return reach(lesson_imports(notebooks), KIT_DIR) | reach(["kit.site.execute"], KIT_DIR, data=False, packages=False)
    if part == "page":
        return reach(["kit.site.build"], KIT_DIR)
    raise ValueError(f"no such part: {part!r}")


def kit_key(part: str, notebooks=()) -> str:
    """The hash of :func:`kit_files`."""
    return hash_files(kit_files(part, notebooks), KIT_DIR)


def inputs_key(data_dir: Path, folders) -> str:
    """Everything a notebook's outputs depend on besides itself: data, kit code, siblings, stack."""
    digest = hashlib.sha256()
    digest.update(hash_files(tree(data_dir), data_dir).encode())
    digest.update(kit_key("kernel", [nb for folder in sorted(folders) for nb in Path(folder).glob("*.ipynb")]).encode())
    for folder in sorted(folders):  # files a notebook may read or embed (the site's pages are not among them)
        siblings = tree(folder, skip=lambda p, folder=folder: p.suffix == ".ipynb" or (p.suffix == ".md" and p.parent == folder))
        digest.update(hash_files(siblings, folder).encode())
    digest.update(stack_versions().encode())
    return digest.hexdigest()


def recorded_key(page: Path) -> str | None:
    """The key a page was built from (its ``<meta name="kit-build">``), if any."""
    try:
        with open(page, "rb") as f:
            match = _META_KEY.search(f.read(2048))
    except OSError:
        return None
    return match.group(1).decode() if match else None


class Executed:
    """The executed notebooks under ``<cache>/executed/``, one per name, filed by execution key."""

    def __init__(self, cache: Path):
        self.folder = Path(cache) / "executed"

    def path(self, name: str, key: str) -> Path:
        return self.folder / f"{name}-{key[:24]}.ipynb"

    def get(self, name: str, key: str) -> dict | None:
        """The executed notebook for these inputs, or None."""
        path = self.path(name, key)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def put(self, name: str, key: str, nb) -> dict:
        """Keep an executed notebook (as plain JSON, replacing older ones of that name); return it."""
        plain = json.loads(json.dumps(nb))  # an nbformat NotebookNode as plain JSON data
        kept = self.path(name, key)
        write_text(kept, json.dumps(plain, sort_keys=True, indent=1, ensure_ascii=False) + "\n")
        for old in self.folder.glob(f"{name}-*.ipynb"):
            if old != kept:
                old.unlink(missing_ok=True)
        return plain
