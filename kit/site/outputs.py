"""One cell output as a handout shows it, the same bytes on every machine and every run.

:class:`Page` prepares each output of a notebook for the page template (the first type
present in ``MIME_ORDER`` is the one shown): it scrubs addresses and local paths, counts
the charts, numbers Altair's and pandas' random ids, right-aligns the numbers in pandas
tables, and notes what it left out (widget views, charts with no HTML)::

    >>> page = Page("x", None, set())
    >>> page.prepare({"output_type": "stream", "name": "stdout", "text": "<object at 0x7f3a2b1c4d50>"}, 1)["text"]
    '<object at 0x…>'
"""

from __future__ import annotations

import re
from pathlib import Path

from ..notebook import source_text
from ..render import SPEC_CLASS
from ..terminal import strip_escapes
from .markup import link_pages
from .valid import drop_border, lift_styles

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# Output types in order of preference; the first one present is shown.
MIME_ORDER = (
    "text/html",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/markdown",
    "text/latex",
    "text/plain",
)

_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{6,}")
_ALTAIR_ID = re.compile(r"altair-viz-[0-9a-f]{8,}")
_STYLER_ID = re.compile(r"\bT_[0-9a-f]{5}(?=[_\"' ,.:{\[])")  # pandas Styler's random table ids


def scrub(text: str, paths=()) -> str:
    """Remove what differs between machines and runs: colour codes, memory addresses, local paths.

    >>> scrub("<Foo object at 0x7f3a2b1c4d50> in /home/t/kit/x.py", paths=["/home/t/kit"])
    '<Foo object at 0x…> in x.py'
    """
    text = strip_escapes(text)
    text = _ADDRESS.sub("at 0x…", text)
    for path in paths:
        if path:
            text = text.replace(str(path).rstrip("/") + "/", "").replace(str(path), ".")
    return text


class Page:
    """What rendering one notebook collects: the HTML pieces, chart count and warnings."""

    def __init__(self, name: str, folder: Path | None, pages: set[str], scrub_paths=()):
        self.name, self.folder, self.pages, self.scrub_paths = name, folder, pages, tuple(scrub_paths)
        self.charts = 0
        self.needs_vega = False
        self.vega_first = False  # Altair's own chart code runs inline: Vega must come before it
        self.warnings: list[str] = []
        self.styles: list[str] = []  # the outputs' <style> rules, written in the page's head (kit.site.valid)
        self._ids: dict[str, str] = {}

    def warn(self, cell_no: int, message: str):
        self.warnings.append(f"{self.name}, cell {cell_no}: {message}")

    def deterministic_ids(self, markup: str) -> str:
        """Altair's and pandas Styler's HTML use random ids: number them per page instead.

        >>> page = Page("x", None, set())
        >>> page.deterministic_ids('<div id="altair-viz-0123abcd"></div><style>#T_9f3a1_row0 {}</style><table id="T_9f3a1">')
        '<div id="altair-viz-1"></div><style>#T_kit1_row0 {}</style><table id="T_kit1">'
        """

        def fix(prefix):
            def number(match):
                return self._ids.setdefault(match.group(0), f"{prefix}{sum(v.startswith(prefix) for v in self._ids.values()) + 1}")

            return number

        markup = _ALTAIR_ID.sub(fix("altair-viz-"), markup)
        return _STYLER_ID.sub(fix("T_kit"), markup)

    def prepare(self, out: dict, cell_no: int) -> dict | None:
        """The output as the page shows it (scrubbed, ids numbered, numbers aligned), or None to leave it out.

        The page template (``templates/kit_handout/``) then picks the first type of
        ``MIME_ORDER`` present and writes it; this only changes the text of that type.

        >>> Page("x", None, set()).prepare({"output_type": "stream", "name": "stdout", "text": "  "}, 1) is None
        True
        """
        kind = out.get("output_type")
        if kind == "stream":
            text = scrub(source_text(out.get("text")), self.scrub_paths)
            if not text.strip():
                return None
            if out.get("name") == "stderr":
                self.warn(cell_no, f"printed to stderr: {text.strip().splitlines()[-1][:120]}")
            return {**out, "text": text}
        if kind == "error":
            text = scrub("\n".join(out.get("traceback") or [f"{out.get('ename')}: {out.get('evalue')}"]), self.scrub_paths)
            return {**out, "traceback": [text]}
        if kind not in ("display_data", "execute_result"):
            return None
        data = out.get("data") or {}
        if WIDGET_MIME in data:
            self.warn(cell_no, "a widget view was left out (widgets need a running kernel; show a static result in handouts)")
            return None
        mime = next((m for m in MIME_ORDER if m in data), None)
        if mime is None:
            vegalite = next((m for m in data if m.startswith("application/vnd.vegalite")), None)
            if vegalite:
                self.warn(cell_no, f"a chart had only {vegalite} output and was left out (use kit.render.enable())")
            return None
        return {**out, "data": {**data, mime: self._text(mime, source_text(data[mime]))}, "metadata": out.get("metadata") or {}}

    def _text(self, mime: str, text: str) -> str:
        if mime == "text/html":
            if 'class="dataframe"' in text:
                text = align_numbers(text)
            if f'class="{SPEC_CLASS}"' in text:
                self.charts += text.count(f'class="{SPEC_CLASS}"')
                self.needs_vega = True
            elif "vegaEmbed" in text:  # Altair's own renderer: works through VEGA_DEBUG
                self.needs_vega = self.vega_first = True
            text, styles = lift_styles(drop_border(self.deterministic_ids(text)))
            self.styles += [css for css in styles if css not in self.styles]
            return link_pages(text, self.pages)
        if mime in ("image/png", "image/jpeg"):
            return text.strip()
        if mime in ("text/latex", "text/plain"):
            return scrub(text, self.scrub_paths)
        return text


_TABLE = re.compile(r'<table[^>]*class="dataframe"[^>]*>.*?</table>', re.S)
_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)([^>]*)>(.*?)</\1>", re.S)
_NUMBER = re.compile(r"^[-+−]?[\d,. ]*\d[\d,. ]*%?$|^(NaN|<NA>|&lt;NA&gt;|None|nan)$")


def align_numbers(markup: str) -> str:
    """Right-align the numeric columns of pandas tables (class ``num`` on their cells).

    >>> t = '<table class="dataframe"><thead><tr><th></th><th>country</th><th>share</th></tr></thead>'
    >>> t += '<tbody><tr><th>0</th><td>Poland</td><td>4.48</td></tr></tbody></table>'
    >>> align_numbers(t).count('class="num"')
    2
    """

    def table(match):
        text = match.group(0)
        body = text.split("<tbody>", 1)[-1]
        columns: dict[int, bool] = {}
        for row in _ROW.findall(body):
            for i, (tag, _, value) in enumerate(_CELL.findall(row)):
                if tag == "td":
                    columns[i] = columns.get(i, True) and bool(_NUMBER.match(value.strip()))
        numeric = {i for i, yes in columns.items() if yes}
        if not numeric:
            return text

        def row(match_row):
            cells = iter(range(10**6))

            def cell(m):
                i = next(cells)
                if i in numeric and "class=" not in m.group(2):
                    return f'<{m.group(1)}{m.group(2)} class="num">{m.group(3)}</{m.group(1)}>'
                return m.group(0)

            return _CELL.sub(cell, match_row.group(0))

        return _ROW.sub(row, text)

    return _TABLE.sub(table, markup)
