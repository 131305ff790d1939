"""The handout as an nbconvert exporter: ``jupyter nbconvert --to kit_handout [--execute] lesson.ipynb``.

    jupyter nbconvert --to kit_handout --execute notebooks/02_defence_spending.ipynb --output-dir site
    # the same page as `python -m kit build notebooks/02_defence_spending.ipynb` writes (byte for byte)

``pyproject.toml`` registers :class:`HandoutExporter` under the ``nbconvert.exporters`` entry
point; ``kit.site.handout`` renders the build's pages with it too. It is nbconvert's
``HTMLExporter`` with:

- the kit's template (``templates/kit_handout/``, found through ``extra_template_basedirs``),
  which extends nbconvert's ``base`` template: nbconvert walks the cells and picks each
  output's type (``display_data_priority`` = ``kit.site.outputs.MIME_ORDER``);
- nbconvert's ``TagRemovePreprocessor`` for the tags (``instructor``, ``teacher-answer``,
  ``worksheet-question``, ``worksheet-answer``, ``remove-cell``, ``remove-input``, ``remove-output``), run *after* execution (nbconvert's default order runs
  it before, which would execute a lesson without its instructor cells);
- ``--execute`` run as the build runs a lesson (:class:`HandoutExecutePreprocessor`): this
  environment's Python, the notebook's folder, ``KIT_HANDOUT=1`` so charts are handout figures;
- the page's context (key, neighbours, pages to link, overdue data) from
  :func:`kit.site.sources.page_context`, as the build reads it.

It skips ``HTMLExporter.from_notebook_node``'s last step, a BeautifulSoup pass that adds
``alt`` to images and ``tabindex`` to the lab template's ``.jp-`` cells: the kit's template
writes its own ``alt`` and has no ``.jp-`` cells, and re-serialising a 1.5 MB page costs time
and changes its bytes (``open`` becomes ``open=""``, entities become characters).
"""

from __future__ import annotations

import html
import os
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.preprocessors import ExecutePreprocessor, TagRemovePreprocessor
from traitlets import Bool, List, Unicode, default
from traitlets.config import Config

from .. import __version__
from ..kernels import kernel_manager
from ..notebook import source_text
from .cache import chosen_cache
from .execute import KERNEL_ENV
from .markup import highlight, link_pages, markdown, pygments_css
from .outputs import MIME_ORDER
from .preprocess import NoteWholeNotebook, PrepareOutputs
from .sources import page_context, plan

TEMPLATES = Path(__file__).resolve().parent / "templates"
# cells no student page shows: the teacher's (kit.lessons.schema.TEACHER_TAGS: on the teacher's page, the
# worksheet questions on the worksheet) and nbconvert's remove-cell
DROP_CELL = {"instructor", "teacher-answer", "worksheet-question", "worksheet-answer", "remove-cell", "remove_cell"}
LANG = "en"

try:
    from jinja2 import pass_context
except ImportError:  # pragma: no cover - jinja2 < 3
    from jinja2 import contextfilter as pass_context


class HandoutExecutePreprocessor(ExecutePreprocessor):
    """nbconvert's ``--execute`` as the build runs a lesson: this Python's kernel, in handout mode."""

    record_timing = Bool(False).tag(config=True)
    store_widget_state = Bool(False).tag(config=True)

    def create_kernel_manager(self):
        self.km = kernel_manager()
        return self.km

    def setup_kernel(self, **kwargs):
        env = {**os.environ, **KERNEL_ENV}
        env.pop("JPY_PARENT_PID", None)
        kwargs.setdefault("env", env)
        return super().setup_kernel(**kwargs)


class HandoutExporter(HTMLExporter):
    """An offline handout page: the kit's template, tags removed, charts with their static drawings."""

    export_from_notebook = "Kit handout"

    @default("template_name")
    def _template_name_default(self):
        return "kit_handout"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]

    default_preprocessors = List([
        HandoutExecutePreprocessor, NoteWholeNotebook, TagRemovePreprocessor, PrepareOutputs,
    ]).tag(config=True)  # fmt: skip

    language_code = Unicode(LANG).tag(config=True)

    @property
    def default_config(self):
        config = super().default_config.copy()
        config.merge(Config({
            "NbConvertBase": {"display_data_priority": list(MIME_ORDER)},
            "TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": set(DROP_CELL),
                                      "remove_input_tags": {"remove-input"}, "remove_all_outputs_tags": {"remove-output"}},
        }))  # fmt: skip
        return config

    def default_filters(self):
        yield from super().default_filters()
        yield ("highlight_code", highlight)
        yield ("link_pages", link_pages)
        yield ("html_escape", html.escape)
        yield ("kit_body", arrange)

    @pass_context
    def markdown2html(self, context, source):
        """Markdown as the kit writes it (``kit.site.markup.markdown``): local images embedded, anchors labelled."""
        kit = context.get("resources", {}).get("kit", {})
        return markdown(source_text(source), kit.get("folder"), context.get("cell", {}).get("attachments"))

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        kit = dict(resources.get("kit") or _context_from_file(resources.get("metadata") or {}))
        kit.update(page_fields(kit))
        resources["kit"] = kit
        # TemplateExporter's, not HTMLExporter's: see the module docstring (no BeautifulSoup pass)
        output, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if kit.get("sources"):  # nbconvert on a file: the build's site-wide pass (lesson list, outline, glossary links)
            from .decorate import one_page

            output = one_page(output, kit["name"], kit["sources"])
        return output, resources

    def _preprocess(self, nb, resources):
        nb, resources = super()._preprocess(nb, resources)
        kit = resources["kit"]
        page = kit["page"]
        kit["vega"] = kit["vega_fields"]() if page.needs_vega else None
        kit["vega_in_head"] = page.vega_first
        return nb, resources


def _context_from_file(metadata: dict) -> dict:
    """The page's context when nbconvert runs on a file: read as the build reads it (``kit.site.sources``)."""
    from . import vega

    name = metadata.get("name") or "notebook"
    path = Path(metadata.get("path") or ".").resolve() / f"{name}.ipynb"
    if path.is_file():
        sources = plan([path])
        context = page_context(sources, next(s for s in sources if s.target))
        context["sources"] = sources
    else:  # a notebook from stdin or a renamed one: no neighbours, no key
        context = dict(name=name, build_key="", pages=set(), nav={}, folder=path.parent,
                       scrub_paths=[str(Path.home()), str(path.parent)], overdue=[])  # fmt: skip
    cache = chosen_cache()
    context["vega_fields"] = lambda: vega.page_fields(cache)
    return context


@lru_cache(maxsize=1)
def page_css() -> Markup:
    """The pages' stylesheet (``templates/handout.css``, with Pygments' colours for code)."""
    css = (TEMPLATES / "handout.css").read_text(encoding="utf-8")
    return Markup(css.replace("{{ pygments_css }}", pygments_css()))


def common_fields(build_key: str, title: str) -> dict:
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


def page_fields(kit: dict) -> dict:
    """What the page template reads besides the cells (and the title and card, see ``kit.site.preprocess``)."""
    return dict(
        lang=LANG, kit_version=__version__, css=page_css(),
        notice=review_notice(list(kit.get("overdue") or ())),
        embed_js=Markup((TEMPLATES / "embed.js").read_text(encoding="utf-8")),
    )


def arrange(pieces: list[str], kit: dict) -> str:
    """The page's cells with the title and lesson card where they belong.

    A notebook that displays its own header (``kit.lesson.header()`` prints the title,
    time and objectives as Markdown) keeps it; one that starts with a ``# Title`` cell gets
    the card after it; one with no title gets both at the top.
    """
    pieces, card = list(pieces), kit["card"]
    if not any("<h1" in piece for piece in pieces):
        return "\n".join([f"<h1>{html.escape(kit['title'])}</h1>", card, *pieces])
    if card and pieces and pieces[0].lstrip().startswith('<section class="kit-cell kit-md">') and "<h1" in pieces[0]:
        pieces.insert(1, card)
    elif card:
        pieces.insert(0, card)
    return "\n".join(pieces)
