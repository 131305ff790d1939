"""How recent each dataset is: its ``as_of`` and ``review_by`` dates against today.

Political facts change, so every dataset says when it was last checked (``as_of``) and
when it must be checked again (``review_by``). "Today" is the clock's date, or the ISO
date in ``$KIT_TODAY`` when it is set (tests and rebuilds of an old handout pin it)::

    >>> import os
    >>> pinned = os.environ.get("KIT_TODAY")   # put back at the end: a test suite may have pinned it
    >>> os.environ["KIT_TODAY"] = "2026-12-01"
    >>> today()
    datetime.date(2026, 12, 1)
    >>> status = review_status()
    >>> list(status.columns)
    ['name', 'title', 'as_of', 'review_by', 'review_policy', 'overdue', 'superseded_by']
    >>> late = overdue()                       # the names of the datasets due for review today
    >>> _ = os.environ.pop("KIT_TODAY") if pinned is None else os.environ.update(KIT_TODAY=pinned)

A dataset is also due at once, whatever its dates, when its metadata names a newer edition
the kit has not read yet (``superseded_by``). ``kit.load`` warns once per dataset when it
is overdue (a :class:`StaleDataWarning`; not while a handout is built, since the page carries the notice),
``python -m kit check-data`` lists the overdue datasets (``--strict`` makes that an
error), and every handout built from overdue data carries a dated notice at its top.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings

from ..errors import KitError
from . import package

TODAY_ENV = "KIT_TODAY"
HOW_TO_UPDATE = ("check the dataset's sources for newer figures, update its CSV and its as_of/review_by in datapackage.json "
                 "(and remove superseded_by once the newer edition is read in), then run `python -m kit check-data` on that "
                 "data folder (README: Updating the data)")


class StaleDataWarning(UserWarning):
    """A dataset is past its review date: its facts may have changed since it was checked."""


def today() -> dt.date:
    """Today's date, or ``$KIT_TODAY`` (YYYY-MM-DD) when it is set."""
    text = os.environ.get(TODAY_ENV, "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise KitError(f"${TODAY_ENV} is {text!r}: expected a date written YYYY-MM-DD (or unset it to use the clock)") from None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def is_overdue(resource: dict, on: dt.date | None = None) -> bool:
    """True when the resource's ``review_by`` date has passed (a dataset with none counts as overdue),
    or when its metadata names a newer edition the kit has not read yet (``superseded_by``).

    >>> is_overdue({"review_by": "2026-11-30"}, dt.date(2026, 12, 1)), is_overdue({"review_by": "2026-12-01"}, dt.date(2026, 12, 1))
    (True, False)
    >>> is_overdue({"review_by": "2027-01-31", "superseded_by": "SIPRI's 2026 release"}, dt.date(2026, 12, 1))
    True
    """
    if str(resource.get("superseded_by") or "").strip():
        return True
    review_by = _date(resource.get("review_by"))
    return review_by is None or review_by < (on or today())


def review_status(folder=None) -> pd.DataFrame:  # noqa: F821 - pandas is imported lazily
    """One row per dataset: name, title, as of, review by, review policy and whether it is overdue today."""
    import pandas as pd

    on = today()
    rows = [{"name": name, "title": r.get("title", name), "as_of": r.get("as_of"), "review_by": r.get("review_by"),
             "review_policy": r.get("review_policy"), "overdue": is_overdue(r, on), "superseded_by": r.get("superseded_by")}
            for name, r in package.resources(folder).items()]
    return pd.DataFrame(rows, columns=["name", "title", "as_of", "review_by", "review_policy", "overdue", "superseded_by"])


def overdue(folder=None) -> list[str]:
    """Names of the datasets past their review date today, in the package's order."""
    on = today()
    return [name for name, r in package.resources(folder).items() if is_overdue(r, on)]


def message(name: str, resource: dict) -> str:
    """The one-line warning for an overdue dataset."""
    if str(resource.get("superseded_by") or "").strip():
        return (f"dataset {name!r} (as of {resource.get('as_of') or 'an unknown date'}) has a newer edition the kit has not "
                f"read yet: {resource['superseded_by']}. To update it, {HOW_TO_UPDATE}.")
    return (f"dataset {name!r} was last checked on {resource.get('as_of') or 'an unknown date'} and was due for review "
            f"by {resource.get('review_by') or 'an unknown date'} (today is {today().isoformat()}): its facts may be out of date. "
            f"To update it, {HOW_TO_UPDATE}.")


_warned: set[tuple[str, str, str]] = set()


def warn_if_overdue(name: str, resource: dict, folder: str) -> None:
    """Warn once per dataset, folder and day when a loaded dataset is past its review date.

    Not while a handout is being built (``KIT_HANDOUT=1``): the page opens with a dated notice instead.
    """
    key = (folder, name, today().isoformat())
    if key in _warned or os.environ.get("KIT_HANDOUT") == "1" or not is_overdue(resource):
        return
    _warned.add(key)
    warnings.warn(message(name, resource), StaleDataWarning, stacklevel=3)
