"""Facts read from dated rows: find the one event a sentence rests on, list events, say how current the data is.

Lessons read facts from the data with :func:`find`, which stops the lesson with a message
when the data has no such row, or several, rather than print something wrong.
:func:`events` lists dated events without repeating a label; :func:`coverage` says up to
when a dated dataset reaches.
"""

from __future__ import annotations

import re

from ..data.attribution import attributed
from ..errors import KitError
from ..wording import day, sentence


def _words(text: str) -> str:
    return re.sub(r"[^\w%]+", " ", str(text)).strip().lower()


def find(frame, *words, column: str = "event", where: str | None = None):
    """The one row of ``frame`` whose ``column`` contains every one of ``words`` (any case).

    Lessons read facts from the data this way; when the data has no such row, or several,
    the lesson stops with a message rather than print something wrong:

    >>> import pandas as pd
    >>> timeline = pd.DataFrame({"event": ["Budapest Memorandum signed", "Minsk II signed"]})
    >>> find(timeline, "budapest")["event"]
    'Budapest Memorandum signed'
    >>> find(timeline, "signed")
    Traceback (most recent call last):
    ...
    kit.errors.KitError: the data: 2 rows whose event contains 'signed' (Budapest Memorandum signed; Minsk II signed); add a word to pick one
    >>> find(timeline, "no such event", where="security_timeline")
    Traceback (most recent call last):
    ...
    kit.errors.KitError: security_timeline: no row whose event contains 'no such event'; update the data or the lesson
    """
    rows = find_all(frame, *words, column=column)
    name = where or frame.attrs.get("provenance", {}).get("name", "the data")
    wanted = " and ".join(repr(w) for w in words)
    if rows.empty:
        raise KitError(f"{name}: no row whose {column} contains {wanted}; update the data or the lesson")
    if len(rows) > 1:
        listed = "; ".join(str(v)[:60] for v in rows[column])
        raise KitError(f"{name}: {len(rows)} rows whose {column} contains {wanted} ({listed}); add a word to pick one")
    return rows.iloc[0]


def find_all(frame, *words, column: str = "event"):
    """Every row of ``frame`` whose ``column`` contains all of ``words`` (any case), in order."""
    text = frame[column].fillna("").astype(str).str.lower()
    keep = text == text
    for w in words:
        keep &= text.str.contains(str(w).lower(), regex=False)
    return frame[keep]


def event_text(text, label: str | None = None) -> str:
    """An event's text for a list item: without a leading ``label`` it repeats, as a sentence.

    >>> event_text("White House meeting: Trump hosts Zelensky", "White House meeting")
    'Trump hosts Zelensky.'
    >>> event_text("Paris coalition summit (35 countries): Paris Declaration", "Paris Declaration")
    'Paris coalition summit (35 countries): Paris Declaration.'
    """
    text = str(text).strip()
    if label:
        head, sep, rest = text.partition(":")
        if sep and _words(head) == _words(label):
            text = rest.strip()
    return sentence(text)


def events(rows, column: str = "event", label=None, *, attribute: bool = False) -> str:
    """Dated events as a Markdown list: ``- **5 December 1994:** Event.`` (``label``: a column
    or a function of the row, shown before the date, e.g. ``"category"``). With ``attribute``,
    an event whose text does not name who reported it ends with the original publishers of its
    sources (see :func:`reported_by`).

    >>> import pandas as pd
    >>> print(events(pd.DataFrame({"date": pd.to_datetime(["1994-12-05"]), "event": ["memorandum signed"]})))
    - **5 December 1994:** Memorandum signed.
    """
    lines = []
    for _, row in rows.iterrows():
        name = (label(row) if callable(label) else row[label]) if label is not None else None
        lead = f"{name}, {day(row['date'])}" if name else day(row["date"])
        text = event_text(row[column], name)
        if attribute:
            text = attributed(text, row)
        lines.append(f"- **{lead}:** {text}")
    return "\n".join(lines) if lines else "- none in the data"


def coverage(data, *, what: str = "events", label: str = "The timeline", date: str = "date") -> str:
    """How current a dated dataset is, in one sentence: its latest event, the date it was last
    checked, and what it leaves out (``data``: a dataset name or a loaded frame).

    >>> print(coverage("security_timeline"))   # doctest: +ELLIPSIS
    The timeline records events up to ...; it was last checked on ...; events after that, or not confirmed by an official text or two reputable outlets, are not in it.
    """
    import pandas as pd

    from ..data import load, provenance

    frame = load(data) if isinstance(data, str) else data
    prov = frame.attrs.get("provenance") or (provenance(data) if isinstance(data, str) else {})
    dates = pd.to_datetime(frame[date]).dropna()
    if dates.empty:
        raise KitError(f"coverage: {prov.get('name', 'the data')} has no dated {what}")
    checked = f"; it was last checked on {day(pd.Timestamp(prov['as_of']))}" if prov.get("as_of") else ""
    return (f"{label} records {what} up to {day(dates.max())}{checked}; {what} after that, or not confirmed by an "
            "official text or two reputable outlets, are not in it.")


def as_of(name: str) -> str:
    """The date a dataset was last checked, as prose: for dating political facts in the text.

    >>> import re; bool(re.fullmatch(r"\\d{1,2} [A-Z][a-z]+ \\d{4}", as_of("security_timeline")))
    True
    """
    import pandas as pd

    from ..data import provenance

    return day(pd.Timestamp(provenance(name)["as_of"]))
