"""The teacher's edition and the worksheets (``python -m kit build --teacher``), on a fixture lesson of their own.

The fixture (tests/fixtures/teacher/) is a lesson with sections, a Discuss prompt and its
suggested answer, an instructor note, two worksheet questions with computed answers, and one
exercise notebook of its own (tests/fixtures/teacher/exercises/), whose solution is run for
the answer key. Tests that only read metadata or hand-made notebooks start no kernel.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from kit.errors import KitError
from kit.exercises.leaks import plain, scan_site, scan_texts, teacher_texts
from kit.lessons.schema import teacher_problems
from kit.site import build as kb
from kit.site.teacher import timing_plan
from kit.site.worksheet import questions

FIXTURE = ROOT / "tests" / "fixtures" / "teacher"
LESSON = FIXTURE / "fx_teacher.ipynb"
TEACHER_ONLY = ("teacher-answer", "instructor", "worksheet-answer")


def fixture_nb() -> dict:
    return json.loads(LESSON.read_text(encoding="utf-8"))


def cell(nb, cid) -> dict:
    return next(c for c in nb["cells"] if c.get("id") == cid)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture lesson built once: the student site and the teacher's edition, from one cache."""
    tmp = tmp_path_factory.mktemp("teacher")
    folder = tmp / "notebooks"
    shutil.copytree(FIXTURE, folder)
    cache = tmp / "cache"
    student = kb.build([folder / LESSON.name], out=tmp / "site", cache_dir=cache, quiet=True)
    teacher = kb.build([folder / LESSON.name], out=tmp / "site-teacher", cache_dir=cache, quiet=True, teacher=True,
                       exercises_dir=folder / "exercises")
    executed = json.loads(next((cache / "executed").glob("fx_teacher-*.ipynb")).read_text(encoding="utf-8"))
    return dict(tmp=tmp, folder=folder, cache=cache, site=tmp / "site", teacher_out=tmp / "site-teacher",
                student=student, teacher=teacher, executed=executed)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.kernel
def test_pages_land_in_their_folders_and_site_gets_no_teacher_page(built):
    site, teacher = built["site"], built["teacher_out"]
    assert {p.relative_to(site).as_posix() for p in site.rglob("*.html")} == {
        "index.html", "fx_teacher.html", "worksheets/fx_teacher.html", "search.html"}
    assert {p.relative_to(teacher).as_posix() for p in teacher.rglob("*.html")} == {
        "index.html", "fx_teacher.html", "student/index.html", "student/fx_teacher.html", "student/worksheets/fx_teacher.html",
        "search.html", "student/search.html"}
    assert built["teacher"].executed == [] and built["teacher"].cached == ["fx_teacher"]   # executed once, by the first build
    for rel in ("fx_teacher.html", "worksheets/fx_teacher.html", "index.html", "search.html"):  # the same student pages
        assert read(site / rel) == read(teacher / "student" / rel)
    assert "Suggested answer" not in "".join(read(p) for p in site.rglob("*.html"))


@pytest.mark.kernel
def test_the_student_pages_hold_no_teacher_text(built):
    secrets = teacher_texts(built["executed"], "fx_teacher.ipynb")
    assert len(secrets) >= 4   # the suggested answer, the note, both computed worksheet answers
    pages = {p.name: read(p) for p in built["site"].rglob("*.html")}
    assert scan_texts(pages, secrets) == []
    teacher = plain(read(built["teacher_out"] / "fx_teacher.html"), True)
    shown = [sentence for _, sentence in secrets if "md(" not in sentence]   # the answer cells' code is not shown
    assert len(shown) == 4 and all(sentence in teacher for sentence in shown)


@pytest.mark.kernel
def test_the_worksheet_has_its_questions_and_figures_and_no_answers(built):
    import kit

    sheet = read(built["site"] / "worksheets" / "fx_teacher.html")
    text = plain(sheet, True)
    assert "How many countries of the table are Allies?" in text and "Which of the three countries" in text
    assert "(read a value)" in text and "(compare)" in text
    assert sheet.count('class="kit-chart-fallback"') == 1 and "<svg" in sheet      # the chart's static drawing
    assert 'class="dataframe"' in sheet                                            # the table
    assert "<script" not in sheet and "@page { size: A4" in sheet and "break-inside: avoid" in sheet
    assert sheet.count('<div class="kit-lines" aria-hidden="true">') == 2
    allies = int(kit.load("countries")["nato_accession_year"].notna().sum())
    assert f"shows {allies} Allies" not in text and "joined first" not in text


@pytest.mark.kernel
def test_the_teacher_page_has_the_plan_answers_and_keys(built):
    import kit

    page = read(built["teacher_out"] / "fx_teacher.html")
    text = plain(page, True)
    lesson = fixture_nb()["metadata"]["lesson"]
    plan = timing_plan(lesson)
    assert plan["total"] == lesson["teaching_minutes"] + lesson["exercise_minutes"]
    assert [r["start"] for r in plan["rows"]] == ["0:00", "0:07", "0:10"]
    assert f"Total (ends at 0:15) {plan['total']}" in text
    assert "Instructor note" in text and "Suggested answer" in text
    prompt = text.index("Discuss. Why might")
    assert prompt < text.index("Suggested answer") < text.index("A table", prompt)   # after its prompt, before the next section
    countries = kit.load("countries")
    assert f"The chart shows {int(countries['nato_accession_year'].notna().sum())} Allies among the {len(countries)}" in text
    assert "Exercise F: counting the countries" in text                       # the exercise's own title
    assert f"Question 1 (compute a number) {len(countries)}" in text          # its solution's answer
    assert "A strong answer says that membership changes" in text
    assert 'href="student/fx_teacher.html"' in page and 'href="student/worksheets/fx_teacher.html"' in page
    assert 'href="student/glossary.html"' in page
    index = read(built["teacher_out"] / "index.html")
    assert all(f'href="{h}"' in index for h in ("fx_teacher.html", "student/fx_teacher.html", "student/worksheets/fx_teacher.html"))
    site_index = read(built["site"] / "index.html")
    assert 'href="fx_teacher.html"' in site_index and 'href="worksheets/fx_teacher.html"' in site_index


@pytest.mark.kernel
def test_a_rebuild_with_nothing_changed_writes_nothing_and_builds_are_byte_identical(built, tmp_path):
    folder, cache = built["folder"], built["cache"]
    lesson = [folder / LESSON.name]
    report = kb.build(lesson, out=built["teacher_out"], cache_dir=cache, quiet=True, teacher=True, exercises_dir=folder / "exercises")
    assert report.written == [] and report.unchanged == ["fx_teacher"]
    again = kb.build(lesson, out=tmp_path / "again", cache_dir=cache, quiet=True, teacher=True, exercises_dir=folder / "exercises")
    assert again.executed == []
    for path in built["teacher_out"].rglob("*.html"):
        assert path.read_bytes() == (tmp_path / "again" / path.relative_to(built["teacher_out"])).read_bytes(), path


@pytest.mark.kernel
def test_the_leak_scan_finds_a_teacher_answer_planted_in_a_student_page(built, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(built["site"], site)
    monkeypatch.setenv("KIT_CACHE_DIR", str(built["cache"]))
    lessons = [built["folder"] / "fx_teacher.ipynb"]
    assert scan_site(site, lessons) == []
    answer = "".join(cell(fixture_nb(), "t-answer")["source"])
    handout = site / "worksheets" / "fx_teacher.html"
    handout.write_text(read(handout).replace("</main>", f"<p>{answer}</p></main>"), encoding="utf-8")
    found = scan_site(site, lessons)
    assert len(found) == 1 and found[0].startswith("site/worksheets/fx_teacher.html: contains the teacher's text from")
    assert "tagged teacher-answer" in found[0] and "The table serves every lesson of the kit" in found[0]


@pytest.mark.kernel
def test_the_build_refuses_a_student_page_that_would_show_a_teacher_answer(built, tmp_path, monkeypatch):
    from kit.site import handout

    answer = "".join(cell(fixture_nb(), "t-answer")["source"])
    render = handout.render_handout

    def leaky(*args, **kw):   # as if a tag were not removed
        text, page = render(*args, **kw)
        return text.replace("</main>", f"<p>{answer}</p></main>"), page

    monkeypatch.setattr(handout, "render_handout", leaky)
    with pytest.raises(KitError, match="a student page would show the teacher's text") as err:
        kb.build([built["folder"] / LESSON.name], out=tmp_path / "site", cache_dir=built["cache"], quiet=True)
    assert "fx_teacher.html: contains the teacher's text from fx_teacher, cell 6 (id 't-answer'), tagged teacher-answer" in str(err.value)
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------- bad metadata (no kernel)


def test_todays_lessons_without_sections_get_a_clear_message_and_only_for_the_teacher_build(tmp_path):
    nb = fixture_nb()
    del nb["metadata"]["lesson"]["sections"]
    nb["metadata"]["lesson"]["exercises"] = ["Exercise 1, *NATO's spending targets*"]
    problems = teacher_problems(nb, "x.ipynb", FIXTURE / "exercises")
    assert problems[0].startswith("x.ipynb: metadata['lesson'] has no 'sections' (the teacher's edition needs it")
    assert "names \"Exercise 1, *NATO's spending targets*\", which is no exercise notebook" in problems[1]
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "fx_teacher.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(KitError, match="has no 'sections'"):
        kb.build([tmp_path / "nb" / "fx_teacher.ipynb"], out=tmp_path / "t", cache_dir=tmp_path / "c", quiet=True, teacher=True)
    assert not (tmp_path / "t").exists()


def test_sections_must_match_the_headings_and_the_minutes():
    nb = fixture_nb()
    lesson = nb["metadata"]["lesson"]
    lesson["sections"][0]["minutes"] = 6
    lesson["sections"][1]["title"] = "A tabel"
    lesson["sections"][2]["activity"] = "lecture"
    found = "\n".join(teacher_problems(nb, "x.ipynb", FIXTURE / "exercises"))
    assert "sum to 14, not teaching_minutes + exercise_minutes = 15" in found
    assert "names 'A tabel', which is no '## ' heading" in found and "'## A table' appears 0 times" in found
    assert "['activity'] should be one of teach, discuss, explore, exercise, not 'lecture'" in found


def test_a_discuss_prompt_needs_a_suggested_answer_and_questions_need_answers():
    nb = fixture_nb()
    nb["cells"] = [c for c in nb["cells"] if c["id"] not in ("t-answer", "ws-a2")]
    cell(nb, "ws-q1")["metadata"]["worksheet"]["skill"] = "guess"
    found = "\n".join(teacher_problems(nb, "x.ipynb", FIXTURE / "exercises"))
    assert "x.ipynb, cell 5 (id 't-discuss'): a **Discuss.** prompt with no 'teacher-answer' cell after it" in found
    assert "(id 'ws-q2'): a 'worksheet-question' needs its 'worksheet-answer' cell right after it" in found
    assert "(id 'ws-q1'): metadata['worksheet']['skill'] should be one of read, compare" in found
    assert teacher_problems(fixture_nb(), "x.ipynb", FIXTURE / "exercises") == []


def _executed_like() -> dict:
    """The fixture with a made-up output on its figure cells, as if executed (no kernel)."""
    nb = fixture_nb()
    for cid in ("fig-chart", "fig-table"):
        cell(nb, cid)["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {"text/html": "<table><tr><td>1</td></tr></table>"}}]
    return nb


@pytest.mark.parametrize("change, message", [
    (lambda nb: cell(nb, "ws-q1")["metadata"]["worksheet"].update(figure="nope"), "figure 'nope' is no cell of the notebook"),
    (lambda nb: cell(nb, "ws-q1")["metadata"]["worksheet"].update(figure="t-summary"), "which comes after the question"),
    (lambda nb: cell(nb, "fig-chart").update(outputs=[]), "figure 'fig-chart' (cell 4) has no output on the handout"),
    (lambda nb: cell(nb, "fig-chart")["metadata"].update(tags=["remove-output"]), "has no output on the handout"),
])
def test_a_bad_worksheet_figure_is_named_with_its_notebook_and_cell(change, message):
    nb = _executed_like()
    assert [q.figure.get("id") for q in questions(nb, "fx_teacher.ipynb")] == ["fig-chart", "fig-table"]
    change(nb)
    with pytest.raises(KitError) as err:
        questions(nb, "fx_teacher.ipynb")
    assert str(err.value).startswith("fx_teacher.ipynb, cell 10 (id 'ws-q1'): the worksheet question's figure")
    assert message in str(err.value)


def test_the_teacher_edition_never_goes_inside_the_student_site(tmp_path):
    with pytest.raises(KitError, match="never goes inside the student site"):
        kb.build([LESSON], out=kb.DEFAULT_OUT / "teacher", cache_dir=tmp_path, quiet=True, teacher=True)


def test_an_exercise_teaching_note_a_lesson_also_says_is_no_leak_but_one_it_does_not_say_is(tmp_path):
    """A release after `make handouts` once stopped: a teaching note of exercise 02 says a sentence lesson 02 tells students."""
    from kit.exercises.cells import Exercise

    shared = "The sources do not say whether the definition itself changed."
    secret = "Give full marks only when the student names both editions and the year."
    note = {"cell_type": "markdown", "id": "n", "metadata": {"tags": ["instructor"]}, "source": f"{shared} {secret}"}
    ex = Exercise(name="fx_ex", path=tmp_path / "fx_ex.ipynb", nb={"cells": [note], "metadata": {}})
    lesson = tmp_path / "fx_lesson.ipynb"
    lesson.write_text(json.dumps({"cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": f"Note: {shared}"}],
                                  "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "fx_lesson.html").write_text(f"<main><p>Note: {shared}</p></main>", encoding="utf-8")
    assert scan_site(site, [lesson], [ex], cache=tmp_path / "no-cache") == []
    (site / "fx_lesson.html").write_text(f"<main><p>Note: {shared} {secret}</p></main>", encoding="utf-8")
    found = scan_site(site, [lesson], [ex], cache=tmp_path / "no-cache")
    assert len(found) == 1 and "a teaching note" in found[0] and "Give full marks" in found[0]
