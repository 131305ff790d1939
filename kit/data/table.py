"""Read one CSV file by its Table Schema: typed values per row, and a problem for each bad cell.

    >>> from kit.data.package import data_dir, resource
    >>> problems = []
    >>> table = Table(data_dir(), resource("spending_targets"), problems)
    >>> problems, table.rows[0]["__row__"], type(table.rows[0]["share_gdp_pct"]).__name__
    ([], 2, 'float')

Types, ``required``, ``unique``, ``enum``, ``minimum``/``maximum``, ``pattern`` and the
``uri`` format are checked cell by cell; keys and cross-table rules work on the typed rows
(see ``kit.data.validate``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from .problems import problem

TRUE, FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}

def parse(value: str, type_: str):
    """Turn one CSV cell into a Python value by its Table Schema type; ``ValueError`` if it can't.

    >>> parse("2.5", "number"), parse("7", "integer"), parse("true", "boolean"), parse("2025-06-25", "date")
    (2.5, 7, True, datetime.date(2025, 6, 25))
    >>> parse("7.0", "integer")
    Traceback (most recent call last):
    ...
    ValueError: a whole number
    """
    if type_ == "string":
        return value
    if type_ == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError("a whole number")
        return int(value)
    if type_ == "number":
        try:
            number = float(value)
        except ValueError:
            raise ValueError("a number (use a dot for decimals, no thousands separators)") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("a finite number")
        return number
    if type_ == "boolean":
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise ValueError("true or false")
    if type_ == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("a date written YYYY-MM-DD") from None
    if type_ == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise ValueError("a four-digit year")
        return int(value)
    raise ValueError(f"a value of the unsupported type {type_!r}")


def _read_rows(path: Path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        return header, [row for row in reader]


class Table:
    """One resource read and typed, plus the problems found on the way."""

    def __init__(self, folder: Path, resource: dict, problems: list):
        self.name = resource["name"]
        self.file = f"{folder.name}/{resource['path']}"
        self.fields = resource.get("schema", {}).get("fields", [])
        self.rows: list[dict] = []  # typed values by column, with "__row__" = spreadsheet row number
        path = folder / resource["path"]
        if not path.is_file():
            problems.append(problem(self.file, None, None, None, "the file to exist (it is missing)"))
            return
        try:
            header, raw = _read_rows(path)
        except UnicodeDecodeError as err:
            problems.append(problem(self.file, None, None, None, f"text encoded as UTF-8 ({err.reason} at byte {err.start})"))
            return
        expected = [f["name"] for f in self.fields]
        if header != expected:
            missing = [c for c in expected if c not in header]
            extra = [c for c in header if c not in expected]
            detail = []
            if missing:
                detail.append(f"missing: {', '.join(missing)}")
            if extra:
                detail.append(f"unexpected: {', '.join(extra)}")
            if not detail:
                detail.append("order: " + ", ".join(expected))
            problems.append(problem(self.file, 1, None, None, "the columns that datapackage.json lists (" + "; ".join(detail) + ")"))
        index = {c: i for i, c in enumerate(header)}
        for number, cells in enumerate(raw, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(problem(self.file, number, None, None,
                                        f"{len(header)} cells, one per column (found {len(cells)}: check quotes and commas)"))
                continue
            row = {"__row__": number}
            for field in self.fields:
                name = field["name"]
                if name not in index:
                    continue
                row[name] = self._cell(cells[index[name]], field, number, problems)
            self.rows.append(row)
        self._unique(problems)

    def _cell(self, text, field, number, problems):
        name, cons = field["name"], field.get("constraints", {})
        if text.strip() != text:
            problems.append(problem(self.file, number, name, text, "no spaces before or after the value"))
        if text == "":
            if cons.get("required"):
                problems.append(problem(self.file, number, name, text, "a value (this column is required)"))
            return None
        try:
            value = parse(text, field.get("type", "string"))
        except ValueError as err:
            problems.append(problem(self.file, number, name, text, str(err)))
            return None
        if "enum" in cons and value not in cons["enum"]:
            problems.append(problem(self.file, number, name, text, "one of " + ", ".join(map(str, cons["enum"]))))
        if "minimum" in cons and value < cons["minimum"]:
            problems.append(problem(self.file, number, name, text, f"at least {cons['minimum']}"))
        if "maximum" in cons and value > cons["maximum"]:
            problems.append(problem(self.file, number, name, text, f"at most {cons['maximum']}"))
        if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
            problems.append(problem(self.file, number, name, text, f"text matching the pattern {cons['pattern']}"))
        if field.get("format") == "uri" and not re.match(r"https?://\S+$", text):
            problems.append(problem(self.file, number, name, text, "a web address starting with http:// or https://"))
        return value

    def _unique(self, problems):
        for field in self.fields:
            if field.get("constraints", {}).get("unique"):
                self.check_unique([field["name"]], problems)

    def check_unique(self, columns, problems, what="unique"):
        seen = {}
        for row in self.rows:
            value = tuple(row.get(c) for c in columns)
            if all(v is None for v in value):
                continue
            label = ", ".join(columns)
            shown = value[0] if len(value) == 1 else value
            if value in seen:
                problems.append(problem(self.file, row["__row__"], label, str(shown),
                                        f"a {what} value (row {seen[value]} has the same)"))
            else:
                seen[value] = row["__row__"]


def keys(columns):
    return [columns] if isinstance(columns, str) else list(columns)


def split_ids(text):
    return [part for part in (text or "").split(";") if part]
