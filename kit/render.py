"""Compatibility: the renderer moved to :mod:`kit.charts.render` (and the handout figure to :mod:`kit.charts.figure`).

Released exercise notebooks already in classrooms say ``import kit.render`` and
``kit.render.enable()``; this module keeps that working. Its ``enable()`` picks the renderer
for where the notebook runs (live, handout or grading, as :func:`kit.charts.render.enable`)
and leaves Altair's theme alone, as it always has: the exercises' own charts keep Altair's look.

    >>> import kit.render
    >>> kit.render.enable("live")     # in JupyterLab: the chart as Vega plus a static SVG
    'kit-live'

New code calls ``kit.charts.render.enable()``.
"""

from __future__ import annotations

from .charts import render as _render
from .charts.figure import (
    FALLBACK_CLASS,
    SPEC_CLASS,
    VIEW_CLASS,
    chart_id,
    chart_text,
    compile_vega,
    figure_html,
    spec_json,
    static_svg,
)
from .charts.render import ENV_VAR, HANDOUT_RENDERER, handout_renderer, in_handout, live_renderer, register

__all__ = ["enable", "in_handout", "register", "handout_renderer", "live_renderer", "compile_vega", "static_svg", "chart_text",
           "spec_json", "chart_id", "figure_html", "ENV_VAR", "HANDOUT_RENDERER", "SPEC_CLASS", "VIEW_CLASS",
           "FALLBACK_CLASS"]


def enable(mode: str | None = None) -> str:
    """Enable the renderer for ``mode`` (None: from the environment); return its name."""
    return _render.enable(mode, theme=False)
