"""The handout's nbconvert preprocessors: cell numbers for messages, and each output prepared for the page.

They run in :class:`kit.site.exporter.HandoutExporter` around nbconvert's own
``TagRemovePreprocessor`` (which drops the cells tagged ``instructor``, ``remove-cell``, and
the inputs and outputs tagged ``remove-input`` and ``remove-output``)::

    NumberCells -> (ExecutePreprocessor, with --execute) -> TagRemovePreprocessor -> PrepareOutputs

Both read and fill ``resources["kit"]``: ``PrepareOutputs`` leaves there the
:class:`kit.site.outputs.Page` of the notebook (charts counted, warnings for what it left out).
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat import from_dict
from traitlets import Bool

from .outputs import Page


class NumberCells(Preprocessor):
    """Remember each cell's number in the notebook before any is removed (warnings name the cell)."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        resources.setdefault("kit", {})["numbers"] = {id(cell): number for number, cell in enumerate(nb.cells, start=1)}
        return nb, resources


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
