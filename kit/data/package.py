"""Read ``datapackage.json``: where the data lives and what each dataset declares.

The data folder is ``data/`` next to the ``kit`` package, or the folder named by the
environment variable ``KIT_DATA_DIR`` (for teachers who keep an updated copy)::

    >>> from kit.package import data_dir, metadata
    >>> data_dir().name
    'data'
    >>> metadata()["resources"][0]["name"]
    'countries'
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from .errors import KitError
from .files import ROOT

ENV_VAR = "KIT_DATA_DIR"
DEFAULT_DATA_DIR = ROOT / "data"


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: ``path`` if given, else ``$KIT_DATA_DIR``, else the kit's ``data/``."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_DATA_DIR)
    if not (chosen / "datapackage.json").is_file():
        where = f" (from ${ENV_VAR})" if not path and os.environ.get(ENV_VAR) else ""
        raise KitError(f"No datapackage.json in {chosen}{where}: point {ENV_VAR} at a folder that has one.")
    return chosen


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise KitError(f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None


def metadata(path: str | os.PathLike | None = None) -> dict:
    """The parsed ``datapackage.json`` (cached until the file changes)."""
    file = data_dir(path) / "datapackage.json"
    return _read(file, file.stat().st_mtime_ns)


def resources(path=None) -> dict[str, dict]:
    """Resource descriptors by name, in the order of ``datapackage.json``."""
    return {r["name"]: r for r in metadata(path)["resources"]}


def sources(path=None) -> dict[str, dict]:
    """The package's source catalogue by source id."""
    return {s["id"]: s for s in metadata(path).get("sources", [])}
