"""The coalition of the willing: its members on a map of Europe by stance on troops, and their NATO/EU overlap.

Shape as well as colour marks each member's stance, so the map reads without colour and
small states stay visible; members outside the map (e.g. Australia, Japan) are listed beside it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import KitError
from .flags import SOURCING, flag_tooltips, weak_note, weak_rows, weak_sentence
from .frames import inline, plain, require
from .keyboard import highlight, legend_menu
from .prose import WEAK_MARK, count, listing, student_text
from .provenance import finish, provenance_of
from .theme import INK, MUTED, PALETTE, WIDTH
from .topology import europe_topology, iso_numeric

MAP_FRAME = [[-24, 36], [40, 36], [-10, 71], [32, 71], [12, 35.5]]   # lon, lat points the map must show
STANCES = {  # ground_troops_stance -> label on the map (order = legend order)
    "offered": "offered troops",
    "conditional": "troops: conditional",
    "ruled_out": "ruled out troops",
    "unknown": "troops: not reported",
    "not_applicable": "host nation (not applicable)",
}
OBSERVER = "observer"
# colour and shape per label, fixed (a stance absent from the data never shifts the others' colours)
STANCE_STYLE = {
    "offered troops": (PALETTE[0], "circle"),
    "troops: conditional": (PALETTE[5], "diamond"),
    "ruled out troops": (PALETTE[1], "cross"),
    "troops: not reported": (PALETTE[2], "square"),
    "host nation (not applicable)": (PALETTE[4], "triangle-down"),
    OBSERVER: (PALETTE[3], "triangle-up"),
}


def _stance(row) -> str:
    if getattr(row, "role", "participant") == "observer":
        return OBSERVER
    return STANCES.get(row.ground_troops_stance, str(row.ground_troops_stance))


def coalition_map(members: pd.DataFrame, *, title: str | None = None, provenance=None):
    """The coalition's members on a map of Europe, coloured by their stance on sending troops.

    A symbol (shape by stance) marks each member too, so the map reads without colour
    and small states stay visible. Members outside the map (e.g. Australia, Japan) are
    listed beside it. Click a stance in the legend, or choose it in the menu below, to highlight it.
    """
    builder = "coalition_map"
    require(members, ["country", "iso3", "ground_troops_stance"], builder)
    prov = provenance_of(members, provenance, builder)
    codes = iso_numeric()
    unknown = sorted(set(members["iso3"]) - set(codes))
    if unknown:
        raise KitError(f"{builder}: no ISO numeric code for {', '.join(unknown)}: add it to kit/charts/assets/iso3_numeric.json")
    topo = europe_topology()
    on_map = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    table = members.copy()
    table["id"] = table["iso3"].map(codes)
    table["stance"] = [_stance(r) for r in table.itertuples()]
    if "note" in table.columns:
        raw_notes = table["note"].copy()
        table["note"] = [student_text(n) or None for n in table["note"]]
    weak = weak_rows(table)
    table["label"] = [f"{c} {WEAK_MARK}" if c in weak else c for c in table["country"]]
    if weak:
        table["sourcing"] = [SOURCING[c in weak] for c in table["country"]]
    order = [s for s in list(STANCES.values()) + [OBSERVER] if s in set(table["stance"])]
    color_scale = alt.Scale(domain=order, range=[STANCE_STYLE[s][0] for s in order])
    shape_scale = alt.Scale(domain=order, range=[STANCE_STYLE[s][1] for s in order])
    pick = alt.selection_point(fields=["stance"], bind="legend", name="stance_pick")
    menu = legend_menu(pick, "stance", order, "Highlight a stance")
    lit = highlight(pick, menu, "stance")
    cols = ["country", "label", "iso3", "id", "stance"] + [c for c in ("first_reported", "nato_member", "eu_member", "note", "sourcing")
                                                          if c in table.columns]
    lookup_values = plain(table, cols)
    inside = table[table["id"].isin(on_map)]
    outside = table[~table["id"].isin(on_map)].sort_values("country")

    geo = alt.Data(values=topo, format=alt.DataFormat(type="topojson", feature="countries"))
    # fitted to mainland Europe (west of Iceland to the Urals' foothills); shapes outside are clipped
    frame = {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": MAP_FRAME}}
    projection = dict(type="azimuthalEqualArea", rotate=[-12, -52, 0], fit=frame)
    background = alt.Chart(geo).mark_geoshape(fill="#EEEEEE", stroke="white", strokeWidth=0.5, clip=True, aria=False).project(**projection)
    looked = alt.Chart(geo).transform_lookup(
        lookup="id", from_=alt.LookupData(inline(lookup_values), key="id",
                                          fields=[c for c in cols if c != "id"]),
    ).transform_filter("isValid(datum.stance)")
    tooltip = [alt.Tooltip("label:N", title="country"), alt.Tooltip("stance:N", title="stance")]
    if "note" in table.columns:
        tooltip.append(alt.Tooltip("note:N", title="caveat"))
    tooltip += flag_tooltips(table)   # the sourcing of weak rows
    shapes = looked.mark_geoshape(stroke="white", strokeWidth=0.6, clip=True).encode(
        color=alt.Color("stance:N", scale=color_scale, title="Coalition member",
                        legend=alt.Legend(orient="bottom", columns=3, symbolType="circle")),
        opacity=alt.condition(lit, alt.value(0.85), alt.value(0.2)), tooltip=tooltip).add_params(pick, *menu).project(**projection)
    marks = looked.transform_calculate(
        centre="geoCentroid(null, datum)").transform_calculate(
        lon="datum.centre[0]", lat="datum.centre[1]").mark_point(clip=True, filled=True, size=38, stroke="white", strokeWidth=0.8).encode(
        longitude="lon:Q", latitude="lat:Q",
        shape=alt.Shape("stance:N", scale=shape_scale, title="Coalition member"),
        color=alt.Color("stance:N", scale=alt.Scale(domain=order, range=[INK] * len(order)), legend=None),
        opacity=alt.condition(lit, alt.value(1), alt.value(0.2)), tooltip=tooltip).project(**projection)
    the_map = alt.layer(background, shapes, marks).properties(width=430, height=420)
    parts = [the_map]
    if not outside.empty:
        listed = plain(outside.assign(rank=range(len(outside))), ["country", "label", "stance", "rank"]
                        + [c for c in ("note", "sourcing") if c in outside.columns])
        side = alt.Chart(inline(listed)).encode(y=alt.Y("rank:O", axis=None))
        side = alt.layer(
            side.mark_point(filled=True, size=60).encode(
                x=alt.value(8), shape=alt.Shape("stance:N", scale=shape_scale, legend=None),
                color=alt.Color("stance:N", scale=color_scale, legend=None),
                opacity=alt.condition(lit, alt.value(1), alt.value(0.2))),
            side.mark_text(align="left", dx=18, fontSize=11.5).encode(
                x=alt.value(0), text="label:N", tooltip=tooltip),
            side.mark_text(align="left", dx=18, dy=13, fontSize=10, color=MUTED).encode(x=alt.value(0), text="stance:N"),
        ).properties(width=130, height=alt.Step(34), title=alt.TitleParams("Outside the map", fontSize=12, fontWeight="normal"))
        parts.append(side)
    chart = alt.hconcat(*parts, spacing=10).resolve_scale(color="independent", shape="independent").properties(
        title=alt.TitleParams(title or "Coalition of the willing: who took part, and their stance on troops",
                              subtitle=["Coloured and marked: members. Click a stance in the legend, or choose it in the menu below, to highlight it."]
                              + weak_note(weak, "hover a country; named in the description")))

    counts = table["stance"].value_counts()
    desc = (f"Map of Europe showing the {len(table)} states reported as taking part in the coalition of the willing "
            f"(data as of {prov['as_of']}), coloured by their stance on sending ground troops: "
            + "; ".join(f"{s}: {int(counts[s])}" + (f" ({listing(sorted(table[table.stance == s]['country']), 8)})" if s != STANCES['unknown'] else "")
                        for s in order) + ".")
    if not outside.empty:
        desc += f" Outside Europe, listed beside the map: {listing(outside['country'], 10)}."
    desc += f" {len(inside)} members are on the map."
    if "note" in table.columns:
        about_stance = table["note"].notna() & ~raw_notes.fillna("").str.split().str[0].isin(
            [c for c in table.columns if c != "ground_troops_stance"])   # notes on another column (e.g. first_reported) are left out
        stated = table[table["ground_troops_stance"].isin(["offered", "conditional", "ruled_out"]) & about_stance]
        if not stated.empty:
            desc += " Caveats on stances: " + "; ".join(f"{r.country}: {str(r.note).rstrip('.')}" for r in stated.sort_values("country").itertuples()) + "."
    desc += weak_sentence(table, what="Members whose row rests on weak sources", unit="members")
    return finish(chart, prov, desc, builder=builder)


OVERLAP_GROUPS = [  # (nato_member, eu_member) -> label, in display order
    ((True, True), "NATO and EU"),
    ((True, False), "NATO, not EU"),
    ((False, True), "EU, not NATO"),
    ((False, False), "neither NATO nor EU"),
]


def membership_overlap(members: pd.DataFrame, *, title: str | None = None, provenance=None):
    """Bars: how many coalition members are in NATO, the EU, both or neither (names on hover)."""
    builder = "membership_overlap"
    require(members, ["country", "nato_member", "eu_member"], builder)
    prov = provenance_of(members, provenance, builder)
    weak = set(weak_rows(members))
    name = lambda c: f"{c} {WEAK_MARK}" if c in weak else c  # noqa: E731
    rows = []
    for (nato, eu), label in OVERLAP_GROUPS:
        group = members[(members["nato_member"] == nato) & (members["eu_member"] == eu)].sort_values("country")
        rows.append({"group": label, "count": len(group), "countries": ", ".join(map(name, group["country"]))})
    unknown = members[members["nato_member"].isna() | members["eu_member"].isna()]
    if not unknown.empty:
        rows.append({"group": "membership not recorded", "count": len(unknown), "countries": ", ".join(map(name, unknown["country"]))})
    table = pd.DataFrame(rows)
    labels = list(table["group"])
    base = alt.Chart(inline(table)).encode(y=alt.Y("group:N", sort=labels, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("count:Q", title="coalition members", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("group:N", scale=alt.Scale(domain=labels, range=PALETTE[:len(labels)]), legend=None),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("count:Q"), alt.Tooltip("countries:N")])
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(x="count:Q", text="count:Q")
    chart = alt.layer(bars, text).properties(
        width=WIDTH - 120, height=alt.Step(30),
        title=alt.TitleParams(title or "Coalition members in NATO and the EU",
                              subtitle=["Membership as recorded in the data. Hover a bar for the names."]
                              + weak_note(weak, "hover a bar")))
    desc = (f"Bar chart of the {count(len(members), 'coalition members')} by membership of NATO and the EU: "
            + "; ".join(f"{r['group']}: {r['count']}" + (f" ({r['countries']})" if 0 < r["count"] <= 8 else "") for r in rows) + ".")
    desc += weak_sentence(members, what="Members whose row rests on weak sources", unit="members")
    return finish(chart, prov, desc, builder=builder)
