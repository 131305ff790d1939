"""A worksheet is paper: its chart copies carry no on-screen hints (hover, click, drag, a slider).

The hints are declared once (``kit.charts.prose.HINTS``); the charts draw them in the browser
and :mod:`kit.site.worksheet` redraws a chart without them for the printed copy.
"""

from __future__ import annotations

import re

import pytest

import kit
from kit import charts
from kit.charts.prose import HINTS, drop_hints
from kit.charts.render import handout_renderer
from kit.site.outputs import Page
from kit.site.worksheet import static_figure

_DRAWN = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)   # the words a chart draws (its labels hold data, so not those)
_ON_SCREEN = re.compile(r"\b(?:hover|click|drag|tap|scroll)|\bslider", re.I)   # a hint word drawn in a chart


def hints_in(page: str) -> list[str]:
    """The on-screen hints a page shows: a declared hint anywhere, or a hint word in the words a chart draws."""
    found = [h for h in HINTS if "{" not in h and h in page]
    found += [h.split("{")[0] for h in HINTS if "{" in h and h.split("{")[0] in page]
    found += [m.group(0) for text in _DRAWN.findall(page) for m in _ON_SCREEN.finditer(re.sub(r"<[^>]+>", " ", text))]
    return found


def paper_copy(figure: str) -> str:
    """The worksheet copy of a chart's handout figure."""
    out = {"output_type": "display_data", "data": {"text/html": figure}, "metadata": {}}
    return str(static_figure({"cell_type": "code", "outputs": [out]}, Page("x", None, set()), 1, str))


def test_drop_hints_takes_out_every_declared_hint_and_keeps_other_words():
    for hint in HINTS:
        text = "Bars: the final count. " + hint.format(what="name")
        assert drop_hints(text) == "Bars: the final count.", hint
    assert drop_hints("Coloured and marked: members. Click a stance in the legend, or choose it in the menu below, "
                      "to highlight it.") == "Coloured and marked: members."
    assert drop_hints("Membership as recorded in the data. Hover a bar for the names.") == "Membership as recorded in the data."
    assert drop_hints("* single source: no second transcription found (hover a bar).") == \
        "* single source: no second transcription found."
    for kept in ("Moldova: votes cast abroad (final count)", "Ranking: share of GDP, 2025", "Turnout 52.24%."):
        assert drop_hints(kept) == kept


@pytest.mark.parametrize("make", [
    lambda: charts.ranking(kit.load("defence_spending").query("edition == 'NATO-2025-08'"), year=2025),
    lambda: charts.timeline(kit.load("security_timeline"), brief=True),
    lambda: charts.election_results(kit.load("moldova_elections"), "MD-PRES-2024-R2"),
    lambda: charts.membership_overlap(kit.load("coalition_members")),
], ids=["ranking", "timeline", "election", "overlap"])
def test_the_worksheet_copy_of_a_chart_shows_no_hint(make):
    figure = handout_renderer(make().to_dict())["text/html"]
    copy = paper_copy(figure)
    assert hints_in(figure), "the chart on screen shows its hints (else this test proves nothing)"
    assert hints_in(copy) == []
    assert "<svg" in copy and "<script" not in copy
    assert "<noscript" not in copy      # a browser with JavaScript on would hide the copy
    assert re.search(r'class="kit-chart-source', copy)          # the source line and description stay
    assert paper_copy(figure) == copy                           # the same bytes each build


def test_the_worksheet_copy_words_the_slider_clause_for_paper():
    figure = handout_renderer(charts.ranking(kit.load("defence_spending").query("edition == 'NATO-2025-08'"),
                                             year=2025).to_dict())["text/html"]
    copy = paper_copy(figure)
    assert "with a slider for the years" in figure
    assert "with a slider" not in copy and "one year at a time" not in copy
    assert "showing 2025." in copy


def test_a_chart_without_hints_is_copied_as_drawn():
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})).mark_bar().encode(x="a:N", y="b:Q").properties(
        title=alt.TitleParams("Two bars", subtitle=["Bars: counts."]))
    figure = handout_renderer(chart.to_dict())["text/html"]
    drawn = re.sub(r"</?noscript>", "", re.sub(r"<script.*?</script>\s*", "", figure, flags=re.S))
    assert paper_copy(figure) == f'<div class="kit-html">{drawn}</div>'


@pytest.mark.kernel
def test_no_worksheet_of_the_lessons_shows_a_hint(lesson_site):
    pages = sorted((lesson_site / "worksheets").glob("*.html"))
    assert len(pages) >= 6
    shown = {p.name: hints_in(p.read_text(encoding="utf-8")) for p in pages}
    assert {name: found for name, found in shown.items() if found} == {}
