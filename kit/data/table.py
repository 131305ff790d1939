"""Read one CSV file by its Table Schema: typed values per row, and a problem for each bad cell.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "data"
    >>> folder.mkdir()
    >>> _ = (folder / "t.csv").write_text("id,share\\nA,2.5\\nB,2,5\\nC,abc\\n", encoding="utf-8")
    >>> fields = [{"name": "id", "type": "string"}, {"name": "share", "type": "number", "constraints": {"maximum": 1}}]
    >>> table = Table(folder, {"name": "t", "path": "t.csv", "schema": {"fields": fields}})
    >>> for line in table.problems + table.schema_problems:
    ...     print(line)
    data/t.csv, row 3: expected 2 cells, one per column (found 3: check quotes and commas)
    data/t.csv, row 4, column share: 'abc': expected a number (use a dot for decimals, no thousands separators)
    data/t.csv, row 2, column share: '2.5': expected at most 1
    >>> table.rows[0]
    {'__row__': 2, 'id': 'A', 'share': 2.5}

Two kinds of problem, kept apart (see ``kit.data.validate`` for why):

- ``problems``: what the kit's own reader decides: the file, its header, rows with the wrong
  number of cells, and each cell written in the kit's grammar (:func:`parse`, stricter than
  Table Schema's: no spaces around values, finite numbers, ``true``/``false``, dates written
  YYYY-MM-DD, web addresses starting with http(s)://);
- ``schema_problems``: the Table Schema constraints on the typed values (``required``,
  ``enum``, ``minimum``/``maximum``, ``pattern``, ``unique``), which frictionless checks too.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from .problems import problem

TRUE, FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
#: What a cell of each type must look like (the ``expected`` part of a problem).
EXPECTED = {
    "integer": "a whole number",
    "number": "a number (use a dot for decimals, no thousands separators)",
    "boolean": "true or false",
    "date": "a date written YYYY-MM-DD",
    "year": "a four-digit year",
    "uri": "a web address starting with http:// or https://",
}
#: What each Table Schema constraint expects, given the constraint's value. These are Table Schema v1's
#: (the package's version); v2's exclusiveMinimum/exclusiveMaximum are left out: frictionless rejects
#: them in a v1 package, and check-data reports that as a problem in datapackage.json.
CONSTRAINTS = {
    "required": lambda _: "a value (this column is required)",
    "enum": lambda allowed: "one of " + ", ".join(map(str, allowed)),
    "minimum": lambda low: f"at least {low}",
    "maximum": lambda high: f"at most {high}",
    "minLength": lambda n: f"at least {n} characters",
    "maxLength": lambda n: f"at most {n} characters",
    "pattern": lambda pattern: f"text matching the pattern {pattern}",
}
#: How the kit checks them on a typed value (``text`` is the cell as written).
_HOLDS = {
    "enum": lambda value, text, allowed: value in allowed,
    "minimum": lambda value, text, low: value >= low,
    "maximum": lambda value, text, high: value <= high,
    "minLength": lambda value, text, n: len(text) >= n,
    "maxLength": lambda value, text, n: len(text) <= n,
    "pattern": lambda value, text, pattern: re.fullmatch(pattern, text) is not None,
}
_GRAMMAR = {"integer": r"[+-]?[0-9]+", "year": r"[0-9]{4}", "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "uri": r"https?://\S+"}


def parse(value: str, type_: str, format_: str | None = None):
    """Turn one CSV cell into a Python value by its Table Schema type; ``ValueError`` if it can't.

    >>> parse("2.5", "number"), parse("7", "integer"), parse("true", "boolean"), parse("2025-06-25", "date")
    (2.5, 7, True, datetime.date(2025, 6, 25))
    >>> parse("7.0", "integer")
    Traceback (most recent call last):
    ...
    ValueError: a whole number
    """
    kind = "uri" if type_ == "string" and format_ == "uri" else type_
    if kind in _GRAMMAR and not re.fullmatch(_GRAMMAR[kind], value):
        raise ValueError(EXPECTED[kind])
    if kind in ("string", "uri"):
        return value
    if kind in ("integer", "year"):
        return int(value)
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            raise ValueError(EXPECTED["number"]) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("a finite number")
        return number
    if kind == "boolean":
        if value in TRUE or value in FALSE:
            return value in TRUE
        raise ValueError(EXPECTED["boolean"])
    if kind == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(EXPECTED["date"]) from None
    raise ValueError(f"a value of the unsupported type {type_!r}")


def _read_rows(path: Path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        return header, [row for row in reader]


def _header_detail(header, expected) -> str:
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    detail = ([f"missing: {', '.join(missing)}"] if missing else []) + ([f"unexpected: {', '.join(extra)}"] if extra else [])
    return "; ".join(detail or ["order: " + ", ".join(expected)])


class Table:
    """One resource read and typed, with the problems found on the way (see the module's docstring)."""

    def __init__(self, folder: Path, resource: dict):
        self.name = resource["name"]
        self.file = f"{folder.name}/{resource['path']}"
        schema = resource.get("schema", {})
        self.fields = schema.get("fields", [])
        self.rows: list[dict] = []  # typed values by column, with "__row__" = spreadsheet row number
        self.problems: list = []
        self.schema_problems: list = []
        self.as_declared = False  # True once the file is read and its header is the schema's
        self.skipped: set[int] = set()  # blank rows and rows with the wrong number of cells
        self.bad_cells: set[tuple[int, str]] = set()  # (row, column) of cells not written in the kit's grammar
        self._primary = set(keys(schema.get("primaryKey", [])))  # Table Schema: key fields are required
        path = folder / resource["path"]
        if not path.is_file():
            self.problems.append(problem(self.file, None, None, None, "the file to exist (it is missing)"))
            return
        try:
            header, raw = _read_rows(path)
        except UnicodeDecodeError as err:
            self.problems.append(problem(self.file, None, None, None, f"text encoded as UTF-8 ({err.reason} at byte {err.start})"))
            return
        expected = [f["name"] for f in self.fields]
        self.as_declared = header == expected
        if not self.as_declared:
            self.problems.append(problem(self.file, 1, None, None,
                                         f"the columns that datapackage.json lists ({_header_detail(header, expected)})"))
        index = {c: i for i, c in enumerate(header)}
        for number, cells in enumerate(raw, start=2):
            if not any(c.strip() for c in cells):
                self.skipped.add(number)
                continue
            if len(cells) != len(header):
                self.skipped.add(number)
                self.problems.append(problem(self.file, number, None, None,
                                             f"{len(header)} cells, one per column (found {len(cells)}: check quotes and commas)"))
                continue
            row = {"__row__": number}
            for field in self.fields:
                if field["name"] in index:
                    row[field["name"]] = self._cell(cells[index[field["name"]]], field, number)
            self.rows.append(row)
        for field in self.fields:
            if field.get("constraints", {}).get("unique"):
                self.check_unique([field["name"]], self.schema_problems)

    def _cell(self, text, field, number):
        name, cons = field["name"], field.get("constraints", {})
        if text.strip() != text:
            self.bad_cells.add((number, name))
            self.problems.append(problem(self.file, number, name, text, "no spaces before or after the value"))
            return None
        if text == "":
            if cons.get("required") or name in self._primary:
                self.schema_problems.append(problem(self.file, number, name, text, CONSTRAINTS["required"](True)))
            return None
        try:
            value = parse(text, field.get("type", "string"), field.get("format"))
        except ValueError as err:
            self.bad_cells.add((number, name))
            self.problems.append(problem(self.file, number, name, text, str(err)))
            return None
        failed = [key for key, holds in _HOLDS.items() if key in cons and not holds(value, text, cons[key])]
        self.schema_problems += [problem(self.file, number, name, text, CONSTRAINTS[key](cons[key])) for key in failed]
        return value

    def row(self, number: int) -> dict:
        """The typed values of spreadsheet row ``number`` (empty for a skipped row)."""
        return next((r for r in self.rows if r["__row__"] == number), {})

    def check_unique(self, columns, problems, what="unique"):
        """Append a problem for each row whose values in ``columns`` an earlier row already has."""
        seen = {}
        for row in self.rows:
            value = tuple(row.get(c) for c in columns)
            if all(v is None for v in value):
                continue
            if value in seen:
                problems.append(duplicate(self, row["__row__"], columns, value, seen[value], what))
            else:
                seen[value] = row["__row__"]


def duplicate(table, number, columns, value, first, what="unique"):
    """The problem for row ``number`` repeating the ``value`` of ``columns`` that row ``first`` has."""
    shown = value[0] if len(value) == 1 else value
    return problem(table.file, number, ", ".join(columns), str(shown), f"a {what} value (row {first} has the same)")


def keys(columns):
    return [columns] if isinstance(columns, str) else list(columns)


def split_ids(text):
    return [part for part in (text or "").split(";") if part]
