"""The frames a builder draws: checked (columns, one NATO edition, chosen countries) and made plain JSON rows.

    >>> import pandas as pd
    >>> inline(plain(pd.DataFrame({"a": [1.5, None]}), ["a"])).values
    [{'a': 1.5}, {'a': None}]
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import KitError


def require(df: pd.DataFrame, columns, builder: str):
    """Refuse anything but a DataFrame with ``columns``, naming the columns it has."""
    if not isinstance(df, pd.DataFrame):
        raise KitError(f"{builder}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KitError(f"{builder}: the data has no column {', '.join(map(repr, missing))} "
                       f"(it has: {', '.join(map(str, df.columns))})")


def one_edition(df: pd.DataFrame, builder: str) -> str | None:
    """The one NATO edition in ``df`` (None without an ``edition`` column); several is an error."""
    if "edition" not in df.columns:
        return None
    editions = sorted(df["edition"].dropna().unique())
    if len(editions) > 1:
        raise KitError(f"{builder}: the data mixes {len(editions)} NATO editions ({', '.join(editions)}); NATO editions "
                       f"are never mixed in one series. Choose one, e.g. df[df.edition == {editions[0]!r}], "
                       "or compare them with charts.edition_comparison().")
    return editions[0] if editions else None


def plain(df: pd.DataFrame, columns) -> pd.DataFrame:
    """Only the columns a chart needs, with pandas' missing values as plain None (small specs)."""
    out = df[list(columns)].copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
    return out.astype(object).where(out.notna(), None)


def _native(value):
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def inline(frame: pd.DataFrame) -> alt.InlineData:
    """The rows as plain JSON values: missing values become null (never NaN, which is not JSON)."""
    return alt.InlineData(values=[{k: _native(v) for k, v in row.items()} for row in frame.to_dict("records")])


def pick_countries(df: pd.DataFrame, countries, builder: str) -> pd.DataFrame:
    """The rows of ``countries`` (ISO3 codes or names; None keeps every row); an unknown one is an error."""
    if countries is None:
        return df
    wanted = list(countries)
    by_code = df["iso3"].isin(wanted) if "iso3" in df.columns else False
    chosen = df[by_code | df["country"].isin(wanted)]
    known = set(chosen["country"]) | (set(chosen["iso3"]) if "iso3" in chosen.columns else set())
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise KitError(f"{builder}: no rows for {', '.join(map(repr, unknown))} (use ISO3 codes such as 'POL' or names as in the 'country' column)")
    return chosen
