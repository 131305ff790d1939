"""`python -m kit check-data`: each rule, tested on a broken copy of the data."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT, edit_cell

from kit.data.validate import check_package


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
    assert any(f"data/{file}, row {row}" in p and expected in p for p in problems) or \
        any(expected in p and f"data/{file}" in p for p in problems), problems


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


def test_shares_of_a_partial_list_are_not_summed():
    # MD-PARL-2025 lists 5 of 23 competitors: its shares add up to 94.18, and that is fine.
    assert check_package() == []


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
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(ROOT / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]


def test_every_source_has_title_and_publisher_and_every_resource_dates():
    meta = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for source in meta["sources"]:
        assert source["id"] and source["title"] and source["publisher"], source
    for resource in meta["resources"]:
        assert resource["as_of"] <= resource["review_by"], resource["name"]
        assert resource["licenses"], resource["name"]
