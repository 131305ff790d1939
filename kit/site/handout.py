"""Turn an executed notebook into one self-contained HTML handout (and the site's index).

    from kit.site.handout import render_handout
    text, page = render_handout(executed_nb, name="04_moldova", build_key="...", pages={"04_moldova"},
                                nav={}, vega=lambda: vega.page_fields(cache))

Nothing on a handout comes from the network: the styles are inlined, Vega is inlined once
per page (only on pages with charts), images are data URLs. Cells tagged ``instructor``,
``teacher-answer``, ``worksheet-question`` and ``worksheet-answer`` are left out (the teacher's
page and the worksheet show them: ``kit.site.teacher``, ``kit.site.worksheet``), and so are widget views (a widget needs a running kernel: in a handout
``kit.widgets`` shows a static result instead). The output is deterministic: the same
notebook gives the same bytes.

A handout is nbconvert's work (:class:`kit.site.exporter.HandoutExporter`, also
``jupyter nbconvert --to kit_handout``): its template ``templates/kit_handout/`` extends
nbconvert's ``base`` template, ``TagRemovePreprocessor`` removes the tagged cells, inputs and
outputs. Cell tags the handout understands (the Jupyter Book names)::

    >>> sorted(DROP_CELL | {"remove-input", "remove-output", "hide-input", "show-input"})
    ['hide-input', 'instructor', 'remove-cell', 'remove-input', 'remove-output', 'remove_cell', 'show-input', 'teacher-answer', 'worksheet-answer', 'worksheet-question']

Code is folded under "Show the code" (hidden in print) unless tagged ``show-input``.

What stays the kit's own code, and why:

- each output's text (``kit.site.outputs.Page.prepare``, run as a preprocessor): memory
  addresses and local paths scrubbed, Altair's and pandas' random ids numbered per page,
  pandas' numbers aligned, charts counted. nbconvert has no such steps; they make two builds,
  or two machines, give the same bytes;
- the chart figure (static SVG for print and no-JavaScript readers, caption, spec) is written
  in the kernel by ``kit.render``, and Vega is inlined once per page from ``kit.site.vega``:
  nbconvert's own HTML loads require.js and MathJax from CDNs, which fails offline;
- the lesson card and title (``kit.site.exporter.arrange``, a template filter), the review
  notice, the navigation and the print stylesheet (``templates/handout.css``): the kit's page;
- Markdown through ``kit.site.markup`` (nbconvert's renderer, with local images embedded and
  labelled anchors) and code through Pygments in ``<pre class="highlight">`` (nbconvert's
  ``highlight_code`` wraps it in ``<div class="highlight">``, which the stylesheet and its
  print rules do not target);
- no BeautifulSoup pass (``HTMLExporter.from_notebook_node``'s last step): on
  ``02_defence_spending`` it took 1.25 s and changed the page (1,557,192 -> 1,561,521 bytes:
  ``<meta ...>`` to ``<meta .../>``, attributes reordered).

Measured on ``02_defence_spending`` (executed, 1.56 MB page, 2 shared cores at load 10):
rendering with the exporter takes 0.26-0.41 s warm, as walking the cells by hand did
(0.27-0.37 s); importing nbconvert's exporters adds about 0.5 s once per process (import and
first page: 3.0-3.6 s, before 2.3-3.0 s). The pages are the same bytes as before. For
comparison, ``jupyter nbconvert --to html`` (lab template) on the same executed notebook:
12.7 s, 0.95 MB, and its charts need the network; ``--to kit_handout``: 7.1 s (the command,
with the site's keys), 1.56 MB, offline.
"""

from __future__ import annotations

from functools import lru_cache

from nbformat import from_dict

from .exporter import DROP_CELL, TEMPLATES, HandoutExporter, common_fields
from .lesson_card import as_list, time_line
from .outputs import Page

__all__ = ["render_handout", "render_page", "render_index", "DROP_CELL"]


@lru_cache(maxsize=1)
def _exporter() -> HandoutExporter:
    return HandoutExporter()


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_handout(nb: dict, *, name: str, build_key: str, pages: set[str], nav: dict, vega, folder=None, scrub_paths=(),
                   overdue=()) -> tuple[str, Page]:
    """One handout page. ``vega`` is a callable returning the inlined-Vega fields (see ``kit.site.vega``).

    ``overdue`` lists the datasets (name, as_of, review_by) the page uses that are past their
    review date: the page then opens with a dated notice saying so.
    """
    kit = dict(name=name, build_key=build_key, pages=set(pages), nav=nav, vega_fields=vega, folder=folder,
               scrub_paths=list(scrub_paths), overdue=list(overdue))  # fmt: skip
    resources = {"kit": kit, "metadata": {"name": name, "path": str(folder or "")}}
    text, resources = _exporter().from_notebook_node(from_dict(nb), resources)
    return text, resources["kit"]["page"]


def render_page(markdown_text: str, *, name: str, build_key: str, pages: set[str], nav: dict, folder=None, **_) -> str:
    """A plain page from a markdown file (e.g. the glossary), in the handout style."""
    nb = {"cells": [{"cell_type": "markdown", "id": "page", "source": markdown_text, "metadata": {}}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    text, _ = render_handout(nb, name=name, build_key=build_key, pages=pages, nav=nav, vega=lambda: None, folder=folder)
    return text


def render_index(lessons: list[dict], *, build_key: str, extras=(), title=None, teacher: bool = False) -> str:
    """The site's front page: every lesson with its time, objectives and links (handout, worksheet; teacher's page).

    ``lessons`` holds dicts with ``href``, ``title``, the notebook's ``lesson`` metadata and
    optionally ``links``: (label, href) pairs shown under the title.
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
                links=list(item.get("links") or []),
            )
        )
    if teacher:
        title = title or "European security: the teacher's edition"
        intro = ("For each lesson: the teacher's page (instructor notes, a timing plan, suggested answers to the "
                 "Discuss prompts, and the answer keys of the worksheet and the exercises), the student handout and the "
                 "no-code worksheet. The student pages are in the folder student/, the same as the student site: "
                 "hand that folder on, never this one.")
    else:
        title = title or "European security: lessons and handouts"
        intro = ("Each handout is a single file: it works offline (from a USB stick or by email), "
                 "keeps its interactive charts, and prints on A4 with every chart and its source. "
                 "Each worksheet asks questions a class answers on paper from the handout's charts, with no code.")
    return _environment().get_template("index.html.j2").render(
        common_fields(build_key, title),
        intro=intro,
        lessons=entries,
        extras=list(extras),
        footer="Built from the kit's lesson notebooks; every figure is read from its datasets when the handouts are built.",
    )
