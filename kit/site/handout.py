"""Turn an executed notebook into one self-contained HTML handout (and the site's index).

    from kit.site.handout import render_handout
    text, page = render_handout(executed_nb, name="04_moldova", build_key="...", pages={"04_moldova"},
                                nav={}, vega=lambda: vega.page_fields(cache))

Nothing on a handout comes from the network: the styles are inlined, Vega is inlined once
per page (only on pages with charts), images are data URLs. Cells tagged ``instructor``
are left out, and so are widget views (a widget needs a running kernel: in a handout
``kit.widgets`` shows a static result instead). The output is deterministic: the same
notebook gives the same bytes. The page templates are in ``kit/site/templates/``; each
output is rendered by ``kit.site.outputs``, Markdown and code by ``kit.site.markup``.

Cell tags the handout understands (the Jupyter Book names)::

    >>> sorted(DROP_CELL | {"remove-input", "remove-output", "hide-input", "show-input"})
    ['hide-input', 'instructor', 'remove-cell', 'remove-input', 'remove-output', 'remove_cell', 'show-input']

Code is folded under "Show the code" (hidden in print) unless tagged ``show-input``.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..notebook import source_text, tags
from .lesson_card import as_list, lesson_card, lesson_of, time_line, title_of
from .markup import highlight, link_pages, markdown, pygments_css
from .outputs import Page

TEMPLATES = Path(__file__).resolve().parent / "templates"
DROP_CELL = {"instructor", "remove-cell", "remove_cell"}
LANG = "en"


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
        cell_tags = tags(cell)
        if cell_tags & DROP_CELL:
            continue
        piece = _cell(cell, number, cell_tags, page)
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


def _cell(cell: dict, number: int, cell_tags: set[str], page: Page) -> str:
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
    if source.strip() and "remove-input" not in cell_tags:
        opened = " open" if "show-input" in cell_tags else ""
        pieces.append(f'<details class="kit-code"{opened}><summary>Show the code</summary>\n{highlight(source)}\n</details>')
    if "remove-output" not in cell_tags:
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


def _common_fields(build_key: str, title: str) -> dict:
    """What every page template reads: language, kit version, build key, title, styles."""
    return dict(lang=LANG, kit_version=__version__, build_key=build_key, title=title, css=page_css())


def review_notice(overdue: list[dict]) -> dict | None:
    """The dated notice a handout shows when data it uses is past its review date (None if none is).

    >>> review_notice([{"name": "coalition_meetings", "as_of": "2026-02-24", "review_by": "2026-06-30"}])["date"] != ""
    True
    >>> review_notice([]) is None
    True
    """
    if not overdue:
        return None
    from ..data.freshness import today

    day = today()
    return {"date": f"{day.day} {day:%B %Y}", "iso": day.isoformat(), "datasets": list(overdue)}


def render_handout(nb: dict, *, name: str, build_key: str, pages: set[str], nav: dict, vega, folder=None, scrub_paths=(),
                   overdue=()) -> tuple[str, Page]:
    """One handout page. ``vega`` is a callable returning the inlined-Vega fields (see ``kit.site.vega``).

    ``overdue`` lists the datasets (name, as_of, review_by) the page uses that are past their
    review date: the page then opens with a dated notice saying so.
    """
    from markupsafe import Markup

    page = Page(name, folder, pages, scrub_paths)
    title = title_of(nb, name)
    body = render_body(nb, page, title)
    fields = dict(
        _common_fields(build_key, title),
        vega=vega() if page.needs_vega else None,
        vega_in_head=page.vega_first,
        body=Markup(body),
        prev=nav.get("prev"),
        next=nav.get("next"),
        charts=page.charts,
        notice=review_notice(list(overdue)),
        embed_js=Markup((TEMPLATES / "embed.js").read_text(encoding="utf-8")),
        footer=f"{title}: a handout from the European security teaching kit (notebook {name}). "
        + ("Each chart names its original sources and the date its data was last checked." if page.charts else
           "Figures are read from the kit's datasets, each with its original sources and the date it was last checked."),
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
                objectives=as_list(lesson.get("objectives")),
                prerequisites=as_list(lesson.get("prerequisites")),
            )
        )
    return _environment().get_template("index.html.j2").render(
        _common_fields(build_key, title),
        intro="Each handout is a single file: it works offline (from a USB stick or by email), "
        "keeps its interactive charts, and prints on A4 with every chart and its source.",
        lessons=entries,
        extras=list(extras),
        footer="Built from the kit's lesson notebooks; every figure is read from its datasets when the handouts are built.",
    )
