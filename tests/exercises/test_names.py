"""Names and text from submissions: no control characters, no formula cells, look-alikes flagged, the roster."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from kit.errors import KitError
from kit.exercises import feedback, names
from kit.exercises.practice import HONEST_NOTE, Grader
from kit.exercises.verdicts import Result
from kit.terminal import strip_controls

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = [
    "ana\x1b]0;owned title\x07",                     # OSC: window title
    "bob\x1b]52;c;cm0gLXJmIH4=\x07",                 # OSC 52: clipboard
    "carl\x9b2J\x9d0;8-bit title\x9c",               # 8-bit CSI and OSC
    "dan\x00\x85\x1b[31m",                           # NUL, NEL, colour
    "=HYPERLINK(\"http://127.0.0.1/x\",\"click\")",  # formula at the start
    "eve;=1+1",                                      # formula after a semicolon
    "fay\t@SUM(1)",                                  # after a tab
    "gus|-2+3",                                      # after a pipe
    "hal,+cmd",                                      # after a comma
    "zz_solved",
    "zz_solved\u200b",                               # zero-width space
    "\u0430na",                                      # Cyrillic a + "na"
]


@dataclass
class FakeGraded:
    student: str
    exercise: str = "01_demo"
    scores: dict = field(default_factory=lambda: {"q1": 1.0, "q2": 0.5})
    results: dict = field(default_factory=dict)
    points: dict = field(default_factory=lambda: {"q1": 1.0, "q2": 1.0})
    cells: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    open_answers: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.scores.values())

    @property
    def max(self):
        return sum(self.points.values())


EXERCISE = SimpleNamespace(name="01_demo", specs={"q1": {}, "q2": {}}, open_questions=["q6"])


def graded_class() -> list:
    out = []
    for name in HOSTILE:
        g = FakeGraded(name, notes=[f"cell 3 raised ValueError: \x1b]8;;file:///etc\x07bad\x1b]8;;\x07 {name}"])
        g.results = {"q1": Result("q1", "right", "q1: right."),
                     "q2": Result("q2", "close", f"q2: close \x1b[2J\x9b31m{name}")}
        g.open_answers = {"q6": f"My answer\nline two\x1b]0;t\x07 {name}"}
        out.append(g)
    return out


def test_strip_controls_removes_every_escape_and_control_character():
    for text in HOSTILE:
        assert not CONTROLS.search(strip_controls(text)), repr(text)
        assert "\x1b" not in names.clean(text) and "owned" not in names.clean(HOSTILE[0])
    assert names.clean("a\nb", keep_newlines=True) == "a\nb" and names.clean("a\nb") == "a b"


def _cells_split_on(line: str, delimiter: str) -> list[str]:
    return [c.strip().strip('"') for c in line.split(delimiter)]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|", " ", ":"])
def test_no_formula_cell_in_grades_csv_under_any_delimiter(delimiter):
    text = feedback.grades_csv(graded_class(), [EXERCISE])
    assert not CONTROLS.search(text.replace("\n", ""))
    for line in text.splitlines():
        for cell in _cells_split_on(line, delimiter):
            assert not cell.startswith(("=", "+", "-", "@")), (delimiter, cell, line)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["total"] for r in rows] == ["1.5"] * len(HOSTILE) and rows[0]["q1"] == "1"
    assert rows[4]["student"].startswith("'=HYPERLINK") and rows[5]["student"] == "eve;'=1+1"


def test_lookalike_names_are_flagged_and_shown_apart():
    text = feedback.grades_csv(graded_class(), [EXERCISE])
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(text))}
    assert "zz_solved" in rows and "zz_solved<U+200B>" in rows
    assert "looks like zz_solved<U+200B>" in rows["zz_solved"]["notes"]
    assert "looks like zz_solved" in rows["zz_solved<U+200B>"]["notes"]
    assert names.lookalikes(["ana", "\u0430na", "Ana", "bob"]) == [["ana", "\u0430na"]]
    groups = names.lookalikes(["zz_solved", "zz_sol\u200dved", "zz_solved\u2060", "zz\u00a0solved", "zz solved"])
    assert sorted(map(set, groups), key=len) == [{"zz solved", "zz\u00a0solved"},
                                                 {"zz_sol\u200dved", "zz_solved", "zz_solved\u2060"}]


def test_feedback_pages_and_files_carry_no_control_characters(tmp_path):
    protection = {"01_demo": {"q1": "protected: the number changes", "q2": "unprotected"}}
    feedback.write_outputs(graded_class(), [EXERCISE], tmp_path / "grades", student_ids={"ana\x1b]0;owned title\x07": "s1"},
                           protection=protection)
    pages = list((tmp_path / "grades" / "feedback").glob("*.html"))
    assert len(pages) == len(HOSTILE)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not CONTROLS.search(text.replace("\n", "")), page.name
        # the escape sequence is spelled out (inert, and the name no longer looks like "ana"), never sent raw
        assert "<script" not in text and ("&lt;U+001B&gt;]0;owned title&lt;U+0007&gt;" in text or "ana" not in page.stem)
        assert "Checked on the original data only" in text and "q2" in text and "line two" in text
    assert sorted(p.name for p in (tmp_path / "grades").iterdir()) == ["feedback", "grades.csv", "protection.csv"]
    for name in ("grades.csv", "protection.csv"):
        assert not CONTROLS.search((tmp_path / "grades" / name).read_text(encoding="utf-8").replace("\n", ""))
    assert '"01_demo","q2","unprotected"' in (tmp_path / "grades" / "protection.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader((tmp_path / "grades" / "grades.csv").open(encoding="utf-8")))
    assert [r["student_id"] for r in rows if r["student"].startswith("ana")] == ["s1"]


def test_roster_maps_folders_and_lists_both_kinds_of_mismatch(tmp_path):
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("\ufefffolder,student_id\nana,s1\nbob,s2\nzz_solved,s3\n\n", encoding="utf-8")
    roster = names.read_roster(roster_file)
    assert roster == {"ana": "s1", "bob": "s2", "zz_solved": "s3"}
    ids, messages = names.match_roster(roster, ["ana", "carl", "zz_solved\u200b"], roster_file)
    assert ids == {"ana": "s1"}
    text = "\n".join(messages)
    assert f"submission folder carl: not in {roster_file}" in text
    assert "zz_solved<U+200B>" in text and "looks like the roster's zz_solved" in text
    assert f"{roster_file} lists bob (student id s2), but there is no submission folder" in text


@pytest.mark.parametrize("content, words", [
    ("name,id\nana,s1\n", ["row 1", "folder,student_id"]),
    ("folder,student_id\nana,s1\nana,s2\n", ["row 3", "already listed on row 2"]),
    ("folder,student_id\nana,s1\nbob,s1\n", ["row 3", "student id 's1'", "row 2"]),
    ("folder,student_id\nana,\n", ["row 2", "a folder name and a student id"]),
    ("", ["row 1", "empty file"]),
])
def test_bad_rosters_are_named_by_file_and_row(tmp_path, content, words):
    roster_file = tmp_path / "class.csv"
    roster_file.write_text(content, encoding="utf-8")
    with pytest.raises(KitError) as err:
        names.read_roster(roster_file)
    assert str(roster_file) in str(err.value) and all(w in str(err.value) for w in words), str(err.value)
    with pytest.raises(KitError, match="no such file"):
        names.read_roster(tmp_path / "missing.csv")


def test_practice_checks_say_they_can_be_guessed():
    result = Grader("demo").check("q1", 1)
    assert HONEST_NOTE in repr(result) and "changed data" in result._repr_html_()
