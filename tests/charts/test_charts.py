"""The chart layer: one theme, and every chart carries its source line and a description drawn from the data."""

import json
import os
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc
from conftest import ROOT, walk

import kit
from kit import charts
from kit.errors import KitError

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


@pytest.fixture(scope="module")
def data():
    spending = kit.load("defence_spending")
    return {
        "spending": spending,
        "base": spending[spending.edition == "NATO-2025-08"],
        "targets": kit.load("spending_targets"),
        "editions": kit.load("nato_editions"),
        "sipri": kit.load("military_expenditure"),
        "members": kit.load("coalition_members"),
        "timeline": kit.load("security_timeline"),
        "meetings": kit.load("coalition_meetings"),
        "elections": kit.load("moldova_elections"),
        "diaspora": kit.load("moldova_diaspora"),
    }


# builder name -> (function of the data that builds the chart, the datasets whose provenance it shows)
BUILDERS = {
    "spending_over_time": (lambda d: charts.spending_over_time(d["base"], d["targets"], countries=["POL", "DEU", "ESP"]),
                           ["defence_spending", "spending_targets"]),
    "spending_over_time_sipri": (lambda d: charts.spending_over_time(d["sipri"], countries=["RUS", "UKR"]), ["military_expenditure"]),
    "ranking": (lambda d: charts.ranking(d["base"], threshold=2), ["defence_spending"]),
    "gap_to_target": (lambda d: charts.gap_to_target(d["base"], 3.5, 2025), ["defence_spending"]),
    "edition_comparison": (lambda d: charts.edition_comparison(d["spending"], 2024, d["editions"]), ["defence_spending"]),
    "series_comparison": (lambda d: charts.series_comparison(d["base"], d["sipri"], 2024), ["defence_spending", "military_expenditure"]),
    "coalition_map": (lambda d: charts.coalition_map(d["members"]), ["coalition_members"]),
    "membership_overlap": (lambda d: charts.membership_overlap(d["members"]), ["coalition_members"]),
    "timeline": (lambda d: charts.timeline(d["timeline"]), ["security_timeline"]),
    "timeline_meetings": (lambda d: charts.timeline(d["meetings"], category="format", text="outcome"), ["coalition_meetings"]),
    "election_results": (lambda d: charts.election_results(d["elections"], "MD-PARL-2025"), ["moldova_elections"]),
    "turnout_home_abroad": (lambda d: charts.turnout_home_abroad(d["elections"], d["diaspora"]), ["moldova_elections", "moldova_diaspora"]),
    "vote_home_abroad": (lambda d: charts.vote_home_abroad(d["elections"], d["diaspora"]), ["moldova_elections", "moldova_diaspora"]),
}


@pytest.fixture(scope="module")
def specs(data):
    return {name: build(data).to_dict() for name, (build, _) in BUILDERS.items()}


def _walk(node):
    return walk(node)


@pytest.fixture(scope="module", autouse=True)
def enabled():
    """Where charts are shown, one explicit call picks the renderer and the theme (lesson.header() makes it)."""
    return charts.render.enable()


def test_the_kit_theme_is_registered_and_active():
    assert alt.theme.active == charts.THEME
    config = alt.theme.get()()["config"]
    assert set(config["range"]["category"]) == OKABE_ITO
    assert config["font"] and config["axis"]["labelFontSize"] >= 11
    assert len(charts.PALETTE) == len(charts.SHAPES) == len(charts.DASHES) == len(OKABE_ITO)


def test_enable_picks_an_offline_renderer(enabled):
    assert enabled == alt.renderers.active
    assert alt.renderers.active in ("kit-live", "kit-handout")
    assert alt.renderers.active != "mimetype"


def test_importing_charts_changes_no_altair_state():
    """Choosing the renderer and the theme is an explicit call (kit.charts.render.enable()), never an import."""
    import subprocess
    import sys

    code = ("import altair as alt\n"
            "state = lambda: (alt.renderers.active, alt.theme.active, sorted(alt.renderers.names()), sorted(alt.theme.names()))\n"
            "before = state()\n"
            "import kit.charts, kit.render, kit.moldova_map\n"
            "assert state() == before, (before, state())\n"
            "print(kit.charts.render.enable(), alt.theme.active)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={k: v for k, v in os.environ.items() if k not in ("KIT_HANDOUT", "KIT_GRADING")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["kit-live", charts.THEME]


@pytest.mark.parametrize("env, renderer", [({}, "kit-live"), ({"KIT_HANDOUT": "1"}, "kit-handout"),
                                           ({"KIT_GRADING": "1"}, "kit-grading"),
                                           ({"KIT_GRADING": "1", "KIT_HANDOUT": "1"}, "kit-grading"),
                                           ({"KIT_HANDOUT": "0"}, "kit-live")])
def test_enable_reads_the_mode_from_the_environment(monkeypatch, env, renderer):
    for name in ("KIT_HANDOUT", "KIT_GRADING"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        assert charts.render.enable() == renderer == alt.renderers.active
        if renderer == "kit-grading":
            assert alt.renderers.get()({}) == {"text/plain": "<Altair chart: not drawn while grading>"}
    finally:
        charts.render.enable("live")


def test_enable_takes_an_explicit_mode_and_refuses_an_unknown_one():
    try:
        assert charts.render.enable("handout") == "kit-handout"
        assert charts.render.enable("grading") == "kit-grading"
        with pytest.raises(ValueError, match="unknown mode"):
            charts.render.enable("print")
    finally:
        charts.render.enable("live")


def test_the_old_render_module_keeps_released_notebooks_working():
    """Released exercises say `import kit.render; kit.render.enable()`: it picks the renderer, not the theme."""
    import kit.render

    alt.theme.enable("default")
    try:
        assert kit.render.enable("live") == "kit-live" and alt.theme.active == "default"
        assert kit.render.SPEC_CLASS == "kit-chart-spec" and callable(kit.render.figure_html) and not kit.render.in_handout()
    finally:
        charts.render.enable("live")


@pytest.mark.parametrize("name", BUILDERS)
def test_every_chart_carries_description_source_line_and_usermeta(specs, name):
    spec = specs[name]
    meta = spec["usermeta"]["kit"]
    assert spec["description"] == meta["description"] and len(meta["description"]) > 40
    assert meta["source"].startswith(("Source: ", "Sources: "))
    for dataset in BUILDERS[name][1]:
        prov = kit.provenance(dataset)
        assert f"Data as of {prov['as_of']}" in meta["source"], dataset
    assert meta["datasets"] == BUILDERS[name][1]
    # the source line is drawn under the chart, inside the spec
    assert spec["title"]["orient"] == "bottom"
    assert " ".join(spec["title"]["text"]) == meta["source"]
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"


@pytest.mark.parametrize("name", BUILDERS)
def test_charts_fit_an_a4_column_and_the_source_survives_svg_export(specs, name):
    spec = specs[name]
    assert not any(key == "width" and value == "container" for key, value in _walk(spec))
    json.dumps(spec, allow_nan=False)   # JSON-compliant: no NaN in the data
    svg = vlc.vegalite_to_svg(spec)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    assert width <= charts.MAX_WIDTH + 20, f"{name} is {width} px wide"
    assert "Data as of" in svg and spec["usermeta"]["kit"]["source"][:30] in svg.replace("&amp;", "&")


@pytest.mark.parametrize("name", ["spending_over_time", "edition_comparison", "timeline", "coalition_map", "series_comparison"])
def test_colour_is_never_the_only_cue(specs, name):
    channels = {key for key, value in _walk(specs[name]) if key in ("shape", "strokeDash") and isinstance(value, dict)}
    assert channels, f"{name} separates categories by colour only"


@pytest.mark.parametrize("name", BUILDERS)
def test_missing_provenance_is_an_error(data, name):
    stripped = {}
    for key, frame in data.items():
        copy = frame.copy()
        copy.attrs = {}
        stripped[key] = copy
    with pytest.raises(KitError, match="provenance"):
        BUILDERS[name][0](stripped)


def test_provenance_can_be_passed_explicitly_when_pandas_dropped_it(data):
    merged = data["base"].merge(kit.load("countries")[["iso3"]], on="iso3")
    assert not merged.attrs
    spec = charts.ranking(merged, provenance="defence_spending").to_dict()
    assert "NATO" in spec["usermeta"]["kit"]["source"]


def test_a_chart_needs_a_description():
    chart = alt.Chart(kit.load("countries")).mark_point()
    with pytest.raises(KitError, match="description"):
        charts.finish(chart, "countries", "")
    with pytest.raises(KitError, match="provenance"):
        charts.finish(chart, [], "A description.")


def test_descriptions_are_computed_from_the_data(data):
    base = data["base"].copy()
    before = charts.ranking(base, year=2025, threshold=2).to_dict()["description"]
    assert "Highest: Poland 4.48%" in before
    base.loc[(base.iso3 == "ESP") & (base.year == 2025), "share_gdp_pct"] = 9.99
    after = charts.ranking(base, year=2025, threshold=2).to_dict()["description"]
    assert "Highest: Spain 9.99%" in after

    elections = data["elections"].copy()
    described = charts.election_results(elections, "MD-REF-2024").to_dict()["description"]
    assert "Yes 50.35%" in described and "Yes 50.46%" in described   # final figure and the other count stage


def test_nato_editions_are_never_mixed_in_one_series(data):
    with pytest.raises(KitError, match="mixes 5 NATO editions"):
        charts.spending_over_time(data["spending"], countries=["POL"])
    with pytest.raises(KitError, match="editions"):
        charts.ranking(data["spending"])


def test_unknown_values_stay_out_of_the_chart_and_are_named(specs, data):
    description = specs["ranking"]["description"]
    blank = data["base"][(data["base"].year == 2025) & data["base"].share_gdp_pct.isna()].country
    assert all(country in description for country in blank)
    values = [row for row in specs["ranking"]["datasets"].values()][0]
    assert all(row["share_gdp_pct"] is not None for row in values)


def test_the_year_slider_is_a_vega_lite_parameter(specs):
    params = specs["ranking"]["params"]
    slider = next(p for p in params if p["name"] == "year")
    assert slider["bind"]["input"] == "range" and (slider["bind"]["min"], slider["bind"]["max"]) == (2014, 2025)


def test_target_lines_come_from_the_targets_data(data):
    lines = charts.target_lines(data["targets"])
    assert list(lines.share_gdp_pct) == [2.0, 3.5, 5.0]
    assert "by 2035" in lines.label.iloc[2]


def test_gaps_leave_out_unknowns_and_compute_percentage_points(data):
    gaps = charts.gaps(data["base"], 3.5, 2025)
    assert "Germany" not in set(gaps.country)
    poland = gaps.set_index("country").loc["Poland"]
    assert poland.gap_pp == round(4.48 - 3.5, 2) and poland.status == "at or above 3.5%"


# --- the map of Europe ------------------------------------------------------------------

def test_every_country_in_the_data_has_an_iso_numeric_code():
    codes = charts.iso_numeric()
    for name in ("coalition_members", "countries"):
        missing = set(kit.load(name).iso3) - set(codes)
        assert not missing, f"{name}: no numeric code for {missing}"
    assert len(set(codes.values())) == len(codes)


def test_the_map_has_the_small_states_and_every_european_member():
    topo = charts.europe_topology()
    ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    codes = charts.iso_numeric()
    for iso3 in ("LUX", "MLT", "CYP", "MNE", "MKD", "MDA"):
        assert codes[iso3] in ids, iso3
    members = kit.load("coalition_members")
    outside = sorted(members[~members.iso3.map(codes).isin(ids)].country)
    assert outside == ["Australia", "Canada", "Japan", "New Zealand"]


def test_the_map_is_small_and_its_source_is_declared():
    assert (ROOT / "kit" / "charts" / "assets" / "europe.topo.json").stat().st_size < 150_000
    sources = {s["id"]: s for s in json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["sources"]}
    assert "Natural Earth" in sources["natural_earth"]["publisher"] and sources["natural_earth"]["path"].startswith("https://")


def test_the_map_lists_non_european_members_beside_it(specs):
    text = json.dumps(specs["coalition_map"])
    assert "Outside the map" in text
    assert "Outside Europe, listed beside the map: Australia, Canada, Japan and New Zealand" in specs["coalition_map"]["description"]


def test_every_election_with_results_fits_and_one_without_gets_a_clear_message(data):
    elections = data["elections"]
    for election_id in sorted(elections.loc[elections.competitor.notna(), "election_id"].unique()):
        svg = vlc.vegalite_to_svg(charts.election_results(elections, election_id).to_dict())
        width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
        assert width <= charts.MAX_WIDTH + 20, f"{election_id} is {width} px wide"
    with pytest.raises(KitError, match="'MD-LOCAL-2023' has no per-competitor results"):
        charts.election_results(elections, "MD-LOCAL-2023")


# --- fact-check fixes: ties, the edition shown, single-source values ----------------------------

def test_descriptions_report_every_tie_at_the_extremes(data):
    base = data["base"]
    tied = sorted(base[(base.year == 2025) & (base.share_gdp_pct == base[base.year == 2025].share_gdp_pct.min())].country)
    assert len(tied) > 1   # the data has a tie at the bottom in 2025
    described = charts.ranking(base, year=2025).to_dict()["description"]
    lowest = described.split("lowest: ")[1].split(")")[0]
    assert lowest.startswith(f"2.00% ({len(tied)} countries tie:") and all(c in lowest for c in tied), lowest
    gap = charts.gap_to_target(base, 5, 2025).to_dict()["description"]
    assert f"below, furthest by 3.00 percentage points ({len(tied)} countries tie:" in gap
    assert "-3.00" not in gap     # one sign per number: "below", not "-"
    # break the tie: one country is named alone
    broken = base.copy()
    broken.loc[(broken.iso3 == "ESP") & (broken.year == 2025), "share_gdp_pct"] = 1.5
    assert "lowest: Spain 1.50%." in charts.ranking(broken, year=2025).to_dict()["description"]


def test_the_source_line_names_the_nato_edition_shown(data):
    editions = data["editions"].set_index("edition")
    source = charts.ranking(data["base"]).to_dict()["usermeta"]["kit"]["source"]
    assert editions.loc["NATO-2025-08", "title"] in source and "28 August 2025" in source
    assert "June 2024" not in source and "July 2026" not in source and "Annual Report" not in source
    june = data["spending"][data["spending"].edition == "NATO-2024-06"]
    source = charts.ranking(june).to_dict()["usermeta"]["kit"]["source"]
    assert "17 June 2024 (edition NATO-2024-06)" in source and "2025" not in source.split("Data as of")[0]
    # every edition a comparison shows, and only those
    source = charts.edition_comparison(data["spending"], 2024, data["editions"]).to_dict()["usermeta"]["kit"]["source"]
    assert all(f"(edition {e})" in source for e in ["NATO-2024-06", "NATO-AR-2024", "NATO-2025-08", "NATO-2026-07"])
    assert "NATO-AR-2025" not in source


def test_single_source_values_are_flagged_in_tooltips_labels_and_description(data):
    base = data["base"]
    single = sorted(base[(base.year == 2025) & base.verified.eq(False).fillna(False)].country)
    assert "Bulgaria" in single  # one of the seven 2025 estimates read in one transcription only
    spec = charts.ranking(base, year=2025).to_dict()
    values = [row for row in spec["datasets"].values()][0]
    bulgaria = next(r for r in values if r["country"] == "Bulgaria" and r["year"] == 2025)
    assert bulgaria["check"].startswith("single source") and bulgaria["label"].endswith(charts.SINGLE_MARK)
    poland = next(r for r in values if r["country"] == "Poland" and r["year"] == 2025)
    assert poland["check"] == charts.VERIFIED[True] and not poland["label"].endswith(charts.SINGLE_MARK)
    assert '"check"' in json.dumps(spec) and "transcription" in json.dumps(spec["vconcat"])
    assert "Single-source values in 2025 (no second transcription found): " + charts._list(single, 12) in spec["description"]
    gap = charts.gap_to_target(base, 3.5, 2025).to_dict()
    assert "Single-source values" in gap["description"] and "single source" in json.dumps(gap)


def test_caveats_in_the_data_reach_tooltips_and_descriptions(data):
    elections = data["elections"]
    r1 = charts.election_results(elections, "MD-PRES-2024-R1", share_label="% of the vote").to_dict()
    assert "% of the vote" in json.dumps(r1) and "% of valid votes" not in json.dumps(r1)
    final = charts.final_results(elections[elections.election_id == "MD-PRES-2024-R1"])
    if final.note.notna().any():
        assert "Caveats in the data: " in r1["description"] and '"caveat"' in json.dumps(r1)
    abroad = charts.vote_home_abroad(elections, data["diaspora"]).to_dict()["description"]
    assert "(abroad figure: " in abroad
    described = charts.coalition_map(data["members"]).to_dict()["description"]
    assert "Caveats on stances: " in described
    assert "first_reported" not in described and "First reported inferred" not in described   # a note on another column is not a stance caveat


def test_election_charts_show_the_final_count_and_the_others_as_ticks(data):
    elections = data["elections"]
    if "final" not in elections.columns:
        pytest.skip("data with one row set per election")
    spec = charts.election_results(elections, "MD-PRES-2024-R2").to_dict()
    final = elections[(elections.election_id == "MD-PRES-2024-R2") & elections.final]
    top = final.sort_values("vote_pct").iloc[-1]
    assert "(final count: " in spec["description"] and f"{top.competitor} {top.vote_pct:.2f}%" in spec["description"]
    others = elections[(elections.election_id == "MD-PRES-2024-R2") & ~elections.final]
    for value in others.vote_pct.dropna():
        assert f"{value:.2f}%" in spec["description"].split("Other count")[1]
    assert "Bars: the final count." in json.dumps(spec)
    stage = others.result_id.iloc[0]
    early = charts.election_results(elections, "MD-PRES-2024-R2", stage=stage).to_dict()
    assert "(not the final count: " in early["description"] and "not the final one" in json.dumps(early)
    with pytest.raises(KitError, match="no count stage"):
        charts.election_results(elections, "MD-PRES-2024-R2", stage="nope")


# --- generated sentences: zero, one, all, ties, unknowns ------------------------------------------

@pytest.mark.parametrize("n, total, expected", [
    (0, 0, "there were no Allies with a figure"),
    (0, 1, "the only Ally with a figure was not at or above 2%"),
    (1, 1, "the only Ally with a figure was at or above 2%"),
    (0, 23, "none of the 23 Allies with a figure was at or above 2%"),
    (1, 23, "1 of the 23 Allies with a figure was at or above 2%"),
    (2, 2, "both Allies with a figure were at or above 2%"),
    (22, 23, "22 of the 23 Allies with a figure were at or above 2%"),
    (30, 30, "all 30 Allies with a figure were at or above 2%"),
])
def test_tally_reads_right_for_zero_one_some_and_all(n, total, expected):
    text = charts.tally(n, total, "Allies with a figure", "at or above 2%")
    assert text == expected
    assert not re.search(r"\b(\d+) of the \1\b", text)        # never "23 of the 23"
    with pytest.raises(ValueError):
        charts.tally(total + 1, total, "Allies", "x")


def test_lists_counts_and_sentences_handle_empty_and_single():
    assert charts.listing([]) == "none" and charts.listing(["Poland"]) == "Poland"
    assert charts.listing(["A", "B"]) == "A and B" and charts.listing(list("abcdefg"), 6) == "a, b, c, d, e, f and 1 more"
    assert [charts.count(n, "Allies") for n in (0, 1, 2)] == ["no Allies", "1 Ally", "2 Allies"]
    assert charts.sentence("in 2025, all 30 Allies were") == "In 2025, all 30 Allies were."
    assert charts.sentence("Done.") == "Done."


def test_extremes_name_every_tie_and_skip_unknowns():
    df = pd.DataFrame({"country": ["A", "B", "C", "D"], "v": [2.0, 2.0, None, 3.0]})
    assert charts._extreme(df, "v", "min") == "2.00% (2 countries tie: A and B)"
    assert charts._extreme(df, "v", "max") == "D 3.00%"
    assert charts._extreme(df.iloc[2:3], "v") == "none"              # only an unknown


@pytest.mark.parametrize("gaps, expected", [
    ([], "No figures."),
    ([-0.5], "None at or above 3.5%. 1 below, furthest by 0.50 percentage points: A."),
    ([0.5], "1 at or above 3.5%: A (0.50 percentage points above)."),
    ([0.5, 0.2], "All 2 at or above 3.5%: A (0.50 percentage points above) and B (0.20 percentage points above)."),
    ([0.0, -1.5, -1.5], "1 at or above 3.5%: A (exactly at it). 2 below, furthest by 1.50 percentage points (2 countries tie: B and C)."),
])
def test_gap_summary_uses_one_sign_per_number(gaps, expected):
    table = pd.DataFrame({"country": list("ABC")[:len(gaps)], "gap_pp": gaps})
    assert charts.gap_summary(table, 3.5) == expected


def test_the_ranking_description_says_all_not_n_of_n(data):
    base = data["base"]
    year = 2025
    row = base[(base.year == year) & base.share_gdp_pct.notna()]
    described = charts.ranking(base, year=year, threshold=0.1).to_dict()["description"]
    assert f"all {len(row)} countries with a figure were at or above 0.1%" in described
    assert f"{len(row)} of {len(row)}" not in described and f"{len(row)} of the {len(row)}" not in described
    none = charts.ranking(base, year=year, threshold=50).to_dict()["description"]
    assert f"none of the {len(row)} countries with a figure was at or above 50%" in none


def test_data_cleaning_remarks_do_not_reach_students():
    from kit import lesson
    assert lesson.student_text("No figure in this edition (AFP). Left empty.") == "No figure in this edition (AFP)."
    assert lesson.student_text("Left empty: NATO gave none (AFP). The cell is blank in both copies.") == "NATO gave none (AFP)."
    assert lesson.student_text("Coded conditional: open to a request.") == "Open to a request."
    notes = pd.DataFrame({"competitor": ["A", "B"], "note": ["Turnout from one outlet. Left empty.", "Estimate flag inferred."]})
    assert charts._caveats(notes) == "A: Turnout from one outlet"


def test_timeline_events_read_as_sentences_without_repeated_labels():
    from kit import lesson
    assert lesson.event_text("White House meeting: Trump hosts Zelensky", "White House meeting") == "Trump hosts Zelensky."
    assert lesson.event_text("Summit ends.") == "Summit ends."
    events = pd.DataFrame({"date": pd.to_datetime(["2025-08-18"]), "event": ["White House meeting: talks"], "kind": ["White House meeting"]})
    assert lesson.events(events, label="kind") == "- **White House meeting, 18 August 2025:** Talks."
    assert lesson.events(events.iloc[:0]) == "- none in the data"


def test_tables_show_readable_headers_words_for_impossible_values_and_weak_rows():
    from kit import lesson
    frame = pd.DataFrame({"share_gdp_pct": [2.0, None], "deadline": ["2035", None], "weak_source": [False, True]})
    t = lesson.table(frame, unknown={"share_gdp_pct": "not a share of GDP", "deadline": "not applicable"})
    assert list(t.data.columns) == ["share of GDP (%)", "deadline"]
    assert t.data.iloc[1].tolist() == [f"not a share of GDP {lesson.WEAK_MARK}", "not applicable"]
    assert t.caption == lesson.WEAK_CAPTION


# --- weak sources are visible; source lines name original publishers ---------------------------

def _weak(frame, rows):
    """A copy of ``frame`` whose weak_source is true exactly on ``rows`` (a boolean mask)."""
    out = frame.copy()
    out["weak_source"] = rows.values
    return out


def test_weak_sources_are_marked_in_labels_tooltips_subtitles_and_descriptions(data):
    base = data["base"]
    weak = _weak(base, (base.iso3 == "POL") & (base.year == 2025))
    spec = charts.ranking(weak, year=2025, threshold=2).to_dict()
    values = [row for row in spec["datasets"].values()][0]
    poland = next(r for r in values if r["country"] == "Poland" and r["year"] == 2025)
    assert poland["label"].endswith(charts.WEAK_MARK) and poland["sourcing"].startswith("weak source")
    assert charts.WEAK_NOTE in json.dumps(spec["vconcat"], ensure_ascii=False)
    assert "Values from weak sources in 2025" in spec["description"] and "Poland" in spec["description"].split("weak sources")[1]
    gap = charts.gap_to_target(weak, 3.5, 2025).to_dict()
    assert "Values from weak sources" in gap["description"] and charts.WEAK_MARK in json.dumps(gap, ensure_ascii=False)
    clean = charts.ranking(_weak(base, base.year < 0), year=2025).to_dict()      # no flag, no mark
    assert charts.WEAK_MARK not in json.dumps(clean, ensure_ascii=False)


def test_weak_timeline_events_are_hollow_and_named(data):
    timeline = data["timeline"]
    weak = _weak(timeline, timeline.event.str.contains("Budapest"))
    spec = charts.timeline(weak).to_dict()
    assert "Events from weak sources, drawn hollow" in spec["description"] and "5 December 1994" in spec["description"]
    assert "Hollow points" in json.dumps(spec) and '"sourcing"' in json.dumps(spec)


def test_weak_members_elections_and_diaspora_are_flagged(data):
    members = data["members"]
    weak = _weak(members, members.iso3 == "FIN")
    for spec in (charts.coalition_map(weak).to_dict(), charts.membership_overlap(weak).to_dict()):
        assert "Finland" in spec["description"].split("weak sources")[1]
    elections = data["elections"]
    weak_e = _weak(elections, elections.competitor.eq("Yes").fillna(False))
    spec = charts.election_results(weak_e, "MD-REF-2024").to_dict()
    assert "Figures from weak sources" in spec["description"] and "Yes" in spec["description"].split("weak sources")[1]
    diaspora = data["diaspora"]
    weak_d = _weak(diaspora, diaspora.election_id.eq("MD-PARL-2025"))
    turnout = charts.turnout_home_abroad(elections, weak_d).to_dict()
    assert "Figures from weak sources" in turnout["description"]


def test_source_lines_name_original_publishers_not_the_copy_read(data, monkeypatch):
    from kit.data import package  # the catalogue the attribution reads
    catalogue = package.sources()
    sid = data["timeline"].source_ids.str.split(";").explode().iloc[0]
    fake = {**catalogue, sid: {**catalogue[sid], "publisher": "Original Publisher",
                               "accessed_via": {"title": "copy", "publisher": "Copy Site", "tier": "aggregator"}}}
    monkeypatch.setattr(package, "sources", lambda path=None: fake)
    rows = data["timeline"][data["timeline"].source_ids.str.contains(sid, regex=False)]
    spec = charts.timeline(rows).to_dict()
    assert "Original Publisher" in spec["usermeta"]["kit"]["source"] and "Copy Site" not in spec["usermeta"]["kit"]["source"]
    assert "Original Publisher" in charts.row_publishers(rows)


# --- second fact-check: sentences that say something, short descriptions, currency -------------

@pytest.mark.parametrize("dates, expected", [
    (["1994-12-05", "2023-07-12", "2024-01-12", "2026-01-06"], ""),                      # one event a year: nothing to say
    (["2024-01-01", "2024-02-01", "2025-01-01", "2025-02-01"], ""),                      # every year ties
    (["1994-12-05", "2025-01-01", "2025-02-01", "2026-01-01"], " Busiest year: 2025 (2 events)."),
    (["2023-01-01", "2024-01-01", "2024-02-01", "2025-01-01", "2025-02-01"], " Busiest years: 2024 and 2025 (2 events each)."),
    ([], ""),
])
def test_busiest_year_is_said_only_when_it_says_something(dates, expected):
    assert charts.busiest_years(pd.to_datetime(pd.Series(dates, dtype=object))) == expected


def test_timeline_descriptions_omit_busiest_when_every_year_has_one_event(data):
    timeline = data["timeline"]
    texts = timeline[timeline.category.isin(["memorandum", "agreement", "declaration"])]
    assert texts.date.dt.year.value_counts().max() == 1       # the case the fact-checker saw
    described = charts.timeline(texts).to_dict()["description"]
    assert "Busiest" not in described and "(1 event each)" not in described
    assert "Busiest year" in charts.timeline(timeline).to_dict()["description"]


def test_a_brief_timeline_description_names_events_by_their_headline(data):
    timeline = data["timeline"]
    full = charts.timeline(timeline).to_dict()["description"]
    brief = charts.timeline(timeline, brief=True).to_dict()["description"]
    last = timeline.sort_values("date").event.iloc[-1]
    assert charts.headline(last) in brief and len(brief) <= len(full)
    assert charts.headline("Paris summit (35 countries; envoys attend) adopts X: its text speaks of Y") == "Paris summit (35 countries; envoys attend) adopts X"
    assert charts.headline("A short one") == "A short one"


def test_long_lists_of_weak_rows_are_counted_not_listed():
    rows = pd.DataFrame({"country": [f"C{i}" for i in range(10)], "weak_source": [True] * 8 + [False] * 2})
    counted = charts._weak_sentence(rows, what="Values from weak sources")
    assert counted == f" 8 of the 10 values shown are from weak sources (no official, wire or press copy read; each is marked {charts.WEAK_MARK})."
    assert "C0" not in counted
    everyone = charts._weak_sentence(rows.assign(weak_source=True), what="Values from weak sources")
    assert everyone.startswith(" All 10 values shown are from weak sources")
    few = charts._weak_sentence(rows.assign(weak_source=[True, True] + [False] * 8), what="Values from weak sources")
    assert few.endswith(": C0 and C1.")
    assert charts._weak_sentence(rows.assign(weak_source=False)) == ""


@pytest.mark.parametrize("gaps, expected", [
    ([0.5, -0.2, -1.45, -2.0], "The median Ally below 3.5% (the middle one of 3) was 1.45 percentage points short."),
    ([0.5, -0.2, -1.45], "Among the 2 Allies below 3.5%, the median shortfall was 0.82 percentage points."),
    ([0.5, -0.2], ""),
    ([0.5], ""),
])
def test_the_median_shortfall_is_said_plainly(gaps, expected):
    table = pd.DataFrame({"country": list("ABCD")[:len(gaps)], "gap_pp": gaps})
    assert charts.shortfall(table, 3.5) == expected
    assert "Half of those" not in charts.shortfall(table, 3.5) and "-" not in charts.shortfall(table, 3.5)


def test_lesson_helpers_for_currency_attribution_and_screen_only_text(data):
    from kit import lesson
    timeline = data["timeline"]
    said = lesson.coverage(timeline)
    assert said.startswith(f"The timeline records events up to {lesson.day(timeline.date.max())}; it was last checked on ")
    assert said.endswith("events after that, or not confirmed by an official text or two reputable outlets, are not in it.")
    meetings = lesson.coverage(data["meetings"], label="The list", what="meetings")
    assert meetings.startswith(f"The list records meetings up to {lesson.day(data['meetings'].date.max())}")
    shown = lesson.screen_only("Move the **Year** slider.\n\nHover a bar.").data
    assert shown.startswith('<div class="kit-screen-only">') and shown.rstrip().endswith("</div>")
    from kit.site.markup import markdown
    for folder in (None, ROOT / "notebooks"):          # as the handout renders it (with a folder, nbconvert re-parses HTML blocks)
        html = markdown("Before.\n\n" + shown + "\n\nAfter.", folder)
        hidden = re.search(r'<div class="kit-screen-only">(.*?)</div>', html, re.S).group(1)
        assert "<strong>Year</strong>" in hidden and "Hover a bar." in hidden and "After." not in hidden
    istanbul = lesson.find(timeline, "Istanbul", "delegation")
    assert lesson.reported_by(istanbul) == "Reuters and Interfax-Ukraine"
    assert lesson.attributed("Lavrov says X (AFP, NTB).", lesson.find(timeline, "Lavrov")) == "Lavrov says X (AFP, NTB)."
    assert lesson.attributed("Peskov says X.", lesson.find(timeline, "Peskov")).startswith("Peskov says X, as reported by ")


def test_footer_sources_cite_one_way_and_name_no_code():
    import kit
    from kit import lesson
    text = lesson.sources(["security_timeline", "defence_spending"])
    assert text.count("Cite as: ") == 2 and kit.cite("security_timeline") in text
    assert "`" not in text and "(security_timeline)" not in text
    assert re.search(r"data as of \d{1,2} [A-Z][a-z]+ \d{4}; review by \d{1,2} [A-Z][a-z]+ \d{4}\.", text)
