"""The kit's datasets: described in ``data/datapackage.json``, loaded as plain pandas DataFrames.

    >>> import kit
    >>> df = kit.load("defence_spending")                 # = kit.data.load
    >>> df.attrs["provenance"]["as_of"] is not None
    True
    >>> members = kit.data.coalition_members()          # tab-completable: kit.data.<TAB>
    >>> kit.load("defence_spend")
    Traceback (most recent call last):
    ...
    kit.errors.UnknownDatasetError: no dataset 'defence_spend'; did you mean 'defence_spending'? ...

``kit.data.load``, ``datasets``, ``cite``, ``provenance`` and ``review_status`` are the
public names; each dataset is also a function, ``kit.data.<name>()``. Names are imported
when first used, so ``python -m kit check-data`` never imports pandas.

The modules, each building on the ones before it:

- ``package``: read ``datapackage.json`` (where the data is, what each dataset declares);
- ``freshness``: each dataset's ``as_of`` and ``review_by`` against today;
- ``problems``, ``table``, ``keys``, ``rules``, ``curation``, ``schema_report``, ``validate``:
  the checks (``python -m kit check-data`` has frictionless check the Table Schema through
  ``schema_report``; ``kit.load`` keeps the kit's own ``table`` and ``keys``: see ``validate``);
- ``citation``: a dataset's provenance and how to cite it;
- ``loader``: load one dataset, typed and checked;
- ``catalog``: the table of all datasets (and the README's copy of it).
"""

from __future__ import annotations

import importlib
import pkgutil

from ..errors import UnknownDatasetError

# public name -> the module that defines it (imported on first use)
_PUBLIC = {"load": "loader", "datasets": "catalog", "cite": "citation", "provenance": "citation",
           "review_status": "freshness"}
__all__ = list(_PUBLIC)
_MODULES = {m.name for m in pkgutil.iter_modules(__path__)}  # never taken for dataset names


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    if name.startswith("__") or name in _MODULES:
        raise AttributeError(name)
    from .loader import dataset_function

    try:
        return dataset_function(name)
    except UnknownDatasetError as err:
        raise AttributeError(str(err)) from None


def __dir__():
    from . import package

    names = set(globals()) | set(_PUBLIC)
    try:
        names |= set(package.resources())
    except Exception:  # a broken data folder must not break tab completion
        pass
    return sorted(names)
