"""Small notebooks: every released exercise, solved and run in live mode, saves under 300 KB with
each chart as a Vega spec (drawn by JupyterLab) and an SVG (shown by nbconvert and nbgrader's HTML)."""

from __future__ import annotations

import json

import pytest

from kit.exercises import notebook_bench

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    work = tmp_path_factory.mktemp("live")
    sources = notebook_bench.solved_copies(work / "solved")
    return dict(zip(sources, notebook_bench.execute_live(sources, work / "executed"), strict=True))


def test_every_exercise_is_run(executed):
    from kit.exercises.cells import EXERCISES, find_exercises

    assert sorted(p.name for p in executed) == sorted(p.name for p in find_exercises(EXERCISES))
    assert len(executed) >= 5


def test_a_saved_executed_exercise_is_under_300_kb(executed):
    sizes = {saved.name: saved.stat().st_size for saved in executed.values()}
    assert all(size < notebook_bench.TARGET_BYTES for size in sizes.values()), sizes


def test_every_chart_is_a_vega_spec_and_an_svg_and_no_widget_state_is_stored(executed):
    for saved in executed.values():
        nb = json.loads(saved.read_text(encoding="utf-8"))
        charts = notebook_bench.chart_outputs(nb)
        assert charts, f"{saved.name} shows no chart"
        for out in charts:
            data = out["data"]
            assert notebook_bench.VEGA_MIME in data and notebook_bench.WIDGET_MIME not in data, (saved.name, sorted(data))
            svg = "".join(data["image/svg+xml"])       # nbformat stores text as a list of lines
            assert svg.startswith("<svg") and "<path" in svg, saved.name
            assert data[notebook_bench.VEGA_MIME]["marks"], saved.name
        assert "widgets" not in nb["metadata"], f"{saved.name} stores widget state"
        errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, (saved.name, errors[:1])
