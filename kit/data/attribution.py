"""Who reported what a data row records: its sources' original publishers, named in the lesson's text.

A row's ``source_ids`` point into the package's catalogue of sources; each source names its
ORIGINAL publisher (NATO, a government, a newspaper for its own reporting) and, apart, the copy
the kit read (``accessed_via``, with its tier). Lessons attribute a sentence to the original
publishers::

    >>> attributed("Lavrov says X.", {"source_ids": ""})      # a row with no sources: nothing to add
    'Lavrov says X.'

:func:`row_sources` lists a row's sources, :func:`reported_by` names their publishers,
:func:`attributed` ends a sentence with them, and :func:`row_publishers` counts the publishers
of a whole table (for chart source lines).
"""

from __future__ import annotations

import re

from ..errors import KitError
from ..wording import listing
from .curation import SOUND_TIERS  # copies that make a row sound (kit check-data's rule)

_SHORT = {"Associated Press": "AP", "Agence France-Presse": "AFP"}
_BRACKETS = re.compile(r"\s*\([^)]*\)")


def _ids(text) -> list[str]:
    """The source ids in a ``source_ids`` cell (``"A; B"``), in order."""
    return [sid.strip() for sid in str(text or "").split(";") if sid.strip()]


def row_sources(row, *, sound_only: bool = False) -> list[dict]:
    """The sources a data row cites (its ``source_ids``), from the package's catalogue: each with
    the ORIGINAL publisher, title and date, and the copy the kit read (``copy``, ``tier``).

    >>> import kit
    >>> sorted(row_sources(kit.load("security_timeline").iloc[0])[0])
    ['copy', 'id', 'published', 'publisher', 'tier', 'title']
    """
    from .package import sources as catalogue_of

    catalogue = catalogue_of()
    out = []
    for sid in _ids(row.get("source_ids")):
        entry = catalogue.get(sid, {"id": sid, "title": sid})
        copy = entry.get("accessed_via") if isinstance(entry.get("accessed_via"), dict) else {}
        item = {"id": sid, "publisher": entry.get("publisher") or sid, "title": entry.get("title") or sid,
                "published": entry.get("published"), "copy": copy.get("publisher"), "tier": copy.get("tier")}
        if not sound_only or item["tier"] in SOUND_TIERS:
            out.append(item)
    return out


def _short(publisher: str) -> str:
    """A publisher's name for an attribution: without its bracketed detail.

    >>> _short("Euromaidan Press (reporting Ukraine's Ministry of Foreign Affairs)"), _short("Associated Press")
    ('Euromaidan Press', 'AP')
    """
    name = _BRACKETS.sub("", str(publisher)).strip()
    return _SHORT.get(name, name)


def reported_by(row) -> str:
    """Who published what a row records: the original publishers of its sources that the kit read
    in an official, wire or press copy (all its sources if none was), short names, in order
    (an empty string for a row with no sources)."""
    found = row_sources(row, sound_only=True) or row_sources(row)
    return listing(list(dict.fromkeys(_short(s["publisher"]) for s in found)), None, empty="")


def attributed(text: str, row) -> str:
    """``text`` (a sentence about ``row``) ending ``, as reported by <publishers>.`` when it names none of
    them nor any copy the kit read (:func:`names_a_source`).

    >>> attributed("Lavrov says X (AFP, NTB).", {"source_ids": ""})
    'Lavrov says X (AFP, NTB).'
    """
    by = reported_by(row)
    if not by:
        return text
    if names_a_source(text, (row_sources(row, sound_only=True) or row_sources(row)) + row_sources(row)):
        return text
    body = text.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else ""
    return f"{body[:-1] if end else body}, as reported by {by}{end or '.'}"


def names_a_source(text: str, sources: list[dict]) -> bool:
    """Whether ``text`` already names who published or reported it: one of the ``sources``'
    publishers (short name, full name or its bracketed detail) or a copy the kit read
    (``copy``, e.g. a newspaper reporting a ministry's comment, so the ministry is not credited twice).

    >>> ministry = {"publisher": "Ministry of Foreign Affairs", "copy": "Kommersant"}
    >>> names_a_source("Zakharova says X (comment, as reported by Kommersant).", [ministry])
    True
    >>> names_a_source("Zakharova says X.", [ministry]), names_a_source("AP: X.", [{"publisher": "Associated Press"}])
    (False, True)
    """
    aliases = set()
    for s in sources:
        publisher = str(s.get("publisher") or "")
        aliases |= {_short(publisher), _BRACKETS.sub("", publisher).strip(), _short(s.get("copy") or "")}
        aliases |= set(re.findall(r"\(([^)]*)\)", publisher))
    return any(a and re.search(rf"\b{re.escape(a)}\b", text) for a in aliases)


def row_publishers(frame) -> list[str]:
    """The ORIGINAL publishers of the rows' sources (each source's ``publisher``, never the copy
    the kit read, ``accessed_via``), the most cited first; an empty list for a table without sources.

    >>> import kit
    >>> timeline = kit.load("security_timeline")
    >>> set(row_publishers(timeline.iloc[:1])) <= set(row_publishers(timeline)), row_publishers(timeline.iloc[:0])
    (True, [])
    """
    import pandas as pd

    from .package import sources as catalogue_of

    if not isinstance(frame, pd.DataFrame) or "source_ids" not in frame.columns or frame.empty:
        return []
    try:
        catalogue = catalogue_of()
    except KitError:
        return []
    counts: dict[str, int] = {}
    for ids in frame["source_ids"].dropna():
        seen = set()
        for sid in _ids(ids):
            for publisher in str(catalogue.get(sid, {}).get("publisher") or sid).split(";"):   # a source may name two
                publisher = publisher.strip()
                if publisher and publisher not in seen:
                    seen.add(publisher)
                    counts[publisher] = counts.get(publisher, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name.lower()))
