"""The lesson notebooks: committed clean, one lesson template, and they run top to bottom with no errors or warnings.

All six notebooks are executed once per test session, in parallel, in fresh kernels
(``tests/lessons_run.py``, also used by the JupyterLab test). ``python tests/lessons_run.py``
prints each lesson's chart count and execution time.
"""

import re

import nbformat
import pytest
from conftest import ROOT
from lessons_run import chart_specs, executed_lessons

from kit.lessons import header_footer, schema

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = ["00_start_here", "01_security_guarantees", "02_defence_spending", "03_coalition_of_the_willing",
            "04_moldova", "05_reading_the_news"]
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# digits allowed in prose: names, not figures
ALLOWED_DIGITS = re.compile(r"Article \d+|\bC2\b|\bG7\b|\b\d\d_[a-z_]+|\{[a-z_0-9]+\}")
GLOSSARY_TERMS = ["ISR", "C2", "Article 5", "Reassurance force", "Transnistria", "PAS", "Diaspora vote", "Budapest Memorandum",
                  "Coalition of the willing", "Core and related defence spending", "Estimate", "Edition", "Air defence", "SIPRI",
                  "Ceasefire", "Armistice", "Peace agreement", "Neutrality", "Gagauzia", "Patriotic Electoral Bloc", "Alternativa",
                  "Weak source", "Count stage"]
# what a handout reader (on screen or on paper) must never be told: cells with these words are tagged to stay in JupyterLab
LAB_ONLY = re.compile(r"Shift\+Enter|Run All Cells|Ctrl-click|Cmd-click")
LAB_TAGS = {"remove-cell", "remove_cell", "instructor"}
# remarks on how the data file was kept, which must not reach students
CLEANING = re.compile(r"\b(left empty|Left empty|flag inferred|Coded (conditional|offered|ruled)|recoded)\b")


@pytest.fixture(scope="session")
def executed():
    return executed_lessons()


def test_the_six_lessons_are_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED
    assert (ROOT / "notebooks" / "glossary.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: cell {cell.id} has outputs"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_template_in_metadata_shown_at_top_and_end(path):
    nb = nbformat.read(path, as_version=4)
    assert schema.validate(nb.metadata.get("lesson", {}), path.name) == []
    import kit

    known = set(kit.datasets().name)
    assert set(nb.metadata.lesson.datasets) <= known
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert f'lesson.header("{path.stem}")' in code[0]
    assert f'lesson.footer("{path.stem}", facts)' in code[-1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_instructor_notes_are_tagged_cells(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "instructor" in c.metadata.get("tags", [])]
    assert tagged, f"{path.name} has no cell tagged 'instructor'"
    for cell in nb.cells:
        if cell.source.lstrip().startswith("**Instructor note"):
            assert cell in tagged, f"{path.name}: an instructor note is not tagged 'instructor'"


def _prose_figures(text: str) -> list[str]:
    text = re.sub(r"`[^`]*`", "", text)          # code spans name things (cells, columns)
    text = ALLOWED_DIGITS.sub("", text)
    return re.findall(r".{0,25}\d.{0,15}", text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_figure_is_typed_into_prose(path):
    """Numbers in markdown and in the lesson template come from the data at run time (code cells, {facts})."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not _prose_figures(cell.source), f"{path.name}, cell {cell.id}: figures typed by hand: {_prose_figures(cell.source)}"
    meta = nb.metadata.lesson
    for field in ("title", "objectives", "questions", "key_points"):
        for text in meta[field] if isinstance(meta[field], list) else [meta[field]]:
            assert not _prose_figures(text), f"{path.name}: lesson {field} types a figure: {text!r}"


def test_the_glossary_defines_the_terms_and_types_no_figures():
    text = (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    for term in GLOSSARY_TERMS:
        assert re.search(rf"\*\*{re.escape(term)}[ .(]", text), f"glossary: no entry for {term}"
    assert not _prose_figures(text)


def test_every_notebook_runs_without_errors_or_warnings(executed):
    from kit.data import freshness

    due = freshness.overdue()
    problems = []
    for name, (nb, _) in executed.items():
        for index, cell in enumerate(nb.cells, 1):
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    problems.append(f"{name}, cell {index}: {out.ename}: {out.evalue}")
                elif out.output_type == "stream" and out.name == "stderr":
                    # the one warning a lesson may show: kit.load naming a dataset that is due (the staleness guard)
                    lines = [line for line in out.text.splitlines() if line.strip()]
                    stale = [i for i, line in enumerate(lines) if "StaleDataWarning: dataset " in line]
                    echoed = {i + 1 for i in stale if i + 1 < len(lines) and lines[i + 1].startswith(" ")}  # the line that warned
                    rest = [line for i, line in enumerate(lines) if i not in stale and i not in echoed]
                    if rest or not all(any(f"'{d}'" in lines[i] for d in due) for i in stale):
                        problems.append(f"{name}, cell {index}: stderr: {out.text[:300]}")
    assert not problems, "\n".join(problems)


def test_every_chart_has_a_description_and_a_source_line(executed):
    for name, (nb, _) in executed.items():
        specs = chart_specs(nb)
        assert specs, f"{name} shows no chart"
        for spec in specs:
            meta = spec.get("usermeta", {}).get("kit", {})
            assert spec.get("description") and meta.get("description") == spec["description"], name
            assert meta.get("source", "").startswith(("Source: ", "Sources: ")) and "Data as of" in meta["source"], name
            assert spec["title"]["orient"] == "bottom", name


def test_header_and_footer_are_rendered_from_the_template(executed):
    for _name, (nb, _) in executed.items():
        first = [c for c in nb.cells if c.cell_type == "code"][0].outputs
        last = [c for c in nb.cells if c.cell_type == "code"][-1].outputs
        header = first[0]["data"]["text/markdown"]
        assert header.startswith("# " + nb.metadata.lesson.title) and "By the end you will be able to" in header
        footer = last[0]["data"]["text/markdown"]
        assert "## Key points" in footer and "## Sources" in footer and "{" not in footer.split("## Sources")[0]


def test_live_widgets_render_as_controls(executed):
    nb, _ = executed["02_defence_spending"]
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    names = {m["model_name"] for m in state.values()}
    assert {"FloatSliderModel", "IntSliderModel", "OutputModel"} <= names


# --- generated text: complete sentences, no repeats, nothing a handout reader cannot use ---------------

def _texts(nb):
    """(cell id, text) of every markdown cell and every Markdown or HTML output a reader sees."""
    for cell in nb.cells:
        if LAB_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            yield cell.id, cell.source
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for mime in ("text/markdown", "text/html"):
                if mime in data and "kit-chart" not in data[mime]:
                    yield cell.id, re.sub(r"<style.*?</style>", "", data[mime], flags=re.S)


def test_generated_sentences_are_complete(executed):
    """No "23 of the 23 ... were." (say "all"), no label said twice, no sentence ending on a verb with nothing after it."""
    problems = []
    for name, (nb, _) in executed.items():
        for cid, text in _texts(nb):
            text = re.sub(r"<[^>]+>", " ", text)
            for pattern, what in [(r"\b(\d+) of (?:the )?\1\b(?!\.\d)", "N of N (say 'all')"),
                                  (r"\b(?:Allies|countries|states|members|events|lists)(?: with [^.]{0,30})? (?:were|was|are|is)\.(?!\d)",
                                   "a sentence ends on its verb"),
                                  (r"\b([A-Z][\w ]{3,40}): \1:", "a label repeated"),
                                  (r"\.\.(?!\.)", "a double full stop"),
                                  (r"\b0 Allies\b|\b1 Allies\b|\b1 countries\b|\b1 events\b", "a count and a noun that disagree")]:
                for match in re.finditer(pattern, text):
                    problems.append(f"{name}, cell {cid}: {what}: ...{text[max(0, match.start() - 40):match.end() + 20]!r}")
    assert not problems, "\n".join(problems)


def test_no_chart_is_shown_twice_on_a_page(executed):
    for name, (nb, _) in executed.items():
        descriptions = [spec["description"] for spec in chart_specs(nb)]
        repeated = {d[:80] for d in descriptions if descriptions.count(d) > 1}
        assert not repeated, f"{name} shows the same chart twice: {repeated}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_handout_readers_are_not_sent_to_files_or_keys_they_do_not_have(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown" or LAB_TAGS & set(cell.metadata.get("tags", [])):
            continue
        assert not LAB_ONLY.search(cell.source), f"{path.name}, cell {cell.id}: JupyterLab-only wording; tag the cell 'remove-cell'"
        bare = re.sub(r"\]\([^)]*\)", "]", cell.source)          # a link to glossary.md works in both; the bare file name does not
        assert "glossary.md" not in bare and "README" not in bare, f"{path.name}, cell {cell.id}: points to a file handout readers lack"
    for item in nb.metadata.lesson.resources:
        assert "README" not in item and "glossary.md" not in re.sub(r"\]\([^)]*\)", "]", item), f"{path.name}: resource {item!r}"


def test_no_data_cleaning_words_or_raw_column_names_reach_students(executed):
    problems = []
    for name, (nb, _) in executed.items():
        for cid, text in _texts(nb):
            for match in CLEANING.finditer(text):
                problems.append(f"{name}, cell {cid}: {text[max(0, match.start() - 40):match.end() + 20]!r}")
            for header in re.findall(r"<th[^>]*>([^<]*)</th>", text):
                if re.fullmatch(r"\s*[a-z]+(_[a-z0-9]+)+\s*", header):
                    problems.append(f"{name}, cell {cid}: raw column name in a table header: {header!r}")
    assert not problems, "\n".join(problems)


def test_key_points_say_all_rather_than_n_of_n(executed):
    for name, (nb, _) in executed.items():
        footer = [c for c in nb.cells if c.cell_type == "code"][-1].outputs[0]["data"]["text/markdown"].split("## Sources")[0]
        assert not re.search(r"\b(\d+) of (?:the )?\1\b", footer), f"{name}: {footer}"


# --- what a printed page says: once, in plain words, with no screen-only instructions ------------------
# (checked for the lessons revised after the second fact-check; extend OWNED as the others follow)

OWNED = ["00_start_here", "01_security_guarantees", "02_defence_spending"]
# one HTML block (no blank line inside): the handout's renderer parses each HTML block on its own
SCREEN_ONLY_BLOCK = re.compile(r'<(div|p) class="kit-screen-only">(?:(?!\n\s*\n).)*?</\1>', re.S)
SCREEN_CONTROLS = re.compile(r"\b(?:[Mm]ove the (?:\*\*|<strong>)?\w+(?:\*\*|</strong>)? slider|[Hh]over (?:a|the) (?:bar|point)|[Dd]rag across|"
                             r"[Cc]lick (?:a|the) (?:name|category|stance|edition)[^.]*legend)")
CODE_NAMES = re.compile(r"\bkit\.[a-z_]+\(|\bkit\.allies\b|\blessons? \d\d_[a-z_]+|`[a-z]+(?:_[a-z]+)+`")


@pytest.mark.parametrize("name", OWNED)
def test_instructions_for_screen_controls_are_marked_screen_only(name):
    """The print stylesheet hides .kit-screen-only: paper has no slider, legend or tooltip."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown" or LAB_TAGS & set(cell.metadata.get("tags", [])):
            continue
        printed = SCREEN_ONLY_BLOCK.sub("", cell.source)
        assert not SCREEN_CONTROLS.search(printed), (f"{name}, cell {cell.id}: put screen instructions in one "
                                                     "<p class=\"kit-screen-only\">...</p> (no blank line inside)")


@pytest.mark.parametrize("name", OWNED)
def test_printed_text_names_no_code(name, executed):
    nb, _ = executed[name]
    for cid, text in _texts(nb):
        found = CODE_NAMES.findall(re.sub(r"\]\([^)]*\)", "]", text))
        assert not found, f"{name}, cell {cid}: code names on the printed page: {found}"
    meta = nb.metadata.lesson
    for item in meta.prerequisites + meta.resources:
        assert not CODE_NAMES.search(item) and not re.search(r"\d\d_[a-z]", item), f"{name}: {item!r}"


def _sentences(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", text, flags=re.S))
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if len(s.strip()) >= 100]


@pytest.mark.parametrize("name", OWNED)
def test_a_page_says_each_long_sentence_once(name, executed):
    """Chart descriptions, event texts and quotations appear once per page (the key points, a summary, excepted)."""
    nb, _ = executed[name]
    footer = [c for c in nb.cells if c.cell_type == "code"][-1].id
    seen: dict[str, str] = {}
    texts = [(cid, text) for cid, text in _texts(nb) if cid != footer]
    texts += [("chart", spec["description"]) for spec in chart_specs(nb)]
    for cid, text in texts:
        for sentence in _sentences(text):
            assert sentence not in seen, f"{name}: said twice (cells {seen.get(sentence)} and {cid}): {sentence[:120]}"
            seen[sentence] = cid


@pytest.mark.parametrize("name", OWNED)
def test_the_timing_is_honest_and_names_the_exercises(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    meta = nb.metadata.lesson
    assert "exercises" in meta, f"{name}: say which exercise notebooks go with the lesson (an empty list for none)"
    discuss = sum(c.source.lstrip().startswith("**Discuss.**") for c in nb.cells if c.cell_type == "markdown")
    assert discuss and meta.exercise_minutes <= 5 * discuss, f"{name}: {meta.exercise_minutes} minutes for {discuss} Discuss prompts"
    for stem in meta.exercises:   # by file stem (issue 12): the words shown come from the exercise's own title
        assert (ROOT / "exercises" / f"{stem}.ipynb").is_file(), f"{name}: no exercise notebook {stem!r}"
    time = header_footer.time_text(meta)
    assert "**Discuss** prompts" in time and "exercises and discussion" not in time


def test_a_lesson_template_may_name_its_exercises_and_must_not_invent_fields():
    base = {field: ([] if kind is list else 1 if kind is int else "x") for field, (kind, _) in schema.FIELDS.items()}
    base |= {"objectives": ["o"], "questions": ["q"], "key_points": ["k"], "datasets": ["countries"]}
    assert schema.validate(base) == []
    assert schema.validate(base | {"exercises": []}) == []
    assert schema.validate(base | {"exercises": "Exercise 1"})[0].endswith("should be a list, not str")
    assert "unknown field 'exercise'" in schema.validate(base | {"exercise": []})[0]
