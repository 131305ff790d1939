"""The kit's look: the Okabe-Ito palette, its second cues (shapes, dashes) and the Altair theme.

The theme is registered and made active by :func:`use`, which
:func:`kit.charts.render.enable` calls; importing this module changes no Altair state::

    >>> import altair as alt
    >>> from kit.charts import theme
    >>> theme.use()
    'kit'
    >>> alt.theme.active, alt.theme.get()()["config"]["range"]["category"] == theme.PALETTE
    ('kit', True)

Colour is never the only cue: a builder that separates categories by colour also gives each
one a point shape (``SHAPES``) or a line dash (``DASHES``), in the palette's order.
"""

from __future__ import annotations

import altair as alt

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision
# deficiencies. Yellow (#F0E442) comes last: it is faint on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]
# the second cue: a point shape and a line dash per category, in the same order as the colours
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 4, 1, 4], [1, 3], [10, 2, 2, 2, 2, 2]]
GREY, INK, MUTED = "#BBBBBB", "#222222", "#555555"
FONT = "Helvetica Neue, Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif"
MAX_WIDTH = 640   # pixels: an A4 page with 2 cm margins at 96 dpi is about 643 px wide
WIDTH, HEIGHT = 440, 260
THEME = "kit"


def config() -> alt.theme.ThemeConfig:
    """The theme: fonts, sizes and the palette every kit chart is drawn with."""
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "padding": 8,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "range": {"category": PALETTE},
            "title": {"fontSize": 15, "fontWeight": "bold", "anchor": "start", "color": INK,
                      "subtitleFontSize": 12, "subtitleColor": MUTED, "offset": 10},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
                     "labelColor": INK, "titleColor": INK, "gridColor": "#E6E6E6", "domainColor": "#888888",
                     "tickColor": "#888888", "labelLimit": 180},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
                       "labelColor": INK, "titleColor": INK, "symbolStrokeWidth": 2, "labelLimit": 220},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "text": {"fontSize": 11, "color": INK},
            "line": {"strokeWidth": 2.2},
            "point": {"size": 55, "filled": True},
            "bar": {"color": PALETTE[0]},
            "geoshape": {"stroke": "white", "strokeWidth": 0.5},
        }
    }


def use() -> str:
    """Register the kit theme with Altair (once) and make it the active theme; return its name."""
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(config)
    alt.theme.enable(THEME)
    return THEME
