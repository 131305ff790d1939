"""NATO's spending targets: the reference lines drawn, and each country's gap to a target (table, words, chart).

:func:`gaps` gives the numbers as a DataFrame, :func:`gap_summary` and :func:`shortfall` say
them in words (one sign per number: "1.50 percentage points below", never "-1.50"), and
:func:`gap_to_target` draws them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import KitError
from .flags import add_flags, flag_notes, flag_tooltips, single_source, weak_sentence
from .frames import inline, one_edition, plain, require
from .prose import extreme, listing, series_name, singular
from .provenance import finish, series_provenance
from .theme import INK, MUTED, PALETTE, WIDTH

# NATO spending targets drawn as reference lines, labelled from the spending_targets data.
TARGET_LINES = {
    "T2006_2PCT": "guideline {year_agreed}",
    "T2014_DIP_2PCT": "Wales {year_agreed}",
    "T2025_HAGUE_CORE_3_5PCT": "core, The Hague {year_agreed}, by {deadline_year}",
    "T2025_HAGUE_5PCT": "total, The Hague {year_agreed}, by {deadline_year}",
}


def target_lines(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per reference line (share of GDP and label), from the ``spending_targets`` data.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"target_id": ["T2014_DIP_2PCT", "T2006_2PCT"], "share_gdp_pct": [2.0, 2.0],
    ...                   "year_agreed": [2014, 2006], "deadline_year": [2024, None]})
    >>> target_lines(t).to_dict("records")          # targets at one share share one line
    [{'share_gdp_pct': 2.0, 'label': '2%: guideline 2006; Wales 2014'}]
    """
    require(targets, ["target_id", "share_gdp_pct", "year_agreed", "deadline_year"], "target_lines")
    rows = targets[targets["target_id"].isin(TARGET_LINES) & targets["share_gdp_pct"].notna()]
    if rows.empty:
        raise KitError(f"target_lines: none of the targets {', '.join(TARGET_LINES)} has a share of GDP in the data")
    lines = []
    for share, group in rows.groupby("share_gdp_pct", sort=True):
        names = [TARGET_LINES[r.target_id].format(**{k: ("" if pd.isna(v) else v) for k, v in r._asdict().items()})
                 for r in group.sort_values("year_agreed").itertuples()]
        lines.append({"share_gdp_pct": float(share), "label": f"{share:g}%: " + "; ".join(names)})
    return pd.DataFrame(lines)


def gap_to_target(spending: pd.DataFrame, target: float, year: int, *, target_name: str | None = None,
                  title: str | None = None, provenance=None):
    """Diverging bars: each country's share of GDP minus ``target``, in percentage points.

    Returns a chart; the numbers are in :func:`gaps` (a DataFrame) for prose and tables.
    """
    builder = "gap_to_target"
    prov, edition = series_provenance(spending, provenance, builder)
    table = gaps(spending, target, year)
    if table.empty:
        raise KitError(f"{builder}: no figures for {year}")
    values = add_flags(plain(table, ["country", "share_gdp_pct", "gap_pp", "status"]), table)
    checked = "mark" in values.columns
    values["label"] = [f"{g:+.2f}" for g in values["gap_pp"]]
    if checked:
        values["label"] = values["label"] + values["mark"]
    name = target_name or f"{target:g}% of GDP"
    above, below = f"at or above {target:g}%", f"below {target:g}%"
    color = alt.Color("status:N", title=None, scale=alt.Scale(domain=[above, below], range=[PALETTE[0], PALETTE[1]]),
                      legend=alt.Legend(orient="bottom"))
    y = alt.Y("country:N", sort=alt.EncodingSortField("gap_pp", op="max", order="descending"), title=None)
    base = alt.Chart(inline(values)).encode(y=y)
    bars = base.mark_bar().encode(
        x=alt.X("gap_pp:Q", title=f"percentage points above (+) or below (-) {name}"), color=color,
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f"),
                 alt.Tooltip("gap_pp:Q", title="gap (pp)", format="+.2f")]
        + flag_tooltips(values))
    text = alt.Text("label:N")
    labels = alt.layer(
        base.transform_filter("datum.gap_pp >= 0").mark_text(align="left", dx=3, fontSize=10.5).encode(x="gap_pp:Q", text=text),
        # below the target: the label sits just right of the zero line, clear of the country names
        base.transform_filter("datum.gap_pp < 0").mark_text(align="left", dx=4, fontSize=10.5, color=MUTED).encode(
            x=alt.datum(0), text=text))
    zero = alt.Chart(inline(pd.DataFrame({"z": [0]}))).mark_rule(color=INK).encode(x="z:Q")
    what = series_name(prov, edition)
    chart = alt.layer(bars, labels, zero).properties(
        width=WIDTH, height=alt.Step(15),
        title=alt.TitleParams(title or f"Gap to {name}, {year}", subtitle=[what[0].upper() + what[1:]]
                              + flag_notes(values, "hover a bar")))
    desc = (f"Bar chart of the gap between {what} in {year} and {name}, for {len(table)} countries, in percentage points. "
            + gap_summary(table, target))
    single = single_source(table)
    if single:
        desc += f" Single-source values (no second transcription found): {listing(single, 12)}."
    desc += weak_sentence(table, what="Values from weak sources")
    return finish(chart, prov, desc, builder=builder)


def gap_summary(table: pd.DataFrame, target: float) -> str:
    """Who is at or above ``target`` and how far the others are, in words, one sign per number
    ("1.50 percentage points below", never "-1.50"), for :func:`gaps`' table.

    >>> t = pd.DataFrame({"country": ["Poland", "Spain", "Belgium"], "gap_pp": [0.98, -1.5, -1.5]})
    >>> gap_summary(t, 3.5)
    '1 at or above 3.5%: Poland (0.98 percentage points above). 2 below, furthest by 1.50 percentage points (2 countries tie: Belgium and Spain).'
    >>> gap_summary(t.iloc[1:], 3.5)
    'None at or above 3.5%. 2 below, furthest by 1.50 percentage points (2 countries tie: Belgium and Spain).'
    >>> gap_summary(t.iloc[:1], 3.5)
    '1 at or above 3.5%: Poland (0.98 percentage points above).'
    >>> gap_summary(t.iloc[:0], 3.5)
    'No figures.'
    """
    if table.empty:
        return "No figures."
    meets, short = table[table["gap_pp"] >= 0], table[table["gap_pp"] < 0]
    pp = lambda v: f"{abs(v):.2f} percentage points"  # noqa: E731
    if meets.empty:
        text = f"None at or above {target:g}%."
    else:
        lead = f"All {len(meets)}" if short.empty and len(meets) > 1 else f"{len(meets)}"
        if len(meets) <= 8:
            text = f"{lead} at or above {target:g}%: " + listing(
                [f"{r.country} ({pp(r.gap_pp)} above)" if r.gap_pp > 0 else f"{r.country} (exactly at it)" for r in meets.itertuples()], 8) + "."
        else:
            text = f"{lead} at or above {target:g}%; furthest above, by " + extreme(
                meets, "gap_pp", "max", fmt=pp, single="{value}: {name}", tie="{value} ({n} countries tie: {names})") + "."
    if not short.empty:
        text += f" {len(short)} below, furthest by " + extreme(
            short, "gap_pp", "min", fmt=pp, single="{value}: {name}", tie="{value} ({n} countries tie: {names})") + "."
    return text


def shortfall(table: pd.DataFrame, target: float, group: str = "Allies") -> str:
    """The median shortfall of those below ``target`` in :func:`gaps`' table, said plainly (one
    sign per number), or nothing when fewer than two are below.

    >>> t = pd.DataFrame({"country": list("abcd"), "gap_pp": [0.5, -0.2, -1.45, -2.0]})
    >>> shortfall(t, 3.5)
    'The median Ally below 3.5% (the middle one of 3) was 1.45 percentage points short.'
    >>> shortfall(t.iloc[:3], 3.5)
    'Among the 2 Allies below 3.5%, the median shortfall was 0.82 percentage points.'
    >>> shortfall(t.iloc[:2], 3.5)
    ''
    """
    short = table.loc[table["gap_pp"] < 0, "gap_pp"].abs()
    if len(short) < 2:
        return ""
    median = float(short.median())
    if len(short) % 2:
        return (f"The median {singular(group)} below {target:g}% (the middle one of {len(short)}) was "
                f"{median:.2f} percentage points short.")
    return f"Among the {len(short)} {group} below {target:g}%, the median shortfall was {median:.2f} percentage points."


def gaps(spending: pd.DataFrame, target: float, year: int) -> pd.DataFrame:
    """Each country's share of GDP in ``year`` minus ``target``, sorted, largest first.

    Countries with no figure for that year are left out (unknown stays unknown).

    >>> import pandas as pd
    >>> s = pd.DataFrame({"country": ["Spain", "Poland", "Iceland"], "year": 2025, "share_gdp_pct": [2.0, 4.48, None]})
    >>> gaps(s, 3.5, 2025)[["country", "gap_pp", "status"]].to_dict("records")
    [{'country': 'Poland', 'gap_pp': 0.98, 'status': 'at or above 3.5%'}, {'country': 'Spain', 'gap_pp': -1.5, 'status': 'below 3.5%'}]
    """
    require(spending, ["country", "year", "share_gdp_pct"], "gaps")
    one_edition(spending, "gaps")
    rows = spending[(spending["year"] == year) & spending["share_gdp_pct"].notna()]
    out = rows[["country"] + (["iso3"] if "iso3" in rows.columns else []) + ["share_gdp_pct"]
               + [c for c in ("verified", "weak_source") if c in rows.columns]].copy()
    out["gap_pp"] = (out["share_gdp_pct"] - float(target)).round(2)
    out["status"] = [f"at or above {target:g}%" if g >= 0 else f"below {target:g}%" for g in out["gap_pp"]]
    return out.sort_values(["gap_pp", "country"], ascending=[False, True]).reset_index(drop=True)
