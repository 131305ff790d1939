"""The kit's charts: a builder per kind of chart the lessons use, each carrying its sources inside its spec.

Every builder takes plain DataFrames (as ``kit.load`` returns them) and gives back an Altair
chart with its provenance *inside* the Vega-Lite spec: a source line drawn under the chart (it
survives SVG/PNG export and print), a ``description`` drafted from the data (what screen
readers announce), and both again in ``usermeta["kit"]`` for the handout renderer::

    >>> import kit
    >>> from kit import charts
    >>> spending = kit.load("defence_spending")
    >>> base = spending[spending.edition == "NATO-2025-08"]
    >>> spec = charts.ranking(base, year=2024).to_dict()
    >>> spec["title"]["orient"], spec["usermeta"]["kit"]["source"].startswith("Source: ")
    ('bottom', True)

A frame that lost its provenance (some pandas operations drop ``attrs``) is refused, not
charted without a source; pass it explicitly with ``provenance="defence_spending"``::

    >>> bare = base.merge(kit.load("countries")[["iso3"]], on="iso3")   # merge drops attrs
    >>> charts.ranking(bare, year=2024)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kit.errors.KitError: ranking: the data has no provenance (df.attrs["provenance"] is missing)...
    >>> charts.ranking(bare, year=2024, provenance="defence_spending").to_dict()["usermeta"]["kit"]["datasets"]
    ['defence_spending']

Charts are drawn as SVG, fit an A4 column (``MAX_WIDTH`` pixels) and use the Okabe-Ito
colour-blind-safe palette with shape or dash as a second cue. Interactivity (sliders, legend
highlighting, brushing) uses Vega-Lite parameters, which need no Python kernel: they work in
JupyterLab and in the offline handouts alike.

Importing this package changes no Altair state. Where charts are shown, one explicit call
picks the renderer and the kit's theme: ``kit.charts.render.enable()`` (``lesson.header()``
makes it for the lessons).

The modules, lower ones first (each imports only modules above it):

- ``theme``: the palette, shapes, dashes, sizes and the Altair theme;
- ``figure``: a chart as a handout ``<figure>`` (SVG, caption, spec); ``render``: the renderer
  for each mode (live, handout, grading), chosen by ``enable()``;
- ``frames``: checking and preparing the frames a builder draws; ``prose``: words drafted from
  data; ``flags``: single-source and weak-source values made visible;
- ``provenance``: the source line and ``finish()``; ``topology``: the map assets and TopoJSON;
- one module per topic: ``targets`` (target lines, gaps to a target), ``spending`` (over time,
  ranking), ``comparison`` (NATO editions, NATO vs SIPRI), ``coalition`` (map, NATO/EU
  overlap), ``timelines``, ``elections``, ``diaspora`` (home and abroad), ``moldova`` (the map).
"""

from __future__ import annotations

from . import render
from .coalition import coalition_map, membership_overlap
from .comparison import edition_comparison, series_comparison
from .diaspora import turnout_home_abroad, vote_home_abroad
from .elections import election_results, final_results
from .flags import SINGLE_MARK, SINGLE_NOTE, SOURCING, VERIFIED, WEAK_NOTE, weak_rows, weak_sentence
from .frames import one_edition
from .moldova import moldova_map
from .prose import (
    WEAK_MARK,
    busiest_years,
    caveats,
    count,
    extreme,
    headline,
    listing,
    row_publishers,
    sentence,
    singular,
    student_text,
    tally,
)
from .provenance import edition_provenance, finish, scoped, source_line
from .spending import ranking, spending_over_time
from .targets import gap_summary, gap_to_target, gaps, shortfall, target_lines
from .theme import DASHES, GREY, HEIGHT, INK, MAX_WIDTH, MUTED, PALETTE, SHAPES, THEME, WIDTH
from .timelines import timeline
from .topology import europe_topology, iso_numeric

# the names kit.charts had when it was one module (kit.widgets and the tests use them)
_list, _extreme, _caveats, _weak_sentence, _one_edition = listing, extreme, caveats, weak_sentence, one_edition

__all__ = [
    "render", "PALETTE", "SHAPES", "DASHES", "GREY", "INK", "MUTED", "MAX_WIDTH", "WIDTH", "HEIGHT", "THEME",
    "finish", "source_line", "scoped", "edition_provenance",
    "spending_over_time", "ranking", "target_lines", "gap_to_target", "gaps", "gap_summary", "shortfall",
    "edition_comparison", "series_comparison", "coalition_map", "membership_overlap", "timeline",
    "election_results", "final_results", "turnout_home_abroad", "vote_home_abroad", "moldova_map",
    "europe_topology", "iso_numeric",
    "headline", "busiest_years", "extreme", "caveats", "one_edition", "listing", "count", "tally", "sentence",
    "singular", "student_text", "row_publishers",
    "WEAK_MARK", "WEAK_NOTE", "SINGLE_MARK", "SINGLE_NOTE", "VERIFIED", "SOURCING", "weak_rows", "weak_sentence",
]
