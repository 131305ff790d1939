"""The source rules and the staleness guard, each tested on a broken or re-dated copy of the data."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import warnings

import pytest
from conftest import PINNED_TODAY, ROOT, edit_cell, edit_metadata

from kit.data import freshness
from kit.data.curation import SOUND_TIERS, TIERS
from kit.data.validate import check_package


def _meta(folder):
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _resource(meta, name):
    return next(r for r in meta["resources"] if r["name"] == name)


def _source(meta, sid):
    return next(s for s in meta["sources"] if s["id"] == sid)


def _row_sources(folder, file, row):
    import csv

    with open(folder / file, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows[row - 2]["source_ids"].split(";"), rows[row - 2]["weak_source"]


# ---------------------------------------------------------------- the shipped data


def test_every_source_names_an_original_publisher_and_the_copy_read():
    meta = _meta(ROOT / "data")
    for source in meta["sources"]:
        assert source["publisher"].strip(), source["id"]
        via = source["accessed_via"]
        assert isinstance(via, dict) and via["tier"] in TIERS, source["id"]


def test_cited_publishers_are_never_copies():
    """kit.cite and the provenance name original publishers, never an aggregator, a wiki copy or a state outlet's copy."""
    import kit

    meta = _meta(ROOT / "data")
    weak_copies = {s["accessed_via"]["publisher"] for s in meta["sources"]
                   if s["accessed_via"]["tier"] not in SOUND_TIERS and s["accessed_via"].get("publisher")}
    originals = {s["publisher"] for s in meta["sources"]}
    for name in kit.datasets().name:
        text = kit.cite(name)
        for copy in weak_copies - originals:
            assert copy not in text, (name, copy)


def test_every_resource_has_a_review_policy_and_dates():
    meta = _meta(ROOT / "data")
    for resource in meta["resources"]:
        assert resource["review_policy"] in ("political", "publication"), resource["name"]
        assert dt.date.fromisoformat(resource["review_by"]) > dt.date.fromisoformat(resource["as_of"])


# ---------------------------------------------------------------- broken copies


def test_weak_source_must_be_set_when_no_source_was_read_in_a_sound_copy(data_copy):
    # make every source of row 2 of security_timeline a wiki copy: the row must now say weak_source = true
    ids, flag = _row_sources(data_copy, "security_timeline.csv", 2)
    assert flag == "false" or flag == "true"

    def weaken(meta):
        for sid in ids:
            _source(meta, sid)["accessed_via"]["tier"] = "wiki-copy"
    edit_metadata(data_copy, weaken)
    edit_cell(data_copy, "security_timeline.csv", 2, "weak_source", "false")
    problems = check_package(data_copy)
    hit = [p for p in problems if "security_timeline.csv, row 2, column weak_source" in p]
    assert hit and "expected true" in hit[0] and "wiki-copy" in hit[0], problems


def test_weak_source_must_not_cry_wolf(data_copy):
    ids, _ = _row_sources(data_copy, "security_timeline.csv", 2)

    def strengthen(meta):
        _source(meta, ids[0])["accessed_via"]["tier"] = "official"
    edit_metadata(data_copy, strengthen)
    edit_cell(data_copy, "security_timeline.csv", 2, "weak_source", "true")
    problems = check_package(data_copy)
    assert any("security_timeline.csv, row 2, column weak_source: 'true': expected false" in p for p in problems), problems


def test_a_missing_weak_source_column_is_reported(data_copy):
    def drop(meta):
        fields = _resource(meta, "coalition_meetings")["schema"]["fields"]
        fields[:] = [f for f in fields if f["name"] != "weak_source"]
    edit_metadata(data_copy, drop)
    import csv

    path = data_copy / "coalition_meetings.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("weak_source")
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([r[:col] + r[col + 1:] for r in rows])
    problems = check_package(data_copy)
    assert any("coalition_meetings.csv, row 1, column weak_source" in p and "expected a weak_source column" in p for p in problems)


@pytest.mark.parametrize("change,expected", [
    (lambda s: s.update(accessed_via="a GitHub copy"), "accessed_via: 'a GitHub copy': expected an object"),
    (lambda s: s["accessed_via"].update(tier="blog"), "accessed_via.tier: 'blog': expected one of official, wire, press"),
    (lambda s: s["accessed_via"].pop("tier"), "accessed_via.tier: None: expected one of"),
    (lambda s: s.update(publisher=""), "expected a 'publisher' (the original publisher)"),
])
def test_each_source_rule_names_the_source(data_copy, change, expected):
    def apply(meta):
        change(meta["sources"][0])
    edit_metadata(data_copy, apply)
    sid = _meta(data_copy)["sources"][0]["id"]
    problems = check_package(data_copy)
    assert any(f"datapackage.json, sources[0] ({sid})" in p and expected in p for p in problems), problems


def test_a_duplicated_source_id_is_reported(data_copy):
    edit_metadata(data_copy, lambda meta: meta["sources"].append(dict(meta["sources"][0])))
    problems = check_package(data_copy)
    assert any("expected a unique id (sources[0] has the same)" in p for p in problems), problems


def _political(meta):
    return next(r for r in meta["resources"] if r.get("review_policy") == "political")


def test_political_data_must_be_reviewed_within_four_months(data_copy):
    name = _political(_meta(data_copy))["name"]

    def late(meta):
        r = _resource(meta, name)
        r["as_of"], r["review_by"] = "2026-12-01", "2027-04-02"
    edit_metadata(data_copy, late)
    problems = check_package(data_copy)
    assert any(f"resource {name}, column review_by: '2027-04-02': expected at most 4 months after as_of 2026-12-01 (by 2027-04-01)" in p
               for p in problems), problems

    def on_time(meta):
        _resource(meta, name)["review_by"] = "2027-04-01"
    edit_metadata(data_copy, on_time)
    assert not any(f"resource {name}," in p for p in check_package(data_copy))


@pytest.mark.parametrize("field,value,expected", [
    ("review_policy", "sometimes", "political (facts that change) or publication"),
    ("as_of", "1 Dec 2026", "a date written YYYY-MM-DD"),
    ("review_by", "2020-01-01", "a date after as_of"),
])
def test_review_metadata_rules(data_copy, field, value, expected):
    name = _meta(data_copy)["resources"][0]["name"]
    edit_metadata(data_copy, lambda meta: _resource(meta, name).update({field: value}))
    problems = check_package(data_copy)
    assert any(f"resource {name}, column {field}" in p and expected in p for p in problems), problems


def test_a_publication_needs_a_reason_to_wait(data_copy):
    meta = _meta(data_copy)
    name = next(r["name"] for r in meta["resources"] if r["review_policy"] == "publication")
    edit_metadata(data_copy, lambda m: _resource(m, name).pop("review_note"))
    problems = check_package(data_copy)
    assert any(f"resource {name}, column review_note" in p for p in problems), problems


# ---------------------------------------------------------------- staleness guard


def _overdue_copy(data_copy, name):
    """Move one dataset's dates into the past, relative to the pinned today."""
    def past(meta):
        r = _resource(meta, name)
        r["as_of"], r["review_by"] = "2026-06-01", "2026-09-30"
    edit_metadata(data_copy, past)


def test_today_comes_from_the_environment(monkeypatch):
    assert freshness.today() == dt.date.fromisoformat(PINNED_TODAY)
    monkeypatch.setenv("KIT_TODAY", "1 December")
    from kit.errors import KitError

    with pytest.raises(KitError, match="expected a date written YYYY-MM-DD"):
        freshness.today()
    monkeypatch.delenv("KIT_TODAY")
    assert freshness.today() == dt.date.today()


def _superseded(meta):
    return [r["name"] for r in meta["resources"] if r.get("superseded_by")]


def test_on_the_pinned_day_only_datasets_with_a_known_newer_edition_are_overdue():
    meta = _meta(ROOT / "data")
    assert freshness.overdue() == _superseded(meta)
    assert all(r["review_by"] > PINNED_TODAY for r in meta["resources"])


def test_a_known_newer_edition_makes_a_dataset_due_whatever_its_dates(data_copy):
    import kit

    def newer(meta):
        _resource(meta, "countries")["superseded_by"] = "a newer list, published yesterday"
    edit_metadata(data_copy, newer)
    assert "countries" in freshness.overdue(data_copy)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kit.load("countries")
    assert any("newer edition the kit has not read yet: a newer list" in str(w.message) for w in caught)
    done = subprocess.run([sys.executable, "-m", "kit", "check-data", str(data_copy)], cwd=ROOT, capture_output=True, text=True)
    assert "overdue: countries:" in done.stdout and "newer edition not yet read: a newer list" in done.stdout
    edit_metadata(data_copy, lambda meta: _resource(meta, "countries").update(superseded_by=""))
    assert any("resource countries, column superseded_by" in p for p in check_package(data_copy))


def test_no_stale_data_warning_while_a_handout_is_built(data_copy, monkeypatch):
    import kit

    _overdue_copy(data_copy, "coalition_members")
    monkeypatch.setenv("KIT_HANDOUT", "1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kit.load("coalition_members")
    assert not [w for w in caught if issubclass(w.category, freshness.StaleDataWarning)]


def test_load_warns_once_naming_the_dataset_and_its_date(data_copy):
    import kit

    _overdue_copy(data_copy, "coalition_meetings")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kit.load("coalition_meetings")
        kit.load("coalition_meetings")
        kit.load("countries")
    stale = [w for w in caught if issubclass(w.category, freshness.StaleDataWarning)]
    assert len(stale) == 1, [str(w.message) for w in caught]
    text = str(stale[0].message)
    assert "'coalition_meetings'" in text and "2026-06-01" in text and "2026-09-30" in text and "check-data" in text


def test_check_data_lists_overdue_datasets_and_strict_fails(data_copy):
    _overdue_copy(data_copy, "moldova_timeline")
    def run(*extra):
        return subprocess.run([sys.executable, "-m", "kit", "check-data", str(data_copy), *extra],
                                            cwd=ROOT, capture_output=True, text=True)
    relaxed = run()
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    assert "overdue: moldova_timeline: as of 2026-06-01, review by 2026-09-30" in relaxed.stdout
    strict = run("--strict")
    assert strict.returncode == 1 and "--strict" in strict.stdout


def test_overdue_moves_with_the_day(monkeypatch):
    meta = _meta(ROOT / "data")
    earliest = min(r["review_by"] for r in meta["resources"])
    day_after = (dt.date.fromisoformat(earliest) + dt.timedelta(days=1)).isoformat()
    known = _superseded(meta)
    monkeypatch.setenv("KIT_TODAY", earliest)
    assert freshness.overdue() == known
    monkeypatch.setenv("KIT_TODAY", day_after)
    assert freshness.overdue() == [r["name"] for r in meta["resources"] if r["review_by"] == earliest or r["name"] in known]
