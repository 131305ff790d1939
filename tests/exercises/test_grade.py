"""Batch grading of untrusted notebooks: full marks, zero, and hostile submissions that cost only themselves."""

import csv
import hashlib
import importlib.util
import io
import json
import os
from pathlib import Path

import pytest
from conftest import processes_with

from kit import cli
from kit.errors import KitError
from kit.exercises import grade, release, sandbox, versions
from kit.exercises.answers import expected_answers
from kit.exercises.cells import load_exercise
from kit.kernels import run_all

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"

_spec = importlib.util.spec_from_file_location("hostile", FIXTURES / "hostile.py")
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

# Short limits: the hostile cells cost seconds, not minutes (the solutions' cells take under 1 s each;
# the kernel's start and the grader's prelude have limits of their own).
LIMITS = sandbox.Limits(cell_timeout=5, grace=2, notebook_timeout=90, restarts=2)


def _tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}



@pytest.fixture(scope="module")
def released(tmp_path_factory):
    out = tmp_path_factory.mktemp("rel") / "release"
    release.release(EXERCISES, out, log=lambda m: None)
    return out


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    """Grade the whole fixture class once (in parallel); return the results and the folders."""
    base = tmp_path_factory.mktemp("class")
    submissions = base / "submitted"
    made = hostile.build(released, submissions)
    before = _tree(submissions)
    out = base / "grades"
    results = grade.grade(submissions, out, jobs=2, limits=LIMITS, log=lambda m: None)
    return {"results": {(g.student, g.exercise): g for g in results}, "made": made, "out": out,
            "submissions": submissions, "before": before, "after": _tree(submissions)}


def _scores(graded, student, exercise=hostile.EXERCISE) -> dict:
    return graded["results"][(student, exercise)].scores


def test_solutions_get_full_marks(graded):
    for exercise in graded["made"]["solved"]:
        g = graded["results"][("solved", exercise)]
        assert g.max > 0 and g.total == g.max, (exercise, {q: r.message for q, r in g.results.items()})


def test_untouched_student_release_gets_zero_without_crashing(graded):
    for exercise in graded["made"]["untouched"]:
        g = graded["results"][("untouched", exercise)]
        assert g.total == 0 and g.max > 0
        assert {r.status for r in g.results.values()} == {"unanswered"}
        assert not g.notes and all(c.status == "ok" for c in g.cells)


def test_endless_loop_costs_that_question_only(graded):
    g = graded["results"][("loop", hostile.EXERCISE)]
    assert g.scores["q2"] == 0 and g.scores["q1"] == 1 and g.scores["q4"] == 2 and g.scores["q5"] == 2
    loop = next(c for c in g.cells if c.question == "q2")
    assert loop.status == "timeout"
    assert "time limit" in g.results["q2"].message


def test_a_cell_that_ignores_the_interrupt_is_killed_and_skipped(graded):
    g = graded["results"][("stubborn", hostile.EXERCISE)]
    assert g.scores["q3"] == 0 and g.total == g.max - 1
    assert any("hung" in note for note in g.notes)


def test_a_kernel_crash_is_reported_and_grading_goes_on(graded):
    g = graded["results"][("crash", hostile.EXERCISE)]
    assert g.scores["q1"] == g.scores["q2"] == g.scores["q3"] == 1 and g.scores["q4"] == 0
    assert any("crashed" in note for note in g.notes)
    assert not processes_with(hostile.CHILD_MARKER), "a process started by a student's kernel outlived grading"


def test_an_exception_in_every_cell_scores_zero(graded):
    g = graded["results"][("errors", hostile.EXERCISE)]
    assert g.total == 0
    failing = [c for c in g.cells if c.status == "error"]
    assert failing and all("ValueError: every cell fails" in c.detail for c in failing)


def test_deleted_duplicated_reordered_and_retyped_cells(graded):
    g = graded["results"][("reshuffled", hostile.EXERCISE)]
    assert g.scores == {"q1": 0, "q2": 1, "q3": 1, "q4": 2, "q5": 2, "q7": 1}
    assert any("q1-answer" in note for note in g.notes)


def test_tampering_with_the_checker_gains_nothing(graded):
    g = graded["results"][("tamper", hostile.EXERCISE)]
    assert g.total == 0
    assert all(r.status in ("wrong_type", "unanswered") for r in g.results.values()), g.results


def test_reusing_the_graders_names_changes_nothing(graded):
    g = graded["results"][("names", hostile.EXERCISE)]
    assert g.total == g.max


def test_memory_hog_fails_alone(graded):
    g = graded["results"][("memory", hostile.EXERCISE)]
    assert g.total == g.max
    assert any(c.status == "error" and "MemoryError" in c.detail for c in g.cells)


def test_output_flood_is_cut_and_costs_nothing(graded):
    g = graded["results"][("flood", hostile.EXERCISE)]
    assert g.total == g.max
    assert sum(1 for c in g.cells if c.truncated) == 2


def test_rounded_too_early_gets_part_of_the_points(graded):
    exercise, _ = hostile.ROUNDING
    g = graded["results"][("rounding", exercise)]
    assert g.results["q1"].status == "close" and g.scores["q1"] == 0.5
    assert g.total == g.max - 0.5


def test_a_file_that_is_not_a_notebook_is_reported(graded):
    g = graded["results"][("garbage", hostile.EXERCISE)]
    assert g.total == 0 and "not a notebook" in g.notes[0]


def test_submissions_are_never_changed_and_nothing_is_written_next_to_them(graded):
    assert graded["after"] == graded["before"]
    assert not list(graded["submissions"].rglob(hostile.WRITTEN))
    assert not (ROOT / hostile.WRITTEN).exists() and not (Path.cwd() / hostile.WRITTEN).exists()


def test_grades_csv_has_one_row_per_student_and_exercise(graded):
    rows = list(csv.DictReader(io.StringIO((graded["out"] / "grades.csv").read_text(encoding="utf-8"))))
    header = list(rows[0])
    assert header[:2] == ["student", "exercise"] and header[-3:] == ["total", "max", "notes"]
    assert {"q1", "q2", "q3", "q4"} <= set(header)
    students = set(graded["made"])
    assert {r["student"] for r in rows} == students
    assert len(rows) == len(students) * len(graded["made"]["solved"])
    solved = [r for r in rows if r["student"] == "solved"]
    assert all(r["total"] == r["max"] for r in solved)
    missing = [r for r in rows if r["student"] == "loop" and r["exercise"] != hostile.EXERCISE]
    assert missing and all(r["notes"] == "no submission" and r["total"] == "0" for r in missing)


def test_feedback_pages_are_offline_and_never_show_expected_values(graded, released):
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (graded["out"] / "feedback").glob("*.html")}
    assert set(pages) == set(graded["made"])
    expected = expected_answers([load_exercise(EXERCISES / f"{hostile.EXERCISE}.ipynb")])
    value = expected[hostile.EXERCISE]["q1"]["forms"]["2"]
    for name, page in pages.items():
        assert "<script" not in page and "http://" not in page and "https://" not in page, name
        assert "Generated by <code>python -m kit grade</code>" in page, name   # the grade, not a practice check
    assert value not in pages["untouched"] and value not in pages["tamper"]
    assert "q2" in pages["loop"] and "time limit" in pages["loop"]


def test_plan_matches_cells_by_grade_id_and_keeps_the_key_out(released):
    template = versions.make_version(load_exercise(EXERCISES / f"{hostile.EXERCISE}.ipynb"), "grading", None)
    student = json.loads((released / "student" / f"{hostile.EXERCISE}.ipynb").read_text(encoding="utf-8"))
    cells = student["cells"]
    q3 = next(c for c in cells if c["id"] == "q3-answer")
    cells.remove(q3)
    cells.insert(0, dict(q3, id="renamed"))            # moved to the top and its id changed: grade_id still matches
    planned, _, notes = grade.plan(student, template)
    labels = [p.label for p in planned]
    assert labels.index("cell 1 (q3)") > labels.index(next(lbl for lbl in labels if "q2" in lbl))
    checks_cell = next(p for p in planned if "checks cell" in p.label)
    assert "key=" not in checks_cell.source and versions.key_in(checks_cell.source) is None
    assert not any("check cell" in p.label for p in planned)
    assert not notes


def test_notebook_time_limit_stops_the_rest(tmp_path):
    planned = [sandbox.Planned(f"cell {i}", "import time\ntime.sleep(1)\nx = 1") for i in range(8)]
    limits = sandbox.Limits(cell_timeout=5, grace=1, notebook_timeout=3, restarts=0)
    report = run_all([lambda: sandbox.run_cells(planned, {}, tmp_path, limits)], 1)[0]
    statuses = [c.status for c in report.cells]
    assert statuses[0] == "ok" and statuses[-1] == "not run"
    assert report.observations == {}


def test_grading_works_inside_a_running_event_loop(tmp_path):
    """A teacher may call kit.grade from a notebook, where an event loop is already running."""
    import asyncio

    planned = [sandbox.Planned("cell 1", "x = 41 + 1")]
    spec = {"question": "q1", "answer": "x", "kind": "number", "decimals": 0}

    async def inside():
        return run_all([lambda: sandbox.run_cells(planned, {"q1": spec}, tmp_path, LIMITS)], 1)[0]

    report = asyncio.run(inside())
    assert report.observations["q1"]["forms"]["0"] == "42"


def test_grading_refuses_to_write_into_the_submissions(graded):
    with pytest.raises(KitError, match="inside the submissions"):
        grade.grade(graded["submissions"], graded["submissions"] / "grades", log=lambda m: None)


def test_command_line_grades_a_folder(tmp_path, released, capsys):
    folder = tmp_path / "submitted" / "ana"
    folder.mkdir(parents=True)
    (folder / f"{hostile.EXERCISE}.ipynb").write_bytes((released / "solutions" / f"{hostile.EXERCISE}.ipynb").read_bytes())
    out = tmp_path / "grades"
    assert cli.main(["grade", str(tmp_path / "submitted"), "--out", str(out), "--cell-timeout", "20"]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))
    assert [(r["student"], r["total"] == r["max"]) for r in rows] == [("ana", True)]
    assert (out / "feedback" / "ana.html").is_file()
    assert cli.main(["grade", str(tmp_path / "nothing-here")]) == 1
    assert "no submissions folder" in capsys.readouterr().err
    # what the perturbed run protects is written beside the grades; the journal is gone once grades are written
    assert sorted(os.listdir(out)) == ["feedback", "grades.csv", "protection.csv"]


def test_finding_submissions_accepts_nbgrader_folders_and_browser_copy_names(tmp_path):
    names = {"01_spending_targets", "02_gap_to_3_5"}
    (tmp_path / "ana").mkdir()
    (tmp_path / "ana" / "01_spending_targets (1).ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "ana" / "notes.txt").write_text("", encoding="utf-8")
    (tmp_path / "ben" / "week3").mkdir(parents=True)
    (tmp_path / "ben" / "week3" / "02_gap_to_3_5.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "ben" / "02_gap_to_3_5-Copy1.ipynb").write_text("{}", encoding="utf-8")
    os.utime(tmp_path / "ben" / "02_gap_to_3_5-Copy1.ipynb", (1, 1))
    (tmp_path / "stray.ipynb").write_text("{}", encoding="utf-8")
    found, notes = grade.find_submissions(tmp_path, names)
    assert [(s, e, p.relative_to(tmp_path).as_posix()) for s, e, p in found] == [
        ("ana", "01_spending_targets", "ana/01_spending_targets (1).ipynb"),
        ("ben", "02_gap_to_3_5", "ben/week3/02_gap_to_3_5.ipynb")]
    assert any("notes.txt" in n for n in notes) and any("stray.ipynb" in n for n in notes)
    assert any("two files for 02_gap_to_3_5" in n for n in notes)
