"""The lesson layer: what a lesson notebook shows around the data, from its template to its prose.

The modules, each building on the ones before it:

- ``schema``: the lesson template in a notebook's metadata (its fields, their checks);
- ``tables``: tables for students (readable headers, words in empty cells, weak sources marked);
- ``timeline``: facts read from dated rows (one event, a list of events, how current the data is);
- ``header_footer``: the top and end of a lesson (title, time, objectives; key points, sources);
- ``widgets``: explorations with ipywidgets, and their static result in a handout (imported on
  its own, as ``kit.lessons.widgets`` or ``kit.widgets``: it needs Altair and ipywidgets).

Below them, shared with the charts: :mod:`kit.wording` (sentences complete for any count, dates
and names as prose, Markdown to show) and :mod:`kit.data.attribution` (who reported what a data
row records). This package re-exports both, so ``lesson.tally(...)`` and ``lesson.attributed(...)``
keep working in the lessons.

The lessons import these names as ``from kit import lesson`` (``lesson.header(...)``,
``lesson.table(...)``): ``kit.lesson`` re-exports this package, ``kit.widgets`` its widgets::

    >>> from kit import lessons
    >>> lessons.sentence(lessons.count(1, "Allies") + " joined in " + lessons.listing(["2023"]))
    '1 Ally joined in 2023.'
"""

from __future__ import annotations

from ..data.attribution import SOUND_TIERS, attributed, reported_by, row_publishers, row_sources
from ..wording import (
    SCREEN_ONLY,
    WEAK_MARK,
    count,
    day,
    listing,
    md,
    prose,
    screen_only,
    sentence,
    singular,
    student_text,
    tally,
)
from .header_footer import footer, header, sources, time_text
from .schema import FIELDS, MAY_BE_EMPTY, NOTEBOOKS, OPTIONAL, notebook_path, template, validate
from .tables import HEADERS, WEAK_CAPTION, heading, markdown_table, table
from .timeline import as_of, coverage, event_text, events, find, find_all

__all__ = [
    "FIELDS", "HEADERS", "MAY_BE_EMPTY", "NOTEBOOKS", "OPTIONAL", "SCREEN_ONLY", "SOUND_TIERS", "WEAK_CAPTION", "WEAK_MARK",
    "as_of", "attributed", "count", "coverage", "day", "event_text", "events", "find", "find_all", "footer", "header",
    "heading", "listing", "markdown_table", "md", "notebook_path", "prose", "reported_by", "row_publishers", "row_sources",
    "screen_only", "sentence", "singular", "sources", "student_text", "table", "tally", "template", "time_text", "validate",
]
