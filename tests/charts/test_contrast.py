"""Colour is never the only cue for a colour that is faint on the page (WCAG 1.4.11 asks 3:1 for
graphical objects): each data colour's contrast against the page background is computed from the
palette (``kit.charts.theme``), and every mark of every lesson chart coloured by a scale that can give
one under 3:1 must carry a second cue, found in the chart's compiled Vega spec:

- a shape or a dash scale on the same field anywhere in the chart (``SHAPES``, ``DASHES``), or
- the same field on the mark's own x or y (the axis names each colour's category), or
- a reviewed exception below, with the cue it has instead (labels, a target line).

A chart that has none is named in the failure message. ``LACKING`` lists the charts known to
have none yet (reported, to be fixed in their builder); the test fails when one is fixed, so the
list cannot go stale.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from kit.charts import theme
from kit.charts.figure import read_specs

PAGE_BACKGROUND = "#FFFFFF"  # handout.css: body { background: #fff }; the theme's charts: background "white"
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# (mark type, colour field): the second cue these charts give instead of a shape or a dash
EXCEPTIONS = {
    ("rect", "status"): "bars against a target: the target line is drawn and each bar is labelled with its value",
    ("shape", "label"): "the Moldova map: Transnistria and Gagauzia are named on the map, with leader lines",
}
# (mark type, colour field): charts with a colour under 3:1 and no second cue yet (kit/charts builders)
LACKING: dict = {}


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#RRGGBB`` colour."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)

    def channel(i):
        c = int(value[i:i + 2], 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)


def contrast(a: str, b: str = PAGE_BACKGROUND) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def faint(colour) -> bool:
    return isinstance(colour, str) and bool(re.fullmatch(r"#[0-9A-Fa-f]{3}([0-9A-Fa-f]{3})?", colour)) and contrast(colour) < 3


def test_contrast_is_computed_as_wcag_says():
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#FFFFFF") == pytest.approx(1)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the grey that just passes AA for text


def test_every_palette_colour_has_its_own_second_cue():
    """Each colour under 3:1 on the page has a shape and a dash of its own to go with it."""
    low = [c for c in theme.PALETTE if contrast(c) < 3]
    assert low, "the Okabe-Ito palette has colours under 3:1 on white (orange, sky blue, yellow)"
    assert len(theme.SHAPES) == len(theme.DASHES) == len(theme.PALETTE)
    assert len(set(theme.SHAPES)) == len(theme.SHAPES)
    assert len({tuple(d) for d in theme.DASHES}) == len(theme.DASHES)
    assert theme.config()["config"]["background"] == "white"


# --------------------------------------------------------------------------- the lessons' charts


def _marks(node):
    for mark in node.get("marks") or []:
        yield mark
        yield from _marks(mark)


def _scales(node, found=None):
    found = {} if found is None else found
    for scale in node.get("scales") or []:
        found[scale["name"]] = scale
    for mark in node.get("marks") or []:
        _scales(mark, found)
    return found


def _channels(mark, names):
    """``{channel: [(scale, field)]}`` for the mark's encodings of ``names`` (enter and update, each rule of a condition)."""
    encode = mark.get("encode") or {}
    out = {}
    for channel in names:
        rules = (encode.get("update") or {}).get(channel) or (encode.get("enter") or {}).get(channel) or []
        for rule in rules if isinstance(rules, list) else [rules]:
            if isinstance(rule, dict) and rule.get("scale") and isinstance(rule.get("field"), str):
                out.setdefault(channel, []).append((rule["scale"], rule["field"]))
    return out


def uncued(spec: dict) -> list[tuple[str, str, list[str]]]:
    """(mark type, colour field, faint colours) for each mark coloured by a scale that can give a colour
    under 3:1 and has no second cue (see the module docstring)."""
    scales = _scales(spec)
    marks = list(_marks(spec))
    shaped = {field for m in marks for _, field in sum(_channels(m, ("shape", "strokeDash")).values(), [])}
    found = []
    for mark in marks:
        placed = {field for _, field in sum(_channels(mark, ("x", "y")).values(), [])}
        for scale_name, field in sum(_channels(mark, ("fill", "stroke")).values(), []):
            scale = scales.get(scale_name) or {}
            range_ = scale.get("range")
            colours = range_ if isinstance(range_, list) else theme.PALETTE if range_ == "category" else []
            low = sorted({c for c in colours if faint(c)})
            if low and field not in shaped and field not in placed:
                found.append((mark.get("type"), field, low))
    return found


@pytest.mark.kernel
@pytest.mark.skipif(not LESSONS, reason="no lessons in notebooks/ yet")
def test_faint_colours_in_the_lessons_charts_come_with_a_second_cue(lesson_site):
    lacking, excused, known = [], set(), set()
    for notebook in LESSONS:
        for number, spec in enumerate(read_specs((lesson_site / f"{notebook.stem}.html").read_text(encoding="utf-8")), 1):
            for kind, field, low in uncued(spec):
                if (kind, field) in EXCEPTIONS:
                    excused.add((kind, field))
                    continue
                if (kind, field) in LACKING:
                    known.add((kind, field))
                    continue
                lacking.append(f"{notebook.stem}, chart {number}: {kind} marks coloured by {field!r} use {', '.join(low)} "
                               f"(under 3:1 on {PAGE_BACKGROUND}) with no shape, dash or axis for the same field")
    assert lacking == [], "\n".join(lacking)
    assert known == set(LACKING), f"now with a second cue, take them off LACKING: {set(LACKING) - known}"
