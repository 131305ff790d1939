"""A teaching kit on European security: sourced datasets, charts, lessons and exercises.

    >>> import kit
    >>> df = kit.load("defence_spending")        # a plain pandas DataFrame
    >>> sorted(df.attrs["provenance"])[:3]
    ['as_of', 'citation', 'description']

``kit.datasets()`` lists what there is, ``kit.cite(name)`` gives the citation, and
``kit.data.<TAB>`` completes the dataset names.
"""

from . import data
from .data import cite, datasets, load, provenance
from .errors import DataError, KitError

__all__ = ["load", "datasets", "cite", "provenance", "data", "KitError", "DataError"]
__version__ = "0.1.0"
