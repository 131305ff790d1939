"""Explorations that need Python: ipywidgets in a live notebook, a static result in a handout.

In JupyterLab each function returns a widget: controls and a result that updates when
they change. A handout has no kernel, so controls would be dead there: when
``kit.render.in_handout()`` is true the functions return a :class:`StaticView` instead,
the default result with a note that the exploration is live in JupyterLab.

    >>> import kit
    >>> from kit import widgets
    >>> s = kit.load("defence_spending"); base = s[s.edition == "NATO-2025-08"]
    >>> widgets.target_explorer(base, kit.load("spending_targets"))   # doctest: +SKIP
    (a slider for the target, one for the year, and the result below them)
    >>> print(widgets.target_summary(base, 3.5, 2025).splitlines()[0])
    In 2025, 3 of the 23 Allies with a figure in this series spent at least 3.5% of GDP: Poland, Lithuania and Latvia.
"""

from __future__ import annotations

import pandas as pd

from . import allies, charts, render
from .errors import KitError

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
        from IPython.display import Markdown, display

        for item in self.items:
            display(Markdown(item) if isinstance(item, str) else item)

    def __repr__(self):
        return f"StaticView({self.note!r}, {len(self.items) - 1} items)"


def _years(spending: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in spending.loc[spending["share_gdp_pct"].notna(), "year"].unique())


def _allies(spending: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of countries that were NATO Allies in the row's year (when the data has ISO3 codes)."""
    return allies.only(spending) if {"iso3", "year"} <= set(spending.columns) else spending


def target_summary(spending: pd.DataFrame, target: float, year: int) -> str:
    """A sentence (Markdown) on which Allies meet ``target`` in ``year``, and the gaps.

    Only the Allies of ``year`` count (NATO's tables also give later members' earlier years):

    >>> import kit
    >>> s = kit.load("defence_spending"); base = s[s.edition == "NATO-2025-08"]
    >>> print(target_summary(base, 2, 2014).splitlines()[0])
    In 2014, 3 of the 27 Allies with a figure in this series spent at least 2% of GDP: United States, Greece and United Kingdom.
    """
    rows = _allies(spending)
    table = charts.gaps(rows, target, year)
    meets, short = table[table["gap_pp"] >= 0], table[table["gap_pp"] < 0]
    listed = charts._list(meets["country"], 12)
    text = (f"In {year}, {len(meets)} of the {len(table)} Allies with a figure in this series spent at least "
            f"{target:g}% of GDP: {listed}.")
    if not short.empty:
        near = charts._extreme(short, "gap_pp", "max", fmt=lambda v: f"{v:+.2f} percentage points", single="{name} ({value})")
        text += (f"\n\nClosest below: {near}. "
                 f"Median gap of those below: {short['gap_pp'].median():+.2f} points.")
    if "iso3" in spending.columns:
        blank = rows[(rows["year"] == year) & rows["share_gdp_pct"].isna()]["country"].tolist()
        if blank:
            text += f"\n\nNo figure for {year} (unknown, not zero): {charts._list(blank, 12)}."
        later = allies.not_yet(spending, year)
        if later:
            text += f"\n\nNot counted: {charts._list(later, 12)}, not yet NATO Allies in {year} (NATO's tables give their figures)."
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
    from IPython.display import Markdown, display

    target_w = w.FloatSlider(value=target, min=0.5, max=max(choices), step=0.1, description="Target, % of GDP",
                             readout_format=".1f", continuous_update=False, style={"description_width": "initial"})
    presets = w.ToggleButtons(options=[(f"{c:g}%", c) for c in choices], value=target if target in choices else None,
                              description="NATO targets", style={"description_width": "initial", "button_width": "70px"})
    year_w = w.IntSlider(value=year, min=years[0], max=years[-1], step=1, description="Year", continuous_update=False)
    out = w.Output()

    def redraw(*_):
        out.clear_output(wait=True)
        with out:
            if year_w.value not in years:
                display(Markdown(f"No figures for {year_w.value} in this series."))
                return
            for item in result(target_w.value, year_w.value):
                display(Markdown(item) if isinstance(item, str) else item)

    def preset(change):
        if change["new"] is not None:
            target_w.value = change["new"]

    presets.observe(preset, "value")
    target_w.observe(redraw, "value")
    year_w.observe(redraw, "value")
    redraw()
    return w.VBox([w.HBox([target_w, year_w]), presets, out])


def timeline_explorer(events: pd.DataFrame, *, category: str = "category", columns=("date", "event", "actors")):
    """Filter a timeline by kind of event: a chart and a table of the chosen kinds."""
    if category not in events.columns:
        raise KitError(f"timeline_explorer: the data has no column {category!r}")
    kinds = sorted(events[category].dropna().astype(str).unique())
    prov = events.attrs.get("provenance")
    shown = [c for c in columns if c in events.columns]

    def result(chosen):
        rows = events[events[category].astype(str).isin(chosen)].sort_values("date")
        return [charts.timeline(rows, category=category, provenance=prov), f"{len(rows)} events:\n\n" + _table(rows[shown])]

    if render.in_handout():
        return StaticView(NOTE.format(what="which kinds of event are shown", default="all kinds"), result(kinds))

    import ipywidgets as w
    from IPython.display import Markdown, display

    pick = w.SelectMultiple(options=kinds, value=tuple(kinds), description="Kinds", rows=min(len(kinds), 6))
    out = w.Output()

    def redraw(*_):
        out.clear_output(wait=True)
        with out:
            if not pick.value:
                display(Markdown("Choose at least one kind of event (Ctrl- or Cmd-click to choose several)."))
                return
            for item in result(list(pick.value)):
                display(Markdown(item) if isinstance(item, str) else item)

    pick.observe(redraw, "value")
    redraw()
    return w.VBox([w.HTML("Choose the kinds of event to show (Ctrl- or Cmd-click for several):"), pick, out])


def _table(frame: pd.DataFrame) -> str:
    """A Markdown table (without the optional ``tabulate`` package)."""
    def cell(v):
        if isinstance(v, pd.Timestamp):
            return f"{v:%d %b %Y}"
        return "" if pd.isna(v) else str(v).replace("|", "\\|")
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)
