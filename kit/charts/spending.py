"""Defence spending as a share of GDP: lines over time (with NATO's target lines) and a ranking with a year slider.

    >>> import kit
    >>> from kit import charts
    >>> sipri = kit.load("military_expenditure")
    >>> spec = charts.spending_over_time(sipri, countries=["RUS", "UKR"]).to_dict()
    >>> spec["usermeta"]["kit"]["datasets"], spec["description"].startswith("Line chart of military expenditure")
    (['military_expenditure'], True)

Each takes one series: one NATO edition of ``defence_spending`` (editions are never mixed;
compare them with :func:`kit.charts.edition_comparison`) or SIPRI's ``military_expenditure``.
"""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd

from ..errors import KitError
from .flags import add_flags, flag_notes, flag_tooltips, single_source, weak_note, weak_rows, weak_sentence
from .frames import inline, pick_countries, plain
from .keyboard import highlight, legend_menu, states
from .prose import LEGEND_HINT, SLIDER_CLAUSE, SLIDER_HINT, extreme, listing, pct, sentence, series_name, tally
from .provenance import finish, provenance_of, series_provenance
from .targets import target_lines
from .theme import DASHES, HEIGHT, INK, MUTED, PALETTE, SHAPES, WIDTH


def spending_over_time(spending: pd.DataFrame, targets: pd.DataFrame | None = None, countries=None, *,
                       title: str | None = None, provenance=None, targets_provenance=None):
    """Lines of defence spending as a share of GDP, one per country, with NATO's target lines.

    ``spending`` is one series: one NATO edition of ``defence_spending``, or SIPRI's
    ``military_expenditure``. ``countries`` picks up to eight (ISO3 codes or names).
    Estimates are drawn as hollow points. Click a legend entry to highlight a country.
    """
    builder = "spending_over_time"
    prov, edition = series_provenance(spending, provenance, builder)
    data = pick_countries(spending, countries, builder)
    data = data[data["share_gdp_pct"].notna()]
    names = list(dict.fromkeys(data.sort_values("country")["country"]))
    if not names:
        raise KitError(f"{builder}: no figures to draw (every share_gdp_pct is empty for these countries)")
    if len(names) > len(PALETTE):
        raise KitError(f"{builder}: {len(names)} countries is too many lines to read; pick up to {len(PALETTE)} with countries=[...]")
    estimate_col = "estimate" if "estimate" in data.columns else ("sipri_estimate" if "sipri_estimate" in data.columns else None)
    cols = ["country", "year", "share_gdp_pct"] + ([estimate_col] if estimate_col else [])
    values = add_flags(plain(data, cols), data)
    if estimate_col:
        values["figure"] = ["estimate" if e else "reported" for e in values[estimate_col]]
    else:
        values["figure"] = "reported"
    what = series_name(prov, edition)

    pick = alt.selection_point(fields=["country"], bind="legend", name="country_pick")
    menu = legend_menu(pick, "country", names, "Highlight a country")
    lit = highlight(pick, menu, "country")
    scale = alt.Scale(domain=names, range=PALETTE[:len(names)])
    color = alt.Color("country:N", scale=scale, title=None, legend=alt.Legend(orient="bottom", columns=4, symbolType="stroke"))
    dash = alt.StrokeDash("country:N", scale=alt.Scale(domain=names, range=DASHES[:len(names)]), title=None)
    shape = alt.Shape("country:N", scale=alt.Scale(domain=names, range=SHAPES[:len(names)]), title=None)
    y_max = float(data["share_gdp_pct"].max())
    provs = [prov]
    lines_df = None
    if targets is not None:
        provs.append(provenance_of(targets, targets_provenance, builder))
        lines_df = target_lines(targets)
        y_max = max(y_max, float(lines_df["share_gdp_pct"].max()))
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1),
              scale=alt.Scale(domain=[int(data["year"].min()), int(data["year"].max())]))
    y = alt.Y("share_gdp_pct:Q", title="% of GDP", scale=alt.Scale(domain=[0, math.ceil(y_max * 2) / 2]))
    base = alt.Chart(inline(values)).encode(x=x, y=y)
    tooltip = [alt.Tooltip("country:N"), alt.Tooltip("year:Q", format="d"),
               alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f"), alt.Tooltip("figure:N")]
    tooltip += flag_tooltips(values)
    lines = base.mark_line().encode(color=color, strokeDash=dash,
                                    opacity=alt.condition(lit, alt.value(1), alt.value(0.15))).add_params(pick, *menu)
    points = base.mark_point(size=45, strokeWidth=1.5).encode(
        color=color, shape=shape, tooltip=tooltip,
        fill=alt.condition("datum.figure == 'estimate'", alt.value("white"), color),
        opacity=alt.condition(lit, alt.value(1), alt.value(0.15)))
    layers = [lines, points]
    if lines_df is not None:
        ref = alt.Chart(inline(lines_df)).encode(y="share_gdp_pct:Q")
        layers.insert(0, ref.mark_rule(color=MUTED, strokeDash=[3, 3], strokeWidth=1))
        layers.insert(1, ref.mark_text(align="left", dx=4, dy=-7, fontSize=10.5, color=MUTED).encode(
            x=alt.value(2), text="label:N"))
    flagged = weak_rows(data)
    legend = LEGEND_HINT.format(what="name")
    subtitle = [f"Hollow points: estimates. {legend}" if estimate_col else legend]
    subtitle += weak_note(flagged, "hover a point; named in the description")
    chart = alt.layer(*layers).properties(
        width=WIDTH, height=HEIGHT,
        title=alt.TitleParams(title or f"{what[0].upper()}{what[1:]}", subtitle=subtitle))

    y0, y1 = int(data["year"].min()), int(data["year"].max())
    when = dict(name=lambda r: f"{r['country']} in {int(r['year'])}", single="{name}: {value}",
                tie="{value} ({n} tie: {names})")
    desc = (f"Line chart of {what}, {y0}-{y1}, for {len(names)} countries: {listing(names, 8)}. "
            f"Highest: {extreme(data, 'share_gdp_pct', 'max', **when)}; "
            f"lowest: {extreme(data, 'share_gdp_pct', 'min', **when)}.")
    last = data[data["year"] == y1]
    if not last.empty:
        desc += f" In {y1}: " + "; ".join(f"{r.country} {pct(r.share_gdp_pct)}" for r in last.sort_values("share_gdp_pct", ascending=False).itertuples()) + "."
    if lines_df is not None:
        desc += " Reference lines: " + "; ".join(lines_df["label"]) + "."
    desc += weak_sentence(data, what="Values from weak sources")
    return finish(chart, provs, desc, builder=builder)


def ranking(spending: pd.DataFrame, year: int | None = None, *, threshold: float | None = None,
            title: str | None = None, provenance=None):
    """Bars ranking the countries by share of GDP in one year, with a year slider.

    The slider is a Vega-Lite parameter: it works in the browser with no kernel.
    ``threshold`` (e.g. 2, from the ``spending_targets`` data) colours the bars at or
    above it differently and draws a line there. ``year`` is the first year shown
    (default: the latest). The title names the year shown, and follows the slider.
    """
    builder = "ranking"
    prov, edition = series_provenance(spending, provenance, builder)
    have = spending[spending["share_gdp_pct"].notna()]
    if have.empty:
        raise KitError(f"{builder}: no figures to rank (every share_gdp_pct is empty)")
    years = sorted(int(y) for y in have["year"].unique())
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise KitError(f"{builder}: no figures for {year}; the data has {years[0]}-{years[-1]}")
    values = add_flags(plain(have, ["country", "year", "share_gdp_pct"]), have)
    checked = "mark" in values.columns
    if checked:
        values["label"] = [f"{v:.2f}{m}" for v, m in zip(values["share_gdp_pct"], values["mark"], strict=True)]
    what = series_name(prov, edition)
    slider = alt.param(name="year", value=year,
                       bind=alt.binding_range(min=years[0], max=years[-1], step=1, name="Year "))
    base = alt.Chart(inline(values)).transform_filter(alt.datum.year == slider)
    y = alt.Y("country:N", sort=alt.EncodingSortField("share_gdp_pct", op="max", order="descending"), title=None)
    x = alt.X("share_gdp_pct:Q", title="% of GDP", scale=alt.Scale(domain=[0, math.ceil(max(float(have["share_gdp_pct"].max()), threshold or 0))]))
    tooltip = [alt.Tooltip("country:N"), alt.Tooltip("year:Q", format="d"), alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f")]
    tooltip += flag_tooltips(values)
    if threshold is not None:
        above, below = f"at or above {threshold:g}%", f"below {threshold:g}%"
        base = base.transform_calculate(status=f"datum.share_gdp_pct >= {float(threshold)} ? '{above}' : '{below}'")
        color = alt.Color("status:N", title=None, scale=alt.Scale(domain=[above, below], range=[PALETTE[0], PALETTE[1]]),
                          legend=alt.Legend(orient="bottom"))
        bars = base.mark_bar().encode(x=x, y=y, color=color, tooltip=tooltip + [alt.Tooltip("status:N")])
    else:
        bars = base.mark_bar().encode(x=x, y=y, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=3, fontSize=10.5).encode(
        x="share_gdp_pct:Q", y=y, text=alt.Text("label:N") if checked else alt.Text("share_gdp_pct:Q", format=".2f"))
    layers = [bars, labels]
    if threshold is not None:
        layers.append(alt.Chart(inline(pd.DataFrame({"t": [float(threshold)]}))).mark_rule(color=INK, strokeDash=[4, 3]).encode(x="t:Q"))
    chart = alt.layer(*layers).add_params(slider).properties(
        width=WIDTH, height=alt.Step(15),
        title=alt.TitleParams(title or alt.ExprRef(f"'Ranking, ' + year + ': ' + {json.dumps(what)}"), subtitle=[SLIDER_HINT]
                              + flag_notes(values, "hover a bar")))

    row = have[have["year"] == year].sort_values("share_gdp_pct", ascending=False)
    missing = spending[(spending["year"] == year) & spending["share_gdp_pct"].isna()]["country"].tolist()
    desc = (f"Bar chart ranking {len(row)} countries by {what}, "
            + SLIDER_CLAUSE.format(first=years[0], last=years[-1], year=year)
            + f" Highest: {extreme(row, 'share_gdp_pct', 'max')}; "
            f"lowest: {extreme(row, 'share_gdp_pct', 'min')}.")
    if threshold is not None:
        desc += " " + sentence(f"in {year}, " + tally(int((row['share_gdp_pct'] >= threshold).sum()), len(row),
                                                    "countries with a figure", f"at or above {threshold:g}%"))
    single = single_source(row)
    if single:
        desc += f" Single-source values in {year} (no second transcription found): {listing(single, 12)}."
    desc += weak_sentence(row, what=f"Values from weak sources in {year}")
    if missing:
        desc += f" No figure for {year}: {listing(missing, 10)}."
    out = finish(chart, prov, desc, builder=builder)
    out.usermeta["kit"]["states"] = states("year", {y: _shown(have, y, threshold) for y in years})
    return out


def _shown(have: pd.DataFrame, year: int, threshold: float | None) -> str:
    """What the ranking's live region says when the slider shows ``year`` (read to screen readers)."""
    row = have[have["year"] == year]
    text = (f"{year}, {len(row)} countries. Highest: {extreme(row, 'share_gdp_pct', 'max')}; "
            f"lowest: {extreme(row, 'share_gdp_pct', 'min')}.")
    if threshold is not None:
        text += " " + sentence(f"in {year}, " + tally(int((row['share_gdp_pct'] >= threshold).sum()), len(row),
                                                     "countries with a figure", f"at or above {threshold:g}%"))
    return text
