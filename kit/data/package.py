"""Read ``datapackage.json``: where the data lives and what each dataset declares.

The data folder is the one named by the environment variable ``KIT_DATA_DIR`` (for teachers
who keep an updated copy), else ``data/`` in the clone, else the copy an installed wheel
carries in ``kit/_data`` (``setup.py`` copies ``data/`` there at build time)::

    >>> from kit.data.package import data_dir, metadata, resource
    >>> folder = data_dir()
    >>> names = [r["name"] for r in metadata(folder)["resources"]]
    >>> resource("defence_spend")
    Traceback (most recent call last):
    ...
    kit.errors.UnknownDatasetError: no dataset 'defence_spend'; did you mean 'defence_spending'? ...
"""

from __future__ import annotations

import difflib
import json
import os
from functools import lru_cache
from pathlib import Path

from ..errors import KitError, UnknownDatasetError
from ..files import ROOT

ENV_VAR = "KIT_DATA_DIR"
CLONE_DATA_DIR = ROOT / "data"
PACKAGED_DATA_DIR = ROOT / "kit" / "_data"   # in a wheel only: setup.py copies data/ there
DEFAULT_DATA_DIR = CLONE_DATA_DIR if (CLONE_DATA_DIR / "datapackage.json").is_file() else PACKAGED_DATA_DIR


def chosen_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder asked for (``path``, else ``$KIT_DATA_DIR``, else ``data/`` in the clone or
    ``kit/_data`` in a wheel), not yet checked."""
    return Path(path or os.environ.get(ENV_VAR) or DEFAULT_DATA_DIR)


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: :func:`chosen_dir`, which must hold a ``datapackage.json``."""
    chosen = chosen_dir(path)
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


def resource(name: str, path=None) -> dict:
    """One resource descriptor; an unknown name raises :class:`UnknownDatasetError` with the closest name."""
    known = resources(path)
    if name not in known:
        close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else "."
        raise UnknownDatasetError(f"no dataset {name!r}{hint} Available: {', '.join(known)}")
    return known[name]


def sources(path=None) -> dict[str, dict]:
    """The package's source catalogue by source id."""
    return {s["id"]: s for s in metadata(path).get("sources", [])}


def referenced(descriptor: dict) -> list[str]:
    """The other resources that checking this one reads: its foreign keys' targets and the
    resources its cross-table rules (``kit.checks``) name.

    >>> referenced({"name": "diaspora", "schema": {"foreignKeys": [{"fields": "iso3", "reference": {"resource": "countries", "fields": "iso3"}}]},
    ...             "kit": {"checks": [{"rule": "references", "column": "election_id", "resource": "elections", "target": "election_id"}]}})
    ['countries', 'elections']
    """
    names = [fk["reference"]["resource"] or descriptor["name"] for fk in descriptor.get("schema", {}).get("foreignKeys", [])]
    names += [rule["resource"] for rule in descriptor.get("kit", {}).get("checks", []) if "resource" in rule]
    return [n for n in dict.fromkeys(names) if n != descriptor["name"]]
