"""Explorations that need Python: ipywidgets in a live notebook, a static result in a handout.

In JupyterLab each function returns a widget: controls and a result that updates when
they change. A handout has no kernel, so controls would be dead there: when
``kit.charts.render.in_handout()`` is true the functions return a :class:`StaticView` instead,
the default result with a note that the exploration is live in JupyterLab.

    >>> import kit
    >>> from kit import widgets
    >>> s = kit.load("defence_spending"); base = s[s.edition == "NATO-2025-08"]
    >>> widgets.target_explorer(base, kit.load("spending_targets"))   # doctest: +SKIP
    (a slider for the target, one for the year, and the result below them)
    >>> widgets.target_summary(base, 3.5, 2025).startswith("In 2025, ")
    True

A lesson that already shows a chart passes another default (``target=``, ``year=``,
``default=``) so that the handout never shows the same chart twice.
"""

from __future__ import annotations

import pandas as pd

from .. import charts
from ..charts import render
from ..data import allies
from ..errors import KitError
from ..wording import count, listing, sentence, tally
from .tables import markdown_table

NOTE = ("*This exploration is live in JupyterLab: there you can change {what}. "
        "This handout shows the default: {default}.*")


class StaticView:
    """What a widget shows in a handout: a note and the default result, with no controls.

    ``items`` holds the Markdown and charts shown, in order.
    """

    def __init__(self, note: str, items: list):
        self.note = note
        self.items = [note] + list(items)

    def _ipython_display_(self):
        _display(self.items)

    def __repr__(self):
        return f"StaticView({self.note!r}, {len(self.items) - 1} items)"


def _display(items) -> None:
    """Display Markdown strings and charts, in order."""
    from IPython.display import Markdown, display

    for item in items:
        display(Markdown(item) if isinstance(item, str) else item)


def _show(out, items) -> None:
    """Replace what the output widget ``out`` shows with ``items`` (Markdown strings and charts)."""
    out.clear_output(wait=True)
    with out:
        _display(items)


def _years(spending: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in spending.loc[spending["share_gdp_pct"].notna(), "year"].unique())


def _allies(spending: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of countries that were NATO Allies in the row's year (when the data has ISO3 codes)."""
    return allies.only(spending) if {"iso3", "year"} <= set(spending.columns) else spending


def target_summary(spending: pd.DataFrame, target: float, year: int) -> str:
    """Sentences (Markdown) on which Allies meet ``target`` in ``year``, and how far the others
    are: complete for none, one, some or all, each distance written once, with one sign.

    Only the Allies of ``year`` count (NATO's tables also give later members' earlier years);
    the countries left out are named after the figures.
    """
    rows = _allies(spending)
    table = charts.gaps(rows, target, year)
    meets, short = table[table["gap_pp"] >= 0], table[table["gap_pp"] < 0]
    text = f"In {year}, " + tally(len(meets), len(table), "Allies with a figure in this series", f"at or above {target:g}% of GDP")
    text += (": " + listing(meets["country"], 12) + "." if 0 < len(meets) <= 12 else ".")
    if not short.empty:
        pp = lambda v: f"{abs(v):.2f} percentage points below"  # noqa: E731
        near = charts._extreme(short, "gap_pp", "max", fmt=pp, single="{name}, {value}", tie="{value} ({n} countries tie: {names})")
        text += f"\n\nClosest below: {near}."
        median = charts.shortfall(table, target)
        if median:
            text += " " + median
    if "iso3" in spending.columns:
        blank = rows[(rows["year"] == year) & rows["share_gdp_pct"].isna()]["country"].tolist()
        if blank:
            text += (f"\n\nNo figure for {year} in this series: {listing(blank, 12)} "
                     "(an empty value is not zero; the data's notes say why).")
        later = allies.not_yet(spending, year)
        if later:
            text += f"\n\nNot counted: {listing(later, 12)}, not yet NATO Allies in {year} (NATO's tables give their figures)."
    return text


def target_explorer(spending: pd.DataFrame, targets: pd.DataFrame, *, target: float | None = None,
                    year: int | None = None):
    """Pick a target share of GDP and a year: which Allies meet it, and the gap in points.

    The default target is The Hague's core 3.5% (read from ``targets``) and the default
    year the latest with figures.
    """
    charts._one_edition(spending, "target_explorer")
    lines = charts.target_lines(targets)
    choices = sorted(float(v) for v in lines["share_gdp_pct"])
    target = float(target if target is not None else (3.5 if 3.5 in choices else choices[-1]))
    years = _years(spending)
    if not years:
        raise KitError("target_explorer: the data has no figures")
    year = int(year if year is not None else years[-1])
    prov = spending.attrs.get("provenance")

    def result(t, y):
        return [target_summary(spending, t, y), charts.gap_to_target(_allies(spending), t, y, provenance=prov)]

    if render.in_handout():
        return StaticView(NOTE.format(what="the target and the year", default=f"a target of {target:g}% of GDP in {year}"),
                          result(target, year))

    import ipywidgets as w

    target_w = w.FloatSlider(value=target, min=0.5, max=max(choices), step=0.1, description="Target, % of GDP",
                             readout_format=".1f", continuous_update=False, style={"description_width": "initial"})
    presets = w.ToggleButtons(options=[(f"{c:g}%", c) for c in choices], value=target if target in choices else None,
                              description="NATO targets", style={"description_width": "initial", "button_width": "70px"})
    year_w = w.IntSlider(value=year, min=years[0], max=years[-1], step=1, description="Year", continuous_update=False)
    out = w.Output()

    def redraw(*_):
        if year_w.value not in years:
            _show(out, [f"No figures for {year_w.value} in this series."])
        else:
            _show(out, result(target_w.value, year_w.value))

    def preset(change):
        if change["new"] is not None:
            target_w.value = change["new"]

    presets.observe(preset, "value")
    target_w.observe(redraw, "value")
    year_w.observe(redraw, "value")
    redraw()
    return w.VBox([w.HBox([target_w, year_w]), presets, out])


def timeline_explorer(events: pd.DataFrame, *, category: str = "category", columns=("date", "event", "actors"),
                      default=None, brief: bool = False):
    """Filter a timeline by kind of event: a chart and a table of the chosen kinds.

    ``default`` (a list of kinds) is what shows first, and all a handout shows; pick fewer
    than all kinds when the lesson already shows the whole timeline, so no chart repeats.
    ``brief`` names the first and latest events by their headline in the chart's description
    (see :func:`kit.charts.timeline`), when the table under it gives their full text.
    """
    if category not in events.columns:
        raise KitError(f"timeline_explorer: the data has no column {category!r}")
    kinds = sorted(events[category].dropna().astype(str).unique())
    chosen_first = [k for k in (default or kinds) if k in kinds]
    unknown = [k for k in (default or []) if k not in kinds]
    if unknown or not chosen_first:
        raise KitError(f"timeline_explorer: no events of kind {', '.join(map(repr, unknown)) or 'chosen'}; the kinds are {', '.join(kinds)}")
    prov = events.attrs.get("provenance")
    shown = [c for c in columns if c in events.columns] + (["weak_source"] if "weak_source" in events.columns else [])

    def result(chosen):
        rows = events[events[category].astype(str).isin(chosen)].sort_values("date")
        return [charts.timeline(rows, category=category, provenance=prov, brief=brief),
                sentence(count(len(rows), "events")) + "\n\n" + markdown_table(rows[shown])]

    if render.in_handout():
        what = "all kinds" if len(chosen_first) == len(kinds) else "only " + listing(chosen_first, 8) + " events"
        return StaticView(NOTE.format(what="which kinds of event are shown", default=what), result(chosen_first))

    import ipywidgets as w

    pick = w.SelectMultiple(options=kinds, value=tuple(chosen_first), description="Kinds", rows=min(len(kinds), 6))
    out = w.Output()

    def redraw(*_):
        if not pick.value:
            _show(out, ["Choose at least one kind of event (Ctrl- or Cmd-click to choose several)."])
        else:
            _show(out, result(list(pick.value)))

    pick.observe(redraw, "value")
    redraw()
    return w.VBox([w.HTML("Choose the kinds of event to show (Ctrl- or Cmd-click for several):"), pick, out])

