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

Who checks what: frictionless for check-data, the kit's own checks for ``kit.load``
------------------------------------------------------------------------------------
``frictionless`` (5.x) validates Table Schema: types, constraints, primary and foreign
keys. Measured on this package (12 resources, ~160 kB of CSV; CPU time, median of 3 runs
on a shared 2-core machine, 2026-12-02):

=========================================================  ===============
``import frictionless``                                      235-360 ms
frictionless validating the whole package                    480-600 ms (320-360 ms again)
frictionless validating ``defence_spending`` alone           117-128 ms
the kit's checks of the whole package                        38-44 ms
the kit's checks behind ``kit.load("defence_spending")``     20-25 ms (its file + the two it points to)
a cold ``import kit; kit.load(name)``, any dataset           530-730 ms, median 650 (``import pandas``: 550-590)
a warm ``kit.load(name)`` (cached frame, new copy)           0.3-1.1 ms
``python -m kit check-data``                                 187 ms before, 1,100 ms with frictionless
=========================================================  ===============

Decision. Running frictionless inside ``kit.load`` would add 0.35-0.5 s to every cold load
(its import and its validation: +60-70 % on a student's first cell) for checks the kit
already does in 20-25 ms, so:

- ``python -m kit check-data`` (``engine="frictionless"``, the default when the whole
  package is checked, as in the tests) has frictionless check the Table Schema; its
  report is turned into the kit's one-line problems by ``kit.data.schema_report``;
- ``kit.load`` (``engine="kit"``, the default with ``names``) keeps the kit's own checks:
  constraints in ``kit.data.table``, keys in ``kit.data.keys``; it never imports frictionless;
- both engines share what frictionless does not do: the kit's reader (the file, its
  header, the number of cells per row, and a grammar stricter than Table Schema's:
  no spaces around values, finite numbers, ``true``/``false`` rather than 1/0, dates
  written YYYY-MM-DD, web addresses starting with http(s)://), the source rules, the
  weak-source flags and the cross-table rules declared under ``kit.checks``
  (``kit.data.rules``); a resource the kit cannot read as declared is checked by the kit
  alone, since frictionless would then compare cells by position;
- what frictionless finds wrong in ``datapackage.json`` itself (a key naming no column) is
  reported by check-data only, like the curation rules: metadata is checked once, when
  it is edited, not at every load;
- they must not disagree: ``tests/data/test_validate.py`` breaks a copy of the data for each
  kind of fault (each type, each constraint, keys, rules, rows, header, encoding, a
  missing file) and asserts that both engines report the same lines, and that
  ``kit.load`` refuses the dataset with exactly those lines.
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
from .schema_report import DESCRIPTOR, schema_problems
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
    problems: list[Problem] = standard.pop(DESCRIPTOR, [])
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
