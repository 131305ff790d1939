"""Election results: shares of the vote (and seats) for one election, every published count stage shown.

The bars show one count stage, the final one unless another is asked for; every other
published count of the same election is a black tick beside it, so election night's
first figure is never mistaken for the final one.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ..errors import KitError
from .flags import (
    add_flags,
    flag_notes,
    flag_tooltips,
    weak_sentence,
)
from .frames import inline, plain, require
from .prose import (
    WHICH_HINT,
    caveats,
    day,
    pct,
    student_text,
)
from .provenance import finish, provenance_of, scoped
from .theme import INK, PALETTE, WIDTH


def _stage_label(row) -> str:
    """A count stage as a short label: its description and date (when the description lacks it)."""
    stage = str(row.get("count_stage") or "count stage not recorded")
    when = row.get("stage_date")
    if when is not None and pd.notna(when) and day(when) not in stage and f"{when:%-d %b %Y}" not in stage:
        stage += f", {day(when)}"
    return stage


def final_results(elections: pd.DataFrame) -> pd.DataFrame:
    """The final row set of each election (``final`` is true), or the rows as they are when the
    data has one row set per election (no ``final`` column).

    >>> import kit
    >>> e = kit.load("moldova_elections")
    >>> f = final_results(e)
    >>> int(f.groupby("election_id").result_id.nunique().max()) if "result_id" in f.columns else 1
    1
    """
    if "final" not in elections.columns:
        return elections
    return elections[elections["final"].fillna(False).astype(bool)]


def election_results(elections: pd.DataFrame, election_id: str, *, title: str | None = None, provenance=None,
                     share_label: str = "% of valid votes", stage: str | None = None):
    """Shares of the vote for one election (and seats, when the election allots them).

    The bars show one count stage: the final one (``final`` is true) unless ``stage`` names
    another ``result_id``. Every other published count of the same election is drawn as a
    black tick, so the figures can be compared: the first number on election night is not
    the final one. ``share_label`` names what the shares are of. The rows' ``note``
    (caveats) is in the tooltips and the description; weak sources are marked.

    Data with one row set per election and an ``alt_vote_pct`` column (older copies of the
    data) draws that column as the tick.
    """
    builder = "election_results"
    require(elections, ["election_id", "election", "date", "competitor", "vote_pct"], builder)
    prov = provenance_of(elections, provenance, builder)
    every = elections[(elections["election_id"] == election_id) & elections["competitor"].notna()]
    if every.empty:
        with_results = sorted(elections.loc[elections["competitor"].notna(), "election_id"].unique())
        what = "has no per-competitor results" if (elections["election_id"] == election_id).any() else "is not in the data"
        raise KitError(f"{builder}: {election_id!r} {what}; elections with results: {', '.join(with_results)}")
    staged = "result_id" in every.columns
    if staged:
        if stage is None:
            rows = final_results(every)
            if rows.empty:
                raise KitError(f"{builder}: {election_id!r} has no row set marked final; pick one with stage=...")
        else:
            rows = every[every["result_id"] == stage]
            if rows.empty:
                raise KitError(f"{builder}: {election_id!r} has no count stage {stage!r}; it has {', '.join(sorted(every['result_id'].unique()))}")
        others = every[every["result_id"] != rows["result_id"].iloc[0]]
        others = others[others["competitor"].isin(set(rows["competitor"])) & others["vote_pct"].notna()]
    else:
        rows, others = every, every.iloc[:0]
    rows = rows.sort_values("vote_pct", ascending=False)
    prov = scoped(prov, every)
    if "note" in rows.columns:
        rows = rows.assign(note=[student_text(n) or None for n in rows["note"]])
    first = rows.iloc[0]
    label = f"{first['election']}, {day(first['date'])}"
    is_final = bool(first["final"]) if staged and "final" in rows.columns and pd.notna(first.get("final")) else None
    cols = ["competitor", "vote_pct"] + [c for c in ("votes", "seats", "alt_vote_pct", "count_stage", "alt_count_stage", "note")
                                         if c in rows.columns]
    values = add_flags(plain(rows, cols), rows)
    marks = list(values["mark"]) if "mark" in values.columns else [""] * len(values)
    values["label"] = [("" if v is None else f"{v:.2f}") + m for v, m in zip(values["vote_pct"], marks, strict=True)]
    y = alt.Y("competitor:N", sort=list(rows["competitor"]), title=None, axis=alt.Axis(labelLimit=200))
    base = alt.Chart(inline(values)).encode(y=y)
    tooltip = [alt.Tooltip("competitor:N"), alt.Tooltip("vote_pct:Q", title=share_label, format=".2f")]
    if "note" in values.columns and rows["note"].notna().any():
        tooltip.append(alt.Tooltip("note:N", title="caveat"))
    if "votes" in values.columns:
        tooltip.append(alt.Tooltip("votes:Q", title="votes", format=","))
    if "count_stage" in values.columns:
        tooltip.append(alt.Tooltip("count_stage:N", title="count"))
    has_alt = "alt_vote_pct" in rows.columns and rows["alt_vote_pct"].notna().any()
    if has_alt:
        tooltip += [alt.Tooltip("alt_vote_pct:Q", title="other count, %", format=".2f"), alt.Tooltip("alt_count_stage:N", title="other count")]
    tooltip += flag_tooltips(values)
    ticks = None
    if not others.empty:
        ticks = others.assign(stage=[_stage_label(r) for _, r in others.iterrows()])
        ticks = add_flags(plain(ticks, ["competitor", "vote_pct", "stage"] + (["votes"] if "votes" in ticks.columns else [])), ticks)
    width = 270 if "seats" in rows.columns and rows["seats"].notna().any() else WIDTH
    x_max = float(max([rows["vote_pct"].max()] + ([rows["alt_vote_pct"].max()] if has_alt else [])
                      + ([others["vote_pct"].max()] if not others.empty else [])))
    bars = base.mark_bar(color=PALETTE[0]).encode(
        x=alt.X("vote_pct:Q", title=share_label, scale=alt.Scale(domain=[0, min(100, math.ceil(x_max / 10) * 10)])),
        tooltip=tooltip)
    labels = base.mark_text(align="left", dx=3, fontSize=10.5).encode(x="vote_pct:Q", text=alt.Text("label:N"))
    layers = [bars, labels]
    if has_alt:
        layers.append(base.transform_filter("isValid(datum.alt_vote_pct)").mark_tick(color=INK, thickness=2, size=16).encode(
            x="alt_vote_pct:Q", tooltip=tooltip))
    if ticks is not None:
        layers.append(alt.Chart(inline(ticks)).mark_tick(color=INK, thickness=2, size=16).encode(
            y=y, x="vote_pct:Q",
            tooltip=[alt.Tooltip("competitor:N"), alt.Tooltip("stage:N", title="count"),
                     alt.Tooltip("vote_pct:Q", title=share_label, format=".2f")]
            + ([alt.Tooltip("votes:Q", title="votes", format=",")] if "votes" in ticks.columns else []) + flag_tooltips(ticks)))
    subtitle = []
    if "turnout_pct" in rows.columns and pd.notna(first.get("turnout_pct")):
        subtitle.append(f"Turnout {first['turnout_pct']:.2f}%.")
    if staged:
        subtitle.append(("Bars: the final count. " if is_final else "Bars: a count that is not the final one. ")
                        + (f"Black ticks: the other published counts {WHICH_HINT}." if ticks is not None else ""))
    if has_alt:
        subtitle.append(f"Black tick: the share at another count stage {WHICH_HINT}.")
    if "all_competitors_listed" in rows.columns and rows["all_competitors_listed"].eq(False).any():
        subtitle.append("Only the competitors listed in the sources for this count are shown.")
    subtitle += flag_notes(values)
    votes = alt.layer(*layers).properties(width=width, height=alt.Step(22))
    parts = [votes]
    which = (f" ({'final count' if is_final else 'not the final count'}: {_stage_label(first)})" if staged else "")
    desc = (f"Bar chart of the results of the {label}{which}: " +
            "; ".join(f"{r.competitor} {pct(r.vote_pct)}" for r in rows.itertuples() if pd.notna(r.vote_pct)) + ".")
    if "seats" in rows.columns and rows["seats"].notna().any():
        seated = rows[rows["seats"].notna()]
        total = int(seated["seats_total"].dropna().iloc[0]) if "seats_total" in seated.columns and seated["seats_total"].notna().any() else int(seated["seats"].sum())
        majority = total // 2 + 1
        seat_values = plain(seated, ["competitor", "seats"])
        seat_base = alt.Chart(inline(seat_values)).encode(y=alt.Y("competitor:N", sort=list(rows["competitor"]), title=None, axis=None))
        seats = alt.layer(
            seat_base.mark_bar(color=PALETTE[2]).encode(x=alt.X("seats:Q", title=f"seats (of {total})", scale=alt.Scale(domain=[0, total])),
                                                        tooltip=[alt.Tooltip("competitor:N"), alt.Tooltip("seats:Q")]),
            seat_base.mark_text(align="left", dx=3, fontSize=10.5).encode(x="seats:Q", text="seats:Q"),
            alt.Chart(inline(pd.DataFrame({"m": [majority], "label": [f"majority: {majority}"]}))).mark_rule(color=INK, strokeDash=[4, 3]).encode(x="m:Q"),
        ).properties(width=130, height=alt.Step(22))
        parts.append(seats)
        desc += f" Seats (of {total}; majority {majority}): " + "; ".join(f"{r.competitor} {int(r.seats)}" for r in seated.itertuples()) + "."
    if has_alt:
        diff = rows[rows["alt_vote_pct"].notna()]
        desc += " Another count stage gives: " + "; ".join(f"{r.competitor} {pct(r.alt_vote_pct)}" for r in diff.itertuples()) + "."
    if not others.empty:
        for _result_id, group in others.groupby("result_id", sort=False):
            desc += (f" Other count ({_stage_label(group.iloc[0])}): "
                     + "; ".join(f"{r.competitor} {pct(r.vote_pct)}" for r in group.itertuples()) + ".")
    if subtitle and subtitle[0].startswith("Turnout"):
        desc += " " + subtitle[0]
    if "note" in rows.columns and rows["note"].notna().any():
        desc += " Caveats in the data: " + caveats(rows) + "."
    desc += weak_sentence(pd.concat([rows, others]) if not others.empty else rows, key="competitor", what="Figures from weak sources", unit="figures")
    chart = (alt.hconcat(*parts, spacing=14) if len(parts) > 1 else alt.vconcat(*parts)).properties(
        title=alt.TitleParams(title or label[0].upper() + label[1:], subtitle=subtitle or None))   # one line each
    return finish(chart, prov, desc, builder=builder)
