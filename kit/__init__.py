"""A teaching kit on European security: sourced datasets, charts, lessons and exercises.

    >>> import kit
    >>> df = kit.load("defence_spending")        # a plain pandas DataFrame
    >>> sorted(df.attrs["provenance"])[:3]
    ['as_of', 'citation', 'description']

``kit.datasets()`` lists what there is, ``kit.cite(name)`` gives the citation, and
``kit.data.<TAB>`` completes the dataset names. These names are imported on first use, so
``import kit`` alone is cheap (the command line and the practice checks rely on it).

The package follows the kit's flow, one subpackage per step::

    data/ ──> kit.data ──> kit.charts, kit.lessons ──> notebooks/ ──> kit.site ──> site/
    exercises/ ──> kit.exercises (release, practice checks, grading) ──> release/, grades/
    kit.cli: the command line (python -m kit ...)

``kit.files`` (project root, atomic writes), ``kit.terminal`` (escape sequences) and
``kit.kernels`` (kernels of this Python) serve the steps; ``kit.errors`` holds the kit's errors.
"""

from __future__ import annotations

import importlib

from .errors import DataError, KitError

# The one place the version is typed: pyproject.toml reads it (``[tool.setuptools.dynamic]``).
__version__ = "0.1.0"

_FROM_DATA = ("load", "datasets", "cite", "provenance")
__all__ = [*_FROM_DATA, "data", "KitError", "DataError"]


def __getattr__(name: str):
    if name == "data":
        return importlib.import_module(f"{__name__}.data")
    if name in _FROM_DATA:
        return getattr(importlib.import_module(f"{__name__}.data"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
