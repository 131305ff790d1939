"""Typed-in answers cannot pass: the perturbed copy of the data, what it protects, and expected answers checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kit.errors import KitError
from kit.exercises import perturb
from kit.exercises.answers import expected_answers
from kit.exercises.cells import EXERCISES, find_exercises, load_exercise
from kit.exercises.expected import validate_expected
from kit.exercises.grade import score
from kit.files import ROOT

DATA = ROOT / "data"
SEED = 20261202


def _files(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    return perturb.perturbed_copy(DATA, SEED, tmp_path_factory.mktemp("perturbed") / "data")


def test_the_copy_passes_check_data_and_the_original_is_untouched(copy):
    before = _files(DATA)
    done = subprocess.run([sys.executable, "-m", "kit", "check-data", str(copy)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pass their checks" in done.stdout
    assert _files(DATA) == before
    changed = [name for name, data in _files(copy).items() if data != before.get(name)]
    assert "datapackage.json" in changed and len(changed) >= 6, changed     # hashes recorded afresh


def test_same_seed_same_bytes_and_another_seed_differs(copy, tmp_path):
    again = perturb.perturbed_copy(DATA, SEED, tmp_path / "again")
    other = perturb.perturbed_copy(DATA, SEED + 1, tmp_path / "other")
    assert _files(again) == _files(copy)
    assert _files(other) != _files(copy)
    with pytest.raises(KitError, match="not empty"):
        perturb.perturbed_copy(DATA, SEED, tmp_path / "again")


def test_only_some_perturbations(tmp_path):
    only = perturb.perturbed_copy(DATA, SEED, tmp_path / "dates", only={perturb.DATES})
    changed = {name for name, data in _files(only).items() if data != _files(DATA)[name]}
    assert changed == {"security_timeline.csv", "datapackage.json"}
    assert set(perturb.labels()) >= {m.label for m in perturb.MOVES} | {perturb.REORDERED}


@pytest.fixture(scope="module")
def answers(copy) -> dict:
    """The expected answers of every exercise on the original data and on the perturbed copy."""
    exercises = [load_exercise(p) for p in find_exercises(EXERCISES)]
    original = expected_answers(exercises)
    saved = os.environ.get("KIT_DATA_DIR")
    os.environ["KIT_DATA_DIR"] = str(copy)
    try:
        perturbed = expected_answers(exercises)
    finally:
        if saved is None:
            del os.environ["KIT_DATA_DIR"]
        else:
            os.environ["KIT_DATA_DIR"] = saved
    return {"exercises": exercises, "original": original, "perturbed": perturbed}


def test_every_exercise_has_protected_questions_on_the_perturbed_copy(answers):
    lines = []
    for ex in answers["exercises"]:
        validate_expected(ex, answers["perturbed"][ex.name], "on the perturbed copy")   # the solutions still answer
        table = perturb.protection(answers["original"][ex.name], answers["perturbed"][ex.name])
        assert set(table) == set(ex.specs)
        lines += [f"{ex.name} {q}: {what}" for q, what in table.items()]
        protected = [q for q, what in table.items() if what != "unprotected"]
        assert protected, f"{ex.name}: no question is protected by the perturbed copy"
    print("\n".join(lines))      # the protection table (pytest -s shows it)


def test_typed_in_answers_lose_the_protected_marks_and_computed_ones_keep_them(answers):
    for ex in answers["exercises"]:
        original, perturbed = answers["original"][ex.name], answers["perturbed"][ex.name]
        table = perturb.protection(original, perturbed)
        typed, _, points = score(ex, original, original, 0.5, "salt", again=(original, perturbed))
        for q, what in table.items():
            assert typed[q] == (points[q] if what == "unprotected" else 0.0), (ex.name, q, what)
        computed, _, _ = score(ex, original, original, 0.5, "salt", again=(perturbed, perturbed))
        assert computed == points, ex.name


def test_an_expected_answer_of_the_wrong_kind_is_a_clear_error_never_a_traceback():
    ex = load_exercise(EXERCISES / "01_spending_targets.ipynb")
    good = expected_answers([ex])[ex.name]
    bad = dict(good, q2={"type": "other", "name": "a DataFrame"}, q4={"type": "nan"})
    bad.pop("q7")
    with pytest.raises(KitError) as err:
        validate_expected(ex, bad)
    text = str(err.value)
    assert "01_spending_targets" in text and "q2" in text and "q4" in text and "q7" in text and "q1" not in text
    validate_expected(ex, good)
    scores, results, points = score(ex, good, bad, 0.5, "salt")           # no exception
    assert {q for q, r in results.items() if r.status == "ungraded"} == {"q2", "q4", "q7"}
    assert "could not be graded" in results["q2"].message and scores["q2"] == 0.0
    assert scores["q1"] == points["q1"]
    scores, results, _ = score(ex, good, good, 0.5, "salt", again=(good, bad))
    assert results["q2"].status == "ungraded" and scores["q1"] == points["q1"]
