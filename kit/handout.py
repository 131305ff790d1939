"""Turn an executed notebook into one self-contained HTML handout (and the site's index).

Nothing on a handout comes from the network: the styles are inlined, Vega is inlined once
per page (only on pages with charts), images are data URLs. Cells tagged ``instructor``
are left out, and so are widget views (a widget needs a running kernel: in a handout
``kit.widgets`` shows a static result instead). The output is deterministic: the same
notebook gives the same bytes.

Cell tags the handout understands (the Jupyter Book names)::

    >>> sorted(DROP_CELL | {"remove-input", "remove-output", "hide-input", "show-input"})
    ['hide-input', 'instructor', 'remove-cell', 'remove-input', 'remove-output', 'remove_cell', 'show-input']

Code is folded under "Show the code" (hidden in print) unless tagged ``show-input``.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from . import __version__
from .render import SPEC_CLASS
from .terminal import strip_escapes

TEMPLATES = Path(__file__).resolve().parent / "templates"
DROP_CELL = {"instructor", "remove-cell", "remove_cell"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
LANG = "en"
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
_NOTEBOOK_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|#|/)([^"#?]+)\.(ipynb|md)([#?][^"]*)?"')


# --------------------------------------------------------------------------- text helpers


def source_text(source) -> str:
    """A cell's source as one string (notebook files may store a list of lines)."""
    return "".join(source) if isinstance(source, list) else str(source or "")


def as_list(value) -> list[str]:
    """Lesson metadata read defensively: a string, a list, or nothing.

    >>> as_list("one"), as_list(["a", "", "b"]), as_list(None)
    (['one'], ['a', 'b'], [])
    """
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    return [text] if text else []


def minutes(value) -> int | None:
    """A number of minutes from metadata, or None when absent or not a number.

    >>> minutes(45), minutes("30"), minutes("soon"), minutes(None)
    (45, 30, None, None)
    """
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def time_line(lesson: dict) -> str:
    """'45 min teaching + 20 min exercises' from the lesson metadata.

    >>> time_line({"teaching_minutes": 45, "exercise_minutes": 20})
    '45 min teaching + 20 min exercises (65 min)'
    >>> time_line({"teaching_minutes": 30})
    '30 min teaching'
    >>> time_line({})
    ''
    """
    teach, practise = minutes(lesson.get("teaching_minutes")), minutes(lesson.get("exercise_minutes"))
    parts = []
    if teach:
        parts.append(f"{teach} min teaching")
    if practise:
        parts.append(f"{practise} min exercises")
    text = " + ".join(parts)
    if teach and practise:
        text += f" ({teach + practise} min)"
    return text


def lesson_of(nb: dict) -> dict:
    """The notebook's ``metadata["lesson"]`` (an empty dict when absent or malformed)."""
    lesson = (nb.get("metadata") or {}).get("lesson")
    return lesson if isinstance(lesson, dict) else {}


def title_of(nb: dict, fallback: str) -> str:
    """The lesson title, else the notebook's first ``# heading``, else ``fallback``.

    >>> title_of({"cells": [{"cell_type": "markdown", "source": "# Moldova\\ntext"}]}, "x")
    'Moldova'
    """
    title = str(lesson_of(nb).get("title") or "").strip()
    if title:
        return title
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in source_text(cell.get("source")).splitlines():
                if line.startswith("# "):
                    return re.sub(r"[*_`]", "", line[2:]).strip()
    return fallback.replace("_", " ")


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


# --------------------------------------------------------------------------- markdown


def markdown(text: str, folder: Path | None = None, attachments=None) -> str:
    """Markdown to HTML (nbconvert's renderer: tables, local images embedded as data URLs).

    Maths is left as typed (``$...$``): a handout loads no MathJax.

    >>> markdown("Some *text*")
    '<p>Some <em>text</em></p>\\n'
    """
    from .kernels import skip_slow_imports

    skip_slow_imports()
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    renderer = IPythonRenderer(
        escape=False,
        embed_images=folder is not None,
        path=str(folder or ""),
        attachments=attachments or {},
        anchor_link_text="¶",
    )
    markup = MarkdownWithMath(renderer=renderer).render(text)
    return markup.replace('<a class="anchor-link" href=', '<a class="anchor-link" aria-label="Link to this section" href=')


def link_pages(markup: str, pages: set[str]) -> str:
    """Point links to other notebooks (``x.ipynb``) at their handouts (``x.html``).

    >>> link_pages('<a href="02_spending.ipynb#gap">', {"02_spending"})
    '<a href="02_spending.html#gap">'
    >>> link_pages('<a href="https://x.org/a.ipynb">', {"a"})
    '<a href="https://x.org/a.ipynb">'
    """

    def fix(match):
        stem = match.group(1)
        name = stem.rsplit("/", 1)[-1]
        if name in pages and "/" not in stem.lstrip("./"):
            return f'href="{name}.html{match.group(3) or ""}"'
        return match.group(0)

    return _NOTEBOOK_LINK.sub(fix, markup)


# --------------------------------------------------------------------------- code


@lru_cache(maxsize=1)
def _pygments():
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return PythonLexer(), HtmlFormatter(nowrap=True)


def highlight(code: str) -> str:
    from pygments import highlight as _highlight

    lexer, formatter = _pygments()
    return f'<pre class="highlight"><code>{_highlight(code, lexer, formatter)}</code></pre>'


@lru_cache(maxsize=1)
def pygments_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


# --------------------------------------------------------------------------- outputs


class Page:
    """What rendering one notebook collects: the HTML pieces, chart count and warnings."""

    def __init__(self, name: str, folder: Path | None, pages: set[str], scrub_paths=()):
        self.name, self.folder, self.pages, self.scrub_paths = name, folder, pages, tuple(scrub_paths)
        self.charts = 0
        self.needs_vega = False
        self.vega_first = False  # Altair's own chart code runs inline: Vega must come before it
        self.warnings: list[str] = []
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

    def output(self, out: dict, cell_no: int) -> str:
        kind = out.get("output_type")
        if kind == "stream":
            text = scrub(source_text(out.get("text")), self.scrub_paths)
            if not text.strip():
                return ""
            css = "kit-stderr" if out.get("name") == "stderr" else "kit-stdout"
            if out.get("name") == "stderr":
                self.warn(cell_no, f"printed to stderr: {text.strip().splitlines()[-1][:120]}")
            return f'<pre class="{css}">{html.escape(text)}</pre>'
        if kind == "error":
            text = scrub("\n".join(out.get("traceback") or [f"{out.get('ename')}: {out.get('evalue')}"]), self.scrub_paths)
            return f'<pre class="kit-stderr kit-error">{html.escape(text)}</pre>'
        if kind not in ("display_data", "execute_result"):
            return ""
        data = out.get("data") or {}
        if WIDGET_MIME in data:
            self.warn(cell_no, "a widget view was left out (widgets need a running kernel; show a static result in handouts)")
            return ""
        for mime in MIME_ORDER:
            if mime in data:
                return self.mime(mime, data[mime], out.get("metadata") or {})
        vegalite = next((m for m in data if m.startswith("application/vnd.vegalite")), None)
        if vegalite:
            self.warn(cell_no, f"a chart had only {vegalite} output and was left out (use kit.render.enable())")
        return ""

    def mime(self, mime: str, value, metadata: dict) -> str:
        text = source_text(value)
        if mime == "text/html":
            if 'class="dataframe"' in text:
                text = align_numbers(text)
            if f'class="{SPEC_CLASS}"' in text:
                self.charts += text.count(f'class="{SPEC_CLASS}"')
                self.needs_vega = True
            elif "vegaEmbed" in text:  # Altair's own renderer: works through VEGA_DEBUG
                self.needs_vega = self.vega_first = True
            text = self.deterministic_ids(text)
            return f'<div class="kit-html">{link_pages(text, self.pages)}</div>'
        if mime == "image/svg+xml":
            return f'<div class="kit-image">{text}</div>'
        if mime in ("image/png", "image/jpeg"):
            alt = html.escape(str(metadata.get("alt", "")), quote=True)
            return f'<img src="data:{mime};base64,{text.strip()}" alt="{alt}">'
        if mime == "text/markdown":
            return f'<div class="kit-markdown">{link_pages(markdown(text, self.folder), self.pages)}</div>'
        return f"<pre>{html.escape(scrub(text, self.scrub_paths))}</pre>"


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


# --------------------------------------------------------------------------- pages


def lesson_card(lesson: dict) -> str:
    """The lesson template's header: time, objectives, questions, prerequisites.

    >>> print(lesson_card({"objectives": ["Explain Article 5"], "teaching_minutes": 40}))
    <aside class="kit-lesson" aria-label="About this lesson">
    <p class="kit-time">40 min teaching</p>
    <h2>Learning objectives</h2>
    <ul><li>Explain Article 5</li></ul>
    </aside>
    """
    sections = [
        ("Learning objectives", as_list(lesson.get("objectives"))),
        ("Questions", as_list(lesson.get("questions"))),
        ("Before this lesson", as_list(lesson.get("prerequisites"))),
    ]
    if not any(items for _, items in sections) and not time_line(lesson):
        return ""
    lines = ['<aside class="kit-lesson" aria-label="About this lesson">']
    if time_line(lesson):
        lines.append(f'<p class="kit-time">{html.escape(time_line(lesson))}</p>')
    for heading, items in sections:
        if items:
            lines.append(f"<h2>{heading}</h2>")
            lines.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    lines.append("</aside>")
    return "\n".join(lines)


def render_body(nb: dict, page: Page, title: str) -> str:
    """The ``<main>`` content: the cells, with the title and lesson card when the notebook shows none.

    A notebook that displays its own header (``kit.lesson.header()`` prints the title,
    time and objectives as Markdown) keeps it; one that starts with a ``# Title`` cell gets
    the card after it; one with no title gets both at the top.
    """
    cells = nb.get("cells", [])
    card = "" if _shows_own_header(cells) else lesson_card(lesson_of(nb))
    rendered = []
    for number, cell in enumerate(cells, start=1):
        tags = _tags(cell)
        if tags & DROP_CELL:
            continue
        piece = _cell(cell, number, tags, page)
        if piece:
            rendered.append(piece)
    if not any("<h1" in piece for piece in rendered):
        return "\n".join([f"<h1>{html.escape(title)}</h1>", card, *rendered])
    if card and rendered and rendered[0].lstrip().startswith('<section class="kit-cell kit-md">') and "<h1" in rendered[0]:
        rendered.insert(1, card)
    elif card:
        rendered.insert(0, card)
    return "\n".join(rendered)


def _shows_own_header(cells) -> bool:
    """True if an output of the notebook is a Markdown page header (``# Title`` first)."""
    for cell in cells:
        for out in cell.get("outputs", []) or []:
            text = source_text((out.get("data") or {}).get("text/markdown", ""))
            if text.lstrip().startswith("# "):
                return True
    return False


def _tags(cell: dict) -> set[str]:
    return {str(t) for t in ((cell.get("metadata") or {}).get("tags") or [])}


def _cell(cell: dict, number: int, tags: set[str], page: Page) -> str:
    kind = cell.get("cell_type")
    source = source_text(cell.get("source"))
    if kind == "markdown":
        if not source.strip():
            return ""
        body = markdown(source, page.folder, cell.get("attachments"))
        return f'<section class="kit-cell kit-md">\n{link_pages(body, page.pages)}</section>'
    if kind != "code":
        return ""
    pieces = []
    if source.strip() and "remove-input" not in tags:
        opened = " open" if "show-input" in tags else ""
        pieces.append(f'<details class="kit-code"{opened}><summary>Show the code</summary>\n{highlight(source)}\n</details>')
    if "remove-output" not in tags:
        outputs = [page.output(out, number) for out in cell.get("outputs", [])]
        outputs = [o for o in outputs if o]
        if outputs:
            pieces.append('<div class="kit-output">\n' + "\n".join(outputs) + "\n</div>")
    if not pieces:
        return ""
    return '<section class="kit-cell kit-code-cell">\n' + "\n".join(pieces) + "\n</section>"


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@lru_cache(maxsize=1)
def page_css() -> str:
    from markupsafe import Markup

    css = (TEMPLATES / "handout.css").read_text(encoding="utf-8")
    return Markup(css.replace("{{ pygments_css }}", pygments_css()))


def review_notice(overdue: list[dict]) -> dict | None:
    """The dated notice a handout shows when data it uses is past its review date (None if none is).

    >>> review_notice([{"name": "coalition_meetings", "as_of": "2026-02-24", "review_by": "2026-06-30"}])["date"] != ""
    True
    >>> review_notice([]) is None
    True
    """
    if not overdue:
        return None
    from .freshness import today

    day = today()
    return {"date": f"{day.day} {day:%B %Y}", "iso": day.isoformat(), "datasets": list(overdue)}


def render_handout(nb: dict, *, name: str, build_key: str, pages: set[str], nav: dict, vega, folder=None, scrub_paths=(),
                   overdue=()) -> tuple[str, Page]:
    """One handout page. ``vega`` is a callable returning the inlined-Vega fields (see ``kit.vega``).

    ``overdue`` lists the datasets (name, as_of, review_by) the page uses that are past their
    review date: the page then opens with a dated notice saying so.
    """
    from markupsafe import Markup

    page = Page(name, folder, pages, scrub_paths)
    title = title_of(nb, name)
    body = render_body(nb, page, title)
    fields = dict(
        lang=LANG,
        kit_version=__version__,
        build_key=build_key,
        title=title,
        css=page_css(),
        vega=vega() if page.needs_vega else None,
        vega_in_head=page.vega_first,
        body=Markup(body),
        prev=nav.get("prev"),
        next=nav.get("next"),
        charts=page.charts,
        notice=review_notice(list(overdue)),
        embed_js=Markup((TEMPLATES / "embed.js").read_text(encoding="utf-8")),
        footer=f"Handout of the notebook {name}.ipynb, from the European security teaching kit. "
        "Each chart names its source; the data and its dates are described in the kit's data package.",
    )
    return _environment().get_template("handout.html.j2").render(**fields), page


def render_page(markdown_text: str, *, name: str, build_key: str, pages: set[str], nav: dict, folder=None) -> str:
    """A plain page from a markdown file (e.g. the glossary), in the handout style."""
    nb = {"cells": [{"cell_type": "markdown", "source": markdown_text, "metadata": {}}], "metadata": {}}
    text, _ = render_handout(nb, name=name, build_key=build_key, pages=pages, nav=nav, vega=lambda: None, folder=folder)
    return text


def render_index(lessons: list[dict], *, build_key: str, extras=(), title="European security: lessons and handouts") -> str:
    """The site's front page: every lesson with its time, objectives and a link.

    ``lessons`` holds dicts with ``href``, ``title`` and the notebook's ``lesson`` metadata.
    """
    entries = []
    for item in lessons:
        lesson = item.get("lesson") or {}
        entries.append(
            dict(
                href=item["href"],
                title=item["title"],
                time=time_line(lesson),
                summary=str(lesson.get("summary") or lesson.get("description") or "").strip(),
                objectives=as_list(lesson.get("objectives")),
                prerequisites=as_list(lesson.get("prerequisites")),
            )
        )
    return _environment().get_template("index.html.j2").render(
        lang=LANG,
        kit_version=__version__,
        build_key=build_key,
        title=title,
        css=page_css(),
        intro="Each handout is a single file: it works offline (from a USB stick or by email), "
        "keeps its interactive charts, and prints on A4 with every chart and its source.",
        lessons=entries,
        extras=list(extras),
        footer="Built with `python -m kit build` from the kit's notebooks.",
    )
