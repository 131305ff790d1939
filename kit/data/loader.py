"""Load a dataset as a plain pandas DataFrame, typed by its schema and carrying its provenance.

    >>> from kit.data.loader import load
    >>> df = load("defence_spending")
    >>> {"as_of", "review_by", "review_policy", "sources"} <= set(df.attrs["provenance"])
    True

Types follow the Table Schema in ``datapackage.json``: dates become datetimes, integers
nullable integers (``Int64``), booleans nullable booleans, and a field whose schema sets
``categoriesOrdered`` becomes an ordered category. Data that fails its checks raises one
:class:`kit.errors.DataError` that lists each problem by file, row and column.

Each dataset is read and checked once per process while its files are unchanged: the
cache key holds the size and modification time of ``datapackage.json``, the dataset's file
and every file its checks read (foreign keys and cross-table rules, see
:func:`kit.data.package.referenced`).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..errors import DataError
from . import package
from .citation import cite, provenance
from .freshness import warn_if_overdue
from .table import FALSE, TRUE
from .validate import check_package

_BOOLEAN = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}


def _dtype_convert(series: pd.Series, field: dict) -> pd.Series:
    kind = field.get("type", "string")
    empty = series == ""
    if kind == "integer" or kind == "year":
        return pd.to_numeric(series.mask(empty), errors="raise").astype("Int64")
    if kind == "number":
        return pd.to_numeric(series.mask(empty), errors="raise").astype("float64")
    if kind == "boolean":
        return series.map(_BOOLEAN).astype("boolean")
    if kind == "date":
        return pd.to_datetime(series.mask(empty), format="%Y-%m-%d")
    enum = field.get("constraints", {}).get("enum")
    if enum and field.get("categoriesOrdered"):
        return pd.Categorical(series.mask(empty), categories=enum, ordered=True)
    return series.mask(empty)


@lru_cache(maxsize=64)
def _load(name: str, folder: str, stamp: tuple) -> pd.DataFrame:
    resource = package.resource(name, folder)
    problems = check_package(folder, names=[name])
    if problems:
        raise DataError(problems, header=f"Cannot load {name!r}: its data does not pass the checks")
    path = package.data_dir(folder) / resource["path"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for field in resource["schema"]["fields"]:
        frame[field["name"]] = _dtype_convert(frame[field["name"]], field)
    return frame


def _stamp(root, resource: dict) -> tuple:
    """Size and modification time of every file loading ``resource`` reads (its checks included)."""
    known = package.resources(root)
    files = [root / "datapackage.json", root / resource["path"]]
    files += [root / known[other]["path"] for other in package.referenced(resource) if other in known]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else (str(f), 0, 0) for f in files)


def load(name: str, folder=None) -> pd.DataFrame:
    """Load dataset ``name`` as a new DataFrame (yours to change) with ``attrs["provenance"]``.

    ``folder`` (or ``$KIT_DATA_DIR``) points at another data folder.
    """
    root = package.data_dir(folder)
    resource = package.resource(name, root)
    frame = _load(name, str(root), _stamp(root, resource)).copy()
    frame.attrs["provenance"] = provenance(name, root)
    warn_if_overdue(name, resource, str(root))
    return frame


def dataset_function(name: str):
    """``kit.data.<name>``: a function that loads one dataset, documented from its metadata.

    >>> targets = dataset_function("spending_targets")      # its docstring: title, description, columns, citation
    >>> targets.__name__
    'spending_targets'
    """
    resource = package.resource(name)

    def loader(folder=None) -> pd.DataFrame:
        return load(name, folder)

    loader.__name__ = loader.__qualname__ = name
    lines = [resource.get("title", name), "", resource.get("description", ""), "",
             f"As of {resource.get('as_of')}; review by {resource.get('review_by')}.", "", "Columns:"]
    for field in resource["schema"]["fields"]:
        lines.append(f"    {field['name']} ({field.get('type', 'string')}): {field.get('description', '')}")
    lines += ["", f"Cite as: {cite(name)}", "", "Usage::", "", "    >>> import kit", f"    >>> df = kit.data.{name}()"]
    loader.__doc__ = "\n".join(lines)
    return loader
