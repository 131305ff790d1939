"""Keyboard paths for the charts' mouse interactions, and what a screen reader hears when they change.

A legend selection (click a legend entry) needs a mouse; :func:`legend_menu` adds a menu under
the chart (a Vega-Lite parameter bound to a ``<select>``) with the same effect, and
:func:`highlight` is the condition both drive::

    >>> import altair as alt
    >>> pick = alt.selection_point(fields=["country"], bind="legend", name="country_pick")
    >>> menu = legend_menu(pick, "country", ["France", "Poland"], "Highlight a country")
    >>> menu[0].name, menu[0].param.bind.options, menu[0].param.bind.labels
    ('country_pick_menu', ['', 'France', 'Poland'], ['All', 'France', 'Poland'])
    >>> highlight(pick, menu, "country")
    {'test': {'and': [{'param': 'country_pick'}, "country_pick_menu === '' || datum['country'] === country_pick_menu"]}}

With a single entry there is nothing to highlight, so no menu (``add_params(pick, *menu)``)::

    >>> legend_menu(pick, "country", ["France"], "Highlight a country"), highlight(pick, [], "country")
    ([], {'param': 'country_pick'})

:func:`states` is what the page's live region says for each value of a slider (computed from
the data when the chart is built; ``kit/site/templates/embed.js`` reads it from
``usermeta.kit.states``)::

    >>> states("year", {2024: "In 2024: highest France"})
    {'year': {'2024': 'In 2024: highest France'}}

Decorative marks (the grey countries under a map, a brush's rectangle) are hidden from screen
readers with Vega-Lite's ``aria=False`` or, for the brush Vega-Lite draws itself,
:func:`quiet_brushes` on the compiled Vega spec.
"""

from __future__ import annotations

import json


def legend_menu(pick, field: str, names, label: str) -> list:
    """A menu (``<select>``) under the chart doing what clicking ``pick``'s legend does: "All" or one entry.

    A list: empty when there is a single entry.
    """
    import altair as alt

    names = [str(n) for n in names]
    if len(names) < 2:
        return []
    return [alt.param(name=f"{pick.name}_menu", value="",
                     bind=alt.binding_select(options=[""] + names, labels=["All"] + names, name=f"{label} "))]


def highlight(pick, menu: list, field: str) -> dict:
    """The predicate for "highlighted": in the legend selection and in the menu's choice (or the menu on All)."""
    if not menu:
        return {"param": pick.name}
    name = menu[0].name
    return {"test": {"and": [{"param": pick.name}, f"{name} === '' || datum[{json.dumps(field)[1:-1]!r}] === {name}"]}}


def states(param: str, sentences: dict) -> dict:
    """``{param: {value: sentence}}`` for ``usermeta.kit.states`` (values as the strings the page compares)."""
    return {param: {str(value): str(text) for value, text in sentences.items()}}


def quiet_brushes(vega: dict) -> dict:
    """Hide decorative mark groups from screen readers, in place: interval selections' rectangles
    (``*_brush``, ``*_brush_bg``) and marks whose every item is ``aria: false`` (Vega-Lite's
    ``aria=False`` reaches the items only, and Vega would still announce their unnamed group).

    A brush has no data of its own and a keyboard path elsewhere; unnamed, axe reports it (svg-img-alt).

    >>> quiet_brushes({"marks": [{"type": "group", "marks": [{"name": "period_brush", "type": "rect"}]}]})
    {'marks': [{'type': 'group', 'marks': [{'name': 'period_brush', 'type': 'rect', 'aria': False}]}]}
    >>> quiet_brushes({"marks": [{"type": "shape", "encode": {"update": {"aria": {"value": False}}}}]})["marks"][0]["aria"]
    False
    """
    for mark in vega.get("marks") or []:
        items_quiet = ((mark.get("encode") or {}).get("update") or {}).get("aria") == {"value": False}
        if items_quiet or str(mark.get("name", "")).endswith(("_brush", "_brush_bg")):
            mark["aria"] = False
        quiet_brushes(mark)
    return vega
