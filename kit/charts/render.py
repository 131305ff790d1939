"""How Altair charts are displayed: chosen by one explicit call, :func:`enable`, never on import.

Three modes, one renderer each:

- ``"live"``: the renderer that works where the kernel runs (:mod:`kit.charts.frontends`). In
  JupyterLab, Jupyter Notebook and nbclient that is ``kit-live``: the chart compiled to Vega in
  the kernel (``application/vnd.vega.v5+json``, which JupyterLab's built-in Vega renderer draws
  interactively, offline, with no JavaScript stored in the notebook) and a static SVG drawn in the
  kernel (what nbconvert's and nbgrader's HTML pages show); in Google Colab and on Kaggle it is
  Altair's HTML renderer (Vega from a CDN);
- ``"handout"``: the kit's ``kit-handout`` renderer, which writes one ``<figure>`` per chart
  (:mod:`kit.charts.figure`: a static SVG drawn in the kernel, a caption with the chart's
  description and source line, and the compiled spec for the page's embed code);
- ``"grading"``: ``kit-grading``, which draws nothing (a grading kernel needs the charts'
  data, not their pictures).

``enable()`` with no mode reads the environment the kernel was started with: the grader sets
``KIT_GRADING=1``, the handout build ``KIT_HANDOUT=1``; otherwise the mode is live::

    >>> import altair as alt
    >>> from kit.charts import render
    >>> render.enable("grading")
    'kit-grading'
    >>> alt.renderers.get()({})
    {'text/plain': '<Altair chart: not drawn while grading>'}
    >>> render.detected_mode({"KIT_HANDOUT": "1"}), render.detected_mode({"KIT_GRADING": "1", "KIT_HANDOUT": "1"})
    ('handout', 'grading')
    >>> render.enable("live")   # here: not Colab, Kaggle or VS Code
    'kit-live'
    >>> data, metadata = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q")._repr_mimebundle_()
    >>> sorted(data)
    ['application/vnd.vega.v5+json', 'image/svg+xml', 'text/plain']

``enable()`` also makes the kit's theme (:mod:`kit.charts.theme`) the active one, unless
``theme=False`` (:mod:`kit.render`, which released exercise notebooks call, keeps their
charts in Altair's own look, as it always has).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os

from . import frontends
from . import theme as _theme
from .figure import (
    chart_text,
    compile_vega,
    fallback_svg,
    figure_html,
    no_nan,
    static_svg,
)
from .prose import paper_lines

MODES = ("live", "handout", "grading")
ENV_VAR = "KIT_HANDOUT"
GRADING_ENV_VAR = "KIT_GRADING"
LIVE_RENDERER = frontends.KIT_LIVE
VEGA_MIME = "application/vnd.vega.v5+json"   # JupyterLab's built-in renderer (Vega 5.33 in JupyterLab 4.6)
VEGA_SCHEMA = "https://vega.github.io/schema/vega/v5.json"
# vega-embed's options in JupyterLab: SVG marks (crisp, readable by screen readers), and only the
# export actions in the "..." menu (the others open the online Vega editor)
EMBED_OPTIONS = {"renderer": "svg", "actions": {"export": True, "source": False, "compiled": False, "editor": False}}
HANDOUT_RENDERER = "kit-handout"
GRADING_RENDERER = "kit-grading"
NOT_DRAWN = "<Altair chart: not drawn while grading>"

_counter = itertools.count(1)


def _set(environ, name: str) -> bool:
    return environ.get(name, "") not in ("", "0")


def in_handout() -> bool:
    """True while the handout build executes a notebook (``KIT_HANDOUT`` is set and not ``0``).

    >>> in_handout() == (os.environ.get("KIT_HANDOUT", "") not in ("", "0"))
    True
    """
    return _set(os.environ, ENV_VAR)


def detected_mode(environ=None) -> str:
    """The mode the environment asks for: ``grading``, then ``handout``, else ``live``."""
    environ = os.environ if environ is None else environ
    if _set(environ, GRADING_ENV_VAR):
        return "grading"
    return "handout" if _set(environ, ENV_VAR) else "live"


def enable(mode: str | None = None, *, theme: bool = True) -> str:
    """Enable the renderer for ``mode`` ("live", "handout" or "grading"; None: from the
    environment, see :func:`detected_mode`) and, with ``theme``, the kit's theme; return the renderer's name."""
    import altair as alt

    chosen = detected_mode() if mode is None else mode
    if chosen not in MODES:
        raise ValueError(f"render.enable: unknown mode {chosen!r}; use one of {', '.join(MODES)}")
    if theme:
        _theme.use()
    register()
    if chosen == "live":
        name = frontends.detect().renderer
        alt.renderers.enable(name)
        return name
    name = HANDOUT_RENDERER if chosen == "handout" else GRADING_RENDERER
    alt.renderers.enable(name)
    return name


def register() -> None:
    """Register the ``kit-live``, ``kit-handout`` and ``kit-grading`` renderers with Altair (idempotent)."""
    import altair as alt

    for name, renderer in ((LIVE_RENDERER, live_renderer), (HANDOUT_RENDERER, handout_renderer),
                           (GRADING_RENDERER, grading_renderer)):
        if name not in alt.renderers.names():
            alt.renderers.register(name, renderer)


def live_renderer(spec: dict, **metadata) -> tuple[dict, dict]:
    """Altair renderer for notebooks: the chart as Vega (drawn, interactive, by the front end) and as SVG.

    Returns a mime bundle and its metadata. A front end shows the richest type it knows:
    JupyterLab the Vega spec (with :data:`EMBED_OPTIONS`), nbconvert's HTML the SVG, a terminal
    the text. The SVG's ids are prefixed with a hash of the spec, so several charts inlined in
    one HTML page never share a clip path.
    """
    vega = compile_vega(no_nan(spec))
    # vl-convert compiles for Vega 6; the features the kit's charts use (params, bound inputs, legend
    # and interval selections, tooltips) run on JupyterLab's Vega 5.33 (tests/lessons/test_lab_offline.py),
    # which would otherwise warn about the version in the browser's console
    vega["$schema"] = VEGA_SCHEMA
    text = chart_label(vega)
    prefix = "kit-" + hashlib.sha256(json.dumps(vega, sort_keys=True).encode("utf-8")).hexdigest()[:10]
    svg = fallback_svg(static_svg(vega), prefix, text or "Chart")
    data = {VEGA_MIME: vega, "image/svg+xml": svg, "text/plain": f"<chart: {text or 'no description'}>"}
    return data, {VEGA_MIME: {"embed_options": EMBED_OPTIONS}}


def chart_label(spec: dict) -> str:
    """What a chart is called for a screen reader: its description, else its title, else nothing.

    >>> chart_label({"description": "Two bars.", "title": "Spending"}), chart_label({"title": {"text": ["A", "B"]}})
    ('Two bars.', 'A B')
    """
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, (list, tuple)):
        title = " ".join(str(t) for t in title)
    return str(spec.get("description") or title or "").strip()


def handout_renderer(spec: dict, **metadata) -> dict:
    """Altair renderer for handouts: a mime bundle with the chart's ``<figure>``."""
    vega_spec = compile_vega(no_nan(spec))
    svg = static_svg(vega_spec)
    paper = paper_lines(vega_spec)
    if paper:   # the page swaps these title lines when printed: a hover or a slider means nothing on paper
        vega_spec.setdefault("usermeta", {}).setdefault("kit", {})["paper"] = paper
    counter = next(_counter)
    return {
        "text/html": figure_html(vega_spec, svg=svg, counter=counter, mode="vega"),
        "text/plain": f"<chart: {chart_text(spec)['description'] or 'no description'}>",
    }


def grading_renderer(spec: dict, **metadata) -> dict:
    """Altair renderer for grading kernels: a line of text, nothing drawn."""
    return {"text/plain": NOT_DRAWN}
