"""Check a data folder against its ``datapackage.json``: ``python -m kit check-data [DIR]``.

Every problem is one line naming the file, the row (row 1 is the header, as in a
spreadsheet), the column, the bad value and what was expected::

    >>> from kit.validate import check_package
    >>> check_package()
    []

Rules come from the metadata, never from code that names a dataset: Table Schema
types, ``required``, ``unique``, ``enum``, ``minimum``/``maximum``, ``pattern``, primary
and foreign keys; every ``source_ids`` entry must be defined in the package's
``sources``; and the cross-table rules a resource lists under ``kit.checks``.

Sources and dates have rules of their own:

- every source names its original ``publisher`` and, in ``accessed_via``, the copy the kit
  read (title, publisher, address) with its ``tier`` (one of :data:`TIERS`), judged on
  that copy, not on whom it credits;
- a row is soundly sourced when at least one of its sources was read in an ``official``,
  ``wire`` or ``press`` copy (:data:`SOUND_TIERS`); otherwise its ``weak_source`` column
  must say ``true``, so that every chart and table that shows the row can flag it (and
  ``false`` otherwise, so the flag never cries wolf);
- every resource declares ``review_policy``: ``political`` data must be reviewed at most
  :data:`POLITICAL_REVIEW_MONTHS` months after its ``as_of`` date; ``publication`` data (a
  fixed edition) may wait longer, saying why in ``review_note``.

Datasets past their ``review_by`` date are listed by the command (see ``kit.freshness``);
``--strict`` turns that into a failure.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

from . import package
from .files import write_text

TRUE, FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}

#: Where the kit read a source, judged on the copy read (``accessed_via.tier``).
TIERS = {
    "official": "the publisher's own site or document (nato.int, gov.uk, cec.md, a court), or an unaltered copy of its file",
    "wire": "a news agency's copy (Reuters, AFP, AP, dpa, ...)",
    "press": "an independent newspaper or broadcaster",
    "state-affiliated": "media under a government's editorial control (TASS, Sputnik, ...)",
    "aggregator": "a site that repackages others' reports (aggregators, summary services, machine-made digests)",
    "wiki-copy": "Wikipedia or a copy of it",
    "other": "anything else (a transcription on GitHub, a blog, a teaching file)",
}
#: A row needs at least one source read in one of these tiers, or ``weak_source = true``.
SOUND_TIERS = ("official", "wire", "press")
REVIEW_POLICIES = ("political", "publication")
POLITICAL_REVIEW_MONTHS = 4


class Problem(str):
    """One problem, as text. A ``str`` so it prints, compares and sorts plainly."""


def _problem(file, row, column, value, expected) -> Problem:
    where = f"{file}, row {row}" if row else f"{file}"
    if column:
        where += f", column {column}"
    shown = "(empty)" if value == "" else repr(value)
    return Problem(f"{where}: {shown}: expected {expected}" if value is not None else f"{where}: expected {expected}")


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


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Table:
    """One resource read and typed, plus the problems found on the way."""

    def __init__(self, folder: Path, resource: dict, problems: list):
        self.name = resource["name"]
        self.file = f"{folder.name}/{resource['path']}"
        self.fields = resource.get("schema", {}).get("fields", [])
        self.rows: list[dict] = []  # typed values by column, with "__row__" = spreadsheet row number
        path = folder / resource["path"]
        if not path.is_file():
            problems.append(_problem(self.file, None, None, None, "the file to exist (it is missing)"))
            return
        try:
            header, raw = _read_rows(path)
        except UnicodeDecodeError as err:
            problems.append(_problem(self.file, None, None, None, f"text encoded as UTF-8 ({err.reason} at byte {err.start})"))
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
            problems.append(_problem(self.file, 1, None, None, "the columns that datapackage.json lists (" + "; ".join(detail) + ")"))
        index = {c: i for i, c in enumerate(header)}
        for number, cells in enumerate(raw, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(_problem(self.file, number, None, None,
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
            problems.append(_problem(self.file, number, name, text, "no spaces before or after the value"))
        if text == "":
            if cons.get("required"):
                problems.append(_problem(self.file, number, name, text, "a value (this column is required)"))
            return None
        try:
            value = parse(text, field.get("type", "string"))
        except ValueError as err:
            problems.append(_problem(self.file, number, name, text, str(err)))
            return None
        if "enum" in cons and value not in cons["enum"]:
            problems.append(_problem(self.file, number, name, text, "one of " + ", ".join(map(str, cons["enum"]))))
        if "minimum" in cons and value < cons["minimum"]:
            problems.append(_problem(self.file, number, name, text, f"at least {cons['minimum']}"))
        if "maximum" in cons and value > cons["maximum"]:
            problems.append(_problem(self.file, number, name, text, f"at most {cons['maximum']}"))
        if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
            problems.append(_problem(self.file, number, name, text, f"text matching the pattern {cons['pattern']}"))
        if field.get("format") == "uri" and not re.match(r"https?://\S+$", text):
            problems.append(_problem(self.file, number, name, text, "a web address starting with http:// or https://"))
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
                problems.append(_problem(self.file, row["__row__"], label, str(shown),
                                         f"a {what} value (row {seen[value]} has the same)"))
            else:
                seen[value] = row["__row__"]


def _keys(columns):
    return [columns] if isinstance(columns, str) else list(columns)


def _split_ids(text):
    return [part for part in (text or "").split(";") if part]


# Cross-table rules named in a resource's "kit": {"checks": [...]}. Each yields problems.
def _rule_group_constant(table, rule, tables, problems):
    """Election-level values repeat on every row of a group: report rows that differ from the majority."""
    groups = defaultdict(list)
    for row in table.rows:
        groups[row.get(rule["group"])].append(row)
    for key, rows in groups.items():
        for column in rule["columns"]:
            values = [r.get(column) for r in rows]
            common = max(set(values), key=lambda v: (values.count(v), -values.index(v)))
            model = next(r for r in rows if r.get(column) == common)
            for row in rows:
                if row.get(column) != common:
                    shown = "" if row.get(column) is None else str(row.get(column))
                    problems.append(_problem(table.file, row["__row__"], column, shown,
                                             f"{'(empty)' if common is None else common}, as on row {model['__row__']} "
                                             f"and the other rows of {rule['group']} {key}"))


def _rule_group_sum_equals(table, rule, tables, problems):
    groups = defaultdict(list)
    for row in table.rows:
        if row.get(rule["column"]) is not None:
            groups[row.get(rule["group"])].append(row)
    for key, rows in groups.items():
        total = sum(r[rule["column"]] for r in rows)
        target = rows[0].get(rule["equals"])
        if target is not None and total != target:
            problems.append(_problem(table.file, rows[0]["__row__"], rule["column"], str(total),
                                     f"the {rule['column']} of {rule['group']} {key} to add up to {rule['equals']} = {target} (rows {', '.join(str(r['__row__']) for r in rows)})"))


def _rule_group_sum_about(table, rule, tables, problems):
    groups = defaultdict(list)
    for row in table.rows:
        if rule.get("when") and not row.get(rule["when"]):
            continue
        groups[row.get(rule["group"])].append(row)
    for key, rows in groups.items():
        values = [r.get(rule["column"]) for r in rows]
        if any(v is None for v in values):
            continue
        total = round(sum(values), 6)
        if abs(total - rule["target"]) > rule["tolerance"]:
            problems.append(_problem(table.file, rows[0]["__row__"], rule["column"], f"{total:g}",
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
            problems.append(_problem(table.file, row["__row__"], rule["column"], str(value),
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
            problems.append(_problem(table.file, first["__row__"], rule["flag"], None,
                                     f"exactly one {rule['subgroup']} of {rule['group']} {key} with {rule['flag']} = true ({found})"))
        for sub in mixed:
            problems.append(_problem(table.file, subgroups[sub][0]["__row__"], rule["flag"], None,
                                     f"the same {rule['flag']} on every row of {rule['subgroup']} {sub}"))


RULES = {
    "one_flagged_subgroup": _rule_one_flagged_subgroup,
    "group_constant": _rule_group_constant,
    "group_sum_equals": _rule_group_sum_equals,
    "group_sum_about": _rule_group_sum_about,
    "unique_together": _rule_unique_together,
    "references": _rule_references,
}


def check_package(folder=None, names=None, hashes=False) -> list[Problem]:
    """All problems in the data folder (an empty list when it is valid).

    ``names`` limits the row-level checks to some resources (the resources they point
    to are read too); ``hashes=True`` also compares each file with the SHA-256 recorded
    in ``datapackage.json``.
    """
    folder = package.data_dir(folder)
    meta = package.metadata(folder)
    problems: list[Problem] = []
    resources = {r["name"]: r for r in meta["resources"]}
    wanted = list(resources) if names is None else list(names)
    needed = set(wanted)
    for name in wanted:
        for fk in resources[name].get("schema", {}).get("foreignKeys", []):
            needed.add(fk["reference"]["resource"] or name)
        for rule in resources[name].get("kit", {}).get("checks", []):
            if "resource" in rule:
                needed.add(rule["resource"])
    tables = {}
    scratch: list[Problem] = []
    for name in resources:
        if name in needed:
            tables[name] = _Table(folder, resources[name], problems if name in wanted else scratch)
    known_sources = {s.get("id") for s in meta.get("sources", [])}
    tier_of = {s.get("id"): (s.get("accessed_via") or {}).get("tier") if isinstance(s.get("accessed_via"), dict) else None
               for s in meta.get("sources", [])}
    meta_file = f"{folder.name}/datapackage.json"
    if names is None:
        problems += check_sources(meta, meta_file)
    for name in (wanted if names is None else []):  # the package's curation rules: check-data, not every kit.load
        problems += check_dates(resources[name], meta_file)
        for sid in resources[name].get("source_ids", []):
            if sid not in known_sources:
                problems.append(_problem(meta_file, None, None, None,
                                         f"resource {name}: source id {sid!r} in its source_ids to be defined under \"sources\""))
    for name in wanted:
        table, resource = tables[name], resources[name]
        schema = resource.get("schema", {})
        if schema.get("primaryKey"):
            table.check_unique(_keys(schema["primaryKey"]), problems, "unique primary key" if len(_keys(schema["primaryKey"])) == 1 else "unique combination of")
        for fk in schema.get("foreignKeys", []):
            target = tables[fk["reference"]["resource"] or name]
            cols, tcols = _keys(fk["fields"]), _keys(fk["reference"]["fields"])
            known = {tuple(r.get(c) for c in tcols) for r in target.rows}
            for row in table.rows:
                value = tuple(row.get(c) for c in cols)
                if any(v is None for v in value):
                    continue
                if value not in known:
                    problems.append(_problem(table.file, row["__row__"], ", ".join(cols), str(value[0] if len(value) == 1 else value),
                                             f"a value listed in {target.file} ({', '.join(tcols)})"))
        if any(f["name"] == "source_ids" for f in table.fields):
            for row in table.rows:
                for sid in _split_ids(row.get("source_ids")):
                    if sid not in known_sources:
                        problems.append(_problem(table.file, row["__row__"], "source_ids", sid,
                                                 "a source id defined under \"sources\" in datapackage.json"))
            problems += _check_weak_source(table, tier_of)
        for rule in resource.get("kit", {}).get("checks", []):
            check = RULES.get(rule.get("rule"))
            if check is None:
                problems.append(_problem(f"{folder.name}/datapackage.json", None, None, None,
                                         f"resource {name}: unknown check {rule.get('rule')!r} (known: {', '.join(RULES)})"))
                continue
            check(table, rule, tables, problems)
        if hashes and "hash" in resource and (folder / resource["path"]).is_file():
            recorded = resource["hash"].removeprefix("sha256:")
            if sha256(folder / resource["path"]) != recorded:
                problems.append(_problem(table.file, None, None, None,
                                         "the file to match the SHA-256 recorded in datapackage.json: it was changed since. "
                                         "If the change is intended and the checks pass, record it with "
                                         "`python -m kit check-data --update-hashes`"))
    return problems


def _where_source(file, index, source) -> str:
    return f"{file}, sources[{index}] ({source.get('id') or 'no id'})"


def check_sources(meta: dict, file: str) -> list[Problem]:
    """The source catalogue: unique ids, an original publisher, and the copy read with its tier."""
    problems, seen = [], {}
    for index, source in enumerate(meta.get("sources", [])):
        where = _where_source(file, index, source)
        sid = source.get("id")
        if not sid:
            problems.append(Problem(f"{where}: expected an \"id\""))
        elif sid in seen:
            problems.append(Problem(f"{where}: id {sid!r}: expected a unique id (sources[{seen[sid]}] has the same)"))
        else:
            seen[sid] = index
        for key in ("title", "publisher"):
            if not str(source.get(key) or "").strip():
                problems.append(Problem(f"{where}: expected a {key!r} (the original {'item' if key == 'title' else 'publisher'})"))
        via = source.get("accessed_via")
        if not isinstance(via, dict):
            problems.append(Problem(f"{where}, accessed_via: {via!r}: expected an object naming the copy the kit read "
                                    f"(title, publisher, path, tier)"))
            continue
        if not str(via.get("title") or via.get("publisher") or "").strip():
            problems.append(Problem(f"{where}, accessed_via: expected the title or publisher of the copy read"))
        if via.get("tier") not in TIERS:
            problems.append(Problem(f"{where}, accessed_via.tier: {via.get('tier')!r}: expected one of {', '.join(TIERS)}"))
    return problems


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clipped to the month's last day.

    >>> _add_months(dt.date(2026, 10, 31), 4)
    datetime.date(2027, 2, 28)
    """
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_dates(resource: dict, file: str) -> list[Problem]:
    """A resource's review policy and dates: as_of, review_by, and how far apart they may be."""
    name, problems = resource.get("name"), []
    where = f"{file}, resource {name}"
    dates = {}
    for key in ("as_of", "review_by"):
        value = resource.get(key)
        try:
            dates[key] = parse(str(value), "date") if value else None
        except ValueError:
            dates[key] = None
        if dates[key] is None:
            problems.append(_problem(where, None, key, "" if value is None else str(value), "a date written YYYY-MM-DD"))
    policy = resource.get("review_policy")
    if policy not in REVIEW_POLICIES:
        problems.append(_problem(where, None, "review_policy", "" if policy is None else str(policy),
                                 "political (facts that change) or publication (a fixed edition)"))
    as_of, review_by = dates.get("as_of"), dates.get("review_by")
    if as_of and review_by:
        if review_by <= as_of:
            problems.append(_problem(where, None, "review_by", review_by.isoformat(), f"a date after as_of ({as_of.isoformat()})"))
        latest = _add_months(as_of, POLITICAL_REVIEW_MONTHS)
        if policy == "political" and review_by > latest:
            problems.append(_problem(where, None, "review_by", review_by.isoformat(),
                                     f"at most {POLITICAL_REVIEW_MONTHS} months after as_of {as_of.isoformat()} "
                                     f"(by {latest.isoformat()}), since its review_policy is political"))
    if policy == "publication" and not str(resource.get("review_note") or "").strip():
        problems.append(_problem(where, None, "review_note", "",
                                 "a review_note saying why this publication can wait until its review_by date"))
    return problems


def _check_weak_source(table, tier_of) -> list[Problem]:
    """``weak_source`` is true exactly when none of a row's sources was read in a sound copy."""
    if not any(f["name"] == "weak_source" for f in table.fields):
        return [_problem(table.file, 1, "weak_source", None,
                         "a weak_source column (true when none of the row's sources was read in an "
                         f"{', '.join(SOUND_TIERS[:-1])} or {SOUND_TIERS[-1]} copy), since the table has source_ids")]
    problems = []
    for row in table.rows:
        ids = _split_ids(row.get("source_ids"))
        if not ids:
            continue
        weak = not any(tier_of.get(sid) in SOUND_TIERS for sid in ids)
        flag = row.get("weak_source")
        if flag is None or flag == weak:
            continue
        read = ", ".join(f"{sid} ({tier_of.get(sid) or 'no tier'})" for sid in ids)
        if weak:
            expected = (f"true: none of its sources was read in an {', '.join(SOUND_TIERS)} copy ({read}); "
                        "find a better source, or keep the flag so readers see it")
        else:
            expected = f"false: at least one of its sources was read in a sound copy ({read})"
        problems.append(_problem(table.file, row["__row__"], "weak_source", "true" if flag else "false", expected))
    return problems


def update_hashes(folder=None) -> int:
    """Record each file's SHA-256 in ``datapackage.json`` (after the data passed its checks)."""
    folder = package.data_dir(folder)
    path = folder / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for resource in meta["resources"]:
        digest = "sha256:" + sha256(folder / resource["path"])
        if resource.get("hash") != digest:
            resource["hash"] = digest
            changed += 1
    write_text(path, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return changed


# --- command line -------------------------------------------------------------------
HELP = "Check every dataset against datapackage.json (types, ranges, keys, sources, cross-table rules)."


def add_arguments(parser):
    parser.add_argument("folder", nargs="?", help="data folder (default: $KIT_DATA_DIR or the kit's data/)")
    parser.add_argument("--update-hashes", action="store_true",
                        help="after the checks pass, record the files' SHA-256 in datapackage.json")
    parser.add_argument("--strict", action="store_true",
                        help="also fail (exit 1) when a dataset is past its review_by date")


def overdue_lines(folder) -> list[str]:
    """One line per dataset past its review date (today: the clock, or $KIT_TODAY)."""
    from . import freshness

    resources = package.resources(folder)
    return [f"overdue: {name}: as of {resources[name].get('as_of')}, review by {resources[name].get('review_by')}"
            for name in freshness.overdue(folder)]


def run(args) -> int:
    from . import freshness

    problems = check_package(args.folder, hashes=not args.update_hashes)
    folder = package.data_dir(args.folder)
    for p in problems:
        print(p)
    count = len(package.resources(folder))
    late = overdue_lines(folder)
    for line in late:
        print(line)
    if late:
        print(f"{len(late)} dataset(s) past their review date (today is {freshness.today().isoformat()}): "
              f"{freshness.HOW_TO_UPDATE}.")
    if problems:
        print(f"{len(problems)} problem(s) in {folder}.")
        return 1
    if late and args.strict:
        print("--strict: failing because of the overdue datasets above.")
        return 1
    if args.update_hashes:
        changed = update_hashes(folder)
        print(f"All {count} datasets pass; recorded hashes for {changed} changed file(s).")
    else:
        print(f"All {count} datasets in {folder} pass their checks.")
    return 0
