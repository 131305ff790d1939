"""Load the kit's datasets as plain pandas DataFrames, typed and with their provenance.

    >>> import kit
    >>> df = kit.load("defence_spending")
    >>> {"as_of", "review_by", "review_policy", "sources"} <= set(df.attrs["provenance"])
    True
    >>> kit.data.coalition_members().shape[1] > 5      # tab-completable: kit.data.<TAB>
    True
    >>> kit.load("defence_spend")
    Traceback (most recent call last):
    ...
    kit.errors.UnknownDatasetError: no dataset 'defence_spend'; did you mean 'defence_spending'? ...

Types follow the Table Schema in ``datapackage.json``: dates become datetimes, integers
nullable integers (``Int64``), booleans nullable booleans, and a field whose schema sets
``categoriesOrdered`` becomes an ordered category. Data that fails its checks raises one
:class:`kit.errors.DataError` that lists each problem by file, row and column.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pandas as pd

from . import package
from .errors import DataError, UnknownDatasetError
from .freshness import review_status, warn_if_overdue
from .validate import check_package

__all__ = ["load", "datasets", "cite", "provenance", "review_status"]


def _resource(name: str, folder=None) -> dict:
    resources = package.resources(folder)
    if name not in resources:
        close = difflib.get_close_matches(str(name), list(resources), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else "."
        raise UnknownDatasetError(f"no dataset {name!r}{hint} Available: {', '.join(resources)}")
    return resources[name]


def provenance(name: str, folder=None) -> dict:
    """Title, description, sources, licences, dates and notes of a dataset.

    >>> provenance("military_expenditure")["citation"]
    'SIPRI Military Expenditure Database 2025, https://www.sipri.org/databases/milex'
    """
    resource = _resource(name, folder)
    catalogue = package.sources(folder)
    sources = []
    for sid in resource.get("source_ids", []):
        entry = catalogue.get(sid, {"id": sid, "title": sid})
        shown = {k: entry[k] for k in ("id", "title", "publisher", "path", "published") if k in entry}
        if isinstance(entry.get("accessed_via"), dict):  # the copy the kit read, kept apart from the original
            shown["accessed_via"] = dict(entry["accessed_via"])
        sources.append(shown)
    publishers = list(dict.fromkeys(s.get("publisher", s["title"]) for s in sources))
    return {
        "name": name,
        "title": resource.get("title", name),
        "description": resource.get("description", ""),
        "as_of": resource.get("as_of"),
        "review_by": resource.get("review_by"),
        "review_policy": resource.get("review_policy"),
        "licenses": resource.get("licenses", []),
        "publishers": publishers,
        "sources": sources,
        "notes": resource.get("notes", []),
        "citation": cite(name, folder),
    }


def cite(name: str, folder=None) -> str:
    """The text to cite a dataset with.

    >>> cite("defence_spending").startswith("NATO, Defence Expenditure of NATO Countries")
    True
    """
    resource = _resource(name, folder)
    if resource.get("citation"):
        return resource["citation"]
    shown = "; ".join(publishers := _main_publishers(name, resource, folder))
    more = len({package.sources(folder).get(s, {}).get("publisher", s) for s in resource.get("source_ids", [])}) > len(publishers)
    return f"{resource.get('title', name)}. Compiled from: {shown}{'; and others' if more else ''}. Data as of {resource.get('as_of')}."


_TIER_RANK = {"official": 0, "wire": 1, "press": 2}


def _main_publishers(name: str, resource: dict, folder=None, limit: int = 6) -> list[str]:
    """The original publishers a dataset rests on most: those read in official copies first, then wire, then press,
    each by the number of rows citing them. Publishers known only from weak copies are left out of a citation."""
    import csv

    catalogue = package.sources(folder)
    uses: dict[str, int] = {}
    path = package.data_dir(folder) / resource["path"]
    if path.is_file():
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for sid in (row.get("source_ids") or "").split(";"):
                    uses[sid] = uses.get(sid, 0) + 1
    best: dict[str, tuple] = {}
    for sid in resource.get("source_ids", []):
        entry = catalogue.get(sid, {})
        tier = (entry.get("accessed_via") or {}).get("tier") if isinstance(entry.get("accessed_via"), dict) else None
        if tier not in _TIER_RANK:
            continue
        publisher = entry.get("publisher", sid)
        rank = (_TIER_RANK[tier], -uses.get(sid, 0))
        best[publisher] = min(best.get(publisher, rank), rank)
    return sorted(best, key=lambda p: best[p])[:limit]


def _dtype_convert(series: pd.Series, field: dict) -> pd.Series:
    kind = field.get("type", "string")
    empty = series == ""
    if kind == "integer" or kind == "year":
        return pd.to_numeric(series.mask(empty), errors="raise").astype("Int64")
    if kind == "number":
        return pd.to_numeric(series.mask(empty), errors="raise").astype("float64")
    if kind == "boolean":
        return series.map({"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}).astype("boolean")
    if kind == "date":
        return pd.to_datetime(series.mask(empty), format="%Y-%m-%d")
    enum = field.get("constraints", {}).get("enum")
    if enum and field.get("categoriesOrdered"):
        return pd.Categorical(series.mask(empty), categories=enum, ordered=True)
    return series.mask(empty)


@lru_cache(maxsize=64)
def _load(name: str, folder: str, stamp: tuple) -> pd.DataFrame:
    resource = _resource(name, folder)
    problems = check_package(folder, names=[name])
    if problems:
        raise DataError(problems, header=f"Cannot load {name!r}: its data does not pass the checks")
    path = package.data_dir(folder) / resource["path"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for field in resource["schema"]["fields"]:
        frame[field["name"]] = _dtype_convert(frame[field["name"]], field)
    return frame


def load(name: str, folder=None) -> pd.DataFrame:
    """Load dataset ``name`` as a new DataFrame (yours to change) with ``attrs["provenance"]``.

    ``folder`` (or ``$KIT_DATA_DIR``) points at another data folder.

    >>> targets = load("spending_targets")
    >>> float(targets.loc[targets.target_id == "T2025_HAGUE_5PCT", "share_gdp_pct"].iloc[0])
    5.0
    """
    root = package.data_dir(folder)
    resource = _resource(name, root)
    files = [root / "datapackage.json", root / resource["path"]]
    files += [root / package.resources(root)[fk["reference"]["resource"]]["path"]
              for fk in resource.get("schema", {}).get("foreignKeys", []) if fk["reference"]["resource"] in package.resources(root)]
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else (str(f), 0, 0) for f in files)
    frame = _load(name, str(root), stamp).copy()
    frame.attrs["provenance"] = provenance(name, root)
    warn_if_overdue(name, resource, str(root))
    return frame


def datasets(folder=None) -> pd.DataFrame:
    """One row per dataset: name, title, rows, rows flagged weak_source, as of, review by, review policy, publishers.

    >>> "moldova_elections" in set(datasets()["name"])
    True
    """
    import csv

    rows = []
    root = package.data_dir(folder)
    for name, resource in package.resources(root).items():
        with open(root / resource["path"], encoding="utf-8-sig", newline="") as f:
            records = [r for r in csv.DictReader(f) if any((v or "").strip() for v in r.values())]
        prov = provenance(name, root)
        rows.append({"name": name, "title": resource.get("title", ""), "rows": len(records),
                     "weak_source_rows": sum(r.get("weak_source") == "true" for r in records),
                     "as_of": prov["as_of"], "review_by": prov["review_by"], "review_policy": prov["review_policy"],
                     "publishers": resource.get("publisher_summary") or ", ".join(prov["publishers"][:4])})
    return pd.DataFrame(rows)


def _docstring(name: str) -> str:
    resource = _resource(name)
    lines = [resource.get("title", name), "", resource.get("description", ""), "",
             f"As of {resource.get('as_of')}; review by {resource.get('review_by')}.", "", "Columns:"]
    for field in resource["schema"]["fields"]:
        lines.append(f"    {field['name']} ({field.get('type', 'string')}): {field.get('description', '')}")
    lines += ["", f"Cite as: {cite(name)}", "", "Usage::", "", "    >>> import kit", f"    >>> df = kit.data.{name}()"]
    return "\n".join(lines)


def _loader(name: str):
    def loader(folder=None) -> pd.DataFrame:
        return load(name, folder)
    loader.__name__ = loader.__qualname__ = name
    loader.__doc__ = _docstring(name)
    return loader


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return _loader(name)
    except UnknownDatasetError as err:
        raise AttributeError(str(err)) from None


def __dir__():
    names = list(globals())
    try:
        names += list(package.resources())
    except Exception:  # a broken data folder must not break tab completion
        pass
    return sorted(set(names))
