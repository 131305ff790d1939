"""The map assets beside this code (``assets/``: Europe, ISO numeric codes, Moldova) and a little TopoJSON decoding.

    >>> topo = europe_topology()                  # ids are ISO 3166 numeric codes
    >>> iso_numeric()["MDA"] in {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    True

The decoding (:func:`rings`, :func:`subset`) is enough to place a label inside a region and
to inline no more of a map than a chart draws. Each asset says where it came from:
``europe.topo.json`` is Natural Earth via ``world-atlas``; ``moldova.topo.json`` is made by
``assets/make_moldova_map.py``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ..errors import KitError


def _asset(name: str):
    """An asset file's JSON (FileNotFoundError when it is missing)."""
    return json.loads(resources.files(__package__).joinpath(f"assets/{name}").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def europe_topology() -> dict:
    """The kit's map of Europe (TopoJSON, object ``countries``, ids are ISO 3166 numeric codes).

    >>> topo = europe_topology()
    >>> sorted(g["properties"]["name"] for g in topo["objects"]["countries"]["geometries"] if g.get("id") in {"470", "442"})
    ['Luxembourg', 'Malta']
    """
    return _asset("europe.topo.json")


@lru_cache(maxsize=1)
def iso_numeric() -> dict[str, str]:
    """ISO 3166 alpha-3 -> numeric code (the ids on the map), from ``assets/iso3_numeric.json``.

    >>> iso_numeric()["MDA"]
    '498'
    """
    return _asset("iso3_numeric.json")["codes"]


@lru_cache(maxsize=1)
def moldova_topology() -> dict:
    """The asset: TopoJSON objects ``regions`` (ids ``transnistria``, ``gagauzia``, ``rest``) and
    ``outline``, the towns in ``places`` and the provenance in ``kit``."""
    try:
        return _asset("moldova.topo.json")
    except FileNotFoundError:
        raise KitError("moldova_map: the map asset kit/charts/assets/moldova.topo.json is missing; make it with "
                       "kit/charts/assets/make_moldova_map.py") from None


def arc_points(topo: dict, index: int) -> list[tuple[float, float]]:
    """Arc ``index`` of a quantized topology as lon/lat points (a negative index: the arc reversed)."""
    arc = topo["arcs"][index if index >= 0 else ~index]
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((x * sx + tx, y * sy + ty))
    return points if index >= 0 else points[::-1]


def rings(topo: dict, geometry: dict) -> list[list[tuple[float, float]]]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon, as lon/lat points."""
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    found = []
    for polygon in polygons:
        for ring in polygon:
            points = []
            for index in ring:
                points.extend(arc_points(topo, index)[(1 if points else 0):])
            found.append(points)
    return found


def subset(topo: dict, name: str, keep=None) -> dict:
    """A topology with only object ``name`` (its geometries for which ``keep`` is true) and the arcs they use,
    so a chart inlines no more than it draws. Arcs are copied unchanged, only renumbered.

    >>> small = subset(europe_topology(), "countries", lambda g: g.get("id") in {"642", "804"})
    >>> sorted(g["properties"]["name"] for g in small["objects"]["countries"]["geometries"]), len(small["arcs"]) < 30
    (['Romania', 'Ukraine'], True)
    """
    geometries = [g for g in topo["objects"][name]["geometries"] if keep is None or keep(g)]
    used: dict[int, int] = {}

    def renumber(node):
        if isinstance(node, int):
            old = node if node >= 0 else ~node
            new = used.setdefault(old, len(used))
            return new if node >= 0 else ~new
        return [renumber(n) for n in node]

    out = []
    for g in geometries:
        g = dict(g)
        if "arcs" in g:
            g["arcs"] = renumber(g["arcs"])
        out.append(g)
    arcs = [None] * len(used)
    for old, new in used.items():
        arcs[new] = topo["arcs"][old]
    small = {"type": "Topology", "objects": {name: {"type": "GeometryCollection", "geometries": out}}, "arcs": arcs}
    if "transform" in topo:
        small["transform"] = topo["transform"]
    return small
