"""Widgets: live controls in JupyterLab; in a handout, the default result and a note, never dead controls."""

import os

import ipywidgets
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import kit
from kit import charts
from kit.charts import render
from kit.lessons import widgets

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def data():
    spending = kit.load("defence_spending")
    return spending[spending.edition == "NATO-2025-08"], kit.load("spending_targets"), kit.load("security_timeline")


def test_live_explorers_are_widgets_with_controls(data):
    base, targets, timeline = data
    view = widgets.target_explorer(base, targets)
    assert isinstance(view, ipywidgets.VBox)
    kinds = {type(w).__name__ for w in view.children[0].children}
    assert kinds == {"FloatSlider", "IntSlider"}
    assert isinstance(widgets.timeline_explorer(timeline), ipywidgets.VBox)


def test_in_a_handout_the_explorers_show_the_default_result_and_no_controls(data, monkeypatch):
    base, targets, timeline = data
    monkeypatch.setattr(render, "in_handout", lambda: True)
    for view in (widgets.target_explorer(base, targets), widgets.timeline_explorer(timeline)):
        assert isinstance(view, widgets.StaticView)
        assert not any(isinstance(item, ipywidgets.Widget) for item in view.items)
        assert "live in JupyterLab" in view.note
    static = widgets.target_explorer(base, targets)
    assert static.items[1] == widgets.target_summary(base, 3.5, 2025)   # the live default: core target, latest year
    assert "3.5% of GDP in 2025" in static.note


def test_the_summary_names_unknowns_and_gaps(data):
    base, _, _ = data
    rows = base[(base.year == 2025) & base.share_gdp_pct.notna()]
    text = widgets.target_summary(base, 3.5, 2025)
    assert text.startswith(f"In 2025, 3 of the {len(rows)} Allies with a figure in this series were at or above 3.5% of GDP: Poland")
    blank = base[(base.year == 2025) & base.share_gdp_pct.isna()].country
    assert "No figure for 2025 in this series: " + blank.iloc[0] in text
    assert "Closest below: Estonia, 0.12 percentage points below." in text
    assert "-0." not in text and "-1." not in text            # one sign per number


def test_the_summary_is_a_complete_sentence_for_all_and_none(data):
    base, _, _ = data
    rows = base[(base.year == 2025) & base.share_gdp_pct.notna()]
    everyone = widgets.target_summary(base, 0.5, 2025).splitlines()[0]
    assert everyone.startswith(f"In 2025, all {len(rows)} Allies with a figure in this series were at or above 0.5% of GDP")
    assert everyone.endswith(".") and f"{len(rows)} of the {len(rows)}" not in everyone
    nobody = widgets.target_summary(base, 50, 2025)
    assert nobody.startswith(f"In 2025, none of the {len(rows)} Allies with a figure in this series was at or above 50% of GDP.")


def test_a_handout_default_can_avoid_repeating_a_chart_already_shown(data, monkeypatch):
    base, targets, timeline = data
    monkeypatch.setattr(render, "in_handout", lambda: True)
    kinds = sorted(timeline.category.unique())
    view = widgets.timeline_explorer(timeline, default=kinds[:2])
    assert "only " + kinds[0] in view.note
    shown = view.items[1].to_dict()["description"]
    assert shown != charts.timeline(timeline).to_dict()["description"]
    static = widgets.target_explorer(base, targets, target=2, year=2014)
    assert static.items[1] == widgets.target_summary(base, 2, 2014) and "2% of GDP in 2014" in static.note
    import pytest as _pytest
    with _pytest.raises(kit.errors.KitError, match="no events of kind"):
        widgets.timeline_explorer(timeline, default=["no such kind"])


@pytest.mark.kernel
def test_a_handout_kernel_displays_no_widget_controls(tmp_path):
    """End to end: the handout build's environment (KIT_HANDOUT=1) in a real kernel."""
    nb = new_notebook(cells=[new_code_cell(
        "import kit\nfrom kit import widgets\nkit.charts.render.enable()   # as lesson.header() does\n"
        "s = kit.load('defence_spending'); base = s[s.edition == 'NATO-2025-08']\n"
        "widgets.target_explorer(base, kit.load('spending_targets'))"),
        new_code_cell("widgets.timeline_explorer(kit.load('security_timeline'))")])
    env = dict(os.environ, KIT_HANDOUT="1")
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    outputs = [out for cell in nb.cells for out in cell.outputs]
    assert not [out for out in outputs if out.output_type in ("error", "stream") and out.get("name") != "stdout"]
    assert not [out for out in outputs if WIDGET_VIEW in out.get("data", {})]
    texts = [out["data"].get("text/markdown", "") for out in outputs if "data" in out]
    assert sum("live in JupyterLab" in t for t in texts) == 2
    assert sum("kit-chart" in out["data"].get("text/html", "") for out in outputs if "data" in out) == 2


def test_the_summary_counts_only_the_allies_of_that_year(data):
    base, _, _ = data
    from kit.data import allies
    members_2014 = len(allies.of_year(2014))
    text = widgets.target_summary(base, 2, 2014)
    first = text.splitlines()[0]
    with_figure = int(first.split(" of the ")[1].split(" ")[0])
    assert with_figure <= members_2014 and "Finland" not in first and "Sweden" not in first
    assert "Not counted: Finland, Montenegro, North Macedonia and Sweden, not yet NATO Allies in 2014" in text
    assert "Not counted" not in widgets.target_summary(base, 2, 2025)


def test_the_summary_says_the_median_shortfall_plainly(data):
    base, _, _ = data
    text = widgets.target_summary(base, 3.5, 2025)
    below = charts.gaps(base, 3.5, 2025).query("gap_pp < 0")
    assert "Half of those below" not in text
    assert charts.shortfall(charts.gaps(base, 3.5, 2025), 3.5) in text
    if len(below) % 2:
        assert f"The median Ally below 3.5% (the middle one of {len(below)}) was " in text and " percentage points short." in text


def test_the_handout_note_names_the_kinds_shown_as_events(data, monkeypatch):
    _, _, timeline = data
    monkeypatch.setattr(render, "in_handout", lambda: True)
    view = widgets.timeline_explorer(timeline, default=["military"], brief=True)
    assert "only military events" in view.note
    described = view.items[1].to_dict()["description"]
    assert "(1 event each)" not in described
