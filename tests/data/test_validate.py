"""`python -m kit check-data`: each rule, tested on a broken copy of the data."""

import json
import subprocess
import sys

import frictionless
import pytest
from conftest import ROOT, edit_cell, edit_metadata

import kit
from kit.data.validate import check_package
from kit.errors import DataError


def test_shipped_data_passes_including_hashes():
    assert check_package(hashes=True) == []


def test_cli_exit_status_zero_when_clean():
    done = subprocess.run([sys.executable, "-m", "kit", "check-data"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pass their checks" in done.stdout


# (file, row, column, bad value, text the problem must contain)
BROKEN = [
    ("defence_spending.csv", 3, "share_gdp_pct", "2,5", "column share_gdp_pct: '2,5': expected a number"),
    ("defence_spending.csv", 3, "share_gdp_pct", "130", "'130': expected at most 100"),
    ("defence_spending.csv", 3, "share_gdp_pct", "-1", "'-1': expected at least 0"),
    ("defence_spending.csv", 3, "year", "2020.5", "column year: '2020.5': expected a whole number"),
    ("defence_spending.csv", 3, "estimate", "yes", "column estimate: 'yes': expected true or false"),
    ("defence_spending.csv", 3, "edition", "NATO-2099", "expected one of NATO-2024-06"),
    ("defence_spending.csv", 3, "iso3", "XXX", "column iso3: 'XXX': expected a value listed in data/countries.csv"),
    ("defence_spending.csv", 3, "source_ids", "NATO2025;NOPE", "column source_ids: 'NOPE': expected a source id defined"),
    ("defence_spending.csv", 3, "country", "", "column country: (empty): expected a value (this column is required)"),
    ("moldova_elections.csv", 2, "date", "01/11/2020", "column date: '01/11/2020': expected a date written YYYY-MM-DD"),
    ("moldova_elections.csv", 2, "date", "2020-02-30", "expected a date written YYYY-MM-DD"),
    ("moldova_elections.csv", 2, "turnout_pct", "42.7", "column turnout_pct: '42.7': expected 42.76, as on row 3"),
    ("countries.csv", 3, "iso3", "ALB", "expected a unique value (row 2 has the same)"),
    ("coalition_members.csv", 2, "ground_troops_stance", "maybe", "expected one of offered, conditional, ruled_out, unknown"),
    ("moldova_diaspora.csv", 2, "election_id", "MD-PRES-2099", "expected a election_id that exists in data/moldova_elections.csv"),
    ("spending_targets.csv", 2, "source_url", "www.nato.int", "expected a web address"),
]


@pytest.mark.parametrize("file,row,column,value,expected", BROKEN)
def test_each_broken_cell_is_reported_by_file_row_column(data_copy, file, row, column, value, expected):
    edit_cell(data_copy, file, row, column, value)
    problems = check_package(data_copy)
    assert any(f"data/{file}, row {row}" in p and expected in p for p in problems), problems


def _election_rows(folder, election_id):
    import csv

    with open(folder / "moldova_elections.csv", encoding="utf-8") as f:
        return [i for i, r in enumerate(csv.DictReader(f), start=2) if r["election_id"] == election_id]


def test_seats_must_add_up_to_the_total(data_copy):
    row = _election_rows(data_copy, "MD-PARL-2025")[0]
    edit_cell(data_copy, "moldova_elections.csv", row, "seats", "54")
    problems = check_package(data_copy)
    assert any("column seats: '100': expected the seats of election_id MD-PARL-2025 to add up to seats_total = 101" in p for p in problems), problems


def test_shares_must_add_up_to_about_100_when_all_competitors_are_listed(data_copy):
    row = _election_rows(data_copy, "MD-PRES-2024-R2")[0]
    edit_cell(data_copy, "moldova_elections.csv", row, "vote_pct", "53.33")
    problems = check_package(data_copy)
    assert any("column vote_pct: '97.98': expected the shares of result_id MD-PRES-2024-R2/cec-final to add up to about 100" in p
               for p in problems), problems


def test_each_election_has_exactly_one_final_result(data_copy):
    rows = _election_rows(data_copy, "MD-PRES-2024-R2")
    import csv

    with open(data_copy / "moldova_elections.csv", encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    not_final = next(r for r in rows if records[r - 2]["final"] == "false")
    siblings = [r for r in rows if records[r - 2]["result_id"] == records[not_final - 2]["result_id"]]
    for r in siblings:
        edit_cell(data_copy, "moldova_elections.csv", r, "final", "true")
    problems = check_package(data_copy)
    assert any("moldova_elections.csv" in p and "column final" in p and "exactly one result_id of election_id MD-PRES-2024-R2" in p
               for p in problems), problems
    for r in rows:
        edit_cell(data_copy, "moldova_elections.csv", r, "final", "false")
    problems = check_package(data_copy)
    assert any("exactly one result_id of election_id MD-PRES-2024-R2" in p and "(none is)" in p for p in problems), problems


def test_shares_of_a_partial_list_are_not_summed(data_copy):
    # MD-PARL-2025 lists 5 of 23 competitors (all_competitors_listed = false): whatever its shares add up to is fine.
    row = _election_rows(data_copy, "MD-PARL-2025")[0]
    edit_cell(data_copy, "moldova_elections.csv", row, "vote_pct", "1.5")
    assert not [p for p in check_package(data_copy) if "shares of result_id MD-PARL-2025" in p]


def test_duplicate_primary_key(data_copy):
    # turn row 3 into a second copy of the key (ALB, 2014, NATO-2025-08), which a base row already has
    edit_cell(data_copy, "defence_spending.csv", 3, "year", "2014")
    edit_cell(data_copy, "defence_spending.csv", 3, "iso3", "ALB")
    edit_cell(data_copy, "defence_spending.csv", 3, "edition", "NATO-2025-08")
    problems = check_package(data_copy)
    assert any("expected a unique combination of" in p and "iso3, year, edition" in p for p in problems), problems


def test_missing_column_and_ragged_row(data_copy):
    path = data_copy / "coalition_meetings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",outcome", ",result")
    lines.append("2026-03-01,online")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_package(data_copy)
    assert any("coalition_meetings.csv, row 1: expected the columns that datapackage.json lists (missing: outcome; unexpected: result)" in p for p in problems)
    assert any(f"coalition_meetings.csv, row {len(lines)}: expected 8 cells, one per column (found 2" in p for p in problems)


def test_changed_file_is_caught_by_its_hash(data_copy):
    edit_cell(data_copy, "countries.csv", 2, "name", "Albania!")
    problems = check_package(data_copy, hashes=True)
    assert any("countries.csv: expected the file to match the SHA-256" in p for p in problems)


def test_cli_lists_problems_and_exits_1(data_copy):
    edit_cell(data_copy, "military_expenditure.csv", 4, "share_gdp_pct", "n/a")
    done = subprocess.run([sys.executable, "-m", "kit", "check-data", str(data_copy)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "military_expenditure.csv, row 4, column share_gdp_pct: 'n/a': expected a number" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_cli_on_folder_without_package_is_a_message_not_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kit", "check-data", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "No datapackage.json" in done.stderr and "Traceback" not in done.stderr


def test_invalid_json_is_reported_with_position(data_copy):
    (data_copy / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kit", "check-data", str(data_copy)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "not valid JSON (line 1" in done.stderr


def test_frictionless_validates_the_package():
    report = frictionless.validate(str(ROOT / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]


def test_every_source_has_title_and_publisher_and_every_resource_dates():
    meta = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for source in meta["sources"]:
        assert source["id"] and source["title"] and source["publisher"], source
    for resource in meta["resources"]:
        assert resource["as_of"] <= resource["review_by"], resource["name"]
        assert resource["licenses"], resource["name"]


# ---------------------------------------------------------------- check-data (frictionless) and kit.load (the kit's checks) agree


def _append_line(line):
    def edit(folder):
        path = folder / "coalition_meetings.csv"
        path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return edit


def _insert_blank_row(folder):
    path = folder / "coalition_meetings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:3] + ["", ",,,,,,,"] + lines[3:]) + "\n", encoding="utf-8")


def _rename_column(folder):
    path = folder / "coalition_meetings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",outcome", ",result", 1), encoding="utf-8")


def _not_utf8(folder):
    path = folder / "nato_editions.csv"
    path.write_bytes(path.read_bytes().replace(b"NATO", b"NAT\xff", 1))


def _declare(resource, column, constraints, *edits):
    """Add constraints the shipped metadata does not use, then break cells against them."""
    def edit(folder):
        def change(meta):
            fields = next(r for r in meta["resources"] if r["name"] == resource)["schema"]["fields"]
            next(f for f in fields if f["name"] == column)["constraints"].update(constraints)
        edit_metadata(folder, change)
        _cells(*edits)(folder)
    return edit


def _cells(*edits):
    def edit(folder):
        for file, row, column, value in edits:
            edit_cell(folder, file, row, column, value)
    return edit


# one broken copy per kind of fault: (the dataset kit.load must refuse, how to break the copy)
FAULTS = {
    "number type": ("defence_spending", _cells(("defence_spending.csv", 3, "share_gdp_pct", "2,5"))),
    "integer type": ("defence_spending", _cells(("defence_spending.csv", 3, "year", "2020.5"))),
    "boolean type": ("defence_spending", _cells(("defence_spending.csv", 3, "estimate", "yes"))),
    "date type": ("moldova_elections", _cells(("moldova_elections.csv", 2, "date", "01/11/2020"))),
    "impossible date": ("moldova_elections", _cells(("moldova_elections.csv", 2, "date", "2020-02-30"))),
    "uri format": ("spending_targets", _cells(("spending_targets.csv", 2, "source_url", "www.nato.int"))),
    # the kit's grammar, stricter than Table Schema's
    "spaces around a value": ("defence_spending", _cells(("defence_spending.csv", 3, "share_gdp_pct", " 2.5"))),
    "not a finite number": ("defence_spending", _cells(("defence_spending.csv", 3, "share_gdp_pct", "NaN"))),
    "number too large": ("defence_spending", _cells(("defence_spending.csv", 3, "share_gdp_pct", "1e400"))),
    "boolean written 1": ("defence_spending", _cells(("defence_spending.csv", 3, "estimate", "1"))),
    "integer with an underscore": ("defence_spending", _cells(("defence_spending.csv", 3, "year", "2_020"))),
    "date without zeros": ("moldova_elections", _cells(("moldova_elections.csv", 2, "date", "2020-1-5"))),
    # constraints and keys
    "required": ("defence_spending", _cells(("defence_spending.csv", 3, "country", ""))),
    "empty primary key": ("countries", _cells(("countries.csv", 3, "iso3", ""))),
    "enum (and foreign key)": ("defence_spending", _cells(("defence_spending.csv", 3, "edition", "NATO-2099"))),
    "minimum": ("defence_spending", _cells(("defence_spending.csv", 3, "share_gdp_pct", "-1"))),
    "maximum": ("defence_spending", _cells(("defence_spending.csv", 3, "share_gdp_pct", "130"))),
    "pattern (and foreign key)": ("defence_spending", _cells(("defence_spending.csv", 3, "iso3", "xx"))),
    "unique and primary key": ("countries", _cells(("countries.csv", 3, "iso3", "ALB"))),
    "primary key of three columns": ("defence_spending", _cells(("defence_spending.csv", 3, "year", "2014"),
                                                                ("defence_spending.csv", 3, "iso3", "ALB"),
                                                                ("defence_spending.csv", 3, "edition", "NATO-2025-08"))),
    "foreign key": ("defence_spending", _cells(("defence_spending.csv", 3, "iso3", "XXX"))),
    "minLength and maxLength": ("countries", _declare("countries", "name", {"minLength": 3, "maxLength": 40},
                                                      ("countries.csv", 3, "name", "AU"), ("countries.csv", 4, "name", "A" * 41))),
    # the kit's declared cross-table rules
    "references rule": ("moldova_diaspora", _cells(("moldova_diaspora.csv", 2, "election_id", "MD-PRES-2099"))),
    "group_constant rule": ("moldova_elections", _cells(("moldova_elections.csv", 2, "turnout_pct", "42.7"))),
    # the file and its rows
    "row with too few cells": ("coalition_meetings", _append_line("2026-03-01,online")),
    "row with too many cells": ("coalition_meetings", _append_line("2026-03-02,a,b,c,d,e,f,g,h")),
    "blank rows": (None, _insert_blank_row),
    "renamed column": ("coalition_meetings", _rename_column),
    "missing file": ("coalition_organisations", lambda folder: (folder / "coalition_organisations.csv").unlink()),
    "not UTF-8": ("nato_editions", _not_utf8),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_check_data_and_kit_load_report_the_same_problems(data_copy, fault):
    """check-data has frictionless check the Table Schema, kit.load the kit's own fast checks: on every kind of
    fault they must find the same problems, worded the same."""
    name, breaks = FAULTS[fault]
    breaks(data_copy)
    by_frictionless = check_package(data_copy, engine="frictionless")
    by_the_kit = check_package(data_copy, engine="kit")
    assert sorted(by_frictionless) == sorted(by_the_kit)
    if name is None:  # a fault the kit accepts (blank rows are skipped)
        assert by_the_kit == [] and kit.load("coalition_meetings") is not None
        return
    file = f"data/{kit.data.package.resource(name)['path']}"
    assert [p for p in by_the_kit if p.startswith(file)], by_the_kit
    with pytest.raises(DataError) as err:
        kit.load(name)
    assert sorted(err.value.problems) == sorted(p for p in by_the_kit if p.startswith(file))


def test_check_data_has_frictionless_check_the_table_schema(data_copy):
    """The agreement above is no tautology: on a copy the kit reads as declared, frictionless (not the kit's
    fallback) checks every resource, and its report becomes the kit's lines."""
    from kit.data import package
    from kit.data.schema_report import schema_problems
    from kit.data.table import Table

    edit_cell(data_copy, "defence_spending.csv", 3, "share_gdp_pct", "130")
    edit_cell(data_copy, "defence_spending.csv", 4, "iso3", "XXX")
    tables = {name: Table(data_copy, r) for name, r in package.resources(data_copy).items()}
    found = schema_problems(data_copy, package.metadata(data_copy), tables)
    assert sorted(found) == sorted(tables)
    assert found["defence_spending"] == ["data/defence_spending.csv, row 3, column share_gdp_pct: '130': expected at most 100",
                                         "data/defence_spending.csv, row 4, column iso3: 'XXX': expected a value listed in data/countries.csv (iso3)"]
    assert not any(found[name] for name in found if name != "defence_spending")


def test_a_descriptor_frictionless_cannot_read_is_reported_by_check_data(data_copy):
    """A primary key naming no column passes the kit's row checks unnoticed; check-data says what frictionless found."""
    edit_metadata(data_copy, lambda meta: meta["resources"][1]["schema"].__setitem__("primaryKey", ["nope"]))
    problems = check_package(data_copy)
    assert any(p.startswith("data/datapackage.json: expected a descriptor that Table Schema allows")
               and "primary key \"['nope']\" does not match the fields" in p for p in problems), problems


def test_a_constraint_from_a_later_table_schema_is_reported_in_the_metadata(data_copy):
    """exclusiveMinimum is Table Schema v2; in this v1 package check-data names datapackage.json and the rule."""
    def change(meta):
        fields = next(r for r in meta["resources"] if r["name"] == "defence_spending")["schema"]["fields"]
        next(f for f in fields if f["name"] == "share_gdp_pct")["constraints"]["exclusiveMinimum"] = 0
    edit_metadata(data_copy, change)
    problems = check_package(data_copy, engine="frictionless")
    assert any(p.startswith("data/datapackage.json:") and "exclusiveMinimum" in p for p in problems), problems
