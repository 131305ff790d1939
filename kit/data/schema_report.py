"""The Table Schema checks run by frictionless, its report turned into the kit's one-line problems.

    from kit.data import package
    from kit.data.table import Table
    folder = package.data_dir()
    tables = {name: Table(folder, r) for name, r in package.resources(folder).items()}
    found = schema_problems(folder, package.metadata(folder), tables)   # {resource name: [problem, ...]}

frictionless validates every resource: types, ``required``, ``unique``, ``enum``,
``minimum``/``maximum``, ``pattern``, primary and foreign keys. Each error becomes the line
the kit's own checks write for the same fault (file, row, column, value, expected), so
``python -m kit check-data`` and ``kit.load`` word a problem alike. What the kit's reader
already reported is not reported twice: a cell not written in the kit's grammar
(``Table.bad_cells``), a blank row or a row with the wrong number of cells (``Table.skipped``).

A resource the kit cannot read as declared (missing, not UTF-8, other columns) or that
frictionless cannot open is left out of the result: the kit's own checks cover it, since
frictionless would then compare cells by position or report nothing row by row. A
``datapackage.json`` that frictionless cannot read (a key naming no column, an unknown type)
is one problem per reason, on ``datapackage.json``, and the kit's checks cover every resource.
"""

from __future__ import annotations

import copy
import re

from .keys import key_duplicate, key_missing
from .problems import Problem, problem
from .table import CONSTRAINTS, EXPECTED, duplicate, keys

#: The key under which :func:`schema_problems` puts what frictionless finds wrong in ``datapackage.json``
#: itself (not a resource name: names cannot hold angle brackets).
DESCRIPTOR = "<datapackage.json>"
_POSITION = re.compile(r"row at position (\d+)")
_CONSTRAINT = re.compile(r'constraint "(\w+)"')


def _descriptor(meta: dict) -> dict:
    """The package as frictionless reads it: without recorded hashes (the kit compares those itself, on request)."""
    descriptor = copy.deepcopy(meta)
    for resource in descriptor.get("resources", []):
        resource.pop("hash", None)
        resource.pop("bytes", None)
    return descriptor


def _first(note: str) -> int | None:
    found = _POSITION.search(note or "")
    return int(found.group(1)) if found else None


def _cell_line(error, table, field) -> Problem | None:
    number, name, text = error.row_number, error.field_name, error.cell
    if error.type == "type-error":
        kind = "uri" if field.get("format") == "uri" else field.get("type", "string")
        return problem(table.file, number, name, text, EXPECTED.get(kind, f"a value of type {kind}"))
    if error.type == "constraint-error":
        found = _CONSTRAINT.search(error.note or "")
        key = found.group(1) if found else "constraint"
        constraints = field.get("constraints", {})
        expected = CONSTRAINTS[key](constraints.get(key)) if key in CONSTRAINTS else f"{key} {constraints.get(key)!r}"
        return problem(table.file, number, name, "" if key == "required" else text, expected)
    if error.type == "unique-error" and _first(error.note):
        return duplicate(table, number, [name], (table.row(number).get(name),), _first(error.note))
    return None


def _line(error, table, resource: dict, tables: dict) -> Problem | None:
    """The kit's line for one frictionless error (None when the kit's reader already reported it)."""
    number = getattr(error, "row_number", None)
    if error.type == "blank-row" or number in table.skipped:
        return None
    schema = resource.get("schema", {})
    name = getattr(error, "field_name", None)
    if name is not None:
        if (number, name) in table.bad_cells:
            return None
        field = next((f for f in table.fields if f["name"] == name), {})
        line = _cell_line(error, table, field)
    elif error.type == "primary-key":  # without a position, the key is empty: reported as required cells
        first = _first(error.note)
        return key_duplicate(table, number, keys(schema["primaryKey"]), first) if first else None
    elif error.type == "foreign-key":
        if any((number, c) in table.bad_cells for c in error.field_names):
            return None
        fk = next(fk for fk in schema.get("foreignKeys", []) if keys(fk["fields"]) == list(error.field_names))
        target = tables[fk["reference"]["resource"] or table.name]
        line = key_missing(table, number, list(error.field_names), target, keys(fk["reference"]["fields"]))
    else:
        line = None
    return line or problem(table.file, number, name, getattr(error, "cell", None),
                           f"what Table Schema allows (frictionless: {error.title}: {error.note})")


def schema_problems(folder, meta: dict, tables: dict) -> dict[str, list[Problem]]:
    """The problems frictionless finds, by resource name, for the resources it could check row by row
    (and under :data:`DESCRIPTOR`, a ``datapackage.json`` it cannot read: the kit's checks then cover every resource)."""
    import frictionless  # imported here: only check-data pays for it (see kit.data.validate)

    resources = {r["name"]: r for r in meta.get("resources", [])}
    try:
        report = frictionless.Package(_descriptor(meta), basepath=str(folder)).validate(limit_errors=10**9)
    except frictionless.FrictionlessException as err:
        return {DESCRIPTOR: [problem(f"{folder.name}/datapackage.json", None, None, None,
                                     f"a descriptor that Table Schema allows (frictionless: {reason.message})")
                             for reason in err.reasons or [err.error]]}
    found: dict[str, list[Problem]] = {}
    for task in report.tasks:
        table = tables.get(task.name)
        if table is None or not table.as_declared or any(getattr(e, "row_number", None) is None for e in task.errors):
            continue
        lines = (_line(error, table, resources[task.name], tables) for error in task.errors)
        found[task.name] = [line for line in lines if line is not None]
    return found
