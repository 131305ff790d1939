"""Which countries were NATO Allies in a given year, by their accession year in the ``countries`` data.

NATO's tables report some Allies for years before they joined (the August 2025 edition
gives Finland, Sweden, Montenegro and North Macedonia from 2014). To count "the Allies"
of a year, keep only the countries whose ``nato_accession_year`` is that year or earlier::

    >>> import pandas as pd
    >>> countries = pd.DataFrame({"iso3": ["FIN", "POL"], "nato_accession_year": [2023, 1999]})
    >>> of_year(2022, countries), of_year(2023, countries)
    (['POL'], ['FIN', 'POL'])

``only(spending)`` keeps the rows of a spending table whose country was an Ally in the
row's year (the table's provenance is kept), and ``not_yet(spending, year)`` names the
countries it leaves out for that year::

    >>> spending = pd.DataFrame({"iso3": ["FIN", "POL"], "country": ["Finland", "Poland"], "year": [2014, 2014]})
    >>> only(spending, countries).country.tolist(), not_yet(spending, 2014, countries)
    (['Poland'], ['Finland'])

Without ``countries``, the kit's ``countries`` dataset is read (``kit.load("countries")``).
"""

from __future__ import annotations

import pandas as pd

from ..errors import KitError


def _countries(countries: pd.DataFrame | None) -> pd.DataFrame:
    if countries is None:
        from .loader import load

        countries = load("countries")
    missing = [c for c in ("iso3", "nato_accession_year") if c not in countries.columns]
    if missing:
        raise KitError(f"allies: the countries table has no column {', '.join(missing)}")
    return countries


def of_year(year: int, countries: pd.DataFrame | None = None) -> list[str]:
    """ISO3 codes of the NATO Allies in ``year`` (joined that year or earlier), sorted."""
    table = _countries(countries)
    joined = table["nato_accession_year"]
    return sorted(table.loc[joined.notna() & (joined <= int(year)), "iso3"])


def only(spending: pd.DataFrame, countries: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of ``spending`` (columns ``iso3`` and ``year``) whose country was an Ally that year."""
    for col in ("iso3", "year"):
        if col not in spending.columns:
            raise KitError(f"allies.only: the data has no column {col!r}")
    joined = spending["iso3"].map(_countries(countries).set_index("iso3")["nato_accession_year"])
    keep = joined.notna() & (joined <= spending["year"])
    out = spending[keep.fillna(False).astype(bool)]
    out.attrs = dict(spending.attrs)
    return out


def not_yet(spending: pd.DataFrame, year: int, countries: pd.DataFrame | None = None) -> list[str]:
    """Countries with a row for ``year`` in ``spending`` that were not yet Allies then."""
    rows = spending[spending["year"] == int(year)]
    kept = set(only(rows, countries)["iso3"])
    return sorted(rows.loc[~rows["iso3"].isin(kept), "country"].unique())
