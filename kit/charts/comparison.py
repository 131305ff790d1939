"""The same spending measured twice: NATO's figures edition by edition, and NATO's series beside SIPRI's.

Both draw dots joined by a grey range, so a revision or a difference between definitions
shows as a distance, and neither ever splices two series into one line.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import KitError
from .flags import add_flags, flag_tooltips, weak_note, weak_rows, weak_sentence
from .frames import inline, one_edition, plain, require
from .keyboard import highlight, legend_menu
from .prose import extreme, listing, pct, sentence, tally
from .provenance import edition_provenance, finish, provenance_of
from .theme import GREY, PALETTE, SHAPES, WIDTH


def edition_comparison(spending: pd.DataFrame, year: int, editions: pd.DataFrame | None = None, *,
                       title: str | None = None, provenance=None):
    """Dots: one country's figure for ``year`` in each NATO edition that gives one.

    Shows how NATO revised its estimates between publications. ``editions`` (the
    ``nato_editions`` data) orders the editions as that table lists them (by publication). Only countries with
    figures in at least two editions are drawn.
    """
    builder = "edition_comparison"
    require(spending, ["country", "year", "share_gdp_pct", "edition"], builder)
    prov = provenance_of(spending, provenance, builder)
    rows = spending[(spending["year"] == year) & spending["share_gdp_pct"].notna()]
    counts = rows.groupby("country")["edition"].nunique()
    rows = rows[rows["country"].isin(counts[counts >= 2].index)]
    if rows.empty:
        raise KitError(f"{builder}: no country has figures for {year} in two or more editions")
    order = list(dict.fromkeys(rows.sort_values("edition")["edition"]))
    if editions is not None:
        require(editions, ["edition", "published"], builder)
        listed = list(editions["edition"])   # the editions table lists them in order of publication
        order = [e for e in listed if e in set(order)] + [e for e in order if e not in set(listed)]
    if len(order) > len(PALETTE):
        raise KitError(f"{builder}: too many editions to tell apart ({len(order)})")
    prov = edition_provenance(prov, order)
    span = rows.groupby("country")["share_gdp_pct"].agg(["min", "max"]).reset_index()
    span["revision_pp"] = (span["max"] - span["min"]).round(2)
    rows = rows.merge(span[["country", "max"]], on="country")
    values = add_flags(plain(rows, ["country", "edition", "share_gdp_pct", "max"]), rows)
    color = alt.Color("edition:N", scale=alt.Scale(domain=order, range=PALETTE[:len(order)]), title="Edition",
                      legend=alt.Legend(orient="bottom", columns=3))
    shape = alt.Shape("edition:N", scale=alt.Scale(domain=order, range=SHAPES[:len(order)]), title="Edition")
    pick = alt.selection_point(fields=["edition"], bind="legend", name="edition_pick")
    menu = legend_menu(pick, "edition", order, "Highlight an edition")
    y = alt.Y("country:N", sort=alt.EncodingSortField("max", op="max", order="descending"), title=None)
    ranges = alt.Chart(inline(plain(span, ["country", "min", "max", "revision_pp"]))).mark_rule(color=GREY, strokeWidth=2).encode(
        y=y,
        x=alt.X("min:Q", title=f"% of GDP, {year}"), x2="max:Q")
    dots = alt.Chart(inline(values)).mark_point(size=60, strokeWidth=1.5).encode(
        y=y, x="share_gdp_pct:Q", color=color, shape=shape,
        opacity=alt.condition(highlight(pick, menu, "edition"), alt.value(1), alt.value(0.15)),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("edition:N"), alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f")]
        + flag_tooltips(values),
    ).add_params(pick, *menu)
    flagged = weak_rows(rows.assign(country=rows["country"].astype(str) + " (" + rows["edition"].astype(str) + ")"))
    chart = alt.layer(ranges, dots).properties(
        width=WIDTH, height=alt.Step(15),
        title=alt.TitleParams(title or f"NATO's figures for {year}, edition by edition",
                              subtitle=["Grey bar: range between editions. Click an edition in the legend, or choose it in the menu below, to highlight it."]
                              + weak_note(flagged, "hover a point")))
    largest = extreme(span, "revision_pp", "max", name=lambda r: f"{r['country']}, {pct(r['min'])} to {pct(r['max'])}",
                       fmt=lambda v: f"{v:.2f} percentage points", single="{name} ({value})")
    desc = (f"Dot chart comparing NATO's figures for {year} (defence expenditure, % of GDP) across {len(order)} editions "
            f"({listing(order, 8)}) for {len(span)} countries. Largest difference between editions: {largest}. "
            + sentence(tally(int((span['revision_pp'] == 0).sum()), len(span), "countries",
                             "given the same figure in every edition that gives one")))
    desc += weak_sentence(rows.assign(country=rows["country"].astype(str) + " (" + rows["edition"].astype(str) + ")"), what="Values from weak sources")
    return finish(chart, prov, desc, builder=builder)


def series_comparison(nato: pd.DataFrame, sipri: pd.DataFrame, year: int, *, title: str | None = None,
                      provenance=None, sipri_provenance=None):
    """Dots: NATO's and SIPRI's share of GDP for the same countries in ``year``.

    The two are separate series with different definitions: the chart puts them side
    by side (never into one line) so the difference shows.
    """
    builder = "series_comparison"
    for frame in (nato, sipri):
        require(frame, ["country", "iso3", "year", "share_gdp_pct"], builder)
    provs = [provenance_of(nato, provenance, builder), provenance_of(sipri, sipri_provenance, builder)]
    edition = one_edition(nato, builder)
    provs[0] = edition_provenance(provs[0], [edition])
    a = nato[(nato["year"] == year) & nato["share_gdp_pct"].notna()][["country", "iso3", "share_gdp_pct"]]
    b = sipri[(sipri["year"] == year) & sipri["share_gdp_pct"].notna()][["iso3", "share_gdp_pct"]]
    both = a.merge(b, on="iso3", suffixes=("_nato", "_sipri"))
    if both.empty:
        raise KitError(f"{builder}: no country has both a NATO and a SIPRI figure for {year}")
    both["diff_pp"] = (both["share_gdp_pct_sipri"] - both["share_gdp_pct_nato"]).round(2)
    both["top"] = both[["share_gdp_pct_nato", "share_gdp_pct_sipri"]].max(axis=1)
    nato_name = f"NATO ({edition})" if edition else "NATO"
    domain = [nato_name, "SIPRI"]
    long = pd.concat([both.assign(series=nato_name, pct=both["share_gdp_pct_nato"]),
                      both.assign(series="SIPRI", pct=both["share_gdp_pct_sipri"])])
    y = alt.Y("country:N", sort=alt.EncodingSortField("top", op="max", order="descending"), title=None)
    rule = alt.Chart(inline(plain(both, ["country", "share_gdp_pct_nato", "share_gdp_pct_sipri", "top"]))).mark_rule(
        color=GREY, strokeWidth=2).encode(y=y, x="share_gdp_pct_nato:Q", x2="share_gdp_pct_sipri:Q")
    dots = alt.Chart(inline(plain(long, ["country", "series", "pct", "diff_pp", "top"]))).mark_point(size=80, filled=True).encode(
        y=y, x=alt.X("pct:Q", title=f"% of GDP, {year}"),
        color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=[PALETTE[0], PALETTE[1]]), title=None,
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=domain, range=["circle", "square"]), title=None),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("series:N"), alt.Tooltip("pct:Q", format=".2f", title="% of GDP"),
                 alt.Tooltip("diff_pp:Q", format="+.2f", title="SIPRI minus NATO (pp)")])
    flagged = (weak_rows(nato[(nato["year"] == year) & nato["iso3"].isin(set(both["iso3"]))])
               + weak_rows(sipri[(sipri["year"] == year) & sipri["iso3"].isin(set(both["iso3"]))]))
    chart = alt.layer(rule, dots).properties(
        width=WIDTH, height=alt.Step(22),
        title=alt.TitleParams(title or f"NATO and SIPRI: two measures of the same spending, {year}",
                              subtitle=["Separate series with different definitions and GDP data: compare, never splice."]
                              + weak_note(flagged, "named in the description")))
    both["abs_diff"] = both["diff_pp"].abs()
    big = extreme(both, "abs_diff", "max", name=lambda r: f"{r['country']}, {r['diff_pp']:+.2f}",
                   fmt=lambda v: f"{v:.2f}", single="{name} percentage points",
                   tie="{n} countries tie at {value} percentage points: {names}")
    desc = (f"Dot chart comparing NATO's and SIPRI's figures for military spending as a share of GDP in {year}, for "
            f"{len(both)} countries: " + "; ".join(f"{r.country} {pct(r.share_gdp_pct_nato)} (NATO) vs {pct(r.share_gdp_pct_sipri)} (SIPRI)"
                                                  for r in both.sort_values("top", ascending=False).itertuples())
            + f". Largest difference: {big} (SIPRI minus NATO).")
    shown = set(both["iso3"])
    desc += weak_sentence(nato[(nato["year"] == year) & nato["iso3"].isin(shown)], what="NATO values from weak sources", unit="NATO values")
    desc += weak_sentence(sipri[(sipri["year"] == year) & sipri["iso3"].isin(shown)], what="SIPRI values from weak sources", unit="SIPRI values")
    return finish(chart, provs, desc, builder=builder)
