"""The lesson layer (kit.lessons): the template's checks, the header and footer, and the names the lessons import."""

import json

import altair as alt
import pytest

import kit
from kit import files
from kit.charts import render
from kit.errors import KitError
from kit.lessons import header_footer, schema

TEMPLATE = {"title": "A test lesson", "objectives": ["explain a thing"], "questions": ["what is it?"], "prerequisites": [],
            "teaching_minutes": 20, "exercise_minutes": 10, "key_points": ["{count} things"], "datasets": ["countries"],
            "resources": []}


def _notebook(folder, meta, name="99_test"):
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {"lesson": meta}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_the_notebooks_folder_is_below_the_one_project_root():
    assert schema.NOTEBOOKS == files.ROOT / "notebooks"
    assert schema.notebook_path("02_defence_spending") == files.ROOT / "notebooks" / "02_defence_spending.ipynb"


def test_a_lesson_header_enables_the_chart_renderer(tmp_path, monkeypatch):
    path = _notebook(tmp_path, TEMPLATE)
    monkeypatch.delenv("KIT_HANDOUT", raising=False)
    alt.renderers.enable("default")
    assert header_footer.header(path).data.splitlines()[0] == "# A test lesson"
    assert alt.renderers.active == "kit-live"
    monkeypatch.setenv("KIT_HANDOUT", "1")
    alt.renderers.enable("default")
    header_footer.header(path)
    assert alt.renderers.active == "kit-handout"
    monkeypatch.delenv("KIT_HANDOUT")
    render.enable()


def test_template_problems_name_the_notebook_and_the_field(tmp_path):
    path = _notebook(tmp_path, {k: v for k, v in TEMPLATE.items() if k != "objectives"} | {"teaching_minutes": "20", "level": 1})
    with pytest.raises(KitError) as raised:
        schema.template(path)
    problems = str(raised.value).splitlines()
    assert problems[0].startswith("99_test.ipynb: metadata['lesson'] has no 'objectives' (")
    assert "99_test.ipynb: metadata['lesson']['teaching_minutes'] should be a whole number, not str" in problems
    assert any(p.startswith("99_test.ipynb: metadata['lesson'] has an unknown field 'level'") for p in problems)
    assert schema.validate(TEMPLATE | {"questions": []})[0] == "lesson: metadata['lesson']['questions'] is empty (the questions the lesson answers)"
    assert schema.validate(TEMPLATE | {"resources": [], "exercises": []}) == []     # the lists a lesson may leave empty
    with pytest.raises(KitError, match=r"no notebook .*98_missing\.ipynb"):
        schema.template(tmp_path / "98_missing")


def test_a_footer_fills_its_key_points_from_facts_and_names_a_missing_one(tmp_path):
    path = _notebook(tmp_path, TEMPLATE)
    with pytest.raises(KitError, match=r"^99_test\.ipynb: key point 1 needs the fact \{count\}; compute it in the notebook"):
        header_footer.footer(path, {})
    text = header_footer.footer(path, {"count": 3}).data
    assert text.startswith("## Key points\n\n- 3 things\n\n## Sources")
    assert "Cite as: " + kit.cite("countries") in text and "## Further reading" not in text


def test_the_names_the_lessons_import_still_work():
    """The lessons show ``from kit import charts, lesson, widgets``, ``from kit.lesson import md`` and ``kit.allies.only``."""
    from kit import allies, lesson, lessons, widgets
    from kit.data import allies as data_allies
    from kit.lesson import md
    from kit.lessons import widgets as lesson_widgets

    assert md is lessons.md and lesson.header is lessons.header and lesson.WEAK_MARK == lessons.WEAK_MARK
    assert set(lessons.__all__) <= set(dir(lesson))
    assert widgets.target_explorer is lesson_widgets.target_explorer and widgets.StaticView is lesson_widgets.StaticView
    assert allies.only is data_allies.only and allies.of_year is data_allies.of_year and allies.not_yet is data_allies.not_yet


def test_only_the_allies_of_each_year_are_kept_with_the_provenance():
    from kit.data import allies

    spending = kit.load("defence_spending")
    base = spending[spending.edition == "NATO-2025-08"]
    kept = allies.only(base)
    joined = kit.load("countries").set_index("iso3")["nato_accession_year"]
    assert (kept.iso3.map(joined) <= kept.year).all()
    assert len(kept) < len(base) and kept.attrs["provenance"]["name"] == "defence_spending"
    for year in (2014, 2025):
        assert set(kept[kept.year == year].iso3) == set(allies.of_year(year)) & set(base.iso3)
        left_out = set(base[base.year == year].country) - set(kept[kept.year == year].country)
        assert sorted(left_out) == allies.not_yet(base, year)
