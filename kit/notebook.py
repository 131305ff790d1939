"""Notebook JSON read defensively: a cell's source as one string, its tags, its first line.

Notebook files may store a cell's source as a string or as a list of lines, and hand-made
or damaged notebooks may lack fields; the handouts, the release and the grader all read
cells through these helpers::

    >>> cell = {"cell_type": "code", "source": ["x = 1\\n", "y = 2"], "metadata": {"tags": ["instructor"]}}
    >>> cell_source(cell), tags(cell)
    ('x = 1\\ny = 2', {'instructor'})
    >>> first_line("\\n\\nx = kit.load('nope')  # comment\\nmore")
    "x = kit.load('nope')  # comment"
"""

from __future__ import annotations


def source_text(source) -> str:
    """A cell's source (a string or a list of lines) as one string."""
    return "".join(source) if isinstance(source, list) else str(source or "")


def cell_source(cell: dict) -> str:
    """The source of ``cell`` as one string."""
    return source_text(cell.get("source"))


def tags(cell: dict) -> set[str]:
    """The cell's tags (``metadata.tags``) as a set of strings."""
    return {str(t) for t in ((cell.get("metadata") or {}).get("tags") or [])}


def first_line(source) -> str:
    """The first non-empty line of a cell's source, shortened to 80 characters for a message."""
    for line in source_text(source).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "..."
    return ""
