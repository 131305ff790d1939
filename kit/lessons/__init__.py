"""The lesson layer: what a lesson notebook shows around the data, from its template to its prose.

The modules, each building on the ones before it:

- ``schema``: the lesson template in a notebook's metadata (its fields, their checks);
- ``wording``: sentences complete for any count, dates and names as prose, Markdown to show;
- ``tables``: tables for students (readable headers, words in empty cells, weak sources marked);
- ``attribution``: who reported what a data row records (its sources' original publishers);
- ``timeline``: facts read from dated rows (one event, a list of events, how current the data is);
- ``header_footer``: the top and end of a lesson (title, time, objectives; key points, sources);
- ``widgets``: explorations with ipywidgets, and their static result in a handout. It builds on
  ``kit.charts`` (which uses ``wording``), so it is imported on its own (``kit.lessons.widgets``,
  or ``kit.widgets``), never by this package.

The lessons import these names as ``from kit import lesson`` (``lesson.header(...)``,
``lesson.table(...)``): ``kit.lesson`` re-exports this package, ``kit.widgets`` its widgets::

    >>> from kit import lessons
    >>> lessons.sentence(lessons.count(1, "Allies") + " joined in " + lessons.listing(["2023"]))
    '1 Ally joined in 2023.'
"""

from __future__ import annotations

from .attribution import SOUND_TIERS, attributed, reported_by, row_publishers, row_sources
from .header_footer import footer, header, sources, time_text
from .schema import FIELDS, MAY_BE_EMPTY, NOTEBOOKS, OPTIONAL, notebook_path, template, validate
from .tables import HEADERS, WEAK_CAPTION, WEAK_MARK, heading, markdown_table, table
from .timeline import coverage, event_text, events, find, find_all
from .wording import (
    SCREEN_ONLY,
    as_of,
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

__all__ = [
    "FIELDS", "HEADERS", "MAY_BE_EMPTY", "NOTEBOOKS", "OPTIONAL", "SCREEN_ONLY", "SOUND_TIERS", "WEAK_CAPTION", "WEAK_MARK",
    "as_of", "attributed", "count", "coverage", "day", "event_text", "events", "find", "find_all", "footer", "header",
    "heading", "listing", "markdown_table", "md", "notebook_path", "prose", "reported_by", "row_publishers", "row_sources",
    "screen_only", "sentence", "singular", "sources", "student_text", "table", "tally", "template", "time_text", "validate",
]
