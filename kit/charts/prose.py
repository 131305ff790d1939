"""Words drafted from data for chart descriptions: shares, extremes with every tie, caveats, headlines.

Sentences that must read right for zero, one, some, all and unknowns (``listing``, ``count``,
``tally``, ``sentence``) and the lessons' text helpers come from :mod:`kit.lessons`, shared with
the lessons' prose; this module adds what the chart descriptions need, and the charts' on-screen
hints (how to hover, click, drag or slide), declared once so that a printed copy can drop them
(:func:`drop_hints`, used by the worksheets' static charts in :mod:`kit.site.worksheet`).
"""

from __future__ import annotations

import re

import pandas as pd

from ..data.attribution import row_publishers
from ..wording import WEAK_MARK, count, day, listing, sentence, singular, student_text, tally

__all__ = ["SLIDER_HINT", "SLIDER_CLAUSE", "PAPER_SLIDER_CLAUSE", "paper_description", "ZOOM_HINT", "EVENT_HINT", "WHICH_HINT", "LEGEND_HINT", "HINTS", "drop_hints", "paper_lines", "pct", "series_name", "extreme", "caveats", "headline", "busiest_years",
           "WEAK_MARK", "count", "day", "listing", "row_publishers", "sentence", "singular", "student_text", "tally"]

# How to use a chart on screen: right in a browser, wrong on paper. The charts draw these words;
# drop_hints takes them (and any sentence or bracketed clause starting with a HINT_VERBS word) out.
SLIDER_HINT = "Move the year slider below the chart to change the year."
ZOOM_HINT = "Drag here, or use the Zoom sliders below, to zoom into a period"
EVENT_HINT = "Hover a point to read the event."
WHICH_HINT = "(hover for which)"
LEGEND_HINT = "Click a {what} in the legend, or choose it in the menu below, to highlight it."
HINTS = (SLIDER_HINT, ZOOM_HINT, EVENT_HINT, WHICH_HINT, LEGEND_HINT)
# A chart description's slider clause, and its wording on paper (a static copy shows one year, no slider).
SLIDER_CLAUSE = "one year at a time, with a slider for the years {first}-{last}. Shown first: {year}."
PAPER_SLIDER_CLAUSE = "showing {year}."
HINT_VERBS = ("hover", "click", "drag", "move", "tap", "scroll", "zoom")

_VERBS = "|".join(HINT_VERBS)
_HINT_SENTENCE = re.compile(rf"(?:(?<=^)|(?<=[.!?]\s))(?:{_VERBS})\b[^.!?]*(?:[.!?]|$)\s*", re.I)
_BRACKET = re.compile(r"\s*\(([^()]*)\)")


def drop_hints(text: str) -> str:
    """``text`` without the on-screen hints it holds: for a chart's title lines on paper.

    >>> drop_hints("Bars: the final count. Black ticks: the other published counts " + WHICH_HINT + ".")
    'Bars: the final count. Black ticks: the other published counts.'
    >>> drop_hints("Hollow points: estimates. " + LEGEND_HINT.format(what="name"))
    'Hollow points: estimates.'
    >>> drop_hints("† weak source: treat with caution (hover a point; named in the description).")
    '† weak source: treat with caution (named in the description).'
    >>> drop_hints(ZOOM_HINT), drop_hints(SLIDER_HINT)
    ('', '')
    >>> drop_hints("Moldova: turnout 52.24% (final count)")   # no hint: unchanged
    'Moldova: turnout 52.24% (final count)'
    """
    text = str(text)
    for hint in HINTS:
        if "{" not in hint:
            text = text.replace(hint, "")

    def bracket(match: re.Match) -> str:
        kept = [p.strip() for p in match.group(1).split(";") if not re.match(rf"\s*(?:{_VERBS})\b", p, re.I)]
        return f" ({'; '.join(kept)})" if kept else ""

    text = _HINT_SENTENCE.sub("", _BRACKET.sub(bracket, text))
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


def paper_description(text: str) -> str:
    """A chart description for a static copy: its :data:`SLIDER_CLAUSE` worded for paper
    (:data:`PAPER_SLIDER_CLAUSE`); the rest unchanged.

    >>> screen = "Bars, " + SLIDER_CLAUSE.format(first=2014, last=2025, year=2025) + " Highest: A."
    >>> screen
    'Bars, one year at a time, with a slider for the years 2014-2025. Shown first: 2025. Highest: A.'
    >>> paper_description(screen)
    'Bars, showing 2025. Highest: A.'
    """
    pattern = re.escape(SLIDER_CLAUSE).replace(r"\{first\}", r"\d{4}").replace(r"\{last\}", r"\d{4}")
    pattern = pattern.replace(r"\{year\}", r"(?P<year>\d{4})")
    return re.sub(pattern, lambda m: PAPER_SLIDER_CLAUSE.format(year=m.group("year")), str(text))


def paper_lines(spec) -> dict:
    """``{line: line on paper}`` for each title, subtitle or axis-title line of a (Vega or Vega-Lite)
    spec that holds an on-screen hint (:func:`drop_hints`; '' for a line of nothing but hints).
    The handout page swaps these lines when it is printed; data is never read.

    >>> paper_lines({"title": {"text": "Events", "subtitle": [EVENT_HINT, "Hollow: weak."]},
    ...              "axes": [{"title": ZOOM_HINT}], "data": [{"values": [{"title": EVENT_HINT}]}]})
    {'Hover a point to read the event.': '', 'Drag here, or use the Zoom sliders below, to zoom into a period': ''}
    """
    found = {}

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("data", "datasets", "usermeta"):
                    continue
                lines = [value] if isinstance(value, str) else value if isinstance(value, list) else []
                if key in ("title", "subtitle", "text") and lines and all(isinstance(v, str) for v in lines):
                    for line in lines:
                        paper = drop_hints(line)
                        if paper != " ".join(line.split()):
                            found[line] = paper
                else:
                    walk(value)

    walk(spec)
    return found


def pct(value, decimals: int = 2) -> str:
    """A share as text: ``pct(4.476)`` is ``'4.48%'``."""
    return f"{value:.{decimals}f}%"


def series_name(prov: dict, edition: str | None) -> str:
    """What a spending series measures, in words, naming the NATO edition shown."""
    name = prov.get("name")
    if name == "military_expenditure":
        return "military expenditure as a share of GDP (SIPRI)"
    if edition:
        return f"defence expenditure as a share of GDP (NATO, edition {edition})"
    return "defence expenditure as a share of GDP"


def extreme(rows: pd.DataFrame, col: str, which: str = "max", *, name=None, fmt=pct,
            single: str = "{name} {value}", tie: str = "{value} ({n} countries tie: {names})") -> str:
    """The highest (``which="max"``) or lowest value of ``col``, naming *every* row that ties.

    A description that names one of several tied countries would pick it arbitrarily:

    >>> df = pd.DataFrame({"country": ["Spain", "Belgium", "Poland"], "v": [2.0, 2.0, 4.48]})
    >>> extreme(df, "v", "min")
    '2.00% (2 countries tie: Belgium and Spain)'
    >>> extreme(df, "v", "max")
    'Poland 4.48%'
    >>> extreme(df, "v", "min", fmt=lambda v: f"{3.5 - v:.2f} percentage points below", single="{name}, {value}")
    '1.50 percentage points below (2 countries tie: Belgium and Spain)'
    >>> extreme(df.iloc[:0], "v")        # nothing to compare
    'none'
    >>> extreme(df.assign(v=None), "v")  # unknowns are not compared
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


def caveats(rows: pd.DataFrame, key: str = "competitor", column: str = "note") -> str:
    """The rows' notes, each sentence once: those of every row first, then those of some rows, named.

    >>> df = pd.DataFrame({"competitor": ["A", "B", "C"],
    ...                    "note": ["Turnout from one outlet.", "Turnout from one outlet. Share from one outlet.", None]})
    >>> caveats(df)
    'A and B: Turnout from one outlet; B: Share from one outlet'
    >>> caveats(df.assign(note="Turnout from one outlet."))     # shared by every row: said once, unnamed
    'Turnout from one outlet'

    Remarks on how the data file was kept (e.g. "Left empty.") do not reach students:

    >>> caveats(pd.DataFrame({"competitor": ["A"], "note": ["Turnout from one outlet. Left empty."]}))
    'Turnout from one outlet'
    """
    split = {r[key]: [t.strip().rstrip(".") for t in re.split(r"(?<=\.)\s+(?=[A-Z])", student_text(r[column])) if t.strip()]
             for _, r in rows.iterrows() if student_text(r[column])}
    order = list(dict.fromkeys(t for texts in split.values() for t in texts))
    parts = []
    for text in order:
        who = [k for k, texts in split.items() if text in texts]
        parts.append(text if len(who) == len(rows) else f"{listing(who, 4)}: {text}")
    return "; ".join(parts)


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
