"""Check a data folder against its ``datapackage.json`` (the library behind ``python -m kit check-data``).

Every problem is one line naming the file, the row (row 1 is the header, as in a
spreadsheet), the column, the bad value and what was expected::

    from kit.data.validate import check_package
    for line in check_package("path/to/data"):   # [] when the folder passes
        print(line)    # data/countries.csv, row 3, column iso3: 'XX': expected text matching the pattern [A-Z]{3}

Rules come from the metadata, never from code that names a dataset: Table Schema
types, ``required``, ``unique``, ``enum``, ``minimum``/``maximum``, ``pattern``, primary
and foreign keys; every ``source_ids`` entry must be defined in the package's
``sources``; and the cross-table rules a resource lists under ``kit.checks``.

Sources, tiers, weak-source flags and review dates follow the curation rules in
``kit.data.curation``; the cross-table rules are in ``kit.data.rules``; each CSV is
read and typed by ``kit.data.table``.

Datasets past their ``review_by`` date are listed by the command (see ``kit.data.freshness``);
``--strict`` turns that into a failure.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import write_text
from . import package
from .curation import check_dates, check_sources, check_weak_source
from .keys import key_problems
from .problems import Problem, problem
from .rules import RULES
from .schema_report import schema_problems
from .table import Table, split_ids

ENGINES = ("frictionless", "kit")


def _in_order(lines: list[Problem], table: Table) -> list[Problem]:
    """A table's problems by row, then by column in the schema's order (the same order whichever engine found them)."""
    index = {f["name"]: i for i, f in enumerate(table.fields)}
    return sorted(lines, key=lambda p: (p.row or 0, index.get((p.column or "").split(", ")[0], len(index))))


def check_package(folder=None, names=None, hashes=False, engine=None) -> list[Problem]:
    """All problems in the data folder (an empty list when it is valid).

    ``names`` limits the row-level checks to some resources (the resources they point
    to are read too); ``hashes=True`` also compares each file with the SHA-256 recorded
    in ``datapackage.json``. ``engine`` says who checks the Table Schema (types are
    always read by the kit): ``"frictionless"`` (the default for the whole package, as in
    ``python -m kit check-data``) or ``"kit"`` (the default with ``names``, as in ``kit.load``).
    """
    folder = package.data_dir(folder)
    meta = package.metadata(folder)
    resources = {r["name"]: r for r in meta["resources"]}
    wanted = list(resources) if names is None else list(names)
    needed = set(wanted).union(*(package.referenced(resources[name]) for name in wanted))
    tables = {name: Table(folder, resources[name]) for name in resources if name in needed}
    engine = engine or ("kit" if names is not None else "frictionless")
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")
    standard = schema_problems(folder, meta, tables) if engine == "frictionless" else {}
    known_sources = {s.get("id") for s in meta.get("sources", [])}
    tier_of = {s.get("id"): (s.get("accessed_via") or {}).get("tier") if isinstance(s.get("accessed_via"), dict) else None
               for s in meta.get("sources", [])}
    meta_file = f"{folder.name}/datapackage.json"
    problems: list[Problem] = []
    if names is None:  # the package's curation rules: check-data, not every kit.load
        problems += check_sources(meta, meta_file)
        for name in wanted:
            problems += check_dates(resources[name], meta_file)
            problems += [problem(meta_file, None, None, None,
                                 f"resource {name}: source id {sid!r} in its source_ids to be defined under \"sources\"")
                         for sid in resources[name].get("source_ids", []) if sid not in known_sources]
    for name in wanted:
        table, resource = tables[name], resources[name]
        found = standard[name] if name in standard else table.schema_problems + key_problems(table, resource, tables)
        problems += _in_order(table.problems + found, table)
        if any(f["name"] == "source_ids" for f in table.fields):
            problems += [problem(table.file, row["__row__"], "source_ids", sid, "a source id defined under \"sources\" in datapackage.json")
                         for row in table.rows for sid in split_ids(row.get("source_ids")) if sid not in known_sources]
            problems += check_weak_source(table, tier_of)
        for rule in resource.get("kit", {}).get("checks", []):
            check = RULES.get(rule.get("rule"))
            if check is None:
                problems.append(problem(meta_file, None, None, None,
                                        f"resource {name}: unknown check {rule.get('rule')!r} (known: {', '.join(RULES)})"))
                continue
            check(table, rule, tables, problems)
        if hashes and "hash" in resource and (folder / resource["path"]).is_file():
            if sha256(folder / resource["path"]) != resource["hash"].removeprefix("sha256:"):
                problems.append(problem(table.file, None, None, None,
                                        "the file to match the SHA-256 recorded in datapackage.json: it was changed since. "
                                        "If the change is intended and the checks pass, record it with "
                                        f"`python -m kit check-data {folder} --update-hashes`"))
    return problems


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
