"""The lessons' content for the teacher's edition and the worksheets (issue 12), read as files (no kernel).

Every lesson declares its timing plan (``lesson.sections``) and its exercise notebooks (``lesson.exercises``,
by file stem); every **Discuss.** prompt is followed by a suggested answer (``teacher-answer``); each lesson
has 4-6 worksheet questions (2-3 for *Start here*) covering the skills, each tied to an earlier chart or
table and followed by its answer; and no sentence tells readers to hover, click or drag without naming
the keyboard way.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ACTIVITIES = {"teach", "discuss", "explore", "exercise"}
SKILLS = {"read", "compare", "trend", "limits", "claim"}
ANSWER_TAGS = {"teacher-answer", "worksheet-question", "worksheet-answer"}
POINTER = re.compile(r"\b(hover|click|drag|mouse)", re.I)
KEYBOARD = re.compile(r"keyboard|Highlight|\bTab\b|menu", re.I)


def _tags(cell) -> set:
    return set(cell.metadata.get("tags", []))


def _read(path):
    return nbformat.read(path, as_version=4)


def _is_start_here(path) -> bool:
    return path.stem.startswith("00_")


def _headings(nb) -> list[str]:
    return [line[3:].strip() for c in nb.cells if c.cell_type == "markdown"
            for line in c.source.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_sections_are_the_headings_in_order_and_sum_to_the_lesson_time(path):
    nb = _read(path)
    meta = nb.metadata.lesson
    sections = meta.get("sections")
    assert sections, f"{path.name}: no lesson.sections (the timing plan)"
    for s in sections:
        assert set(s) == {"title", "minutes", "activity"}, f"{path.name}: section {s}"
        assert isinstance(s["minutes"], int) and not isinstance(s["minutes"], bool) and s["minutes"] >= 1, f"{path.name}: {s}"
        assert s["activity"] in ACTIVITIES, f"{path.name}: {s}"
    assert [s["title"] for s in sections] == _headings(nb), f"{path.name}: sections are not the '## ' headings, once each, in order"
    total = meta.teaching_minutes + meta.exercise_minutes
    assert sum(s["minutes"] for s in sections) == total, f"{path.name}: sections sum to {sum(s['minutes'] for s in sections)}, not {total}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_exercises_name_exercise_notebooks_by_stem(path):
    exercises = _read(path).metadata.lesson.get("exercises")
    assert isinstance(exercises, list), f"{path.name}: lesson.exercises should be a list of stems ([] for none)"
    for stem in exercises:
        assert (ROOT / "exercises" / f"{stem}.ipynb").is_file(), f"{path.name}: no exercises/{stem}.ipynb"


def test_every_exercise_notebook_goes_with_one_lesson():
    named = [stem for path in LESSONS for stem in _read(path).metadata.lesson.get("exercises", [])]
    assert sorted(named) == sorted(p.stem for p in (ROOT / "exercises").glob("*.ipynb")), named


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_discuss_prompt_has_a_suggested_answer(path):
    cells = _read(path).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("**Discuss.**"):
            j = i + 1
            answers = 0
            while j < len(cells) and "teacher-answer" in _tags(cells[j]):
                answers, j = answers + 1, j + 1
            assert answers, f"{path.name}, cell {cell.id}: a Discuss prompt with no teacher-answer cell after it"
    for i, cell in enumerate(cells):
        if "teacher-answer" in _tags(cell):
            before = cells[i - 1]
            assert "teacher-answer" in _tags(before) or before.source.lstrip().startswith("**Discuss.**"), (
                f"{path.name}, cell {cell.id}: a teacher-answer that follows no Discuss prompt")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_worksheet_questions_use_an_earlier_figure_and_cover_the_skills(path):
    cells = _read(path).cells
    position = {c.id: i for i, c in enumerate(cells)}
    questions = [(i, c) for i, c in enumerate(cells) if "worksheet-question" in _tags(c)]
    low, high = (2, 3) if _is_start_here(path) else (4, 6)
    assert low <= len(questions) <= high, f"{path.name}: {len(questions)} worksheet questions, not {low}-{high}"
    skills = set()
    for i, cell in questions:
        assert cell.cell_type == "markdown", f"{path.name}, cell {cell.id}: a worksheet question is a markdown cell"
        ws = cell.metadata.get("worksheet") or {}
        assert set(ws) == {"figure", "skill", "lines"}, f"{path.name}, cell {cell.id}: worksheet metadata {ws}"
        assert ws["skill"] in SKILLS, f"{path.name}, cell {cell.id}: skill {ws['skill']!r}"
        assert isinstance(ws["lines"], int) and 2 <= ws["lines"] <= 8, f"{path.name}, cell {cell.id}: lines {ws['lines']!r}"
        figure = ws["figure"]
        assert figure in position and position[figure] < i, f"{path.name}, cell {cell.id}: figure {figure!r} is not an earlier cell"
        source = cells[position[figure]]
        assert source.cell_type == "code" and not (_tags(source) & ({"remove-cell", "instructor"} | ANSWER_TAGS)), (
            f"{path.name}, cell {cell.id}: figure {figure!r} is not a chart or table the handout shows")
        answer = cells[i + 1] if i + 1 < len(cells) else None
        assert answer is not None and "worksheet-answer" in _tags(answer), f"{path.name}, cell {cell.id}: no worksheet-answer right after it"
        if ws["skill"] != "limits":
            assert answer.cell_type == "code" and "md(" in answer.source, f"{path.name}, cell {answer.id}: compute the answer from the data"
        skills.add(ws["skill"])
    need = 2 if _is_start_here(path) else 4
    assert len(skills) >= need, f"{path.name}: the questions cover {sorted(skills)}, not {need} of the five skills"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_answer_code_cells_start_folded(path):
    for cell in _read(path).cells:
        if cell.cell_type == "code" and _tags(cell) & ANSWER_TAGS:
            assert (cell.metadata.get("jupyter") or {}).get("source_hidden"), f"{path.name}, cell {cell.id}: fold its source"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_pointer_instructions_name_the_keyboard_way(path):
    for cell in _read(path).cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"<[^>]+>", " ", cell.source)
        for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", text):
            if POINTER.search(sentence):
                assert KEYBOARD.search(sentence), f"{path.name}, cell {cell.id}: no keyboard way in: {sentence.strip()[:160]!r}"


def test_the_checks_can_fail():
    """The keyboard check flags a bare pointer sentence; the skill set is what the metadata declares."""
    assert POINTER.search("Hover a bar for its value.") and not KEYBOARD.search("Hover a bar for its value.")
    assert KEYBOARD.search("Click a name in the legend, or choose it in the Highlight menu.")
    assert _headings(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## A\n\ntext\n## B")])) == ["A", "B"]
