"""The cross-table rules a resource declares under ``"kit": {"checks": [...]}`` in ``datapackage.json``.

Each rule is named by ``"rule"`` and takes its columns from the declaration, never from
code that names a dataset::

    {"rule": "group_sum_equals", "group": "election_id", "column": "seats", "equals": "seats_total"}

    >>> sorted(RULES)
    ['group_constant', 'group_sum_about', 'group_sum_equals', 'one_flagged_subgroup', 'references', 'unique_together']

Each rule is called as ``rule(table, declaration, tables, problems)`` and appends one
line per problem.
"""

from __future__ import annotations

from collections import defaultdict

from .problems import problem


def _groups(table, column, keep=lambda row: True) -> dict:
    """The rows that ``keep`` accepts, grouped by their value in ``column`` (in the file's order)."""
    groups = defaultdict(list)
    for row in table.rows:
        if keep(row):
            groups[row.get(column)].append(row)
    return groups


def _rule_group_constant(table, rule, tables, problems):
    """Election-level values repeat on every row of a group: report rows that differ from the majority."""
    for key, rows in _groups(table, rule["group"]).items():
        for column in rule["columns"]:
            values = [r.get(column) for r in rows]
            common = max(set(values), key=lambda v: (values.count(v), -values.index(v)))
            model = next(r for r in rows if r.get(column) == common)
            for row in rows:
                if row.get(column) != common:
                    shown = "" if row.get(column) is None else str(row.get(column))
                    problems.append(problem(table.file, row["__row__"], column, shown,
                                            f"{'(empty)' if common is None else common}, as on row {model['__row__']} "
                                            f"and the other rows of {rule['group']} {key}"))


def _rule_group_sum_equals(table, rule, tables, problems):
    for key, rows in _groups(table, rule["group"], keep=lambda row: row.get(rule["column"]) is not None).items():
        total = sum(r[rule["column"]] for r in rows)
        target = rows[0].get(rule["equals"])
        if target is not None and total != target:
            problems.append(problem(table.file, rows[0]["__row__"], rule["column"], str(total),
                                    f"the {rule['column']} of {rule['group']} {key} to add up to {rule['equals']} = {target} (rows {', '.join(str(r['__row__']) for r in rows)})"))


def _rule_group_sum_about(table, rule, tables, problems):
    keep = (lambda row: bool(row.get(rule["when"]))) if rule.get("when") else (lambda row: True)
    for key, rows in _groups(table, rule["group"], keep).items():
        values = [r.get(rule["column"]) for r in rows]
        if any(v is None for v in values):
            continue
        total = round(sum(values), 6)
        if abs(total - rule["target"]) > rule["tolerance"]:
            problems.append(problem(table.file, rows[0]["__row__"], rule["column"], f"{total:g}",
                                    f"the shares of {rule['group']} {key} to add up to about {rule['target']} "
                                    f"(within {rule['tolerance']}), since all its competitors are listed"))


def _rule_unique_together(table, rule, tables, problems):
    table.check_unique(rule["columns"], problems, "unique combination of")


def _rule_references(table, rule, tables, problems):
    target = tables.get(rule["resource"])
    if target is None:
        return
    known = {r.get(rule["target"]) for r in target.rows}
    for row in table.rows:
        value = row.get(rule["column"])
        if value is not None and value not in known:
            problems.append(problem(table.file, row["__row__"], rule["column"], str(value),
                                    f"a {rule['target']} that exists in {target.file}"))


def _rule_one_flagged_subgroup(table, rule, tables, problems):
    """Within each ``group``, exactly one ``subgroup`` has its rows flagged (e.g. one final result per election)."""
    groups = defaultdict(lambda: defaultdict(list))
    for row in table.rows:
        groups[row.get(rule["group"])][row.get(rule["subgroup"])].append(row)
    for key, subgroups in groups.items():
        flagged = [sub for sub, rows in subgroups.items() if any(r.get(rule["flag"]) for r in rows)]
        mixed = [sub for sub, rows in subgroups.items() if len({bool(r.get(rule["flag"])) for r in rows}) > 1]
        first = next(iter(subgroups.values()))[0]
        if len(flagged) != 1:
            found = "none is" if not flagged else f"{len(flagged)} are: {', '.join(map(str, flagged))}"
            problems.append(problem(table.file, first["__row__"], rule["flag"], None,
                                    f"exactly one {rule['subgroup']} of {rule['group']} {key} with {rule['flag']} = true ({found})"))
        for sub in mixed:
            problems.append(problem(table.file, subgroups[sub][0]["__row__"], rule["flag"], None,
                                    f"the same {rule['flag']} on every row of {rule['subgroup']} {sub}"))


RULES = {
    "one_flagged_subgroup": _rule_one_flagged_subgroup,
    "group_constant": _rule_group_constant,
    "group_sum_equals": _rule_group_sum_equals,
    "group_sum_about": _rule_group_sum_about,
    "unique_together": _rule_unique_together,
    "references": _rule_references,
}
