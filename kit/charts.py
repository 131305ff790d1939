"""The kit's charts: one Altair theme and a builder per kind of chart the lessons use.

Every builder takes plain DataFrames (as ``kit.load`` returns them) and gives back an
Altair chart that carries its provenance *inside* the Vega-Lite spec:

- a source line (publisher, dataset, "as of" date) drawn under the chart, so it survives
  SVG/PNG export and printing;
- a ``description`` drafted from the data (the text screen readers announce);
- both again in ``usermeta["kit"]`` for the handout renderer (``<figcaption>``, aria text).

    >>> import kit
    >>> from kit import charts
    >>> spending = kit.load("defence_spending")
    >>> base = spending[spending.edition == "NATO-2025-08"]
    >>> chart = charts.spending_over_time(base, kit.load("spending_targets"), countries=["POL", "DEU", "ESP"])
    >>> spec = chart.to_dict()
    >>> source = spec["usermeta"]["kit"]["source"]    # one part per dataset used; the NATO edition shown
    >>> source.startswith("Sources: NATO") and "Defence Expenditure of NATO Countries (2014-2025), 28 August 2025" in source
    True
    >>> spec["title"]["orient"]                      # drawn under the chart
    'bottom'
    >>> spec["description"].split(":")[0]
    'Line chart of defence expenditure as a share of GDP (NATO, edition NATO-2025-08), 2014-2025, for 3 countries'

A frame that lost its provenance (some pandas operations drop ``attrs``) is refused, not
charted without a source; pass it explicitly with ``provenance="defence_spending"`` (a
dataset name) or ``provenance=kit.provenance(name)``::

    >>> charts.ranking(base[base.year >= 2020], year=2024)   # doctest: +ELLIPSIS
    alt.VConcatChart(...)
    >>> bare = base.merge(kit.load("countries")[["iso3"]], on="iso3")   # merge drops attrs
    >>> charts.ranking(bare, year=2024)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kit.errors.KitError: ranking: the data has no provenance (df.attrs["provenance"] is missing)...

    >>> charts.ranking(bare, year=2024, provenance="defence_spending").to_dict()["usermeta"]["kit"]["source"][:12]
    'Source: NATO'

Charts are drawn as SVG (crisp in print), fit an A4 column (``MAX_WIDTH`` pixels wide) and
use the Okabe-Ito colour-blind-safe palette, with shape or dash as a second cue wherever
colour separates categories. Interactivity (year sliders, legend highlighting, brushing)
uses Vega-Lite parameters, which run in the browser with no Python kernel: they work in
JupyterLab and in the offline HTML handouts alike.

Importing this module registers and enables the ``kit`` theme and calls
:func:`kit.render.enable` to pick a renderer that works offline.
"""

from __future__ import annotations

import json
import math
import textwrap
from functools import lru_cache
from importlib import resources

import altair as alt
import pandas as pd

from . import render
from .errors import KitError
from .lesson import WEAK_MARK, count, listing, row_publishers, sentence, singular, student_text, tally  # noqa: F401 (re-exported)

__all__ = [
    "PALETTE", "SHAPES", "DASHES", "MAX_WIDTH", "WIDTH", "HEIGHT", "THEME",
    "finish", "spending_over_time", "ranking", "gap_to_target", "edition_comparison",
    "coalition_map", "timeline", "election_results", "final_results", "turnout_home_abroad", "vote_home_abroad",
    "series_comparison", "membership_overlap", "gaps", "shortfall", "headline", "busiest_years", "source_line",
    "target_lines", "iso_numeric", "europe_topology",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision
# deficiencies. Yellow (#F0E442) comes last: it is faint on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]
# the second cue: a point shape and a line dash per category, in the same order as the colours
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 4, 1, 4], [1, 3], [10, 2, 2, 2, 2, 2]]
GREY, INK, MUTED = "#BBBBBB", "#222222", "#555555"
FONT = "Helvetica Neue, Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif"
MAX_WIDTH = 640   # pixels: an A4 page with 2 cm margins at 96 dpi is about 643 px wide
WIDTH, HEIGHT = 440, 260
THEME = "kit"
SOURCE_CHARS = 100   # the source line wraps at this many characters


@alt.theme.register(THEME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "padding": 8,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "range": {"category": PALETTE},
            "title": {"fontSize": 15, "fontWeight": "bold", "anchor": "start", "color": INK,
                      "subtitleFontSize": 12, "subtitleColor": MUTED, "offset": 10},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
                     "labelColor": INK, "titleColor": INK, "gridColor": "#E6E6E6", "domainColor": "#888888",
                     "tickColor": "#888888", "labelLimit": 180},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
                       "labelColor": INK, "titleColor": INK, "symbolStrokeWidth": 2, "labelLimit": 220},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "text": {"fontSize": 11, "color": INK},
            "line": {"strokeWidth": 2.2},
            "point": {"size": 55, "filled": True},
            "bar": {"color": PALETTE[0]},
            "geoshape": {"stroke": "white", "strokeWidth": 0.5},
        }
    }


render.enable()


# --- provenance and finishing ---------------------------------------------------------

def _provenance(df: pd.DataFrame, given, builder: str) -> dict:
    """The provenance of ``df``: ``given`` (a dict or a dataset name) or ``df.attrs``."""
    if isinstance(given, str):
        from .data import provenance as lookup
        given = lookup(given)
    prov = given if given is not None else getattr(df, "attrs", {}).get("provenance")
    if not prov:
        raise KitError(
            f'{builder}: the data has no provenance (df.attrs["provenance"] is missing). Some pandas '
            "operations drop it; pass it explicitly, e.g. provenance=\"defence_spending\" or "
            "provenance=kit.provenance(\"defence_spending\").")
    missing = [k for k in ("title", "as_of") if not prov.get(k)]
    if missing or not (prov.get("publishers") or prov.get("publisher_summary")):
        raise KitError(f"{builder}: the provenance lacks {', '.join(missing) or 'publishers'}: a chart needs "
                       "a publisher and an 'as of' date to show its source.")
    return scoped(prov, df)


PUBLISHERS_SHOWN = 3   # a source line names this many publishers, then "and others"


def scoped(prov: dict, frame) -> dict:
    """``prov`` with the publishers of the rows in ``frame`` (when it has ``source_ids``), for a
    source line that names who published what the chart shows."""
    names = row_publishers(frame) if isinstance(frame, pd.DataFrame) else []
    return {**prov, "row_publishers": names} if names else prov


def _publishers(prov: dict) -> str:
    """The publishers a source line names: those of the rows shown, else the dataset's
    (both from each source's ``publisher``, the original publisher)."""
    names = list(prov.get("row_publishers") or prov.get("publishers") or [])
    if not names:
        return str(prov.get("publisher_summary") or "")
    shown = names[:PUBLISHERS_SHOWN]
    return "; ".join(shown) + ("; and others" if len(names) > len(shown) else "")


def source_line(*provenances: dict) -> str:
    """The text drawn under a chart: publisher, dataset and "as of" date of each dataset used.

    The publishers are the original ones (a source's ``publisher``), not the copy read:

    >>> import kit
    >>> line = source_line(kit.provenance("military_expenditure"))
    >>> p = kit.provenance("military_expenditure")
    >>> line.startswith("Source: ") and line.endswith(f"{p['title']}. Data as of {p['as_of']}.")
    True
    >>> source_line({"title": "T", "as_of": "2026-01-01", "publishers": ["A", "B", "C", "D"]})
    'Source: A; B; C; and others. T. Data as of 2026-01-01.'
    """
    parts = []
    for prov in provenances:
        parts.append(f"{_publishers(prov)}. {prov['title']}. Data as of {prov['as_of']}.")
    return "Source: " + " | ".join(parts) if len(parts) == 1 else "Sources: " + " | ".join(parts)


def finish(chart, provenance, description: str, *, data=None, builder: str = "chart"):
    """Attach the source line, the description and ``usermeta["kit"]`` to any Altair chart.

    ``provenance`` is one provenance dict, a dataset name, or a list of them. Use it for
    charts of your own, so they carry their sources like the kit's::

        >>> import altair as alt, kit, pandas as pd
        >>> df = kit.load("countries")
        >>> base = alt.Chart(df[["name", "nato_accession_year"]].dropna()).mark_tick().encode(x="nato_accession_year:O")
        >>> spec = finish(base, "countries", "Tick chart of NATO accession years.").to_dict()
        >>> spec["title"]["orient"], spec["usermeta"]["kit"]["description"]
        ('bottom', 'Tick chart of NATO accession years.')
        >>> finish(base, "countries", "  ")
        Traceback (most recent call last):
        ...
        kit.errors.KitError: chart: a chart needs a description (alt text for screen readers), drafted from its data.
    """
    if not description or not str(description).strip():
        raise KitError(f"{builder}: a chart needs a description (alt text for screen readers), drafted from its data.")
    provs = provenance if isinstance(provenance, (list, tuple)) else [provenance]
    if not provs:
        raise KitError(f"{builder}: a chart needs the provenance of its data to show its source.")
    provs = [_provenance(data if data is not None else pd.DataFrame(), p, builder) for p in provs]
    text = source_line(*provs)
    lines = textwrap.wrap(text, SOURCE_CHARS)
    wrapped = alt.vconcat(chart).properties(
        title=alt.TitleParams(text=lines, orient="bottom", anchor="start", fontSize=10.5, fontWeight="normal",
                              color=MUTED, offset=12, lineHeight=14),
        description=str(description).strip(),
        usermeta={"kit": {"source": text, "description": str(description).strip(),
                          "datasets": [p.get("name") for p in provs if p.get("name")]},
                  "embedOptions": {"renderer": "svg", "actions": {"export": True, "source": False,
                                                                  "compiled": False, "editor": False}}},
    )
    return wrapped


# --- helpers ---------------------------------------------------------------------------

def _require(df: pd.DataFrame, columns, builder: str):
    if not isinstance(df, pd.DataFrame):
        raise KitError(f"{builder}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KitError(f"{builder}: the data has no column {', '.join(map(repr, missing))} "
                       f"(it has: {', '.join(map(str, df.columns))})")


def _one_edition(df: pd.DataFrame, builder: str) -> str | None:
    if "edition" not in df.columns:
        return None
    editions = sorted(df["edition"].dropna().unique())
    if len(editions) > 1:
        raise KitError(f"{builder}: the data mixes {len(editions)} NATO editions ({', '.join(editions)}); NATO editions "
                       f"are never mixed in one series. Choose one, e.g. df[df.edition == {editions[0]!r}], "
                       "or compare them with charts.edition_comparison().")
    return editions[0] if editions else None


def _series_name(prov: dict, edition: str | None) -> str:
    name = prov.get("name")
    if name == "military_expenditure":
        return "military expenditure as a share of GDP (SIPRI)"
    if edition:
        return f"defence expenditure as a share of GDP (NATO, edition {edition})"
    return "defence expenditure as a share of GDP"


def _day(date) -> str:
    """``5 December 1994`` (no leading zero)."""
    return f"{date.day} {date:%B %Y}"


def _pct(value, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}%"


# Sentences drafted from data (complete and grammatical for zero, one, all, ties, unknowns) come
# from kit.lesson, shared with the lessons' prose.
_list = listing   # the name the builders use


def _extreme(rows: pd.DataFrame, col: str, which: str = "max", *, name=None, fmt=_pct,
             single: str = "{name} {value}", tie: str = "{value} ({n} countries tie: {names})") -> str:
    """The highest (``which="max"``) or lowest value of ``col``, naming *every* row that ties.

    A description that names one of several tied countries would pick it arbitrarily:

    >>> df = pd.DataFrame({"country": ["Spain", "Belgium", "Poland"], "v": [2.0, 2.0, 4.48]})
    >>> _extreme(df, "v", "min")
    '2.00% (2 countries tie: Belgium and Spain)'
    >>> _extreme(df, "v", "max")
    'Poland 4.48%'
    >>> _extreme(df, "v", "min", fmt=lambda v: f"{3.5 - v:.2f} percentage points below", single="{name}, {value}")
    '1.50 percentage points below (2 countries tie: Belgium and Spain)'
    >>> _extreme(df.iloc[:0], "v")        # nothing to compare
    'none'
    >>> _extreme(df.assign(v=None), "v")  # unknowns are not compared
    'none'
    """
    name = name or (lambda r: str(r["country"]))
    values = pd.to_numeric(rows[col], errors="coerce").astype(float).round(9)
    rows, values = rows[values.notna()], values[values.notna()]
    if values.empty:
        return "none"
    value = values.max() if which == "max" else values.min()
    tied = rows[values == value]
    names = [name(r) for _, r in tied.iterrows()]
    if len(names) == 1:
        return single.format(name=names[0], value=fmt(value))
    return tie.format(value=fmt(value), n=len(names), names=listing(sorted(names), 8))


VERIFIED = {True: "two transcriptions agree", False: "single source: no second transcription found"}
SINGLE_MARK = "*"   # after a value label: single source (``verified`` is false)
# WEAK_MARK (a dagger, from kit.lesson) after a label: weak source (``weak_source`` is true)
SOURCING = {True: "weak source: none of its sources was read in an official, wire or press copy; treat with caution",
            False: "read in an official, wire or press copy"}
SINGLE_NOTE = f"{SINGLE_MARK} single source: no second transcription found"
WEAK_NOTE = f"{WEAK_MARK} weak source: no official, wire or press copy read; treat with caution"


def _flag(value) -> bool:
    """True only for a true flag (unknown is not true)."""
    return bool(value) if value is not None and not (not isinstance(value, str) and pd.isna(value)) else False


def _checks(values: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Add, row by row (``values`` and ``frame`` in the same order), what the data's flags say:

    - ``check`` (``verified`` in words) and ``*`` in ``mark`` for a single-source value;
    - ``sourcing`` (``weak_source`` in words) and a dagger in ``mark`` for a weak source.

    >>> f = pd.DataFrame({"verified": [True, False, None], "weak_source": [False, True, True]})
    >>> flags = _checks(pd.DataFrame(index=range(3)), f)
    >>> flags["mark"].tolist(), flags["check"].tolist()[:2]
    (['', '*\u2020', '\u2020'], ['two transcriptions agree', 'single source: no second transcription found'])
    """
    if "verified" not in frame.columns and "weak_source" not in frame.columns:
        return values
    marks = [""] * len(frame)
    if "verified" in frame.columns:
        flags = frame["verified"].tolist()
        values["check"] = [VERIFIED.get(bool(v)) if pd.notna(v) else None for v in flags]
        marks = [m + (SINGLE_MARK if (pd.notna(v) and not bool(v)) else "") for m, v in zip(marks, flags, strict=True)]
    if "weak_source" in frame.columns:
        weak = [_flag(v) for v in frame["weak_source"].tolist()]
        values["sourcing"] = [SOURCING[w] for w in weak]
        marks = [m + (WEAK_MARK if w else "") for m, w in zip(marks, weak, strict=True)]
    values["mark"] = marks
    return values


def _flag_tooltips(values: pd.DataFrame) -> list:
    """Tooltips for the flags ``_checks`` added."""
    tips = []
    if "check" in values.columns:
        tips.append(alt.Tooltip("check:N", title="transcription"))
    if "sourcing" in values.columns:
        tips.append(alt.Tooltip("sourcing:N", title="sources"))
    return tips


def _flag_notes(values: pd.DataFrame, hover: str = "hover for details") -> list[str]:
    """Subtitle lines explaining the marks a chart shows (only those it shows)."""
    if "mark" not in values.columns:
        return []
    marks = "".join(values["mark"].fillna(""))
    notes = []
    if SINGLE_MARK in marks:
        notes.append(f"{SINGLE_NOTE} ({hover}).")
    if WEAK_MARK in marks:
        notes.append(f"{WEAK_NOTE} ({hover}).")
    return notes


def _single_source(rows: pd.DataFrame, key: str = "country") -> list[str]:
    """Names in ``rows`` whose value rests on one source (``verified`` is false)."""
    if "verified" not in rows.columns:
        return []
    return sorted(rows.loc[rows["verified"].eq(False).fillna(False).astype(bool), key].astype(str))


def weak_rows(rows: pd.DataFrame, key: str = "country") -> list[str]:
    """Names (column ``key``) of the rows whose sources are weak (``weak_source`` is true), once each.

    >>> weak_rows(pd.DataFrame({"country": ["A", "B", "B"], "weak_source": [False, True, True]}))
    ['B']
    >>> weak_rows(pd.DataFrame({"country": ["A"]}))      # data without the flag
    []
    """
    if "weak_source" not in rows.columns or key not in rows.columns:
        return []
    flagged = rows[[_flag(v) for v in rows["weak_source"].tolist()]]
    return list(dict.fromkeys(flagged[key].astype(str)))


WEAK_LISTED = 6   # a description names up to this many weak-source rows, then counts them


def _weak_sentence(rows: pd.DataFrame, key: str = "country", what: str = "Weak sources", unit: str = "values") -> str:
    """`` Weak sources (...): A and B.`` for a description, or nothing. Past ``WEAK_LISTED`` names
    the rows are counted, not listed (the chart marks each one; a page explains the mark once):

    >>> df = pd.DataFrame({"country": list("abcdefgh"), "weak_source": [True] * 7 + [False]})
    >>> _weak_sentence(df.iloc[5:], what="Values from weak sources")
    ' Values from weak sources (no official, wire or press copy read; treat with caution): f and g.'
    >>> _weak_sentence(df, what="Values from weak sources")
    ' 7 of the 8 values shown are from weak sources (no official, wire or press copy read; each is marked \u2020).'
    """
    names = weak_rows(rows, key)
    if not names:
        return ""
    if len(names) <= WEAK_LISTED:
        return f" {what} (no official, wire or press copy read; treat with caution): {listing(names, WEAK_LISTED)}."
    n = sum(_flag(v) for v in rows["weak_source"].tolist())
    return " " + sentence(tally(n, len(rows), f"{unit} shown", "from weak sources", tense="present"))[:-1] + \
        f" (no official, wire or press copy read; each is marked {WEAK_MARK})."


def edition_provenance(prov: dict, editions) -> dict:
    """``prov`` narrowed to the NATO edition(s) a chart shows, for its source line.

    A chart of the August 2025 edition cites that edition, not the whole dataset's summary:

    >>> import kit
    >>> p = edition_provenance(kit.provenance("defence_spending"), ["NATO-2025-08"])
    >>> source_line(p).split(". ", 1)[1].split(". Data as of")[0]
    'Defence Expenditure of NATO Countries (2014-2025), 28 August 2025 (edition NATO-2025-08)'
    >>> "NATO" in source_line(p).split(". ")[0]     # the original publisher of that edition
    True
    >>> edition_provenance(kit.provenance("defence_spending"), ["NATO-AR-2024"])["title"]
    "The Secretary General's Annual Report 2024, publication date not recorded (edition NATO-AR-2024)"

    The publisher named is the original publisher of the editions shown (the ``publisher``
    of the ``nato_editions`` rows' sources), never the copy the kit read. Editions not in
    the ``nato_editions`` data leave ``prov`` as it is.
    """
    editions = [e for e in dict.fromkeys(editions or []) if e]
    if not editions:
        return prov
    try:
        from .data import load
        table = load("nato_editions").set_index("edition")
    except KitError:
        return prov
    if any(e not in table.index for e in editions):
        return prov
    parts = []
    for e in editions:
        row = table.loc[e]
        when = _day(row["published"]) if pd.notna(row["published"]) else "publication date not recorded"
        parts.append(f"{row['title']}, {when} (edition {e})")
    publishers = row_publishers(table.loc[editions].reset_index()) or ["NATO"]
    return {**prov, "row_publishers": publishers, "title": "; ".join(parts), "editions": editions}



def _series_provenance(spending: pd.DataFrame, provenance, builder: str) -> tuple[dict, str | None]:
    """Check a one-series spending frame; return its provenance (naming the NATO edition shown) and the edition."""
    _require(spending, ["country", "year", "share_gdp_pct"], builder)
    edition = _one_edition(spending, builder)
    return edition_provenance(_provenance(spending, provenance, builder), [edition]), edition

def _caveats(rows: pd.DataFrame, key: str = "competitor", column: str = "note") -> str:
    """The rows' notes, each sentence once: those of every row first, then those of some rows, named.

    >>> df = pd.DataFrame({"competitor": ["A", "B", "C"],
    ...                    "note": ["Turnout from one outlet.", "Turnout from one outlet. Share from one outlet.", None]})
    >>> _caveats(df)
    'A and B: Turnout from one outlet; B: Share from one outlet'
    >>> _caveats(df.assign(note="Turnout from one outlet."))     # shared by every row: said once, unnamed
    'Turnout from one outlet'

    Remarks on how the data file was kept (e.g. "Left empty.") do not reach students:

    >>> _caveats(pd.DataFrame({"competitor": ["A"], "note": ["Turnout from one outlet. Left empty."]}))
    'Turnout from one outlet'
    """
    import re

    split = {r[key]: [t.strip().rstrip(".") for t in re.split(r"(?<=\.)\s+(?=[A-Z])", student_text(r[column])) if t.strip()]
             for _, r in rows.iterrows() if student_text(r[column])}
    order = list(dict.fromkeys(t for texts in split.values() for t in texts))
    parts = []
    for text in order:
        who = [k for k, texts in split.items() if text in texts]
        parts.append(text if len(who) == len(rows) else f"{_list(who, 4)}: {text}")
    return "; ".join(parts)


def _plain(df: pd.DataFrame, columns) -> pd.DataFrame:
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


def _data(frame: pd.DataFrame) -> alt.InlineData:
    """The rows as plain JSON values: missing values become null (never NaN, which is not JSON)."""
    return alt.InlineData(values=[{k: _native(v) for k, v in row.items()} for row in frame.to_dict("records")])


def _countries(df: pd.DataFrame, countries, builder: str) -> pd.DataFrame:
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


# NATO spending targets drawn as reference lines, labelled from the spending_targets data.
TARGET_LINES = {
    "T2006_2PCT": "guideline {year_agreed}",
    "T2014_DIP_2PCT": "Wales {year_agreed}",
    "T2025_HAGUE_CORE_3_5PCT": "core, The Hague {year_agreed}, by {deadline_year}",
    "T2025_HAGUE_5PCT": "total, The Hague {year_agreed}, by {deadline_year}",
}


def target_lines(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per reference line (share of GDP and label), from the ``spending_targets`` data.

    >>> import kit
    >>> target_lines(kit.load("spending_targets")).to_dict("records")[0]
    {'share_gdp_pct': 2.0, 'label': '2%: guideline 2006; Wales 2014'}
    """
    _require(targets, ["target_id", "share_gdp_pct", "year_agreed", "deadline_year"], "target_lines")
    rows = targets[targets["target_id"].isin(TARGET_LINES) & targets["share_gdp_pct"].notna()]
    if rows.empty:
        raise KitError(f"target_lines: none of the targets {', '.join(TARGET_LINES)} has a share of GDP in the data")
    lines = []
    for share, group in rows.groupby("share_gdp_pct", sort=True):
        names = [TARGET_LINES[r.target_id].format(**{k: ("" if pd.isna(v) else v) for k, v in r._asdict().items()})
                 for r in group.sort_values("year_agreed").itertuples()]
        lines.append({"share_gdp_pct": float(share), "label": f"{share:g}%: " + "; ".join(names)})
    return pd.DataFrame(lines)


# --- spending over time ------------------------------------------------------------------

def spending_over_time(spending: pd.DataFrame, targets: pd.DataFrame | None = None, countries=None, *,
                       title: str | None = None, provenance=None, targets_provenance=None):
    """Lines of defence spending as a share of GDP, one per country, with NATO's target lines.

    ``spending`` is one series: one NATO edition of ``defence_spending``, or SIPRI's
    ``military_expenditure``. ``countries`` picks up to eight (ISO3 codes or names).
    Estimates are drawn as hollow points. Click a legend entry to highlight a country.
    """
    builder = "spending_over_time"
    prov, edition = _series_provenance(spending, provenance, builder)
    data = _countries(spending, countries, builder)
    data = data[data["share_gdp_pct"].notna()]
    names = list(dict.fromkeys(data.sort_values("country")["country"]))
    if not names:
        raise KitError(f"{builder}: no figures to draw (every share_gdp_pct is empty for these countries)")
    if len(names) > len(PALETTE):
        raise KitError(f"{builder}: {len(names)} countries is too many lines to read; pick up to {len(PALETTE)} with countries=[...]")
    estimate_col = "estimate" if "estimate" in data.columns else ("sipri_estimate" if "sipri_estimate" in data.columns else None)
    cols = ["country", "year", "share_gdp_pct"] + ([estimate_col] if estimate_col else [])
    values = _checks(_plain(data, cols), data)
    if estimate_col:
        values["figure"] = ["estimate" if e else "reported" for e in values[estimate_col]]
    else:
        values["figure"] = "reported"
    what = _series_name(prov, edition)

    pick = alt.selection_point(fields=["country"], bind="legend", name="country_pick")
    scale = alt.Scale(domain=names, range=PALETTE[:len(names)])
    color = alt.Color("country:N", scale=scale, title=None, legend=alt.Legend(orient="bottom", columns=4, symbolType="stroke"))
    dash = alt.StrokeDash("country:N", scale=alt.Scale(domain=names, range=DASHES[:len(names)]), title=None)
    shape = alt.Shape("country:N", scale=alt.Scale(domain=names, range=SHAPES[:len(names)]), title=None)
    y_max = float(data["share_gdp_pct"].max())
    provs = [prov]
    lines_df = None
    if targets is not None:
        provs.append(_provenance(targets, targets_provenance, builder))
        lines_df = target_lines(targets)
        y_max = max(y_max, float(lines_df["share_gdp_pct"].max()))
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1),
              scale=alt.Scale(domain=[int(data["year"].min()), int(data["year"].max())]))
    y = alt.Y("share_gdp_pct:Q", title="% of GDP", scale=alt.Scale(domain=[0, math.ceil(y_max * 2) / 2]))
    base = alt.Chart(_data(values)).encode(x=x, y=y)
    tooltip = [alt.Tooltip("country:N"), alt.Tooltip("year:Q", format="d"),
               alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f"), alt.Tooltip("figure:N")]
    tooltip += _flag_tooltips(values)
    lines = base.mark_line().encode(color=color, strokeDash=dash,
                                    opacity=alt.condition(pick, alt.value(1), alt.value(0.15))).add_params(pick)
    points = base.mark_point(size=45, strokeWidth=1.5).encode(
        color=color, shape=shape, tooltip=tooltip,
        fill=alt.condition("datum.figure == 'estimate'", alt.value("white"), color),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.15)))
    layers = [lines, points]
    if lines_df is not None:
        ref = alt.Chart(_data(lines_df)).encode(y="share_gdp_pct:Q")
        layers.insert(0, ref.mark_rule(color=MUTED, strokeDash=[3, 3], strokeWidth=1))
        layers.insert(1, ref.mark_text(align="left", dx=4, dy=-7, fontSize=10.5, color=MUTED).encode(
            x=alt.value(2), text="label:N"))
    flagged = weak_rows(data)
    subtitle = ["Hollow points: estimates. Click a name in the legend to highlight it." if estimate_col
                else "Click a name in the legend to highlight it."]
    if flagged:
        subtitle.append(f"{WEAK_NOTE} (hover a point; named in the description).")
    chart = alt.layer(*layers).properties(
        width=WIDTH, height=HEIGHT,
        title=alt.TitleParams(title or f"{what[0].upper()}{what[1:]}", subtitle=subtitle))

    y0, y1 = int(data["year"].min()), int(data["year"].max())
    when = dict(name=lambda r: f"{r['country']} in {int(r['year'])}", single="{name}: {value}",
                tie="{value} ({n} tie: {names})")
    desc = (f"Line chart of {what}, {y0}-{y1}, for {len(names)} countries: {_list(names, 8)}. "
            f"Highest: {_extreme(data, 'share_gdp_pct', 'max', **when)}; "
            f"lowest: {_extreme(data, 'share_gdp_pct', 'min', **when)}.")
    last = data[data["year"] == y1]
    if not last.empty:
        desc += f" In {y1}: " + "; ".join(f"{r.country} {_pct(r.share_gdp_pct)}" for r in last.sort_values("share_gdp_pct", ascending=False).itertuples()) + "."
    if lines_df is not None:
        desc += " Reference lines: " + "; ".join(lines_df["label"]) + "."
    desc += _weak_sentence(data, what="Values from weak sources")
    return finish(chart, provs, desc, builder=builder)


# --- ranking -----------------------------------------------------------------------------

def ranking(spending: pd.DataFrame, year: int | None = None, *, threshold: float | None = None,
            title: str | None = None, provenance=None):
    """Bars ranking the countries by share of GDP in one year, with a year slider.

    The slider is a Vega-Lite parameter: it works in the browser with no kernel.
    ``threshold`` (e.g. 2, from the ``spending_targets`` data) colours the bars at or
    above it differently and draws a line there. ``year`` is the first year shown
    (default: the latest).
    """
    builder = "ranking"
    prov, edition = _series_provenance(spending, provenance, builder)
    have = spending[spending["share_gdp_pct"].notna()]
    if have.empty:
        raise KitError(f"{builder}: no figures to rank (every share_gdp_pct is empty)")
    years = sorted(int(y) for y in have["year"].unique())
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise KitError(f"{builder}: no figures for {year}; the data has {years[0]}-{years[-1]}")
    values = _checks(_plain(have, ["country", "year", "share_gdp_pct"]), have)
    checked = "mark" in values.columns
    if checked:
        values["label"] = [f"{v:.2f}{m}" for v, m in zip(values["share_gdp_pct"], values["mark"], strict=True)]
    what = _series_name(prov, edition)
    slider = alt.param(name="year", value=year,
                       bind=alt.binding_range(min=years[0], max=years[-1], step=1, name="Year "))
    base = alt.Chart(_data(values)).transform_filter(alt.datum.year == slider)
    y = alt.Y("country:N", sort=alt.EncodingSortField("share_gdp_pct", op="max", order="descending"), title=None)
    x = alt.X("share_gdp_pct:Q", title="% of GDP", scale=alt.Scale(domain=[0, math.ceil(max(float(have["share_gdp_pct"].max()), threshold or 0))]))
    tooltip = [alt.Tooltip("country:N"), alt.Tooltip("year:Q", format="d"), alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f")]
    tooltip += _flag_tooltips(values)
    if threshold is not None:
        above, below = f"at or above {threshold:g}%", f"below {threshold:g}%"
        base = base.transform_calculate(status=f"datum.share_gdp_pct >= {float(threshold)} ? '{above}' : '{below}'")
        color = alt.Color("status:N", title=None, scale=alt.Scale(domain=[above, below], range=[PALETTE[0], PALETTE[1]]),
                          legend=alt.Legend(orient="bottom"))
        bars = base.mark_bar().encode(x=x, y=y, color=color, tooltip=tooltip + [alt.Tooltip("status:N")])
    else:
        bars = base.mark_bar().encode(x=x, y=y, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=3, fontSize=10.5).encode(
        x="share_gdp_pct:Q", y=y, text=alt.Text("label:N") if checked else alt.Text("share_gdp_pct:Q", format=".2f"))
    layers = [bars, labels]
    if threshold is not None:
        layers.append(alt.Chart(_data(pd.DataFrame({"t": [float(threshold)]}))).mark_rule(color=INK, strokeDash=[4, 3]).encode(x="t:Q"))
    chart = alt.layer(*layers).add_params(slider).properties(
        width=WIDTH, height=alt.Step(15),
        title=alt.TitleParams(title or "Ranking: " + what, subtitle=["Move the year slider below the chart to change the year."]
                              + _flag_notes(values, "hover a bar")))

    row = have[have["year"] == year].sort_values("share_gdp_pct", ascending=False)
    missing = spending[(spending["year"] == year) & spending["share_gdp_pct"].isna()]["country"].tolist()
    desc = (f"Bar chart ranking {len(row)} countries by {what}, one year at a time, with a slider for the years "
            f"{years[0]}-{years[-1]}. Shown first: {year}. Highest: {_extreme(row, 'share_gdp_pct', 'max')}; "
            f"lowest: {_extreme(row, 'share_gdp_pct', 'min')}.")
    if threshold is not None:
        desc += " " + sentence(f"in {year}, " + tally(int((row['share_gdp_pct'] >= threshold).sum()), len(row),
                                                    "countries with a figure", f"at or above {threshold:g}%"))
    single = _single_source(row)
    if single:
        desc += f" Single-source values in {year} (no second transcription found): {_list(single, 12)}."
    desc += _weak_sentence(row, what=f"Values from weak sources in {year}")
    if missing:
        desc += f" No figure for {year}: {_list(missing, 10)}."
    return finish(chart, prov, desc, builder=builder)


# --- gap to a target ------------------------------------------------------------------------

def gap_to_target(spending: pd.DataFrame, target: float, year: int, *, target_name: str | None = None,
                  title: str | None = None, provenance=None):
    """Diverging bars: each country's share of GDP minus ``target``, in percentage points.

    Returns a chart; the numbers are in :func:`gaps` (a DataFrame) for prose and tables.
    """
    builder = "gap_to_target"
    prov, edition = _series_provenance(spending, provenance, builder)
    table = gaps(spending, target, year)
    if table.empty:
        raise KitError(f"{builder}: no figures for {year}")
    values = _checks(_plain(table, ["country", "share_gdp_pct", "gap_pp", "status"]), table)
    checked = "mark" in values.columns
    values["label"] = [f"{g:+.2f}" for g in values["gap_pp"]]
    if checked:
        values["label"] = values["label"] + values["mark"]
    name = target_name or f"{target:g}% of GDP"
    above, below = f"at or above {target:g}%", f"below {target:g}%"
    color = alt.Color("status:N", title=None, scale=alt.Scale(domain=[above, below], range=[PALETTE[0], PALETTE[1]]),
                      legend=alt.Legend(orient="bottom"))
    y = alt.Y("country:N", sort=alt.EncodingSortField("gap_pp", op="max", order="descending"), title=None)
    base = alt.Chart(_data(values)).encode(y=y)
    bars = base.mark_bar().encode(
        x=alt.X("gap_pp:Q", title=f"percentage points above (+) or below (-) {name}"), color=color,
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f"),
                 alt.Tooltip("gap_pp:Q", title="gap (pp)", format="+.2f")]
        + _flag_tooltips(values))
    text = alt.Text("label:N")
    labels = alt.layer(
        base.transform_filter("datum.gap_pp >= 0").mark_text(align="left", dx=3, fontSize=10.5).encode(x="gap_pp:Q", text=text),
        # below the target: the label sits just right of the zero line, clear of the country names
        base.transform_filter("datum.gap_pp < 0").mark_text(align="left", dx=4, fontSize=10.5, color=MUTED).encode(
            x=alt.datum(0), text=text))
    zero = alt.Chart(_data(pd.DataFrame({"z": [0]}))).mark_rule(color=INK).encode(x="z:Q")
    what = _series_name(prov, edition)
    chart = alt.layer(bars, labels, zero).properties(
        width=WIDTH, height=alt.Step(15),
        title=alt.TitleParams(title or f"Gap to {name}, {year}", subtitle=[what[0].upper() + what[1:]]
                              + _flag_notes(values, "hover a bar")))
    desc = (f"Bar chart of the gap between {what} in {year} and {name}, for {len(table)} countries, in percentage points. "
            + gap_summary(table, target))
    single = _single_source(table)
    if single:
        desc += f" Single-source values (no second transcription found): {_list(single, 12)}."
    desc += _weak_sentence(table, what="Values from weak sources")
    return finish(chart, prov, desc, builder=builder)


def gap_summary(table: pd.DataFrame, target: float) -> str:
    """Who is at or above ``target`` and how far the others are, in words, one sign per number
    ("1.50 percentage points below", never "-1.50"), for :func:`gaps`' table.

    >>> t = pd.DataFrame({"country": ["Poland", "Spain", "Belgium"], "gap_pp": [0.98, -1.5, -1.5]})
    >>> gap_summary(t, 3.5)
    '1 at or above 3.5%: Poland (0.98 percentage points above). 2 below, furthest by 1.50 percentage points (2 countries tie: Belgium and Spain).'
    >>> gap_summary(t.iloc[1:], 3.5)
    'None at or above 3.5%. 2 below, furthest by 1.50 percentage points (2 countries tie: Belgium and Spain).'
    >>> gap_summary(t.iloc[:1], 3.5)
    '1 at or above 3.5%: Poland (0.98 percentage points above).'
    >>> gap_summary(t.iloc[:0], 3.5)
    'No figures.'
    """
    if table.empty:
        return "No figures."
    meets, short = table[table["gap_pp"] >= 0], table[table["gap_pp"] < 0]
    pp = lambda v: f"{abs(v):.2f} percentage points"  # noqa: E731
    if meets.empty:
        text = f"None at or above {target:g}%."
    else:
        lead = f"All {len(meets)}" if short.empty and len(meets) > 1 else f"{len(meets)}"
        if len(meets) <= 8:
            text = f"{lead} at or above {target:g}%: " + listing(
                [f"{r.country} ({pp(r.gap_pp)} above)" if r.gap_pp > 0 else f"{r.country} (exactly at it)" for r in meets.itertuples()], 8) + "."
        else:
            text = f"{lead} at or above {target:g}%; furthest above, by " + _extreme(
                meets, "gap_pp", "max", fmt=pp, single="{value}: {name}", tie="{value} ({n} countries tie: {names})") + "."
    if not short.empty:
        text += f" {len(short)} below, furthest by " + _extreme(
            short, "gap_pp", "min", fmt=pp, single="{value}: {name}", tie="{value} ({n} countries tie: {names})") + "."
    return text


def shortfall(table: pd.DataFrame, target: float, group: str = "Allies") -> str:
    """The median shortfall of those below ``target`` in :func:`gaps`' table, said plainly (one
    sign per number), or nothing when fewer than two are below.

    >>> t = pd.DataFrame({"country": list("abcd"), "gap_pp": [0.5, -0.2, -1.45, -2.0]})
    >>> shortfall(t, 3.5)
    'The median Ally below 3.5% (the middle one of 3) was 1.45 percentage points short.'
    >>> shortfall(t.iloc[:3], 3.5)
    'Among the 2 Allies below 3.5%, the median shortfall was 0.82 percentage points.'
    >>> shortfall(t.iloc[:2], 3.5)
    ''
    """
    short = table.loc[table["gap_pp"] < 0, "gap_pp"].abs()
    if len(short) < 2:
        return ""
    median = float(short.median())
    if len(short) % 2:
        return (f"The median {singular(group)} below {target:g}% (the middle one of {len(short)}) was "
                f"{median:.2f} percentage points short.")
    return f"Among the {len(short)} {group} below {target:g}%, the median shortfall was {median:.2f} percentage points."


def gaps(spending: pd.DataFrame, target: float, year: int) -> pd.DataFrame:
    """Each country's share of GDP in ``year`` minus ``target``, sorted, largest first.

    Countries with no figure for that year are left out (unknown stays unknown).

    >>> import kit
    >>> s = kit.load("defence_spending")
    >>> g = gaps(s[s.edition == "NATO-2025-08"], 2, 2014)
    >>> top = g.iloc[0]
    >>> print(top["country"], top["share_gdp_pct"], top["gap_pp"], top["status"])
    United States 3.71 1.71 at or above 2%
    """
    _require(spending, ["country", "year", "share_gdp_pct"], "gaps")
    _one_edition(spending, "gaps")
    rows = spending[(spending["year"] == year) & spending["share_gdp_pct"].notna()]
    out = rows[["country"] + (["iso3"] if "iso3" in rows.columns else []) + ["share_gdp_pct"]
               + [c for c in ("verified", "weak_source") if c in rows.columns]].copy()
    out["gap_pp"] = (out["share_gdp_pct"] - float(target)).round(2)
    out["status"] = [f"at or above {target:g}%" if g >= 0 else f"below {target:g}%" for g in out["gap_pp"]]
    return out.sort_values(["gap_pp", "country"], ascending=[False, True]).reset_index(drop=True)


# --- NATO editions compared -----------------------------------------------------------------

def edition_comparison(spending: pd.DataFrame, year: int, editions: pd.DataFrame | None = None, *,
                       title: str | None = None, provenance=None):
    """Dots: one country's figure for ``year`` in each NATO edition that gives one.

    Shows how NATO revised its estimates between publications. ``editions`` (the
    ``nato_editions`` data) orders the editions as that table lists them (by publication). Only countries with
    figures in at least two editions are drawn.
    """
    builder = "edition_comparison"
    _require(spending, ["country", "year", "share_gdp_pct", "edition"], builder)
    prov = _provenance(spending, provenance, builder)
    rows = spending[(spending["year"] == year) & spending["share_gdp_pct"].notna()]
    counts = rows.groupby("country")["edition"].nunique()
    rows = rows[rows["country"].isin(counts[counts >= 2].index)]
    if rows.empty:
        raise KitError(f"{builder}: no country has figures for {year} in two or more editions")
    order = list(dict.fromkeys(rows.sort_values("edition")["edition"]))
    if editions is not None:
        _require(editions, ["edition", "published"], builder)
        listed = list(editions["edition"])   # the editions table lists them in order of publication
        order = [e for e in listed if e in set(order)] + [e for e in order if e not in set(listed)]
    if len(order) > len(PALETTE):
        raise KitError(f"{builder}: too many editions to tell apart ({len(order)})")
    prov = edition_provenance(prov, order)
    span = rows.groupby("country")["share_gdp_pct"].agg(["min", "max"]).reset_index()
    span["revision_pp"] = (span["max"] - span["min"]).round(2)
    rows = rows.merge(span[["country", "max"]], on="country")
    values = _checks(_plain(rows, ["country", "edition", "share_gdp_pct", "max"]), rows)
    color = alt.Color("edition:N", scale=alt.Scale(domain=order, range=PALETTE[:len(order)]), title="Edition",
                      legend=alt.Legend(orient="bottom", columns=3))
    shape = alt.Shape("edition:N", scale=alt.Scale(domain=order, range=SHAPES[:len(order)]), title="Edition")
    pick = alt.selection_point(fields=["edition"], bind="legend", name="edition_pick")
    y = alt.Y("country:N", sort=alt.EncodingSortField("max", op="max", order="descending"), title=None)
    ranges = alt.Chart(_data(_plain(span, ["country", "min", "max", "revision_pp"]))).mark_rule(color=GREY, strokeWidth=2).encode(
        y=y,
        x=alt.X("min:Q", title=f"% of GDP, {year}"), x2="max:Q")
    dots = alt.Chart(_data(values)).mark_point(size=60, strokeWidth=1.5).encode(
        y=y, x="share_gdp_pct:Q", color=color, shape=shape,
        opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("edition:N"), alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f")]
        + _flag_tooltips(values),
    ).add_params(pick)
    flagged = weak_rows(rows.assign(country=rows["country"].astype(str) + " (" + rows["edition"].astype(str) + ")"))
    chart = alt.layer(ranges, dots).properties(
        width=WIDTH, height=alt.Step(15),
        title=alt.TitleParams(title or f"NATO's figures for {year}, edition by edition",
                              subtitle=["Grey bar: range between editions. Click an edition in the legend to highlight it."]
                              + ([f"{WEAK_NOTE} (hover a point)."] if flagged else [])))
    largest = _extreme(span, "revision_pp", "max", name=lambda r: f"{r['country']}, {_pct(r['min'])} to {_pct(r['max'])}",
                       fmt=lambda v: f"{v:.2f} percentage points", single="{name} ({value})")
    desc = (f"Dot chart comparing NATO's figures for {year} (defence expenditure, % of GDP) across {len(order)} editions "
            f"({_list(order, 8)}) for {len(span)} countries. Largest difference between editions: {largest}. "
            + sentence(tally(int((span['revision_pp'] == 0).sum()), len(span), "countries",
                             "given the same figure in every edition that gives one")))
    desc += _weak_sentence(rows.assign(country=rows["country"].astype(str) + " (" + rows["edition"].astype(str) + ")"), what="Values from weak sources")
    return finish(chart, prov, desc, builder=builder)


# --- the coalition on a map -------------------------------------------------------------------

@lru_cache(maxsize=1)
def europe_topology() -> dict:
    """The kit's map of Europe (TopoJSON, object ``countries``, ids are ISO 3166 numeric codes).

    >>> topo = europe_topology()
    >>> sorted(g["properties"]["name"] for g in topo["objects"]["countries"]["geometries"] if g.get("id") in {"470", "442"})
    ['Luxembourg', 'Malta']
    """
    return json.loads(resources.files("kit").joinpath("assets/europe.topo.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def iso_numeric() -> dict[str, str]:
    """ISO 3166 alpha-3 -> numeric code (the ids on the map), from ``kit/assets/iso3_numeric.json``.

    >>> iso_numeric()["MDA"]
    '498'
    """
    return json.loads(resources.files("kit").joinpath("assets/iso3_numeric.json").read_text(encoding="utf-8"))["codes"]


MAP_FRAME = [[-24, 36], [40, 36], [-10, 71], [32, 71], [12, 35.5]]   # lon, lat points the map must show
STANCES = {  # ground_troops_stance -> label on the map (order = legend order)
    "offered": "offered troops",
    "conditional": "troops: conditional",
    "ruled_out": "ruled out troops",
    "unknown": "troops: not reported",
    "not_applicable": "host nation (not applicable)",
}
OBSERVER = "observer"
# colour and shape per label, fixed (a stance absent from the data never shifts the others' colours)
STANCE_STYLE = {
    "offered troops": (PALETTE[0], "circle"),
    "troops: conditional": (PALETTE[5], "diamond"),
    "ruled out troops": (PALETTE[1], "cross"),
    "troops: not reported": (PALETTE[2], "square"),
    "host nation (not applicable)": (PALETTE[4], "triangle-down"),
    OBSERVER: (PALETTE[3], "triangle-up"),
}


def _stance(row) -> str:
    if getattr(row, "role", "participant") == "observer":
        return OBSERVER
    return STANCES.get(row.ground_troops_stance, str(row.ground_troops_stance))


def coalition_map(members: pd.DataFrame, *, title: str | None = None, provenance=None):
    """The coalition's members on a map of Europe, coloured by their stance on sending troops.

    A symbol (shape by stance) marks each member too, so the map reads without colour
    and small states stay visible. Members outside the map (e.g. Australia, Japan) are
    listed beside it. Click a stance in the legend to highlight it.
    """
    builder = "coalition_map"
    _require(members, ["country", "iso3", "ground_troops_stance"], builder)
    prov = _provenance(members, provenance, builder)
    codes = iso_numeric()
    unknown = sorted(set(members["iso3"]) - set(codes))
    if unknown:
        raise KitError(f"{builder}: no ISO numeric code for {', '.join(unknown)}: add it to kit/assets/iso3_numeric.json")
    topo = europe_topology()
    on_map = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    table = members.copy()
    table["id"] = table["iso3"].map(codes)
    table["stance"] = [_stance(r) for r in table.itertuples()]
    if "note" in table.columns:
        raw_notes = table["note"].copy()
        table["note"] = [student_text(n) or None for n in table["note"]]
    weak = weak_rows(table)
    table["label"] = [f"{c} {WEAK_MARK}" if c in weak else c for c in table["country"]]
    if weak:
        table["sourcing"] = [SOURCING[c in weak] for c in table["country"]]
    order = [s for s in list(STANCES.values()) + [OBSERVER] if s in set(table["stance"])]
    color_scale = alt.Scale(domain=order, range=[STANCE_STYLE[s][0] for s in order])
    shape_scale = alt.Scale(domain=order, range=[STANCE_STYLE[s][1] for s in order])
    pick = alt.selection_point(fields=["stance"], bind="legend", name="stance_pick")
    cols = ["country", "label", "iso3", "id", "stance"] + [c for c in ("first_reported", "nato_member", "eu_member", "note", "sourcing")
                                                          if c in table.columns]
    lookup_values = _plain(table, cols)
    inside = table[table["id"].isin(on_map)]
    outside = table[~table["id"].isin(on_map)].sort_values("country")

    geo = alt.Data(values=topo, format=alt.DataFormat(type="topojson", feature="countries"))
    # fitted to mainland Europe (west of Iceland to the Urals' foothills); shapes outside are clipped
    frame = {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": MAP_FRAME}}
    projection = dict(type="azimuthalEqualArea", rotate=[-12, -52, 0], fit=frame)
    background = alt.Chart(geo).mark_geoshape(fill="#EEEEEE", stroke="white", strokeWidth=0.5, clip=True).project(**projection)
    looked = alt.Chart(geo).transform_lookup(
        lookup="id", from_=alt.LookupData(_data(lookup_values), key="id",
                                          fields=[c for c in cols if c != "id"]),
    ).transform_filter("isValid(datum.stance)")
    tooltip = [alt.Tooltip("label:N", title="country"), alt.Tooltip("stance:N", title="stance")]
    if "note" in table.columns:
        tooltip.append(alt.Tooltip("note:N", title="caveat"))
    if "sourcing" in table.columns:
        tooltip.append(alt.Tooltip("sourcing:N", title="sources"))
    shapes = looked.mark_geoshape(stroke="white", strokeWidth=0.6, clip=True).encode(
        color=alt.Color("stance:N", scale=color_scale, title="Coalition member",
                        legend=alt.Legend(orient="bottom", columns=3, symbolType="circle")),
        opacity=alt.condition(pick, alt.value(0.85), alt.value(0.2)), tooltip=tooltip).add_params(pick).project(**projection)
    marks = looked.transform_calculate(
        centre="geoCentroid(null, datum)").transform_calculate(
        lon="datum.centre[0]", lat="datum.centre[1]").mark_point(clip=True, filled=True, size=38, stroke="white", strokeWidth=0.8).encode(
        longitude="lon:Q", latitude="lat:Q",
        shape=alt.Shape("stance:N", scale=shape_scale, title="Coalition member"),
        color=alt.Color("stance:N", scale=alt.Scale(domain=order, range=[INK] * len(order)), legend=None),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.2)), tooltip=tooltip).project(**projection)
    the_map = alt.layer(background, shapes, marks).properties(width=430, height=420)
    parts = [the_map]
    if not outside.empty:
        listed = _plain(outside.assign(rank=range(len(outside))), ["country", "label", "stance", "rank"]
                        + [c for c in ("note", "sourcing") if c in outside.columns])
        side = alt.Chart(_data(listed)).encode(y=alt.Y("rank:O", axis=None))
        side = alt.layer(
            side.mark_point(filled=True, size=60).encode(
                x=alt.value(8), shape=alt.Shape("stance:N", scale=shape_scale, legend=None),
                color=alt.Color("stance:N", scale=color_scale, legend=None),
                opacity=alt.condition(pick, alt.value(1), alt.value(0.2))),
            side.mark_text(align="left", dx=18, fontSize=11.5).encode(
                x=alt.value(0), text="label:N", tooltip=tooltip),
            side.mark_text(align="left", dx=18, dy=13, fontSize=10, color=MUTED).encode(x=alt.value(0), text="stance:N"),
        ).properties(width=130, height=alt.Step(34), title=alt.TitleParams("Outside the map", fontSize=12, fontWeight="normal"))
        parts.append(side)
    chart = alt.hconcat(*parts, spacing=10).resolve_scale(color="independent", shape="independent").properties(
        title=alt.TitleParams(title or "Coalition of the willing: who took part, and their stance on troops",
                              subtitle=["Coloured and marked: members. Click a stance in the legend to highlight it."]
                              + ([f"{WEAK_NOTE} (hover a country; named in the description)."] if weak else [])))

    counts = table["stance"].value_counts()
    desc = (f"Map of Europe showing the {len(table)} states reported as taking part in the coalition of the willing "
            f"(data as of {prov['as_of']}), coloured by their stance on sending ground troops: "
            + "; ".join(f"{s}: {int(counts[s])}" + (f" ({_list(sorted(table[table.stance == s]['country']), 8)})" if s != STANCES['unknown'] else "")
                        for s in order) + ".")
    if not outside.empty:
        desc += f" Outside Europe, listed beside the map: {_list(outside['country'], 10)}."
    desc += f" {len(inside)} members are on the map."
    if "note" in table.columns:
        about_stance = table["note"].notna() & ~raw_notes.fillna("").str.split().str[0].isin(
            [c for c in table.columns if c != "ground_troops_stance"])   # notes on another column (e.g. first_reported) are left out
        stated = table[table["ground_troops_stance"].isin(["offered", "conditional", "ruled_out"]) & about_stance]
        if not stated.empty:
            desc += " Caveats on stances: " + "; ".join(f"{r.country}: {str(r.note).rstrip('.')}" for r in stated.sort_values("country").itertuples()) + "."
    desc += _weak_sentence(table, what="Members whose row rests on weak sources", unit="members")
    return finish(chart, prov, desc, builder=builder)


# --- timeline ---------------------------------------------------------------------------------

def headline(text) -> str:
    """An event's headline: its text up to the first colon or semicolon outside brackets (the
    whole text when that would leave too little), for descriptions that name an event briefly.

    >>> headline("Paris summit (35 countries; US envoys attend) adopts the Paris Declaration: its text speaks of ...")
    'Paris summit (35 countries; US envoys attend) adopts the Paris Declaration'
    >>> headline("Starmer hosts Zelensky in London; the joint statement, as reported, calls for a ceasefire")
    'Starmer hosts Zelensky in London'
    >>> headline("EU: talks open")
    'EU: talks open'
    """
    text = str(text).strip()
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([" and 1 or (-1 if ch in ")]" else 0)
        if depth == 0 and ch in ":;" and i >= 15:
            return text[:i].strip()
    return text


def busiest_years(dates) -> str:
    """`` Busiest year: 2025 (20 events).`` for a description, or nothing when it would say
    nothing: every year has one event, or every year has as many as the others.

    >>> d = pd.to_datetime(pd.Series(["1994-12-05", "2025-01-01", "2025-02-01", "2026-01-01"]))
    >>> busiest_years(d)
    ' Busiest year: 2025 (2 events).'
    >>> busiest_years(pd.to_datetime(pd.Series(["1994-12-05", "2023-07-12", "2024-01-12", "2026-01-06"])))
    ''
    >>> busiest_years(pd.to_datetime(pd.Series(["2024-01-01", "2024-02-01", "2025-01-01", "2025-02-01"])))
    ''
    >>> busiest_years(pd.to_datetime(pd.Series(["2023-01-01", "2024-01-01", "2024-02-01", "2025-01-01", "2025-02-01"])))
    ' Busiest years: 2024 and 2025 (2 events each).'
    """
    per_year = pd.Series(pd.to_datetime(pd.Series(dates)).dropna().dt.year).value_counts()
    if per_year.empty or int(per_year.max()) <= 1 or per_year.nunique() == 1:
        return ""
    most = int(per_year.max())
    top = sorted(int(y) for y in per_year[per_year == most].index)
    if len(top) == 1:
        return f" Busiest year: {top[0]} ({count(most, 'events')})."
    return f" Busiest years: {listing(top, 8)} ({count(most, 'events')} each)."


def timeline(events: pd.DataFrame, *, category: str = "category", text: str = "event", title: str | None = None,
             provenance=None, brief: bool = False):
    """Events on a time axis, one row per category, with a brush to zoom.

    Drag across the narrow strip under the chart to zoom into a period; click a category
    in the legend to highlight it. Hover a point to read the event. With ``brief``, the
    description names its first and latest events by their :func:`headline` (for a page that
    prints the events' full text elsewhere).
    """
    builder = "timeline"
    _require(events, ["date", text, category], builder)
    prov = _provenance(events, provenance, builder)
    data = events[events["date"].notna()].sort_values("date")
    if data.empty:
        raise KitError(f"{builder}: no dated events")
    cats = list(dict.fromkeys(data[category].astype(str)))
    cats_sorted = sorted(cats)
    if len(cats) > len(PALETTE):
        raise KitError(f"{builder}: {len(cats)} categories is more than the palette can tell apart ({len(PALETTE)})")
    values = _plain(data, ["date", text, category] + (["actors"] if "actors" in data.columns else []))
    values = values.rename(columns={text: "event", category: "category"})
    values["when"] = [_day(d) for d in data["date"]]   # dates as text: no time-zone shift in the browser
    values = _checks(values, data)
    weak = "sourcing" in values.columns and (values["mark"] != "").any()
    brush = alt.selection_interval(encodings=["x"], name="period")
    pick = alt.selection_point(fields=["category"], bind="legend", name="category_pick")
    color = alt.Color("category:N", scale=alt.Scale(domain=cats_sorted, range=PALETTE[:len(cats)]), title=None,
                      legend=alt.Legend(orient="right"))
    shape = alt.Shape("category:N", scale=alt.Scale(domain=cats_sorted, range=SHAPES[:len(cats)]), title=None)
    tooltip = [alt.Tooltip("when:N", title="date"), alt.Tooltip("event:N"), alt.Tooltip("category:N")]
    if "actors" in values.columns:
        tooltip.append(alt.Tooltip("actors:N"))
    tooltip += _flag_tooltips(values)
    # an event whose sources are weak is drawn hollow (and says so in its tooltip)
    fill = alt.condition(f"datum.mark && indexof(datum.mark, '{WEAK_MARK}') >= 0", alt.value("white"), color) if weak else color
    detail = alt.Chart(_data(values)).mark_point(size=80, strokeWidth=1.5).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(type="utc", domain=brush)),
        y=alt.Y("category:N", title=None, sort=cats_sorted),
        color=color, fill=fill, shape=shape, tooltip=tooltip,
        opacity=alt.condition(pick, alt.value(0.9), alt.value(0.12)),
    ).add_params(pick).properties(width=WIDTH, height=alt.Step(34))
    overview = alt.Chart(_data(values)).mark_tick(thickness=2, size=14).encode(
        x=alt.X("date:T", title="Drag here to zoom into a period", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%Y")),
        color=alt.Color("category:N", scale=alt.Scale(domain=cats_sorted, range=PALETTE[:len(cats)]), legend=None),
    ).add_params(brush).properties(width=WIDTH, height=24)
    chart = alt.vconcat(detail, overview, spacing=6).properties(
        title=alt.TitleParams(title or prov["title"], subtitle=["Hover a point to read the event."]
                              + ([f"Hollow points: {WEAK_NOTE[2:]}."] if weak else [])))
    counts = data[category].astype(str).value_counts()
    first, last = data.iloc[0], data.iloc[-1]
    name = headline if brief else str
    span = f"from {_day(first['date'])} to {_day(last['date'])}" if len(data) > 1 else f"on {_day(first['date'])}"
    desc = (f"Timeline of {count(len(data), 'events')} {span}, in {count(len(cats), 'categories', one='category')} ("
            + ", ".join(f"{c}: {int(counts[c])}" for c in cats_sorted) + f"). First: {sentence(name(first[text]))}"
            + (f" Latest: {sentence(name(last[text]))}" if len(data) > 1 else ""))
    desc += busiest_years(data["date"])
    desc += _weak_sentence(data.assign(_label=[f"{_day(d)}: {str(t)[:60]}" for d, t in zip(data["date"], data[text], strict=True)]),
                           key="_label", what="Events from weak sources, drawn hollow", unit="events")
    return finish(chart, prov, desc, builder=builder)


# --- elections -----------------------------------------------------------------------------------

def _stage_label(row) -> str:
    """A count stage as a short label: its description and date (when the description lacks it)."""
    stage = str(row.get("count_stage") or "count stage not recorded")
    when = row.get("stage_date")
    if when is not None and pd.notna(when) and _day(when) not in stage and f"{when:%-d %b %Y}" not in stage:
        stage += f", {_day(when)}"
    return stage


def final_results(elections: pd.DataFrame) -> pd.DataFrame:
    """The final row set of each election (``final`` is true), or the rows as they are when the
    data has one row set per election (no ``final`` column).

    >>> import kit
    >>> e = kit.load("moldova_elections")
    >>> f = final_results(e)
    >>> int(f.groupby("election_id").result_id.nunique().max()) if "result_id" in f.columns else 1
    1
    """
    if "final" not in elections.columns:
        return elections
    return elections[elections["final"].fillna(False).astype(bool)]


def election_results(elections: pd.DataFrame, election_id: str, *, title: str | None = None, provenance=None,
                     share_label: str = "% of valid votes", stage: str | None = None):
    """Shares of the vote for one election (and seats, when the election allots them).

    The bars show one count stage: the final one (``final`` is true) unless ``stage`` names
    another ``result_id``. Every other published count of the same election is drawn as a
    black tick, so the figures can be compared: the first number on election night is not
    the final one. ``share_label`` names what the shares are of. The rows' ``note``
    (caveats) is in the tooltips and the description; weak sources are marked.

    Data with one row set per election and an ``alt_vote_pct`` column (older copies of the
    data) draws that column as the tick.
    """
    builder = "election_results"
    _require(elections, ["election_id", "election", "date", "competitor", "vote_pct"], builder)
    prov = _provenance(elections, provenance, builder)
    every = elections[(elections["election_id"] == election_id) & elections["competitor"].notna()]
    if every.empty:
        with_results = sorted(elections.loc[elections["competitor"].notna(), "election_id"].unique())
        what = "has no per-competitor results" if (elections["election_id"] == election_id).any() else "is not in the data"
        raise KitError(f"{builder}: {election_id!r} {what}; elections with results: {', '.join(with_results)}")
    staged = "result_id" in every.columns
    if staged:
        if stage is None:
            rows = final_results(every)
            if rows.empty:
                raise KitError(f"{builder}: {election_id!r} has no row set marked final; pick one with stage=...")
        else:
            rows = every[every["result_id"] == stage]
            if rows.empty:
                raise KitError(f"{builder}: {election_id!r} has no count stage {stage!r}; it has {', '.join(sorted(every['result_id'].unique()))}")
        others = every[every["result_id"] != rows["result_id"].iloc[0]]
        others = others[others["competitor"].isin(set(rows["competitor"])) & others["vote_pct"].notna()]
    else:
        rows, others = every, every.iloc[:0]
    rows = rows.sort_values("vote_pct", ascending=False)
    prov = scoped(prov, every)
    if "note" in rows.columns:
        rows = rows.assign(note=[student_text(n) or None for n in rows["note"]])
    first = rows.iloc[0]
    label = f"{first['election']}, {_day(first['date'])}"
    is_final = bool(first["final"]) if staged and "final" in rows.columns and pd.notna(first.get("final")) else None
    cols = ["competitor", "vote_pct"] + [c for c in ("votes", "seats", "alt_vote_pct", "count_stage", "alt_count_stage", "note")
                                         if c in rows.columns]
    values = _checks(_plain(rows, cols), rows)
    marks = list(values["mark"]) if "mark" in values.columns else [""] * len(values)
    values["label"] = [("" if v is None else f"{v:.2f}") + m for v, m in zip(values["vote_pct"], marks, strict=True)]
    y = alt.Y("competitor:N", sort=list(rows["competitor"]), title=None, axis=alt.Axis(labelLimit=200))
    base = alt.Chart(_data(values)).encode(y=y)
    tooltip = [alt.Tooltip("competitor:N"), alt.Tooltip("vote_pct:Q", title=share_label, format=".2f")]
    if "note" in values.columns and rows["note"].notna().any():
        tooltip.append(alt.Tooltip("note:N", title="caveat"))
    if "votes" in values.columns:
        tooltip.append(alt.Tooltip("votes:Q", title="votes", format=","))
    if "count_stage" in values.columns:
        tooltip.append(alt.Tooltip("count_stage:N", title="count"))
    has_alt = "alt_vote_pct" in rows.columns and rows["alt_vote_pct"].notna().any()
    if has_alt:
        tooltip += [alt.Tooltip("alt_vote_pct:Q", title="other count, %", format=".2f"), alt.Tooltip("alt_count_stage:N", title="other count")]
    tooltip += _flag_tooltips(values)
    ticks = None
    if not others.empty:
        ticks = others.assign(stage=[_stage_label(r) for _, r in others.iterrows()])
        ticks = _checks(_plain(ticks, ["competitor", "vote_pct", "stage"] + (["votes"] if "votes" in ticks.columns else [])), ticks)
    width = 270 if "seats" in rows.columns and rows["seats"].notna().any() else WIDTH
    x_max = float(max([rows["vote_pct"].max()] + ([rows["alt_vote_pct"].max()] if has_alt else [])
                      + ([others["vote_pct"].max()] if not others.empty else [])))
    bars = base.mark_bar(color=PALETTE[0]).encode(
        x=alt.X("vote_pct:Q", title=share_label, scale=alt.Scale(domain=[0, min(100, math.ceil(x_max / 10) * 10)])),
        tooltip=tooltip)
    labels = base.mark_text(align="left", dx=3, fontSize=10.5).encode(x="vote_pct:Q", text=alt.Text("label:N"))
    layers = [bars, labels]
    if has_alt:
        layers.append(base.transform_filter("isValid(datum.alt_vote_pct)").mark_tick(color=INK, thickness=2, size=16).encode(
            x="alt_vote_pct:Q", tooltip=tooltip))
    if ticks is not None:
        layers.append(alt.Chart(_data(ticks)).mark_tick(color=INK, thickness=2, size=16).encode(
            y=y, x="vote_pct:Q",
            tooltip=[alt.Tooltip("competitor:N"), alt.Tooltip("stage:N", title="count"),
                     alt.Tooltip("vote_pct:Q", title=share_label, format=".2f")]
            + ([alt.Tooltip("votes:Q", title="votes", format=",")] if "votes" in ticks.columns else []) + _flag_tooltips(ticks)))
    subtitle = []
    if "turnout_pct" in rows.columns and pd.notna(first.get("turnout_pct")):
        subtitle.append(f"Turnout {first['turnout_pct']:.2f}%.")
    if staged:
        subtitle.append(("Bars: the final count. " if is_final else "Bars: a count that is not the final one. ")
                        + ("Black ticks: the other published counts (hover for which)." if ticks is not None else ""))
    if has_alt:
        subtitle.append("Black tick: the share at another count stage (hover for which).")
    if "all_competitors_listed" in rows.columns and rows["all_competitors_listed"].eq(False).any():
        subtitle.append("Only the competitors listed in the sources for this count are shown.")
    subtitle += _flag_notes(values)
    votes = alt.layer(*layers).properties(width=width, height=alt.Step(22))
    parts = [votes]
    which = (f" ({'final count' if is_final else 'not the final count'}: {_stage_label(first)})" if staged else "")
    desc = (f"Bar chart of the results of the {label}{which}: " +
            "; ".join(f"{r.competitor} {_pct(r.vote_pct)}" for r in rows.itertuples() if pd.notna(r.vote_pct)) + ".")
    if "seats" in rows.columns and rows["seats"].notna().any():
        seated = rows[rows["seats"].notna()]
        total = int(seated["seats_total"].dropna().iloc[0]) if "seats_total" in seated.columns and seated["seats_total"].notna().any() else int(seated["seats"].sum())
        majority = total // 2 + 1
        seat_values = _plain(seated, ["competitor", "seats"])
        seat_base = alt.Chart(_data(seat_values)).encode(y=alt.Y("competitor:N", sort=list(rows["competitor"]), title=None, axis=None))
        seats = alt.layer(
            seat_base.mark_bar(color=PALETTE[2]).encode(x=alt.X("seats:Q", title=f"seats (of {total})", scale=alt.Scale(domain=[0, total])),
                                                        tooltip=[alt.Tooltip("competitor:N"), alt.Tooltip("seats:Q")]),
            seat_base.mark_text(align="left", dx=3, fontSize=10.5).encode(x="seats:Q", text="seats:Q"),
            alt.Chart(_data(pd.DataFrame({"m": [majority], "label": [f"majority: {majority}"]}))).mark_rule(color=INK, strokeDash=[4, 3]).encode(x="m:Q"),
        ).properties(width=130, height=alt.Step(22))
        parts.append(seats)
        desc += f" Seats (of {total}; majority {majority}): " + "; ".join(f"{r.competitor} {int(r.seats)}" for r in seated.itertuples()) + "."
    if has_alt:
        diff = rows[rows["alt_vote_pct"].notna()]
        desc += " Another count stage gives: " + "; ".join(f"{r.competitor} {_pct(r.alt_vote_pct)}" for r in diff.itertuples()) + "."
    if not others.empty:
        for _result_id, group in others.groupby("result_id", sort=False):
            desc += (f" Other count ({_stage_label(group.iloc[0])}): "
                     + "; ".join(f"{r.competitor} {_pct(r.vote_pct)}" for r in group.itertuples()) + ".")
    if subtitle and subtitle[0].startswith("Turnout"):
        desc += " " + subtitle[0]
    if "note" in rows.columns and rows["note"].notna().any():
        desc += " Caveats in the data: " + _caveats(rows) + "."
    desc += _weak_sentence(pd.concat([rows, others]) if not others.empty else rows, key="competitor", what="Figures from weak sources", unit="figures")
    chart = (alt.hconcat(*parts, spacing=14) if len(parts) > 1 else alt.vconcat(*parts)).properties(
        title=alt.TitleParams(title or label[0].upper() + label[1:], subtitle=subtitle or None))   # one line each
    return finish(chart, prov, desc, builder=builder)


def _abroad_totals(diaspora: pd.DataFrame) -> pd.DataFrame:
    rows = diaspora[(diaspora["country"] == "all abroad") & diaspora["voters_abroad"].notna()]
    return rows.drop_duplicates("election_id")


def turnout_home_abroad(elections: pd.DataFrame, diaspora: pd.DataFrame, *, title: str | None = None,
                        provenance=None, diaspora_provenance=None):
    """Stacked bars: voters at home and abroad, for each election with both figures.

    Voters at home = all voters minus voters abroad. A figure reported as a lower bound
    ("over ...") is marked as such.
    """
    builder = "turnout_home_abroad"
    _require(elections, ["election_id", "election", "date", "voters"], builder)
    _require(diaspora, ["election_id", "country", "voters_abroad"], builder)
    provs = [_provenance(elections, provenance, builder), _provenance(diaspora, diaspora_provenance, builder)]
    totals = elections[elections["voters"].notna()]
    if "final" in totals.columns:   # prefer the final count's number of voters, else the latest count's
        order = totals.assign(_final=totals["final"].fillna(False).astype(bool),
                              _when=totals["stage_date"] if "stage_date" in totals.columns else pd.NaT)
        totals = totals.loc[order.sort_values(["_final", "_when"], ascending=[False, False], kind="stable").index]
    totals = totals.drop_duplicates("election_id")
    totals = totals[["election_id", "election", "date", "voters"] + (["weak_source"] if "weak_source" in totals.columns else [])]
    abroad = _abroad_totals(diaspora)
    keep = ["election_id", "voters_abroad"] + [c for c in ("status", "weak_source") if c in abroad.columns]
    both = totals.merge(abroad[keep], on="election_id", how="inner", suffixes=("", "_abroad")).sort_values("date")
    if both.empty:
        raise KitError(f"{builder}: no election has both a total number of voters and a number of voters abroad")
    weak_cols = [c for c in ("weak_source", "weak_source_abroad") if c in both.columns]
    if weak_cols:   # a bar is flagged when either figure behind it rests on weak sources
        both["weak_source"] = [any(_flag(v) for v in vals) for vals in both[weak_cols].itertuples(index=False)]
    both["abroad_pct"] = (both["voters_abroad"] / both["voters"] * 100).round(1)
    both["lower_bound"] = both.get("status", pd.Series("", index=both.index)).fillna("").str.contains("lower bound")
    both["label"] = [f"{e} ({d:%b %Y})" for e, d in zip(both["election"], both["date"], strict=True)]
    long = []
    for r in both.itertuples():
        long.append({"label": r.label, "where": "at home", "voters": int(r.voters - r.voters_abroad), "order": 0,
                     "note": "all voters minus voters abroad"})
        long.append({"label": r.label, "where": "abroad", "voters": int(r.voters_abroad), "order": 1,
                     "note": ("lower bound (reported as 'over')" if r.lower_bound else "reported")})
    values = pd.DataFrame(long)
    domain = ["at home", "abroad"]
    y = alt.Y("label:N", sort=list(both["label"]), title=None, axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(_data(values)).mark_bar(stroke="white", strokeWidth=1).encode(
        y=y, x=alt.X("voters:Q", title="voters", stack="zero", axis=alt.Axis(format="~s")),
        color=alt.Color("where:N", scale=alt.Scale(domain=domain, range=[PALETTE[5], PALETTE[0]]), title=None,
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("label:N", title="election"), alt.Tooltip("where:N"), alt.Tooltip("voters:Q", format=","), alt.Tooltip("note:N")])
    shares = _checks(_plain(both, ["label", "voters", "abroad_pct", "lower_bound"]), both)
    marks = shares["mark"] if "mark" in shares.columns else [""] * len(shares)
    shares["text"] = [("at least " if lb else "") + f"{p:.1f}% abroad{m}" for p, lb, m in zip(shares["abroad_pct"], shares["lower_bound"], marks, strict=True)]
    text = alt.Chart(_data(shares)).mark_text(align="left", dx=4, fontSize=10.5).encode(
        y=y, x="voters:Q", text="text:N", tooltip=[alt.Tooltip("label:N", title="election")] + _flag_tooltips(shares))
    chart = alt.layer(bars, text).properties(
        width=330, height=alt.Step(26),
        title=alt.TitleParams(title or "Moldova: voters at home and abroad",
                              subtitle=["Share abroad = voters abroad / all voters, computed from the figures shown."]
                              + _flag_notes(shares, "hover the share")))
    desc = ("Stacked bar chart of voters at home and abroad in " + f"{len(both)} Moldovan votes: "
            + "; ".join(f"{r.label}: {int(r.voters):,} voters, {int(r.voters_abroad):,} abroad ("
                        + ("at least " if r.lower_bound else "") + f"{r.abroad_pct:.1f}%)" for r in both.itertuples()) + ".")
    desc += _weak_sentence(both, key="label", what="Figures from weak sources", unit="figures")
    return finish(chart, provs, desc, builder=builder)


def vote_home_abroad(elections: pd.DataFrame, diaspora: pd.DataFrame, *, title: str | None = None,
                     provenance=None, diaspora_provenance=None):
    """Dots: a competitor's share of the whole vote and of the vote abroad, election by election."""
    builder = "vote_home_abroad"
    _require(elections, ["election_id", "election", "date", "competitor", "vote_pct"], builder)
    _require(diaspora, ["election_id", "country", "competitor", "competitor_pct_abroad"], builder)
    provs = [_provenance(elections, provenance, builder), _provenance(diaspora, diaspora_provenance, builder)]
    abroad = diaspora[(diaspora["country"] == "all abroad") & diaspora["competitor_pct_abroad"].notna()]
    both = abroad[["election_id", "competitor", "competitor_pct_abroad"] + [c for c in ("status", "weak_source") if c in abroad.columns]].merge(
        final_results(elections)[["election_id", "election", "date", "competitor", "vote_pct"] + (["weak_source"] if "weak_source" in elections.columns else [])],
        on=["election_id", "competitor"], how="inner", suffixes=("_abroad", ""))
    if both.empty:
        raise KitError(f"{builder}: no competitor has both an overall share and a share abroad")
    if "status" in both.columns:
        both["status"] = [student_text(v) or None for v in both["status"]]
    weak_cols = [c for c in ("weak_source", "weak_source_abroad") if c in both.columns]
    if weak_cols:
        both["weak_source"] = [any(_flag(v) for v in vals) for vals in both[weak_cols].itertuples(index=False)]
    both = both.sort_values("date")
    both["label"] = [f"{c}|{e} ({d:%b %Y})" for c, e, d in zip(both["competitor"], both["election"], both["date"], strict=True)]
    long = pd.concat([
        both.assign(where="all votes", pct=both["vote_pct"]),
        both.assign(where="votes abroad", pct=both["competitor_pct_abroad"]),
    ])
    values = _checks(_plain(long, ["label", "competitor", "election", "where", "pct"] + (["status"] if "status" in long.columns else [])), long)
    y = alt.Y("label:N", sort=list(both["label"]), title=None, axis=alt.Axis(labelLimit=330, labelExpr="split(datum.label, '|')"))
    domain = ["all votes", "votes abroad"]
    rule = alt.Chart(_data(_plain(both, ["label", "vote_pct", "competitor_pct_abroad"]))).mark_rule(color=GREY, strokeWidth=2).encode(
        y=y, x="vote_pct:Q", x2="competitor_pct_abroad:Q")
    dots = alt.Chart(_data(values)).mark_point(size=90, filled=True).encode(
        y=y, x=alt.X("pct:Q", title="% of valid votes", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("where:N", scale=alt.Scale(domain=domain, range=[PALETTE[1], PALETTE[0]]), title=None, legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("where:N", scale=alt.Scale(domain=domain, range=["square", "circle"]), title=None),
        tooltip=[alt.Tooltip("competitor:N"), alt.Tooltip("election:N"), alt.Tooltip("where:N"), alt.Tooltip("pct:Q", format=".2f", title="%")]
        + ([alt.Tooltip("status:N", title="abroad figure")] if "status" in values.columns else []) + _flag_tooltips(values))
    half = alt.Chart(_data(pd.DataFrame({"h": [50]}))).mark_rule(color=MUTED, strokeDash=[3, 3]).encode(x="h:Q")
    flagged = weak_rows(both.assign(name=[f"{c}, {e}" for c, e in zip(both["competitor"], both["election"], strict=True)]), key="name")
    chart = alt.layer(half, rule, dots).properties(
        width=300, height=alt.Step(40),
        title=alt.TitleParams(title or "Moldova: share of all votes and of votes cast abroad",
                              subtitle=["Dashed line: half of the valid votes."]
                              + ([f"{WEAK_NOTE} (hover a dot)."] if flagged else [])))
    desc = ("Dot chart comparing, for each listed competitor, the share of all valid votes with the share of votes cast abroad: "
            + "; ".join(f"{r.competitor}, {r.election} ({r.date:%B %Y}): {_pct(r.vote_pct)} overall, {_pct(r.competitor_pct_abroad)} abroad"
                        + (f" (abroad figure: {r.status})" if isinstance(getattr(r, "status", None), str) and r.status else "")
                        for r in both.itertuples()) + ".")
    if flagged:
        desc += f" Figures from weak sources (no official, wire or press copy read; treat with caution): {listing(flagged, 10)}."
    return finish(chart, provs, desc, builder=builder)


# --- two series compared: NATO and SIPRI -------------------------------------------------------

def series_comparison(nato: pd.DataFrame, sipri: pd.DataFrame, year: int, *, title: str | None = None,
                      provenance=None, sipri_provenance=None):
    """Dots: NATO's and SIPRI's share of GDP for the same countries in ``year``.

    The two are separate series with different definitions: the chart puts them side
    by side (never into one line) so the difference shows.
    """
    builder = "series_comparison"
    for frame in (nato, sipri):
        _require(frame, ["country", "iso3", "year", "share_gdp_pct"], builder)
    provs = [_provenance(nato, provenance, builder), _provenance(sipri, sipri_provenance, builder)]
    edition = _one_edition(nato, builder)
    provs[0] = edition_provenance(provs[0], [edition])
    a = nato[(nato["year"] == year) & nato["share_gdp_pct"].notna()][["country", "iso3", "share_gdp_pct"]]
    b = sipri[(sipri["year"] == year) & sipri["share_gdp_pct"].notna()][["iso3", "share_gdp_pct"]]
    both = a.merge(b, on="iso3", suffixes=("_nato", "_sipri"))
    if both.empty:
        raise KitError(f"{builder}: no country has both a NATO and a SIPRI figure for {year}")
    both["diff_pp"] = (both["share_gdp_pct_sipri"] - both["share_gdp_pct_nato"]).round(2)
    both["top"] = both[["share_gdp_pct_nato", "share_gdp_pct_sipri"]].max(axis=1)
    nato_name = f"NATO ({edition})" if edition else "NATO"
    domain = [nato_name, "SIPRI"]
    long = pd.concat([both.assign(series=nato_name, pct=both["share_gdp_pct_nato"]),
                      both.assign(series="SIPRI", pct=both["share_gdp_pct_sipri"])])
    y = alt.Y("country:N", sort=alt.EncodingSortField("top", op="max", order="descending"), title=None)
    rule = alt.Chart(_data(_plain(both, ["country", "share_gdp_pct_nato", "share_gdp_pct_sipri", "top"]))).mark_rule(
        color=GREY, strokeWidth=2).encode(y=y, x="share_gdp_pct_nato:Q", x2="share_gdp_pct_sipri:Q")
    dots = alt.Chart(_data(_plain(long, ["country", "series", "pct", "diff_pp", "top"]))).mark_point(size=80, filled=True).encode(
        y=y, x=alt.X("pct:Q", title=f"% of GDP, {year}"),
        color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=[PALETTE[0], PALETTE[1]]), title=None,
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=domain, range=["circle", "square"]), title=None),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("series:N"), alt.Tooltip("pct:Q", format=".2f", title="% of GDP"),
                 alt.Tooltip("diff_pp:Q", format="+.2f", title="SIPRI minus NATO (pp)")])
    flagged = (weak_rows(nato[(nato["year"] == year) & nato["iso3"].isin(set(both["iso3"]))])
               + weak_rows(sipri[(sipri["year"] == year) & sipri["iso3"].isin(set(both["iso3"]))]))
    chart = alt.layer(rule, dots).properties(
        width=WIDTH, height=alt.Step(22),
        title=alt.TitleParams(title or f"NATO and SIPRI: two measures of the same spending, {year}",
                              subtitle=["Separate series with different definitions and GDP data: compare, never splice."]
                              + ([f"{WEAK_NOTE} (named in the description)."] if flagged else [])))
    both["abs_diff"] = both["diff_pp"].abs()
    big = _extreme(both, "abs_diff", "max", name=lambda r: f"{r['country']}, {r['diff_pp']:+.2f}",
                   fmt=lambda v: f"{v:.2f}", single="{name} percentage points",
                   tie="{n} countries tie at {value} percentage points: {names}")
    desc = (f"Dot chart comparing NATO's and SIPRI's figures for military spending as a share of GDP in {year}, for "
            f"{len(both)} countries: " + "; ".join(f"{r.country} {_pct(r.share_gdp_pct_nato)} (NATO) vs {_pct(r.share_gdp_pct_sipri)} (SIPRI)"
                                                  for r in both.sort_values("top", ascending=False).itertuples())
            + f". Largest difference: {big} (SIPRI minus NATO).")
    shown = set(both["iso3"])
    desc += _weak_sentence(nato[(nato["year"] == year) & nato["iso3"].isin(shown)], what="NATO values from weak sources", unit="NATO values")
    desc += _weak_sentence(sipri[(sipri["year"] == year) & sipri["iso3"].isin(shown)], what="SIPRI values from weak sources", unit="SIPRI values")
    return finish(chart, provs, desc, builder=builder)


# --- membership overlap -------------------------------------------------------------------------

OVERLAP_GROUPS = [  # (nato_member, eu_member) -> label, in display order
    ((True, True), "NATO and EU"),
    ((True, False), "NATO, not EU"),
    ((False, True), "EU, not NATO"),
    ((False, False), "neither NATO nor EU"),
]


def membership_overlap(members: pd.DataFrame, *, title: str | None = None, provenance=None):
    """Bars: how many coalition members are in NATO, the EU, both or neither (names on hover)."""
    builder = "membership_overlap"
    _require(members, ["country", "nato_member", "eu_member"], builder)
    prov = _provenance(members, provenance, builder)
    weak = set(weak_rows(members))
    name = lambda c: f"{c} {WEAK_MARK}" if c in weak else c  # noqa: E731
    rows = []
    for (nato, eu), label in OVERLAP_GROUPS:
        group = members[(members["nato_member"] == nato) & (members["eu_member"] == eu)].sort_values("country")
        rows.append({"group": label, "count": len(group), "countries": ", ".join(map(name, group["country"]))})
    unknown = members[members["nato_member"].isna() | members["eu_member"].isna()]
    if not unknown.empty:
        rows.append({"group": "membership not recorded", "count": len(unknown), "countries": ", ".join(map(name, unknown["country"]))})
    table = pd.DataFrame(rows)
    labels = list(table["group"])
    base = alt.Chart(_data(table)).encode(y=alt.Y("group:N", sort=labels, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("count:Q", title="coalition members", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("group:N", scale=alt.Scale(domain=labels, range=PALETTE[:len(labels)]), legend=None),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("count:Q"), alt.Tooltip("countries:N")])
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(x="count:Q", text="count:Q")
    chart = alt.layer(bars, text).properties(
        width=WIDTH - 120, height=alt.Step(30),
        title=alt.TitleParams(title or "Coalition members in NATO and the EU",
                              subtitle=["Membership as recorded in the data. Hover a bar for the names."]
                              + ([f"{WEAK_NOTE} (hover a bar)."] if weak else [])))
    desc = (f"Bar chart of the {count(len(members), 'coalition members')} by membership of NATO and the EU: "
            + "; ".join(f"{r['group']}: {r['count']}" + (f" ({r['countries']})" if 0 < r["count"] <= 8 else "") for r in rows) + ".")
    desc += _weak_sentence(members, what="Members whose row rests on weak sources", unit="members")
    return finish(chart, prov, desc, builder=builder)
