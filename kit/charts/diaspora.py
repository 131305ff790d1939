"""Moldova's votes at home and abroad: voters in each place, and a competitor's share of each.

Voters at home are all voters minus voters abroad; a figure reported as a lower bound
("over ...") says so. Both charts join two datasets (``moldova_elections`` and
``moldova_diaspora``) and cite both.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import KitError
from .elections import final_results
from .flags import (
    add_flags,
    flag_notes,
    flag_tooltips,
    true_flag,
    weak_note,
    weak_rows,
    weak_sentence,
)
from .frames import inline, plain, require
from .prose import (
    listing,
    pct,
    student_text,
)
from .provenance import finish, provenance_of
from .theme import GREY, MUTED, PALETTE


def _abroad_totals(diaspora: pd.DataFrame) -> pd.DataFrame:
    rows = diaspora[(diaspora["country"] == "all abroad") & diaspora["voters_abroad"].notna()]
    return rows.drop_duplicates("election_id")


def turnout_home_abroad(elections: pd.DataFrame, diaspora: pd.DataFrame, *, title: str | None = None,
                        provenance=None, diaspora_provenance=None):
    """Stacked bars: voters at home and abroad, for each election with both figures.

    Voters at home = all voters minus voters abroad. A figure reported as a lower bound
    ("over ...") is marked as such.
    """
    builder = "turnout_home_abroad"
    require(elections, ["election_id", "election", "date", "voters"], builder)
    require(diaspora, ["election_id", "country", "voters_abroad"], builder)
    provs = [provenance_of(elections, provenance, builder), provenance_of(diaspora, diaspora_provenance, builder)]
    totals = elections[elections["voters"].notna()]
    if "final" in totals.columns:   # prefer the final count's number of voters, else the latest count's
        order = totals.assign(_final=totals["final"].fillna(False).astype(bool),
                              _when=totals["stage_date"] if "stage_date" in totals.columns else pd.NaT)
        totals = totals.loc[order.sort_values(["_final", "_when"], ascending=[False, False], kind="stable").index]
    totals = totals.drop_duplicates("election_id")
    totals = totals[["election_id", "election", "date", "voters"] + (["weak_source"] if "weak_source" in totals.columns else [])]
    abroad = _abroad_totals(diaspora)
    keep = ["election_id", "voters_abroad"] + [c for c in ("status", "weak_source") if c in abroad.columns]
    both = totals.merge(abroad[keep], on="election_id", how="inner", suffixes=("", "_abroad")).sort_values("date")
    if both.empty:
        raise KitError(f"{builder}: no election has both a total number of voters and a number of voters abroad")
    weak_cols = [c for c in ("weak_source", "weak_source_abroad") if c in both.columns]
    if weak_cols:   # a bar is flagged when either figure behind it rests on weak sources
        both["weak_source"] = [any(true_flag(v) for v in vals) for vals in both[weak_cols].itertuples(index=False)]
    both["abroad_pct"] = (both["voters_abroad"] / both["voters"] * 100).round(1)
    both["lower_bound"] = both.get("status", pd.Series("", index=both.index)).fillna("").str.contains("lower bound")
    both["label"] = [f"{e} ({d:%b %Y})" for e, d in zip(both["election"], both["date"], strict=True)]
    long = []
    for r in both.itertuples():
        long.append({"label": r.label, "where": "at home", "voters": int(r.voters - r.voters_abroad), "order": 0,
                     "note": "all voters minus voters abroad"})
        long.append({"label": r.label, "where": "abroad", "voters": int(r.voters_abroad), "order": 1,
                     "note": ("lower bound (reported as 'over')" if r.lower_bound else "reported")})
    values = pd.DataFrame(long)
    domain = ["at home", "abroad"]
    y = alt.Y("label:N", sort=list(both["label"]), title=None, axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(inline(values)).mark_bar(stroke="white", strokeWidth=1).encode(
        y=y, x=alt.X("voters:Q", title="voters", stack="zero", axis=alt.Axis(format="~s")),
        color=alt.Color("where:N", scale=alt.Scale(domain=domain, range=[PALETTE[2], PALETTE[0]]), title=None,
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("label:N", title="election"), alt.Tooltip("where:N"), alt.Tooltip("voters:Q", format=","), alt.Tooltip("note:N")])
    shares = add_flags(plain(both, ["label", "voters", "abroad_pct", "lower_bound"]), both)
    marks = shares["mark"] if "mark" in shares.columns else [""] * len(shares)
    shares["text"] = [("at least " if lb else "") + f"{p:.1f}% abroad{m}" for p, lb, m in zip(shares["abroad_pct"], shares["lower_bound"], marks, strict=True)]
    text = alt.Chart(inline(shares)).mark_text(align="left", dx=4, fontSize=10.5).encode(
        y=y, x="voters:Q", text="text:N", tooltip=[alt.Tooltip("label:N", title="election")] + flag_tooltips(shares))
    chart = alt.layer(bars, text).properties(
        width=330, height=alt.Step(26),
        title=alt.TitleParams(title or "Moldova: voters at home and abroad",
                              subtitle=["Share abroad = voters abroad / all voters, computed from the figures shown."]
                              + flag_notes(shares, "hover the share")))
    desc = ("Stacked bar chart of voters at home and abroad in " + f"{len(both)} Moldovan votes: "
            + "; ".join(f"{r.label}: {int(r.voters):,} voters, {int(r.voters_abroad):,} abroad ("
                        + ("at least " if r.lower_bound else "") + f"{r.abroad_pct:.1f}%)" for r in both.itertuples()) + ".")
    desc += weak_sentence(both, key="label", what="Figures from weak sources", unit="figures")
    return finish(chart, provs, desc, builder=builder)


def vote_home_abroad(elections: pd.DataFrame, diaspora: pd.DataFrame, *, title: str | None = None,
                     provenance=None, diaspora_provenance=None):
    """Dots: a competitor's share of the whole vote and of the vote abroad, election by election."""
    builder = "vote_home_abroad"
    require(elections, ["election_id", "election", "date", "competitor", "vote_pct"], builder)
    require(diaspora, ["election_id", "country", "competitor", "competitor_pct_abroad"], builder)
    provs = [provenance_of(elections, provenance, builder), provenance_of(diaspora, diaspora_provenance, builder)]
    abroad = diaspora[(diaspora["country"] == "all abroad") & diaspora["competitor_pct_abroad"].notna()]
    both = abroad[["election_id", "competitor", "competitor_pct_abroad"] + [c for c in ("status", "weak_source") if c in abroad.columns]].merge(
        final_results(elections)[["election_id", "election", "date", "competitor", "vote_pct"] + (["weak_source"] if "weak_source" in elections.columns else [])],
        on=["election_id", "competitor"], how="inner", suffixes=("_abroad", ""))
    if both.empty:
        raise KitError(f"{builder}: no competitor has both an overall share and a share abroad")
    if "status" in both.columns:
        both["status"] = [student_text(v) or None for v in both["status"]]
    weak_cols = [c for c in ("weak_source", "weak_source_abroad") if c in both.columns]
    if weak_cols:
        both["weak_source"] = [any(true_flag(v) for v in vals) for vals in both[weak_cols].itertuples(index=False)]
    both = both.sort_values("date")
    both["label"] = [f"{c}|{e} ({d:%b %Y})" for c, e, d in zip(both["competitor"], both["election"], both["date"], strict=True)]
    long = pd.concat([
        both.assign(where="all votes", pct=both["vote_pct"]),
        both.assign(where="votes abroad", pct=both["competitor_pct_abroad"]),
    ])
    values = add_flags(plain(long, ["label", "competitor", "election", "where", "pct"] + (["status"] if "status" in long.columns else [])), long)
    y = alt.Y("label:N", sort=list(both["label"]), title=None, axis=alt.Axis(labelLimit=330, labelExpr="split(datum.label, '|')"))
    domain = ["all votes", "votes abroad"]
    rule = alt.Chart(inline(plain(both, ["label", "vote_pct", "competitor_pct_abroad"]))).mark_rule(color=GREY, strokeWidth=2).encode(
        y=y, x="vote_pct:Q", x2="competitor_pct_abroad:Q")
    dots = alt.Chart(inline(values)).mark_point(size=90, filled=True).encode(
        y=y, x=alt.X("pct:Q", title="% of valid votes", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("where:N", scale=alt.Scale(domain=domain, range=[PALETTE[1], PALETTE[0]]), title=None, legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("where:N", scale=alt.Scale(domain=domain, range=["square", "circle"]), title=None),
        tooltip=[alt.Tooltip("competitor:N"), alt.Tooltip("election:N"), alt.Tooltip("where:N"), alt.Tooltip("pct:Q", format=".2f", title="%")]
        + ([alt.Tooltip("status:N", title="abroad figure")] if "status" in values.columns else []) + flag_tooltips(values))
    half = alt.Chart(inline(pd.DataFrame({"h": [50]}))).mark_rule(color=MUTED, strokeDash=[3, 3]).encode(x="h:Q")
    flagged = weak_rows(both.assign(name=[f"{c}, {e}" for c, e in zip(both["competitor"], both["election"], strict=True)]), key="name")
    chart = alt.layer(half, rule, dots).properties(
        width=300, height=alt.Step(40),
        title=alt.TitleParams(title or "Moldova: share of all votes and of votes cast abroad",
                              subtitle=["Dashed line: half of the valid votes."]
                              + weak_note(flagged, "hover a dot")))
    desc = ("Dot chart comparing, for each listed competitor, the share of all valid votes with the share of votes cast abroad: "
            + "; ".join(f"{r.competitor}, {r.election} ({r.date:%B %Y}): {pct(r.vote_pct)} overall, {pct(r.competitor_pct_abroad)} abroad"
                        + (f" (abroad figure: {r.status})" if isinstance(getattr(r, "status", None), str) and r.status else "")
                        for r in both.itertuples()) + ".")
    if flagged:
        desc += f" Figures from weak sources (no official, wire or press copy read; treat with caution): {listing(flagged, 10)}."
    return finish(chart, provs, desc, builder=builder)
