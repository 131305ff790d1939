"""The live renderer and the front-end table: what each front end gets, with faked modules and environments."""

from __future__ import annotations

import json
import re
import types

import altair as alt
import pandas as pd
import pytest

from kit.charts import frontends, render


@pytest.fixture
def chart():
    values = pd.DataFrame({"country": ["A", "B", "C"], "pct": [1.5, 2.5, float("nan")]})
    pick = alt.selection_point(fields=["country"], bind="legend", name="country_pick")
    return (alt.Chart(values, description="Three bars.", title=alt.Title("Source: example", orient="bottom"))
            .mark_bar().encode(x="country:N", y="pct:Q", color="country:N", tooltip=["country:N", "pct:Q"],
                                opacity=alt.condition(pick, alt.value(1), alt.value(0.3)))
            .add_params(pick, alt.param(name="year", value=2020, bind=alt.binding_range(min=2014, max=2025, step=1))))


@pytest.fixture
def live():
    render.enable("live")
    yield
    render.enable("live")


@pytest.mark.parametrize("modules, environ, name, renderer", [
    ({"google.colab": types.ModuleType("google.colab")}, {}, "colab", "colab"),
    ({"google.colab": types.ModuleType("google.colab")}, {"VSCODE_PID": "7"}, "colab", "colab"),   # the first row wins
    ({}, {"KAGGLE_KERNEL_RUN_TYPE": "Interactive"}, "kaggle", "kaggle"),
    ({}, {"VSCODE_PID": "4242"}, "vscode", "kit-live"),
    ({}, {"VSCODE_PID": ""}, "jupyter", "kit-live"),                     # set but empty: not VS Code
    ({"google": types.ModuleType("google")}, {}, "jupyter", "kit-live"),  # another google package is not Colab
    ({}, {}, "jupyter", "kit-live"),
])
def test_the_front_end_is_detected_from_modules_and_environment(modules, environ, name, renderer):
    found = frontends.detect(modules=modules, environ=environ)
    assert (found.name, found.renderer) == (name, renderer)


def test_every_front_end_names_a_registered_renderer_and_only_jupyter_is_tested():
    render.register()
    for front_end in frontends.FRONT_ENDS:
        assert front_end.renderer in alt.renderers.names(), front_end
    assert [f.name for f in frontends.FRONT_ENDS if f.tested] == ["jupyter"]
    assert frontends.matches(frontends.FRONT_ENDS[-1], {}, {}), "the last row must match everything"


def test_enable_live_picks_the_renderer_of_the_front_end(monkeypatch, live):
    monkeypatch.delenv("KIT_HANDOUT", raising=False)
    monkeypatch.delenv("KIT_GRADING", raising=False)
    monkeypatch.delenv("VSCODE_PID", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "google.colab", types.ModuleType("google.colab"))
    assert render.enable() == "colab" == alt.renderers.active
    monkeypatch.delitem(__import__("sys").modules, "google.colab")
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Batch")
    assert render.enable() == "kaggle"
    monkeypatch.delenv("KAGGLE_KERNEL_RUN_TYPE")
    assert render.enable() == "kit-live" == alt.renderers.active
    # grading and handouts do not depend on the front end
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Batch")
    assert render.enable("grading") == "kit-grading" and render.enable("handout") == "kit-handout"


def test_a_live_chart_is_a_vega_spec_an_svg_and_a_line_of_text(chart, live):
    data, metadata = chart._repr_mimebundle_()
    assert set(data) == {render.VEGA_MIME, "image/svg+xml", "text/plain"}
    vega = data[render.VEGA_MIME]
    assert vega["$schema"] == render.VEGA_SCHEMA and vega["description"] == "Three bars."
    assert {s["name"] for s in vega["signals"]} >= {"country_pick", "year"}
    assert any(s.get("bind", {}).get("input") == "range" for s in vega["signals"])
    assert "NaN" not in json.dumps(vega, allow_nan=True), "NaN becomes null: JSON and Vega read it as missing"
    svg = data["image/svg+xml"]
    assert svg.startswith('<svg role="img" aria-label="Three bars."') and svg.count("<path") >= 2
    assert data["text/plain"] == "<chart: Three bars.>"
    assert metadata[render.VEGA_MIME]["embed_options"]["renderer"] == "svg"
    assert metadata[render.VEGA_MIME]["embed_options"]["actions"]["editor"] is False   # the editor is online


def test_two_different_charts_never_share_an_svg_id(chart, live):
    clipped = chart.mark_bar(clip=True)            # a clip path: an id inside the SVG
    ids = [set(re.findall(r'\bid="([^"]+)"', c._repr_mimebundle_()[0]["image/svg+xml"]))
           for c in (clipped, clipped.properties(width=120))]
    assert ids[0] and ids[1] and not ids[0] & ids[1], ids


def test_released_exercises_keep_altairs_look_through_kit_render(chart, live):
    import kit.render

    alt.theme.enable("default")
    try:
        assert kit.render.enable("live") == "kit-live"
        assert alt.theme.active == "default"
        assert render.VEGA_MIME in chart._repr_mimebundle_()[0]
    finally:
        render.enable("live")
