"""The release: three versions, answers really removed, malformed markers stop it, sources untouched."""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from kit import cli
from kit.errors import KitError
from kit.exercises import cells, keys, leaks, practice, release, versions
from kit.exercises.answers import build_key, expected_answers
from kit.notebook import cell_source

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
TOPICS = ("spending_targets", "gap_to_3_5", "coalition_overlaps", "moldova_home_and_abroad", "checking_a_news_report")


def _hashes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _src(cell) -> str:
    return cell_source(cell)


@pytest.fixture(scope="module")
def expected():
    exercises = [cells.load_exercise(p) for p in cells.find_exercises(EXERCISES)]
    return expected_answers(exercises)       # runs every solution once (cached for the other tests)


@pytest.fixture(scope="module")
def released(tmp_path_factory, expected):
    before = _hashes(EXERCISES)
    out = tmp_path_factory.mktemp("rel") / "release"
    assert cli.main(["release", "--out", str(out)]) == 0
    assert _hashes(EXERCISES) == before, "the release changed a source notebook"
    return out


def test_five_exercises_one_per_topic_with_the_question_kinds():
    names = [p.stem for p in cells.find_exercises(EXERCISES)]
    for topic in TOPICS:
        assert any(topic in name for name in names), topic
    for path in cells.find_exercises(EXERCISES):
        ex = cells.load_exercise(path)
        kinds = [spec["kind"] for spec in ex.specs.values()]
        assert "number" in kinds and "table" in kinds and "chart" in kinds, path.name
        assert len(ex.specs) >= 4 and len(ex.open_questions) == 1, path.name
        nb = _nb(path)
        ids = [c["id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids)) and all(ids)
        grade_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]]
        assert len(grade_ids) == len(set(grade_ids)) and all(grade_ids)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, "committed with outputs"
            if cells.is_solution(cell):
                meta = cell["metadata"]["nbgrader"]
                assert meta["grade_id"] and meta["schema_version"] == 3 and meta["locked"] is False
                assert "kit.load(" not in _src(cell) or "BEGIN SOLUTION" in _src(cell)
        code = "\n".join(_src(c) for c in nb["cells"] if c["cell_type"] == "code")
        assert "kit.load(" in code
        assert not re.search(r"(?<![\w.~])/(work|home|tmp|root|Users)/", json.dumps(nb)), "an absolute path in a notebook"


def test_three_versions_of_every_exercise(released):
    for path in cells.find_exercises(EXERCISES):
        for version in versions.VERSIONS:
            assert (released / version / path.name).is_file(), (version, path.name)


def test_student_version_has_stubs_no_answers_no_notes(released, expected):
    for path in cells.find_exercises(EXERCISES):
        source = cells.load_exercise(path)
        nb = _nb(released / "student" / path.name)
        text = json.dumps(nb)
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        assert "Instructor notes" not in text and not any(cells.is_instructor(c) for c in nb["cells"])
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
        answers = {c["metadata"]["kit"]["question"]: _src(c) for c in nb["cells"]
                   if cells.is_solution(c) and c["cell_type"] == "code"}
        for q, spec in source.specs.items():
            assert f"{spec['answer']} = ...  # your code here" in answers[q]
        assert leaks.scan_student(nb, source, expected[source.name], "student") == []
        for secret_what, secret in leaks.secrets_of(source, expected[source.name]):
            if not secret_what.startswith("expected"):
                assert secret not in text, secret


def test_student_key_is_hashes_for_every_question(released):
    for path in cells.find_exercises(EXERCISES):
        nb = _nb(released / "student" / path.name)
        cell = next(c for c in nb["cells"] if cells.role(c) == "checks")
        key_text = versions.key_in(_src(cell))
        key = keys.decode_key(key_text)
        assert set(key["entries"]) == set(cells.load_exercise(path).specs)
        grader = practice.Grader(path.stem, key=key_text)
        assert grader.check("q1", ...).status == "unanswered"


def test_solutions_and_instructor_versions(released):
    for path in cells.find_exercises(EXERCISES):
        solutions = _nb(released / "solutions" / path.name)
        instructor = _nb(released / "instructor" / path.name)
        assert "BEGIN SOLUTION" not in json.dumps(solutions)
        assert not any(cells.is_instructor(c) for c in solutions["cells"])
        assert any(cells.is_instructor(c) for c in instructor["cells"])
        assert "BEGIN SOLUTION" in json.dumps(instructor)         # the nbgrader source, as it is
        source = cells.load_exercise(path)
        for q, spec in source.specs.items():
            answer = next(c for c in solutions["cells"] if (c["metadata"].get("kit") or {}).get("question") == q)
            assert f"{spec['answer']} = ...  #" not in _src(answer)


def _broken(tmp_path, mutate) -> Path:
    folder = tmp_path / "exercises"
    folder.mkdir()
    shutil.copy(EXERCISES / "01_spending_targets.ipynb", folder)
    path = folder / "01_spending_targets.ipynb"
    nb = _nb(path)
    mutate(nb["cells"])
    path.write_text(json.dumps(nb), encoding="utf-8")
    return folder


def _q(cells, cid):
    return next(c for c in cells if c["id"] == cid)


def _set(cell, text):
    cell["source"] = text


@pytest.mark.parametrize("mutate, words", [
    (lambda cells: _set(_q(cells, "q2-answer"), "### BEGIN SOLUTION\nn_at_target_2025 = 23"), "never closed"),
    (lambda cells: _set(_q(cells, "q2-answer"), "### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION"),
     "inside another solution"),
    (lambda cells: _set(_q(cells, "q2-answer"), "x = 1\n### END SOLUTION"), "without a BEGIN"),
    (lambda cells: _set(_q(cells, "data"), "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"), "outside a solution cell"),
    (lambda cells: _q(cells, "q3-answer").update(id="q2-answer"), "also used by cell"),
])
def test_malformed_markers_stop_the_release_with_file_and_cell(tmp_path, mutate, words):
    folder = _broken(tmp_path, mutate)
    out = tmp_path / "out"
    with pytest.raises(KitError) as err:
        release.release(folder, out, expected={}, log=lambda m: None)
    message = str(err.value)
    assert words in message and "01_spending_targets.ipynb, cell " in message
    assert not out.exists()


def test_a_leak_stops_the_release_and_keeps_the_previous_one(tmp_path, expected):
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.txt").write_text("the last good release", encoding="utf-8")

    def leak_line(cells):
        cells.insert(3, {"cell_type": "markdown", "id": "oops", "metadata": {},
                         "source": "Hint: `in_2025 = base[base[\"year\"] == 2025]`"})

    folder = _broken(tmp_path, leak_line)
    with pytest.raises(KitError, match="(?s)would leak answers.*solution line"):
        release.release(folder, out, expected=expected, log=lambda m: None)
    assert (out / "previous.txt").read_text(encoding="utf-8") == "the last good release"
    assert not any(p.name.startswith(".out-new") for p in tmp_path.iterdir())

    value = expected["01_spending_targets"]["q1"]["forms"]["2"]

    def leak_value(cells):
        cells.insert(3, {"cell_type": "markdown", "id": "oops", "metadata": {}, "source": f"(It is {value}.)"})

    shutil.rmtree(tmp_path / "exercises")
    folder = _broken(tmp_path, leak_value)
    with pytest.raises(KitError, match="expected value of q1"):
        release.release(folder, out, expected=expected, log=lambda m: None)

    def leak_output(cells):
        _q(cells, "q3-prompt")["attachments"] = {"a.txt": {"text/plain": "n_unknown_2025 = int(in_2025[\"share_gdp_pct\"].isna().sum())"}}

    shutil.rmtree(tmp_path / "exercises")
    folder = _broken(tmp_path, leak_output)
    with pytest.raises(KitError, match="attachments"):
        release.release(folder, out, expected=expected, log=lambda m: None)


def test_release_never_writes_over_the_sources(tmp_path):
    for out in (EXERCISES, EXERCISES / "student", ROOT):
        with pytest.raises(KitError, match="source notebooks"):
            release.release(EXERCISES, out, expected={}, log=lambda m: None)


def test_a_solution_without_a_checkable_answer_stops_the_release():
    ex = cells.load_exercise(EXERCISES / "01_spending_targets.ipynb")
    answers = {q: {"type": "number", "forms": {"0": "1"}} for q in ex.specs}
    answers["q1"] = {"type": "nan"}
    with pytest.raises(KitError, match="q1.*missing value"):
        build_key(ex, answers)


# In exercise prose, digits may only be the year a question asks about (a task parameter), code
# (`TARGET`, `MD-REF-2024`) and numbering. Levels (2%, 3.5%) and dates of events are facts: they come
# from the data, through parameters set in a code cell (`TARGET`, `REPORT_DATE`) that the prose names.
_NAMES_NOT_FIGURES = re.compile(
    r"`[^`]*`|\b(19|20)\d\d\b|\b(Exercise|Question|Claim|claim|Article) \d+\b|\bq\d\b|^\d\. |\b0-100\b",
    flags=re.M)


def test_no_figure_is_typed_into_exercise_prose():
    """Figures come from the data at run time; prose only names years asked about, code and numbering."""
    for path in cells.find_exercises(EXERCISES):
        for cell in _nb(path)["cells"]:
            if cell["cell_type"] == "markdown":
                rest = _NAMES_NOT_FIGURES.sub("", _src(cell))
                typed = re.findall(r".{0,30}\d.{0,10}", rest)
                assert not typed, f"{path.name}, cell {cell['id']}: figures typed by hand: {typed}"


def _rows(observation) -> list[list[str]]:
    forms = observation["forms"]
    return [row.split("\x1e") for row in forms[max(forms, key=int)].split("\x1f")]


def test_exercise_1_counts_only_the_allies_of_each_year(expected):
    """NATO reports Finland, Sweden and others before they joined: a year's count keeps only that year's Allies."""
    import kit

    editions = kit.load("nato_editions")
    base = kit.load("defence_spending")
    base = base[base["edition"] == editions.loc[editions["role"] == "base", "edition"].item()]
    joined = kit.load("countries").set_index("iso3")["nato_accession_year"]
    allies = base[base["iso3"].map(joined) <= base["year"]]
    want = allies.dropna(subset=["share_gdp_pct"]).groupby("year").size()
    assert (base.dropna(subset=["share_gdp_pct"]).groupby("year").size() > want).any(), "no pre-accession rows left"
    got = {int(year): int(n) for year, n, _ in _rows(expected["01_spending_targets"]["q4"])}
    assert got == {int(year): int(n) for year, n in want.items()}


def test_exercise_5_measures_soon_from_the_reports_date_in_the_data(expected):
    """The report is dated by the visit it describes as happening that day; 'soon' counts from there."""
    import kit

    moldova, timeline = kit.load("moldova_timeline"), kit.load("security_timeline")
    visit = moldova.loc[moldova["event"].str.contains("Independence Day") & moldova["event"].str.contains("Tusk"), "date"]
    declaration = timeline.loc[timeline["event"].str.contains("Paris Declaration"), "date"].item()
    assert expected["05_checking_a_news_report"]["q3"]["forms"]["0"] == str((declaration - visit.item()).days)
    report = _src(next(c for c in _nb(EXERCISES / "05_checking_a_news_report.ipynb")["cells"] if c["id"] == "report"))
    assert "REPORT_DATE = visit" in report and not re.search(r"\b20\d\d-\d\d-\d\d\b", report)
