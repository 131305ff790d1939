"""A chart as a handout ``<figure>``: a static SVG, the caption (description and source line), the packed spec.

The SVG is drawn in the kernel by vl-convert for readers without JavaScript, inside
``<noscript>`` (with JavaScript on, the browser keeps it as text: it never builds the SVG it
would throw away, and the page shows it only if the chart cannot be drawn); the page's single
inlined copy of Vega (see :mod:`kit.site.vega`) draws the interactive chart. The spec is compiled Vega JSON, gzipped and base64-encoded (a fifth to a
third of its size; the page inflates it as it inflates Vega); :func:`read_spec` reads it back.
The figure is plain HTML with deterministic ids, so two builds give the same bytes::

    >>> spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    ...         "description": "Two bars.", "mark": "bar",
    ...         "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]},
    ...         "encoding": {"x": {"field": "a", "type": "nominal"},
    ...                      "y": {"field": "b", "type": "quantitative"}},
    ...         "usermeta": {"kit": {"source": "Source: example"}}}
    >>> html = figure_html(spec, svg="<svg></svg>", counter=1)
    >>> html.splitlines()[0]
    '<figure class="kit-chart" id="kit-chart-1-3dd8b7d67b" data-kit-chart="1" data-kit-mode="vega-lite">'
    >>> "Source: example" in html and "Two bars." in html
    True
    >>> read_spec(html)["description"]
    'Two bars.'
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html as _html
import json
import math
import re

# What a chart figure's spec block and containers are called; the page's embed code
# (kit.site.vega) looks for the same names.
SPEC_CLASS = "kit-chart-spec"
VIEW_CLASS = "kit-chart-view"
FALLBACK_CLASS = "kit-chart-fallback"
SPEC_TYPE = "application/gzip"  # the spec element's type: gzip, in base64


def compile_vega(spec: dict) -> dict:
    """Compile a Vega-Lite spec to Vega in the kernel (vl-convert), so the page need not.

    Measured on the lessons: drawing from Vega specs saves 0.1-0.2 s per page load, as the
    browser never compiles Vega-Lite (nor JIT-compiles its compiler).
    """
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    from .keyboard import quiet_brushes

    return quiet_brushes(vlc.vegalite_to_vega(spec, vl_version=vl_version_for_vl_convert()))


def static_svg(vega_spec: dict) -> str:
    """Draw a Vega spec to SVG in the kernel with vl-convert (the print and no-JS fallback)."""
    import vl_convert as vlc

    return vlc.vega_to_svg(vega_spec)


def chart_text(spec: dict) -> dict:
    """The description and source line a chart carries (``usermeta.kit`` first).

    >>> chart_text({"description": "alt", "usermeta": {"kit": {"source": "Source: NATO"}}})
    {'description': 'alt', 'source': 'Source: NATO'}
    """
    kit_meta = ((spec.get("usermeta") or {}).get("kit") or {}) if isinstance(spec, dict) else {}
    description = kit_meta.get("description") or spec.get("description") or ""
    source = kit_meta.get("source") or ""
    if isinstance(source, (list, tuple)):
        source = " ".join(str(s) for s in source)
    return {"description": str(description).strip(), "source": str(source).strip()}


def spec_json(spec: dict) -> str:
    """The spec as compact JSON that is safe inside a ``<script>`` element.

    >>> spec_json({"title": "</script><b>"})
    '{"title":"\\\\u003c/script>\\\\u003cb>"}'
    """
    text = json.dumps(no_nan(spec), separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    # "<" only occurs inside JSON strings, where \\u003c is the same character
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def no_nan(value):
    """NaN and infinities become null (unknown), as JSON has no NaN and Vega reads null as missing.

    >>> no_nan({"a": [1.5, float("nan")], "b": float("inf")})
    {'a': [1.5, None], 'b': None}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: no_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [no_nan(v) for v in value]
    return value


def chart_id(spec_text: str, counter: int) -> str:
    """A deterministic id: the chart's number in its notebook and a hash of its spec."""
    return f"kit-chart-{counter}-{hashlib.sha256(spec_text.encode('utf-8')).hexdigest()[:10]}"


def figure_html(spec: dict, svg: str, counter: int, mode: str = "vega-lite") -> str:
    """The ``<figure>`` for one chart: fallback SVG, caption, and the spec (``mode``: vega or vega-lite) for the page's embed code."""
    text = spec_json(spec)
    cid = chart_id(text, counter)
    caption = chart_text(spec)
    esc = _html.escape
    label = caption["description"] or "Chart"
    lines = [
        f'<figure class="kit-chart" id="{cid}" data-kit-chart="{counter}" data-kit-mode="{esc(mode)}">',
        f'<div class="{VIEW_CLASS}">',
        f'<noscript><div class="{FALLBACK_CLASS}">{fallback_svg(svg, cid, label)}</div></noscript>',
        "</div>",
        "<figcaption>",
    ]
    if caption["description"]:
        lines.append(f'<p class="kit-chart-description" id="{cid}-description">{esc(caption["description"])}</p>')
    if caption["source"]:
        # a source line the chart already draws (as its bottom title) is for screen readers only here
        hidden = " kit-sr-only" if _draws_text(spec, caption["source"]) else ""
        lines.append(f'<p class="kit-chart-source{hidden}">{esc(caption["source"])}</p>')
    # the spec before the caption: a <figure>'s caption is its first or last child (HTML5)
    lines[4:4] = [f'<script type="{SPEC_TYPE}" class="{SPEC_CLASS}">{pack(text)}</script>']
    lines += ["</figcaption>", "</figure>"]
    return "\n".join(lines)


def pack(text: str) -> str:
    """``text`` as UTF-8, gzipped (level 9, no timestamp: the same bytes every time), in base64, as the page inflates it.

    >>> pack("a") == pack("a"), gzip.decompress(base64.b64decode(pack("é"))).decode()
    (True, 'é')
    """
    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")


_SPEC = re.compile(r'<script type="([^"]+)" class="' + SPEC_CLASS + r'">(.*?)</script>', re.S)


def read_spec(html: str) -> dict:
    """The spec of the (first) chart figure in ``html``, packed or plain JSON."""
    found = _SPEC.search(html)
    if not found:
        raise ValueError("no chart spec in this HTML (a <script class=\"kit-chart-spec\"> element)")
    kind, text = found.groups()
    if kind == SPEC_TYPE:
        text = gzip.decompress(base64.b64decode(text)).decode("utf-8")
    return json.loads(text)


def read_specs(html: str) -> list[dict]:
    """The specs of every chart figure in ``html`` (a page), in order."""
    return [read_spec(m.group(0)) for m in _SPEC.finditer(html)]


def _draws_text(spec: dict, text: str) -> bool:
    """True if the chart's own title already shows ``text`` (the kit's charts draw their source line).

    >>> _draws_text({"title": {"text": ["Source: NATO. Defence", "expenditure."]}}, "Source: NATO. Defence expenditure.")
    True
    >>> _draws_text({"title": "Spending"}, "Source: NATO")
    False
    """
    title = spec.get("title") if isinstance(spec, dict) else None
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, (list, tuple)):
        title = " ".join(str(t) for t in title)
    squash = lambda value: " ".join(str(value or "").split())  # noqa: E731
    return bool(title) and squash(text) in squash(title)


_ID = re.compile(r'\bid="([^"]+)"')


def _scope_svg_ids(svg: str, prefix: str) -> str:
    """Prefix the ids inside an SVG (clip paths, gradients) so several charts on a page never clash.

    >>> _scope_svg_ids('<clipPath id="clip1"/><g clip-path="url(#clip1)"/>', "c")
    '<clipPath id="c-clip1"/><g clip-path="url(#c-clip1)"/>'
    """
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|url\(#|href="#)(' + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r')(?=["\)])')
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


_GEOMETRY = re.compile(r'(\s(?:d|transform|x|y|x1|x2|y1|y2|width|height)=")([^"]*)(")')
_DECIMALS = re.compile(r"(\d+\.\d)\d+")
# what screen readers would read inside the fallback, whose <svg role="img"> makes them presentational
_INNER_ARIA = re.compile(r'\s(?:aria-label|aria-roledescription|aria-hidden|role|pointer-events)="[^"]*"')


def fallback_svg(svg: str, scope: str, label: str) -> str:
    """A chart's static SVG as shown beside or instead of the live chart: slimmed (:func:`slim_svg`),
    its ids prefixed with ``scope`` (several charts share one page) and named as one image by ``label``."""
    return _accessible_svg(_scope_svg_ids(slim_svg(svg), scope), label)


def slim_svg(svg: str) -> str:
    """The static fallback, lighter: coordinates cut to one decimal (0.1 px, 0.03 mm in print) and,
    below the root, no ARIA attributes (the root is named as one image: see :func:`_accessible_svg`).
    Text is never touched. Measured on the lessons: the fallbacks shrink by a third (lesson 02: 317 to 188 kB).

    >>> slim_svg('<svg class="marks"><path role="graphics-symbol" d="M163.754,196.16L1.05,2"/><text x="1.234">4.4812</text></svg>')
    '<svg class="marks"><path d="M163.7,196.1L1.0,2"/><text x="1.2">4.4812</text></svg>'
    """
    head, gt, body = svg.partition(">")
    if not gt:
        return svg
    body = _INNER_ARIA.sub("", body)
    body = _GEOMETRY.sub(lambda m: m.group(1) + _DECIMALS.sub(r"\1", m.group(2)) + m.group(3), body)
    return head + gt + body


def _accessible_svg(svg: str, label: str) -> str:
    """Give the fallback SVG an image role and the chart's description as its name.

    >>> _accessible_svg('<svg width="1"><g/></svg>', "A & B")
    '<svg role="img" aria-label="A &amp; B" width="1"><g/></svg>'
    """
    if not svg.startswith("<svg"):
        return svg
    return f'<svg role="img" aria-label="{_html.escape(label)}"' + svg[len("<svg"):]
