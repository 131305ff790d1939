"""The data's per-row flags made visible: single-source (``verified``) and weak-source (``weak_source``) values.

A flagged value gets a mark after its label (``*`` single source, a dagger weak source), words
in its tooltip, a subtitle line explaining the marks the chart shows, and a sentence in the
description naming (or, past ``WEAK_LISTED``, counting) the flagged rows.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .prose import WEAK_MARK, listing, sentence, tally

VERIFIED = {True: "two transcriptions agree", False: "single source: no second transcription found"}
SINGLE_MARK = "*"   # after a value label: single source (``verified`` is false)
# WEAK_MARK (a dagger, from kit.lessons.tables) after a label: weak source (``weak_source`` is true)
SOURCING = {True: "weak source: none of its sources was read in an official, wire or press copy; treat with caution",
            False: "read in an official, wire or press copy"}
SINGLE_NOTE = f"{SINGLE_MARK} single source: no second transcription found"
WEAK_NOTE = f"{WEAK_MARK} weak source: no official, wire or press copy read; treat with caution"


def true_flag(value) -> bool:
    """True only for a true flag (unknown is not true)."""
    return bool(value) if value is not None and not (not isinstance(value, str) and pd.isna(value)) else False


def add_flags(values: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Add, row by row (``values`` and ``frame`` in the same order), what the data's flags say:

    - ``check`` (``verified`` in words) and ``*`` in ``mark`` for a single-source value;
    - ``sourcing`` (``weak_source`` in words) and a dagger in ``mark`` for a weak source.

    >>> f = pd.DataFrame({"verified": [True, False, None], "weak_source": [False, True, True]})
    >>> flags = add_flags(pd.DataFrame(index=range(3)), f)
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
        weak = [true_flag(v) for v in frame["weak_source"].tolist()]
        values["sourcing"] = [SOURCING[w] for w in weak]
        marks = [m + (WEAK_MARK if w else "") for m, w in zip(marks, weak, strict=True)]
    values["mark"] = marks
    return values


def flag_tooltips(values: pd.DataFrame) -> list:
    """Tooltips for the flags ``add_flags`` added."""
    tips = []
    if "check" in values.columns:
        tips.append(alt.Tooltip("check:N", title="transcription"))
    if "sourcing" in values.columns:
        tips.append(alt.Tooltip("sourcing:N", title="sources"))
    return tips


def weak_note(flagged, hover: str) -> list[str]:
    """The subtitle line explaining the weak-source mark, when the chart shows a flagged row (``flagged``).

    >>> weak_note(["Malta"], "hover a bar")[0].endswith("treat with caution (hover a bar).")
    True
    """
    return [f"{WEAK_NOTE} ({hover})."] if flagged else []


def flag_notes(values: pd.DataFrame, hover: str = "hover for details") -> list[str]:
    """Subtitle lines explaining the marks a chart shows (only those it shows)."""
    if "mark" not in values.columns:
        return []
    marks = "".join(values["mark"].fillna(""))
    notes = []
    if SINGLE_MARK in marks:
        notes.append(f"{SINGLE_NOTE} ({hover}).")
    if WEAK_MARK in marks:
        notes += weak_note(True, hover)
    return notes


def single_source(rows: pd.DataFrame, key: str = "country") -> list[str]:
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
    flagged = rows[[true_flag(v) for v in rows["weak_source"].tolist()]]
    return list(dict.fromkeys(flagged[key].astype(str)))


WEAK_LISTED = 6   # a description names up to this many weak-source rows, then counts them


def weak_sentence(rows: pd.DataFrame, key: str = "country", what: str = "Weak sources", unit: str = "values") -> str:
    """`` Weak sources (...): A and B.`` for a description, or nothing. Past ``WEAK_LISTED`` names
    the rows are counted, not listed (the chart marks each one; a page explains the mark once):

    >>> df = pd.DataFrame({"country": list("abcdefgh"), "weak_source": [True] * 7 + [False]})
    >>> weak_sentence(df.iloc[5:], what="Values from weak sources")
    ' Values from weak sources (no official, wire or press copy read; treat with caution): f and g.'
    >>> weak_sentence(df, what="Values from weak sources")
    ' 7 of the 8 values shown are from weak sources (no official, wire or press copy read; each is marked \u2020).'
    """
    names = weak_rows(rows, key)
    if not names:
        return ""
    if len(names) <= WEAK_LISTED:
        return f" {what} (no official, wire or press copy read; treat with caution): {listing(names, WEAK_LISTED)}."
    n = sum(true_flag(v) for v in rows["weak_source"].tolist())
    return " " + sentence(tally(n, len(rows), f"{unit} shown", "from weak sources", tense="present"))[:-1] + \
        f" (no official, wire or press copy read; each is marked {WEAK_MARK})."
