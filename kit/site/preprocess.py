"""The handout's nbconvert preprocessors: what needs the whole notebook, and each output prepared for the page.

They run in :class:`kit.site.exporter.HandoutExporter` around nbconvert's own
``TagRemovePreprocessor`` (which drops the cells tagged ``instructor``, ``remove-cell``, and
the inputs and outputs tagged ``remove-input`` and ``remove-output``)::

    (ExecutePreprocessor, with --execute) -> NoteWholeNotebook -> TagRemovePreprocessor -> PrepareOutputs

Both read and fill ``resources["kit"]``: ``PrepareOutputs`` leaves there the
:class:`kit.site.outputs.Page` of the notebook (charts counted, warnings for what it left out).
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat import from_dict
from traitlets import Bool

from ..notebook import source_text
from .lesson_card import lesson_card, lesson_of, title_of
from .outputs import Page


class NoteWholeNotebook(Preprocessor):
    """Before tags remove cells: each cell's number (warnings name it), the title and the lesson card.

    The card is left out when an output shows the lesson's own header (``kit.lesson.header()``).
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        kit = resources.setdefault("kit", {})
        kit["numbers"] = {id(cell): number for number, cell in enumerate(nb.cells, start=1)}
        kit["title"] = title_of(nb, kit["name"])
        kit["card"] = "" if _shows_own_header(nb.cells) else lesson_card(lesson_of(nb))
        return nb, resources


def _shows_own_header(cells) -> bool:
    """True if an output of the notebook is a Markdown page header (``# Title`` first)."""
    for cell in cells:
        for out in cell.get("outputs", []) or []:
            text = source_text((out.get("data") or {}).get("text/markdown", ""))
            if text.lstrip().startswith("# "):
                return True
    return False


class PrepareOutputs(Preprocessor):
    """Each output as the page shows it (see :meth:`kit.site.outputs.Page.prepare`); the others left out."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        kit = resources["kit"]
        page = Page(kit["name"], kit.get("folder"), kit.get("pages") or set(), kit.get("scrub_paths") or ())
        numbers = kit.get("numbers") or {}
        for index, cell in enumerate(nb.cells):
            if cell.get("cell_type") == "code":
                number = numbers.get(id(cell), index + 1)
                kept = (page.prepare(out, number) for out in cell.get("outputs", []))
                cell.outputs = [from_dict(out) for out in kept if out is not None]
        kit["page"] = page
        return nb, resources
