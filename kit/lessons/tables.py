"""Tables for students: readable headers, dates as prose, words in empty cells, weak sources marked.

:func:`table` styles a DataFrame for a lesson's output (a pandas ``Styler``); :func:`markdown_table`
writes the same rows as Markdown, for text that a widget or a handout shows::

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"date": pd.to_datetime(["2025-03-02"]), "share_gdp_pct": [2.5]})
    >>> table(rows).data.to_dict("records")
    [{'date': '2 March 2025', 'share of GDP (%)': '2.5'}]
"""

from __future__ import annotations

from ..wording import WEAK_MARK, day

HEADERS = {  # column -> header students read
    "share_gdp_pct": "share of GDP (%)", "core_share_gdp_pct": "core, share of GDP (%)",
    "year_agreed": "year agreed", "date_agreed": "date agreed", "agreed_by": "agreed by",
    "applies_to": "what it measures", "deadline_year": "deadline (year)", "price_basis": "price basis",
    "data_cutoff": "data cut-off", "ground_troops_stance": "stance on sending troops",
    "other_contributions": "other contributions", "reported_participants": "participants, as the sources report them",
    "first_reported": "first reported", "nato_member": "in NATO", "eu_member": "in the EU",
    "as_of": "as of", "review_by": "review by", "review_policy": "kind of review", "overdue": "past review date",
    "vote_pct": "share of valid votes (%)", "alt_vote_pct": "other count stage (%)", "count_stage": "count stage",
    "alt_count_stage": "other count stage", "turnout_pct": "turnout (%)", "seats_total": "seats in parliament",
    "voters_abroad": "voters abroad", "competitor_pct_abroad": "share abroad (%)", "iso3": "ISO code",
    "source_ids": "sources", "usd_current_millions": "US$ million (current)",
}

WEAK_CAPTION = (f"{WEAK_MARK} Weak source: none of the row's sources was read in an official, wire or press copy. "
                "Treat it with caution.")


def heading(column: str) -> str:
    """The header a table shows for a data column: words, not a raw column name.

    >>> heading("share_gdp_pct"), heading("year_agreed"), heading("title"), heading("some_new_column")
    ('share of GDP (%)', 'year agreed', 'title', 'some new column')
    """
    return HEADERS.get(column, str(column).replace("_", " "))


def _weak_flags(frame) -> list[bool]:
    """One flag a row: true where ``weak_source`` is true (an empty cell is not weak)."""
    import pandas as pd

    if "weak_source" not in frame.columns:
        return []
    return [bool(v) if not pd.isna(v) else False for v in frame["weak_source"].tolist()]


def table(frame, unknown="unknown", decimals: dict | None = None, headers: dict | None = None):
    """A table for students: no index, readable headers, dates as prose, and words (not NaN or
    NaT) in empty cells.

    ``unknown`` is the text of an empty cell, or a dict by column for columns where a value
    cannot exist (``{"share_gdp_pct": "not a share of GDP", "deadline": "not applicable"}``;
    other columns keep "unknown"). Numbers keep their digits (``2.5``, ``2035``);
    ``decimals={"column": 2}`` fixes a column's decimals; ``headers`` renames columns.
    A ``weak_source`` column becomes a mark on the row (a dagger after its first cell) and a
    caption that says what it means:

    >>> import pandas as pd
    >>> t = table(pd.DataFrame({"edition": ["a", "b"], "published": pd.to_datetime(["2024-06-17", None]),
    ...                         "share_gdp_pct": [3.5, None]}), unknown={"published": "not recorded", "share_gdp_pct": "not a share of GDP"})
    >>> t.data.to_dict("records")
    [{'edition': 'a', 'published': '17 June 2024', 'share of GDP (%)': '3.5'}, {'edition': 'b', 'published': 'not recorded', 'share of GDP (%)': 'not a share of GDP'}]
    >>> w = table(pd.DataFrame({"event": ["x", "y"], "weak_source": [False, True]}))
    >>> w.data["event"].tolist(), w.caption.startswith(WEAK_MARK + " Weak source")
    (['x', 'y \u2020'], True)
    >>> table(pd.DataFrame({"event": ["x"], "weak_source": [False]})).caption is None
    True
    """
    import pandas as pd

    decimals = decimals or {}
    headers = headers or {}
    default = unknown if isinstance(unknown, str) else "unknown"
    by_column = unknown if isinstance(unknown, dict) else {}
    weak = _weak_flags(frame) if "weak_source" in frame.columns else None
    frame = frame.drop(columns=["weak_source"], errors="ignore")
    out = pd.DataFrame(index=range(len(frame)))
    for col in frame.columns:
        series = frame[col].reset_index(drop=True)
        is_date = pd.api.types.is_datetime64_any_dtype(series)
        is_bool = pd.api.types.is_bool_dtype(series)
        is_float = pd.api.types.is_float_dtype(series)
        empty = by_column.get(col, default)

        def text(v, col=col, empty=empty, is_date=is_date, is_bool=is_bool, is_float=is_float):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                return empty
            if is_date:
                return day(v)
            if is_bool:
                return "yes" if v else "no"
            if is_float:
                return f"{v:.{decimals[col]}f}" if col in decimals else f"{v:g}"
            return str(v)
        out[headers.get(col, heading(col))] = [text(v) for v in series]
    if weak is not None and len(out.columns) and any(weak):
        first = out.columns[0]
        out[first] = [f"{v} {WEAK_MARK}" if w else v for v, w in zip(out[first], weak, strict=True)]
    styler = out.style.hide(axis="index")
    if weak is not None and any(weak):
        styler = styler.set_caption(WEAK_CAPTION)
    return styler



def markdown_table(frame) -> str:
    """A Markdown table (without the optional ``tabulate`` package): readable headers, dates as
    prose, a dagger on rows from weak sources and a line that says what it means.

    >>> import pandas as pd
    >>> print(markdown_table(pd.DataFrame({"date": pd.to_datetime(["2025-03-02"]), "event": ["x"], "weak_source": [True]})))
    | date | event |
    |---|---|
    | 2 March 2025 \u2020 | x |
    <BLANKLINE>
    \u2020 Weak source: none of the row's sources was read in an official, wire or press copy. Treat it with caution.
    """
    import pandas as pd

    weak = _weak_flags(frame)
    frame = frame.drop(columns=["weak_source"], errors="ignore")

    def cell(v):
        if isinstance(v, pd.Timestamp):
            return day(v)
        return "" if pd.isna(v) else str(v).replace("|", "\\|")
    lines = ["| " + " | ".join(heading(c) for c in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = [cell(v) for v in row]
        if weak and weak[i] and cells:
            cells[0] += f" {WEAK_MARK}"
        lines.append("| " + " | ".join(cells) + " |")
    if any(weak):
        lines += ["", WEAK_CAPTION]
    return "\n".join(lines)
