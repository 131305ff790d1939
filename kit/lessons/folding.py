"""Which lesson cells only write prose, so JupyterLab opens them with their code folded.

A lesson's paragraphs are written by code (``md(f"...")``, with figures read from the data),
so in JupyterLab each paragraph showed twice: as the code that writes it and as its output. A
code cell whose only output is prose starts with its source hidden (the notebook format's
``metadata.jupyter.source_hidden``: one click on the bar shows it); analysis and chart cells stay
open for students to read::

    >>> writes_only_prose('total = 3 + 4\\nmd(f"The total is {total}.")')
    True
    >>> writes_only_prose('chart = charts.ranking(spending)\\nchart')
    False
    >>> writes_only_prose('md("Two tables:")\\ntable')
    False
    >>> writes_only_prose('def share(x):\\n    "A share."\\n    return x\\nmd(f"{share(3)}")')
    True

Fold the lessons (metadata only, outputs untouched) with
``python -m kit.lessons.folding notebooks/*.ipynb``; ``tests/lessons/test_lessons_read_once.py`` checks it.
"""

from __future__ import annotations

import ast
import sys

PROSE_CALLS = {"md"}


def _called(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


def writes_only_prose(source: str) -> bool:
    """True if the code's only visible results are ``md(...)`` calls (nothing else displayed or drawn)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    # a docstring (a bare string) shows nothing; any other bare expression might
    shown = [n.value for n in ast.walk(tree)
             if isinstance(n, ast.Expr) and not (isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))]
    if not shown or any(_called(v) not in PROSE_CALLS for v in shown):
        return False  # a bare expression other than md(...) displays (or draws) something
    return not any(_called(n) == "display" for n in ast.walk(tree))


def fold(nb) -> int:
    """Set ``jupyter.source_hidden`` on the prose cells of a notebook (an nbformat node), in place.

    Returns how many cells changed; other cells lose a ``source_hidden`` they may have had.
    """
    changed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata
        want = writes_only_prose(cell.source)
        have = bool((meta.get("jupyter") or {}).get("source_hidden"))
        if want == have:
            continue
        jupyter = dict(meta.get("jupyter") or {})
        if want:
            jupyter["source_hidden"] = True
        else:
            jupyter.pop("source_hidden", None)
        if jupyter:
            meta["jupyter"] = jupyter
        else:
            meta.pop("jupyter", None)
        changed += 1
    return changed


def main(paths: list[str]) -> int:
    import nbformat

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changed = fold(nb)
        if changed:
            nbformat.write(nb, path)
        print(f"{path}: {changed} cells changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
