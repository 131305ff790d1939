"""The chart layer: one theme, and every chart carries its source line and a description drawn from the data."""

import json
import re

import altair as alt
import pytest
import vl_convert as vlc

import kit
from kit import charts
from kit.errors import KitError

from conftest import ROOT

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


def _walk(obj):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _walk(value)


def test_the_kit_theme_is_registered_and_active():
    assert alt.theme.active == charts.THEME
    config = alt.theme.get()()["config"]
    assert set(config["range"]["category"]) == OKABE_ITO
    assert config["font"] and config["axis"]["labelFontSize"] >= 11
    assert len(charts.PALETTE) == len(charts.SHAPES) == len(charts.DASHES) == len(OKABE_ITO)


def test_importing_charts_enables_an_offline_renderer():
    assert alt.renderers.active in ("jupyter", "kit-handout")
    assert alt.renderers.active != "mimetype"


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
    assert (ROOT / "kit" / "assets" / "europe.topo.json").stat().st_size < 150_000
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
    assert f"furthest below: -3.00 pp ({len(tied)} countries tie:" in gap
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
    assert "Greece" in single
    spec = charts.ranking(base, year=2025).to_dict()
    values = [row for row in spec["datasets"].values()][0]
    greece = next(r for r in values if r["country"] == "Greece" and r["year"] == 2025)
    assert greece["check"].startswith("single source") and greece["label"].endswith(charts.SINGLE_MARK)
    poland = next(r for r in values if r["country"] == "Poland" and r["year"] == 2025)
    assert poland["check"] == charts.VERIFIED[True] and not poland["label"].endswith(charts.SINGLE_MARK)
    assert '"check"' in json.dumps(spec) and "transcription" in json.dumps(spec["vconcat"])
    assert "Single-source values in 2025 (no second transcription found): " + charts._list(single, 10) in spec["description"]
    gap = charts.gap_to_target(base, 3.5, 2025).to_dict()
    assert "Single-source values" in gap["description"] and "single source" in json.dumps(gap)


def test_caveats_in_the_data_reach_tooltips_and_descriptions(data):
    r1 = charts.election_results(data["elections"], "MD-PRES-2024-R1", share_label="% of the vote").to_dict()
    assert "% of the vote" in json.dumps(r1) and "% of valid votes" not in json.dumps(r1)
    assert "Vasile Tarlev and Ion Chicu: This share comes only from news-pravda" in r1["description"]
    assert r1["description"].count("pro-Kremlin aggregator; Sputnik") == 1     # a caveat shared by every row, once
    abroad = charts.vote_home_abroad(data["elections"], data["diaspora"]).to_dict()["description"]
    assert "86.00% abroad (abroad figure: preliminary" in abroad and "reported only by TASS" in abroad
    described = charts.coalition_map(data["members"]).to_dict()["description"]
    assert "Caveats on stances: Australia: 'offered' rests on March 2025 reports" in described
    assert "first_reported inferred" not in described     # a note on another column is not a stance caveat
