"""Events on a time axis: one row per category, a brush to zoom into a period, hollow points for weak sources.

    >>> import kit
    >>> from kit import charts
    >>> spec = charts.timeline(kit.load("security_timeline")).to_dict()
    >>> spec["description"].startswith("Timeline of ")
    True
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import KitError
from .flags import (
    WEAK_NOTE,
    add_flags,
    flag_tooltips,
    weak_sentence,
)
from .frames import inline, plain, require
from .keyboard import highlight, legend_menu
from .prose import (
    EVENT_HINT,
    WEAK_MARK,
    ZOOM_HINT,
    busiest_years,
    count,
    day,
    headline,
    sentence,
)
from .provenance import finish, provenance_of
from .theme import PALETTE, SHAPES, WIDTH


def timeline(events: pd.DataFrame, *, category: str = "category", text: str = "event", title: str | None = None,
             provenance=None, brief: bool = False):
    """Events on a time axis, one row per category, with a brush to zoom.

    Drag across the narrow strip under the chart to zoom into a period; click a category
    in the legend to highlight it. Hover a point to read the event. With ``brief``, the
    description names its first and latest events by their :func:`headline` (for a page that
    prints the events' full text elsewhere).
    """
    builder = "timeline"
    require(events, ["date", text, category], builder)
    prov = provenance_of(events, provenance, builder)
    data = events[events["date"].notna()].sort_values("date")
    if data.empty:
        raise KitError(f"{builder}: no dated events")
    cats = list(dict.fromkeys(data[category].astype(str)))
    cats_sorted = sorted(cats)
    if len(cats) > len(PALETTE):
        raise KitError(f"{builder}: {len(cats)} categories is more than the palette can tell apart ({len(PALETTE)})")
    values = plain(data, ["date", text, category] + (["actors"] if "actors" in data.columns else []))
    values = values.rename(columns={text: "event", category: "category"})
    values["when"] = [day(d) for d in data["date"]]   # dates as text: no time-zone shift in the browser
    values = add_flags(values, data)
    weak = "sourcing" in values.columns and (values["mark"] != "").any()
    brush = alt.selection_interval(encodings=["x"], name="period")
    pick = alt.selection_point(fields=["category"], bind="legend", name="category_pick")
    menu = legend_menu(pick, "category", cats_sorted, "Highlight a category")
    # the keyboard way to zoom: two year sliders; a brush, when drawn, wins (an empty brush is {})
    y0, y1 = int(data["date"].min().year), int(data["date"].max().year)
    start = alt.param(name="period_from", value=y0, bind=alt.binding_range(min=y0, max=y1, step=1, name="Zoom from "))
    end = alt.param(name="period_to", value=y1, bind=alt.binding_range(min=y0, max=y1, step=1, name="to "))
    zoom = ("isValid(period.date) ? period.date : (period_from > " + str(y0) + " || period_to < " + str(y1)
            + " ? [utc(min(period_from, period_to), 0, 1), utc(max(period_from, period_to) + 1, 0, 1)] : null)")
    color = alt.Color("category:N", scale=alt.Scale(domain=cats_sorted, range=PALETTE[:len(cats)]), title=None,
                      legend=alt.Legend(orient="right"))
    shape = alt.Shape("category:N", scale=alt.Scale(domain=cats_sorted, range=SHAPES[:len(cats)]), title=None)
    tooltip = [alt.Tooltip("when:N", title="date"), alt.Tooltip("event:N"), alt.Tooltip("category:N")]
    if "actors" in values.columns:
        tooltip.append(alt.Tooltip("actors:N"))
    tooltip += flag_tooltips(values)
    # an event whose sources are weak is drawn hollow (and says so in its tooltip)
    fill = alt.condition(f"datum.mark && indexof(datum.mark, '{WEAK_MARK}') >= 0", alt.value("white"), color) if weak else color
    detail = alt.Chart(inline(values)).mark_point(size=80, strokeWidth=1.5).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(type="utc", domainRaw=alt.ExprRef(zoom))),
        y=alt.Y("category:N", title=None, sort=cats_sorted),
        color=color, fill=fill, shape=shape, tooltip=tooltip,
        opacity=alt.condition(highlight(pick, menu, "category"), alt.value(0.9), alt.value(0.12)),
    ).add_params(pick, *menu, start, end).properties(width=WIDTH, height=alt.Step(34))
    overview = alt.Chart(inline(values)).mark_tick(thickness=2, size=14).encode(
        x=alt.X("date:T", title=ZOOM_HINT, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%Y")),
        color=alt.Color("category:N", scale=alt.Scale(domain=cats_sorted, range=PALETTE[:len(cats)]), legend=None),
    ).add_params(brush).properties(width=WIDTH, height=24)
    chart = alt.vconcat(detail, overview, spacing=6).properties(
        title=alt.TitleParams(title or prov["title"], subtitle=[EVENT_HINT]
                              + ([f"Hollow points: {WEAK_NOTE[2:]}."] if weak else [])))
    counts = data[category].astype(str).value_counts()
    first, last = data.iloc[0], data.iloc[-1]
    name = headline if brief else str
    span = f"from {day(first['date'])} to {day(last['date'])}" if len(data) > 1 else f"on {day(first['date'])}"
    desc = (f"Timeline of {count(len(data), 'events')} {span}, in {count(len(cats), 'categories', one='category')} ("
            + ", ".join(f"{c}: {int(counts[c])}" for c in cats_sorted) + f"). First: {sentence(name(first[text]))}"
            + (f" Latest: {sentence(name(last[text]))}" if len(data) > 1 else ""))
    desc += busiest_years(data["date"])
    desc += weak_sentence(data.assign(_label=[f"{day(d)}: {str(t)[:60]}" for d, t in zip(data["date"], data[text], strict=True)]),
                           key="_label", what="Events from weak sources, drawn hollow", unit="events")
    return finish(chart, prov, desc, builder=builder)
