"""Words for generated prose: sentences complete for any count, dates and names as prose, Markdown to show.

Shared by the charts (descriptions) and the lessons (text); it imports nothing of the kit, so both
can build on it.

Lesson prose and chart descriptions are drafted from the data, so these helpers keep every
sentence complete and grammatical whatever the data holds (zero, one, all, ties, unknowns)::

    >>> sentence(tally(2, 30, "Allies with a figure", "at or above 3.5%")) + " " + listing(["Poland", "Latvia"]) + "."
    '2 of the 30 Allies with a figure were at or above 3.5%. Poland and Latvia.'

:func:`tally`, :func:`count`, :func:`listing`, :func:`singular` and :func:`sentence` count and
list; :func:`day` and :func:`as_of` write dates; :func:`prose` gives country names their "the";
:func:`student_text` keeps data-cleaning remarks out of what students read; :func:`md` displays
Markdown built in a code cell (e.g. an f-string of computed figures) and :func:`screen_only`
Markdown that the printed handout leaves out.
"""

from __future__ import annotations

import re

_PLURALS = {"Allies": "Ally", "countries": "country", "states": "state", "members": "member",
            "participants": "participant", "events": "event", "votes": "vote", "values": "value",
            "lists": "list", "parties": "party", "figures": "figure", "datasets": "dataset"}


def listing(items, limit: int | None = 6, *, empty: str = "none") -> str:
    """Items as prose: ``A``, ``A and B``, ``A, B and C``; past ``limit`` items, ``... and 2 more``.

    >>> listing([]), listing(["Poland"]), listing(["Poland", "Latvia"]), listing(["a", "b", "c"])
    ('none', 'Poland', 'Poland and Latvia', 'a, b and c')
    >>> listing(list("abcdefgh"), 6)
    'a, b, c, d, e, f and 2 more'
    >>> listing([], empty="no country")
    'no country'
    """
    items = [str(i) for i in items]
    if limit is not None and len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return items[0] if items else empty


def singular(group: str) -> str:
    """The singular of a plural noun phrase (its first word): ``Allies with a figure`` -> ``Ally with a figure``.

    >>> singular("Allies with a figure"), singular("countries"), singular("lists that won seats")
    ('Ally with a figure', 'country', 'list that won seats')
    """
    first, _, rest = str(group).partition(" ")
    one = _PLURALS.get(first) or (first[:-3] + "y" if first.endswith("ies") else first[:-1] if first.endswith("s") else first)
    return (one + " " + rest).strip()


def tally(n: int, total: int, group: str, predicate: str, *, one: str | None = None, tense: str = "past") -> str:
    """How many of ``total`` (a plural noun phrase, ``group``) satisfy ``predicate``, as a clause
    that reads right for zero, one, some, all and an empty group.

    >>> g, p = "Allies with a 2025 estimate", "at or above 2%"
    >>> tally(30, 30, g, p)
    'all 30 Allies with a 2025 estimate were at or above 2%'
    >>> tally(23, 30, g, p)
    '23 of the 30 Allies with a 2025 estimate were at or above 2%'
    >>> tally(1, 30, g, p)
    '1 of the 30 Allies with a 2025 estimate was at or above 2%'
    >>> tally(0, 30, g, p)
    'none of the 30 Allies with a 2025 estimate was at or above 2%'
    >>> tally(2, 2, g, p, tense="present")
    'both Allies with a 2025 estimate are at or above 2%'
    >>> tally(1, 1, g, p), tally(0, 1, g, p)
    ('the only Ally with a 2025 estimate was at or above 2%', 'the only Ally with a 2025 estimate was not at or above 2%')
    >>> tally(0, 0, g, p)
    'there were no Allies with a 2025 estimate'
    """
    n, total = int(n), int(total)
    if n < 0 or n > total:
        raise ValueError(f"tally: {n} of {total} is not a count")
    was, were = ("was", "were") if tense == "past" else ("is", "are")
    one = one or singular(group)
    if total == 0:
        return f"there {were} no {group}"
    if total == 1:
        return f"the only {one} {was} {predicate}" if n == 1 else f"the only {one} {was} not {predicate}"
    if n == total:
        return f"{'both' if total == 2 else f'all {total}'} {group} {were} {predicate}"
    if n == 0:
        return f"none of the {total} {group} {was} {predicate}"
    return f"{n} of the {total} {group} {was if n == 1 else were} {predicate}"


def count(n: int, group: str, *, one: str | None = None, none: str = "no") -> str:
    """``n`` and a noun in the right number: ``no Allies``, ``1 Ally``, ``3 Allies``.

    >>> count(0, "Allies"), count(1, "Allies"), count(3, "Allies with no figure")
    ('no Allies', '1 Ally', '3 Allies with no figure')
    """
    n = int(n)
    if n == 0:
        return f"{none} {group}"
    return f"1 {one or singular(group)}" if n == 1 else f"{n} {group}"


def sentence(text: str) -> str:
    """A clause made a sentence: capital first letter, one full stop.

    >>> sentence("all 30 Allies were at or above 2%"), sentence("Done."), sentence("  ")
    ('All 30 Allies were at or above 2%.', 'Done.', '')
    """
    text = str(text).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


_CLEANING = re.compile(r"\b(left empty|leave empty|kept empty|flag inferred|the cell|cells? (?:is |are )?(?:left )?blank|"
                       r"fill(?:ed)? (?:in )?the gaps?|not used to fill|recoded|row's note)\b", re.I)
_CLEANING_LEAD = re.compile(r"^(?:[^.:;]{0,40}\b(?:left|kept) empty|coded (?:as )?[a-z_]+)[:.]\s*", re.I)
_COLUMN_NAME = re.compile(r"(?<!`)\b[a-z]+(?:_[a-z]+)+\b(?!`)")   # a raw column name, not a `code span`


def student_text(text) -> str:
    """A data note as students should read it: remarks on how the data file was kept
    ("Left empty.", "Estimate flag inferred.", "the cell blank") are dropped, and a leading
    "Left empty:" is cut; the rest is kept word for word.

    >>> student_text("No 2025 figure in this edition: NATO published none (AFP). Left empty.")
    'No 2025 figure in this edition: NATO published none (AFP).'
    >>> student_text("Left empty: NATO published no estimate (AFP). Both transcriptions have the cell blank.")
    'NATO published no estimate (AFP).'
    >>> student_text("Rounded to one decimal in the press report; single source (Politico). Estimate flag inferred.")
    'Rounded to one decimal in the press report; single source (Politico).'
    >>> student_text("Number of voters left empty: the total is probably the valid-vote base.")
    'The total is probably the valid-vote base.'
    >>> student_text("Coded conditional: the PM did not rule it out (first_reported inferred).")
    'The PM did not rule it out (first reported inferred).'
    >>> student_text(None)
    ''
    """
    if text is None or (not isinstance(text, str) and text != text):
        return ""
    parts = []
    for part in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", str(text).strip()):
        part = _COLUMN_NAME.sub(lambda m: m.group(0).replace("_", " "), _CLEANING_LEAD.sub("", part)).strip()
        if part and not _CLEANING.search(part):
            parts.append(part[0].upper() + part[1:])
    return " ".join(parts).strip()


def screen_only(text: str):
    """Markdown for readers on a screen only (how to use a slider, a legend, a tooltip): the
    handout's print stylesheet hides it, since paper has no slider.

    The text becomes one HTML block (rendered here, with no blank line inside): a Markdown
    ``<div>`` wrapped around Markdown paragraphs would not survive the handout's renderer,
    which parses each HTML block on its own. In a Markdown cell, write the same by hand:
    ``<p class="kit-screen-only">On screen, move the <strong>Year</strong> slider.</p>``.

    >>> print(screen_only("Move the **Year** slider.").data)
    <div class="kit-screen-only"><p>Move the <strong>Year</strong> slider.</p></div>
    """
    try:
        import mistune

        inner = mistune.html(str(text).strip())
    except ImportError:   # pragma: no cover - mistune comes with nbconvert
        import html

        inner = "<p>" + re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(str(text).strip())) + "</p>"
    inner = re.sub(r"\n\s*\n", "\n", inner).strip()
    return md(f'<div class="{SCREEN_ONLY}">{inner}</div>')


SCREEN_ONLY = "kit-screen-only"   # the class the handout's print stylesheet hides


def day(date) -> str:
    """A date as prose: ``5 September 2014`` (no leading zero).

    >>> import pandas as pd; day(pd.Timestamp("2014-09-05"))
    '5 September 2014'
    """
    return f"{date.day} {date:%B %Y}"


WEAK_MARK = "\u2020"   # a dagger after a value or label: none of its sources was read in a sound copy


_THE = re.compile(r"(?<![Tt]he )\b(United Kingdom|United States|Netherlands|Czech Republic|European Commission|European Council)\b")


def prose(text: str) -> str:
    """A data value made to read as prose: country names that take "the" get it.

    >>> prose("United Kingdom (Starmer)")
    'the United Kingdom (Starmer)'
    >>> prose("France (Macron), with the United Kingdom (Starmer)")
    'France (Macron), with the United Kingdom (Starmer)'
    """
    return _THE.sub(r"the \1", str(text))


def md(text: str):
    """Markdown to display, e.g. built from computed figures: ``md(f"... {share:.2f}% ...")``."""
    from IPython.display import Markdown

    return Markdown(text)

