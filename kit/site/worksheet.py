"""A lesson's no-code worksheet: its ``worksheet-question`` cells, each with a static copy of the figure it uses.

    from kit.site.worksheet import questions, render_worksheet
    items = questions(executed_nb, "notebooks/02_defence_spending.ipynb")   # KitError if a figure is missing or late
    text = render_worksheet(executed_nb, name="02_defence_spending", build_key="...")

``python -m kit build`` writes it to ``site/worksheets/<lesson>.html`` from the same executed
notebook as the handout (see ``kit.site.build``). A question is a markdown cell tagged
``worksheet-question`` whose metadata names its figure (the id of an earlier cell with an output:
a chart or a table), its skill and its writing lines::

    {"worksheet": {"figure": "02-08", "skill": "compare", "lines": 4}}

The page holds no JavaScript: each figure is its static drawing (the chart's SVG made at build
time) with its caption, or the table; it prints on A4 with no figure split across pages. A chart
whose titles tell how to use it on screen (hover, click, drag, a slider: see
:data:`kit.charts.prose.HINTS`) is redrawn for paper without those words (:func:`print_spec`). The
answers (``worksheet-answer`` cells) are never on it: they are in the teacher's edition
(``kit.site.teacher``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from ..charts.figure import figure_html, read_spec, static_svg
from ..charts.prose import HINTS, drop_hints, paper_description
from ..errors import KitError
from ..lessons.schema import SKILLS, cell_where, tags_of
from ..notebook import source_text
from .exporter import DROP_CELL, TEMPLATES, common_fields
from .lesson_card import lesson_of, title_of
from .markup import markdown
from .outputs import MIME_ORDER, Page

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.S | re.I)
_FIGURE = re.compile(r'<figure class="kit-chart"[^>]*\bdata-kit-chart="(\d+)"[^>]*\bdata-kit-mode="([^"]+)"[^>]*>.*?</figure>', re.S)
_NOSCRIPT = re.compile(r"</?noscript>")
_TEXT_KEYS = ("title", "subtitle", "text")   # where a Vega or Vega-Lite spec keeps the words it draws as titles
_HIDDEN = DROP_CELL | {"remove-output"}   # a figure cell with one of these tags has no output on the handout


@dataclass
class Question:
    """One worksheet question: its cell, its figure's cell, skill, writing lines and the answer cell after it."""

    number: int
    index: int
    cell: dict
    figure: dict
    figure_index: int
    skill: str
    lines: int
    answer: dict | None


def _shown_outputs(cell: dict) -> list[dict]:
    return [o for o in cell.get("outputs") or [] if o.get("output_type") in ("display_data", "execute_result")
            and any(m in (o.get("data") or {}) for m in MIME_ORDER)]


def questions(nb: dict, where: str) -> list[Question]:
    """The worksheet questions of an executed notebook, in order, checked against their figures.

    Raises :class:`KitError` naming the notebook and the cell when a question's figure id names
    no cell, names a cell after the question, or names a cell with no output on the handout.
    """
    cells = nb.get("cells", [])
    ids = {cell.get("id"): i for i, cell in enumerate(cells) if cell.get("id")}
    found, problems = [], []
    for i, cell in enumerate(cells):
        if "worksheet-question" not in tags_of(cell):
            continue
        at = cell_where(where, i, cell)
        spec = (cell.get("metadata") or {}).get("worksheet") or {}
        figure_id = spec.get("figure")
        j = ids.get(figure_id)
        if j is None:
            problems.append(f"{at}: the worksheet question's figure {figure_id!r} is no cell of the notebook "
                            "(metadata['worksheet']['figure'] should be the id of the cell whose output it uses)")
            continue
        if j >= i:
            problems.append(f"{at}: the worksheet question's figure {figure_id!r} is cell {j + 1}, which comes after the "
                            "question (or is the question); the figure must come before it")
            continue
        figure = cells[j]
        if figure.get("cell_type") != "code" or not _shown_outputs(figure) or set(tags_of(figure)) & _HIDDEN:
            problems.append(f"{at}: the worksheet question's figure {figure_id!r} (cell {j + 1}) has no output on the handout "
                            "(it should be a code cell that draws a chart or a table, not tagged to be left out)")
            continue
        after = cells[i + 1] if i + 1 < len(cells) and "worksheet-answer" in tags_of(cells[i + 1]) else None
        skill = spec.get("skill") if spec.get("skill") in SKILLS else ""
        lines = spec.get("lines") if isinstance(spec.get("lines"), int) and 2 <= spec.get("lines") <= 8 else 4
        found.append(Question(len(found) + 1, i, cell, figure, j, skill, lines, after))
    if problems:
        raise KitError("\n".join(problems))
    return found


def print_spec(spec):
    """A chart spec for paper: every title, subtitle and axis title without its on-screen hints
    (:func:`kit.charts.prose.drop_hints`); a title left empty goes. Data is never touched.

    >>> print_spec({"title": {"text": "Events", "subtitle": ["Hover a point to read the event.", "Hollow: weak."]},
    ...             "axes": [{"title": "Drag here, or use the Zoom sliders below, to zoom into a period"}],
    ...             "data": [{"values": [{"title": "Hover a point to read the event."}]}]})
    {'title': {'text': 'Events', 'subtitle': ['Hollow: weak.']}, 'axes': [{}], 'data': [{'values': [{'title': 'Hover a point to read the event.'}]}]}
    """
    if isinstance(spec, list):
        return [print_spec(v) for v in spec]
    if not isinstance(spec, dict):
        return spec
    out = {}
    for key, value in spec.items():
        if key == "usermeta" and isinstance((value or {}).get("kit"), dict) and isinstance(value["kit"].get("description"), str):
            out[key] = {**value, "kit": {**value["kit"], "description": paper_description(value["kit"]["description"])}}
        elif key in ("data", "datasets", "usermeta"):
            out[key] = value
        elif key == "description" and isinstance(value, str):
            out[key] = paper_description(value)   # one year shown, no slider
        elif key in _TEXT_KEYS and isinstance(value, str):
            if _paper_text(value) or not value:   # a title of nothing but hints goes
                out[key] = _paper_text(value)
        elif key in _TEXT_KEYS and isinstance(value, list) and all(isinstance(v, str) for v in value):
            lines = [_paper_text(v) for v in value if _paper_text(v) or not v]
            if lines or not value:
                out[key] = lines
        elif key == "signal" and isinstance(value, str):
            # an axis title also names the marks for screen readers: "<title>: " + value
            for hint in HINTS:
                value = value.replace(json.dumps(hint + ": "), '""')
            out[key] = value
        else:
            out[key] = print_spec(value)
    return out


def _paper_text(text: str) -> str:
    """A title line for paper: the line itself when it holds no hint, else what is left of it ('' for nothing)."""
    kept = drop_hints(text)
    return text if kept == " ".join(text.split()) else kept


def _paper_chart(match: re.Match) -> str:
    """A chart ``<figure>`` redrawn from its spec without on-screen hints, or unchanged when it has none."""
    try:
        spec = read_spec(match.group(0))
    except ValueError:
        return match.group(0)
    paper = print_spec(spec)
    if paper == spec:
        return match.group(0)
    return figure_html(paper, svg=_renumber_ids(static_svg(paper)), counter=int(match.group(1)), mode=match.group(2))


_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)([A-Za-z_-]+)(\d+)(?=["\)])')


def _renumber_ids(svg: str) -> str:
    """Number an SVG's ids (``clip7``) from 1 in the order they appear: vl-convert counts on across the
    drawings of one process, so a redrawn chart would otherwise depend on what was drawn before it.

    >>> _renumber_ids('<clipPath id="clip7"/><g clip-path="url(#clip7)"/><clipPath id="clip12"/>')
    '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><clipPath id="clip2"/>'
    """
    numbers: dict[tuple[str, str], int] = {}

    def number(match: re.Match) -> str:
        key = (match.group(2), match.group(3))
        if key not in numbers:
            numbers[key] = 1 + sum(k[0] == key[0] for k in numbers)
        return f"{match.group(1)}{key[0]}{numbers[key]}"

    return _SVG_ID.sub(number, svg)


def static_figure(cell: dict, page: Page, cell_no: int, md) -> Markup:
    """A figure cell's outputs as static HTML: charts keep their build-time SVG and caption, never their script."""
    pieces = []
    for out in cell.get("outputs") or []:
        prepared = page.prepare(out, cell_no)
        if prepared is None or prepared.get("output_type") not in ("display_data", "execute_result"):
            continue
        data = prepared["data"]
        mime = next(m for m in MIME_ORDER if m in data)
        text = source_text(data[mime])
        if mime == "text/html":
            # a page with no script shows what a handout keeps in <noscript> for readers without JavaScript
            # only if it is unwrapped: a browser with JavaScript on never shows <noscript> content
            paper = _NOSCRIPT.sub("", _SCRIPT.sub("", _FIGURE.sub(_paper_chart, text)))
            pieces.append(f'<div class="kit-html">{paper}</div>')
        elif mime == "image/svg+xml":
            pieces.append(f'<div class="kit-image">{text}</div>')
        elif mime in ("image/png", "image/jpeg"):
            alt = str((prepared.get("metadata") or {}).get("alt", "")).replace('"', "&quot;")
            pieces.append(f'<img src="data:{mime};base64,{text.strip()}" alt="{alt}">')
        elif mime == "text/markdown":
            pieces.append(f'<div class="kit-markdown">{md(text)}</div>')
        else:
            pieces.append("<pre>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</pre>")
    return Markup("\n".join(pieces))


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def question_html(q: Question, md) -> Markup:
    """The question's text as HTML (its markdown)."""
    return Markup(md(source_text(q.cell.get("source"))))


def items(nb: dict, name: str, where: str, folder=None, pages=(), scrub_paths=()) -> tuple[list[dict], Page]:
    """What the worksheet shows per question (also the teacher page's worksheet section): figure, question, skill, lines."""
    page = Page(name, folder, set(pages), scrub_paths)
    md = lambda text: markdown(text, folder, None)  # noqa: E731
    shown, used = [], set()
    for q in questions(nb, where):
        figure = static_figure(q.figure, page, q.figure_index + 1, md)
        if q.figure_index in used:   # a figure two questions use: its second copy needs ids of its own
            figure = Markup(unique_ids(str(figure), f"-q{q.number}"))
        used.add(q.figure_index)
        shown.append(dict(number=q.number, anchor=f"q{q.number}", question=question_html(q, md),
                          skill=SKILLS.get(q.skill, ""), lines=q.lines, figure=figure, q=q))
    return shown, page


_ID_ATTR = re.compile(r'\bid="([^"]+)"')


def unique_ids(html: str, suffix: str) -> str:
    """``html`` with each id it defines, and every reference to it (``#id`` in links, styles and
    ``url()``, ``aria-*`` and ``for`` attributes), ending in ``suffix``: a second copy of a figure on one page.

    >>> unique_ids('<p id="a" aria-describedby="a b"><a href="#a">x</a></p><style>#a {}</style>', "-q2")
    '<p id="a-q2" aria-describedby="a-q2 b"><a href="#a-q2">x</a></p><style>#a-q2 {}</style>'
    """
    ids = sorted(set(_ID_ATTR.findall(html)), key=len, reverse=True)
    if not ids:
        return html
    names = "|".join(re.escape(i) for i in ids)
    html = re.sub(rf'(\bid="|#)({names})(?![\w-])', lambda m: m.group(1) + m.group(2) + suffix, html)
    refs = re.compile(rf'(?<![\w-])({names})(?![\w-])')
    return re.sub(r'(\b(?:aria-[a-z]+|for)=")([^"]*)(")',
                  lambda m: m.group(1) + refs.sub(lambda r: r.group(1) + suffix, m.group(2)) + m.group(3), html)


def render_worksheet(nb: dict, *, name: str, build_key: str, where: str = "", folder=None, pages=(), scrub_paths=(),
                     handout_href: str = "") -> str:
    """The worksheet page of an executed lesson (no answers, no JavaScript)."""
    title = title_of(nb, name)
    shown, page = items(nb, name, where or f"{name}.ipynb", folder, pages, scrub_paths)
    lesson = lesson_of(nb)
    return _environment().get_template("worksheet.html.j2").render(
        common_fields(build_key, f"Worksheet: {title}"),
        lesson_title=title, questions=shown, styles=[Markup(s) for s in page.styles],
        handout_href=handout_href or f"../{name}.html", objectives=lesson.get("objectives") or [],
        instruction="Answer each question from the chart or table above it: no computer is needed. "
                    "Write in full sentences, name the figure you read and its year, and say where the chart "
                    "cannot answer the question.",
    )
