"""Primary and foreign keys, checked on the kit's typed rows (the fast path behind ``kit.load``).

``python -m kit check-data`` has frictionless check the same keys (``kit.data.schema_report``);
both word a problem with :func:`key_duplicate` and :func:`key_missing`, and
``tests/data/test_validate.py`` checks that the two report the same problems.
"""

from __future__ import annotations

from .problems import Problem, problem
from .table import duplicate, keys


def primary_key_what(columns) -> str:
    return "unique primary key" if len(columns) == 1 else "unique combination of"


def key_duplicate(table, number, columns, first) -> Problem:
    """Row ``number`` repeats the primary key of row ``first``."""
    return duplicate(table, number, columns, tuple(table.row(number).get(c) for c in columns), first, primary_key_what(columns))


def key_missing(table, number, columns, target, target_columns) -> Problem:
    """Row ``number``'s values in ``columns`` are not among ``target``'s values in ``target_columns``."""
    value = tuple(table.row(number).get(c) for c in columns)
    return problem(table.file, number, ", ".join(columns), str(value[0] if len(value) == 1 else value),
                   f"a value listed in {target.file} ({', '.join(target_columns)})")


def key_problems(table, resource: dict, tables: dict) -> list[Problem]:
    """The primary key's duplicates and the foreign keys' values missing from the tables they point to."""
    problems: list[Problem] = []
    schema = resource.get("schema", {})
    if schema.get("primaryKey"):
        columns = keys(schema["primaryKey"])
        table.check_unique(columns, problems, primary_key_what(columns))
    for fk in schema.get("foreignKeys", []):
        target = tables[fk["reference"]["resource"] or table.name]
        columns, target_columns = keys(fk["fields"]), keys(fk["reference"]["fields"])
        known = {tuple(r.get(c) for c in target_columns) for r in target.rows}
        for row in table.rows:
            value = tuple(row.get(c) for c in columns)
            if all(v is not None for v in value) and value not in known:
                problems.append(key_missing(table, row["__row__"], columns, target, target_columns))
    return problems
