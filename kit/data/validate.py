"""Check a data folder against its ``datapackage.json`` (the library behind ``python -m kit check-data``).

Every problem is one line naming the file, the row (row 1 is the header, as in a
spreadsheet), the column, the bad value and what was expected::

    >>> from kit.data.validate import check_package
    >>> check_package()
    []

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
from .problems import Problem, problem
from .rules import RULES
from .table import Table, keys, split_ids


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
        needed.update(package.referenced(resources[name]))
    tables = {}
    scratch: list[Problem] = []
    for name in resources:
        if name in needed:
            tables[name] = Table(folder, resources[name], problems if name in wanted else scratch)
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
                problems.append(problem(meta_file, None, None, None,
                                        f"resource {name}: source id {sid!r} in its source_ids to be defined under \"sources\""))
    for name in wanted:
        table, resource = tables[name], resources[name]
        schema = resource.get("schema", {})
        if schema.get("primaryKey"):
            table.check_unique(keys(schema["primaryKey"]), problems, "unique primary key" if len(keys(schema["primaryKey"])) == 1 else "unique combination of")
        for fk in schema.get("foreignKeys", []):
            target = tables[fk["reference"]["resource"] or name]
            cols, tcols = keys(fk["fields"]), keys(fk["reference"]["fields"])
            known = {tuple(r.get(c) for c in tcols) for r in target.rows}
            for row in table.rows:
                value = tuple(row.get(c) for c in cols)
                if any(v is None for v in value):
                    continue
                if value not in known:
                    problems.append(problem(table.file, row["__row__"], ", ".join(cols), str(value[0] if len(value) == 1 else value),
                                            f"a value listed in {target.file} ({', '.join(tcols)})"))
        if any(f["name"] == "source_ids" for f in table.fields):
            for row in table.rows:
                for sid in split_ids(row.get("source_ids")):
                    if sid not in known_sources:
                        problems.append(problem(table.file, row["__row__"], "source_ids", sid,
                                                "a source id defined under \"sources\" in datapackage.json"))
            problems += check_weak_source(table, tier_of)
        for rule in resource.get("kit", {}).get("checks", []):
            check = RULES.get(rule.get("rule"))
            if check is None:
                problems.append(problem(f"{folder.name}/datapackage.json", None, None, None,
                                        f"resource {name}: unknown check {rule.get('rule')!r} (known: {', '.join(RULES)})"))
                continue
            check(table, rule, tables, problems)
        if hashes and "hash" in resource and (folder / resource["path"]).is_file():
            recorded = resource["hash"].removeprefix("sha256:")
            if sha256(folder / resource["path"]) != recorded:
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
