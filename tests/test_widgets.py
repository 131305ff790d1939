"""Widgets: live controls in JupyterLab; in a handout, the default result and a note, never dead controls."""

import os

import ipywidgets
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import kit
from kit import render, widgets

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
    text = widgets.target_summary(base, 3.5, 2025)
    assert text.startswith("In 2025, 3 of the 23 Allies with a figure")
    assert "No figure for 2025 (unknown, not zero): Bulgaria" in text
    assert "Closest below: Estonia (-0.12 percentage points)" in text


def test_a_handout_kernel_displays_no_widget_controls(tmp_path):
    """End to end: the handout build's environment (KIT_HANDOUT=1) in a real kernel."""
    nb = new_notebook(cells=[new_code_cell(
        "import kit\nfrom kit import widgets\n"
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
    import kit.allies
    members_2014 = len(kit.allies.of_year(2014))
    text = widgets.target_summary(base, 2, 2014)
    first = text.splitlines()[0]
    with_figure = int(first.split(" of the ")[1].split(" ")[0])
    assert with_figure <= members_2014 and "Finland" not in first and "Sweden" not in first
    assert "Not counted: Finland, Montenegro, North Macedonia and Sweden, not yet NATO Allies in 2014" in text
    assert "Not counted" not in widgets.target_summary(base, 2, 2025)
