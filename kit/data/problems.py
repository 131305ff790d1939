"""One problem in the data, as one line: file, row, column, the bad value and what was expected.

    >>> problem("data/countries.csv", 3, "iso3", "XX", "three capital letters")
    "data/countries.csv, row 3, column iso3: 'XX': expected three capital letters"
    >>> problem("data/datapackage.json", None, None, None, "a title")
    'data/datapackage.json: expected a title'

Row 1 is the header, as in a spreadsheet.
"""

from __future__ import annotations


class Problem(str):
    """One problem, as text. A ``str`` so it prints, compares and sorts plainly; ``row`` and
    ``column`` say where it is (None for the whole file or the metadata)."""

    row: int | None = None
    column: str | None = None


def problem(file, row, column, value, expected) -> Problem:
    """The line for one problem (``row``, ``column`` and ``value`` may be None)."""
    where = f"{file}, row {row}" if row else f"{file}"
    if column:
        where += f", column {column}"
    shown = "(empty)" if value == "" else repr(value)
    line = Problem(f"{where}: {shown}: expected {expected}" if value is not None else f"{where}: expected {expected}")
    line.row, line.column = row, column
    return line
