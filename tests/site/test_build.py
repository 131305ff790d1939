"""The handouts build (``python -m kit build``), on small fixture notebooks of its own.

The fixtures (tests/fixtures/handouts/) hold a chart with a slider, a second chart, a
chart drawn by Altair's own HTML renderer, an ipywidget, instructor cells and an output
with a memory address. Browser checks are in test_handouts_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from kit.charts.figure import read_spec
from kit.errors import KitError
from kit.site import build as kb
from kit.site import cache as build_cache

FIXTURES = ROOT / "tests" / "fixtures" / "handouts"
NETWORK = re.compile(r"^\s*(https?:)?//", re.I)


def fixture_notebooks(folder: Path = FIXTURES) -> list[Path]:
    return sorted(folder.glob("*.ipynb"))


@pytest.fixture(scope="session")
def fixture_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("kit-cache")


@pytest.fixture(scope="session")
def site(tmp_path_factory, fixture_cache):
    """The fixture notebooks built once for the session: (out folder, build report)."""
    out = tmp_path_factory.mktemp("site")
    report = kb.build(fixture_notebooks(), out=out, cache_dir=fixture_cache, quiet=True)
    return out, report


@pytest.fixture
def copy_of_fixtures(tmp_path, fixture_cache):
    """A private copy of the fixture notebooks and of the session's execution cache."""
    folder = tmp_path / "notebooks"
    shutil.copytree(FIXTURES, folder)
    cache = tmp_path / "cache"
    shutil.copytree(fixture_cache, cache)
    return folder, cache


def page(out: Path, name: str) -> str:
    return (out / f"{name}.html").read_text(encoding="utf-8")


class Tags(HTMLParser):
    """Collects (tag, attributes) for every start tag."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(text: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(text)
    return parser.tags


def add_cell(notebook: Path, source: str, position: int | None = None) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = {"cell_type": "code", "execution_count": None, "id": f"added-{len(nb['cells'])}", "metadata": {}, "outputs": [], "source": source}
    nb["cells"].insert(len(nb["cells"]) if position is None else position, cell)
    notebook.write_text(json.dumps(nb, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------- the site


def test_build_writes_the_index_and_one_handout_per_notebook(site):
    out, report = site
    assert sorted(p.name for p in out.iterdir()) == ["fx_charts.html", "fx_other.html", "index.html", "search.html"]
    assert sorted(report.executed) == ["fx_charts", "fx_other"]
    index = page(out, "index")
    assert 'href="fx_charts.html"' in index and 'href="fx_other.html"' in index
    assert "Fixture: charts" in index and "Move a slider" in index  # title and objectives
    assert "20 min teaching + 10 min exercises and discussion (30 min)" in index
    assert "15 min teaching" in index  # "15" given as a string in the metadata


def test_handout_shows_the_lesson_card_and_links_lessons_to_each_other(site):
    out, _ = site
    text = page(out, "fx_charts")
    assert '<aside class="kit-lesson"' in text and "Read a bar chart" in text and "What changes?" in text
    assert 'href="fx_other.html"' in text and "fx_other.ipynb" not in text.split("<footer>")[0]
    assert 'href="index.html"' in text


def test_no_script_or_stylesheet_comes_from_the_network(site):
    out, _ = site
    for file in out.glob("*.html"):
        for tag, attrs in tags(file.read_text(encoding="utf-8")):
            if tag in ("script", "link", "img", "iframe", "source", "embed", "object"):
                for attr in ("src", "href", "data"):
                    assert not NETWORK.match(attrs.get(attr) or ""), f"{file.name}: <{tag} {attr}={attrs[attr]!r}>"
        text = file.read_text(encoding="utf-8")
        assert "require.min.js" not in text and "MathJax" not in text and "@import" not in text


def test_vega_is_inlined_once_per_page_with_charts_and_not_on_pages_without(site):
    out, _ = site
    runtime = '<script type="application/gzip" id="kit-vega-runtime" data-kit-runtime="{}">'
    assert page(out, "fx_charts").count(runtime.format("full")) == 1  # Altair's own chart code needs vega-embed
    assert page(out, "fx_other").count(runtime.format("vega")) == 1  # the kit's charts need Vega alone
    assert page(out, "fx_other").count('id="kit-vega-runtime"') == 1
    assert "kit-vega-runtime" not in page(out, "index")


def test_pages_are_light(site):
    """The Vega runtime and the specs are packed (gzip in base64); a page of the fixtures stays small
    (the per-page target for the lessons, 0.8 MB, is the benchmark's: python -m kit bench handouts)."""
    out, _ = site
    assert len(page(out, "fx_other").encode()) < 400_000
    assert len(page(out, "fx_charts").encode()) < 550_000  # with the full runtime
    assert 'class="kit-chart-spec">{' not in page(out, "fx_other")  # no spec as plain JSON


def test_every_chart_has_a_static_svg_a_description_and_a_source_line(site):
    out, _ = site
    text = page(out, "fx_charts")
    figures = re.findall(r'<figure class="kit-chart".*?</figure>', text, re.S)
    assert len(figures) == 2
    for figure in figures:
        assert re.search(r'<div class="kit-chart-fallback"><svg role="img" aria-label="[^"]+"', figure)
        assert "<figcaption>" in figure and 'class="kit-chart-source">Source: fixture data, as of 2026-01-01<' in figure
        assert 'class="kit-chart-description"' in figure
        spec = read_spec(figure)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega/v6")  # compiled at build time
    # the chart without usermeta.kit.description falls back to the top-level description
    assert "Line chart: share of GDP 2014-2025" in figures[1]


def test_instructor_cells_and_widget_views_are_left_out(site):
    out, report = site
    text = page(out, "fx_charts")
    assert "SECRET-INSTRUCTOR-TEXT" not in text and "the answer is 42" not in text
    assert "application/vnd.jupyter.widget" not in text and "IntSlider(value" not in text  # no view, no text fallback
    assert not [t for t, _ in tags(text) if t in ("input", "select", "button")]  # no dead controls in the static page
    assert any("widget view was left out" in w for w in report.warnings)


def test_handouts_hold_no_addresses_or_local_paths(site, tmp_path_factory):
    out, _ = site
    for file in out.glob("*.html"):
        text = file.read_text(encoding="utf-8")
        assert not re.search(r"0x[0-9a-f]{8,}", text), file.name
        for local in (str(ROOT), str(FIXTURES), str(Path.home()), str(tmp_path_factory.getbasetemp())):
            assert local not in text, f"{file.name} contains {local}"
    assert "&lt;object object at 0x…&gt;" in page(out, "fx_charts")


def test_chart_ids_are_deterministic(site):
    out, _ = site
    text = page(out, "fx_charts")
    assert re.findall(r'<figure class="kit-chart" id="(kit-chart-\d+-[0-9a-f]{10})"', text)[0].startswith("kit-chart-1-")
    assert 'id="altair-viz-1"' in text  # Altair's random id, renumbered
    assert '<table id="T_kit1">' in page(out, "fx_other")  # pandas Styler's random id, renumbered


def test_vega_debug_matches_what_altairs_chart_code_checks(site):
    """Altair skips loading Vega from a CDN only if VEGA_DEBUG has these keys and versions (an internal)."""
    import altair as alt
    from altair.utils.html import spec_to_html

    snippet = spec_to_html(
        {"mark": "point"},
        mode="vega-lite",
        vega_version=alt.VEGA_VERSION,
        vegaembed_version=alt.VEGAEMBED_VERSION,
        vegalite_version=alt.VEGALITE_VERSION,
        template="universal",
        fullhtml=False,
    )
    assert 'var key = `${lib.replace("-", "")}_version`;' in snippet
    assert "(VEGA_DEBUG[key] == version) ?" in snippet
    asked = dict(re.findall(r'maybeLoadScript\("([a-z-]+)", "([^"]+)"\)', snippet))
    out, _ = site
    declared = json.loads(re.search(r"var VEGA_DEBUG = (\{.*?\});", page(out, "fx_charts")).group(1))
    assert declared == {f"{lib.replace('-', '')}_version": version for lib, version in asked.items()}


def test_no_change_rebuild_only_checks_hashes(site, fixture_cache):
    out, _ = site
    kb.build(fixture_notebooks(), out=out, cache_dir=fixture_cache, quiet=True)  # up to date (unless kit/ changed since)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    report = kb.build(fixture_notebooks(), out=out, cache_dir=fixture_cache, quiet=True)
    assert report.executed == [] and report.cached == [] and report.written == []
    assert sorted(report.unchanged) == ["fx_charts", "fx_other"]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_a_lost_search_page_comes_back_on_the_next_build(site, fixture_cache):
    out, _ = site
    kb.build(fixture_notebooks(), out=out, cache_dir=fixture_cache, quiet=True)
    search_page = (out / "search.html").read_bytes()
    (out / "search.html").unlink()
    report = kb.build(fixture_notebooks(), out=out, cache_dir=fixture_cache, quiet=True)
    assert (out / "search.html").read_bytes() == search_page
    assert report.executed == [] and sorted(report.unchanged) == ["fx_charts", "fx_other"]


def test_two_builds_are_byte_identical(site, tmp_path):
    out, _ = site
    again = tmp_path / "again"
    kb.build(fixture_notebooks(), out=again, cache_dir=tmp_path / "fresh-cache", force=True, quiet=True)
    for file in out.iterdir():
        assert (again / file.name).read_bytes() == file.read_bytes(), f"{file.name} differs between two builds"


def test_a_changed_notebook_is_the_only_one_executed_again(copy_of_fixtures, tmp_path):
    folder, cache = copy_of_fixtures
    out = tmp_path / "out"
    first = kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    assert sorted(first.executed + first.cached) == ["fx_charts", "fx_other"]
    add_cell(folder / "fx_other.ipynb", "print('a new cell', 6 * 7)")
    second = kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    assert second.executed == ["fx_other"]
    assert "a new cell 42" in page(out, "fx_other")


def test_a_template_change_rewrites_pages_without_executing_again(copy_of_fixtures, tmp_path, monkeypatch):
    folder, cache = copy_of_fixtures
    out = tmp_path / "out"
    kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    templates = tmp_path / "kit"
    shutil.copytree(build_cache.KIT_DIR, templates, ignore=shutil.ignore_patterns("__pycache__"))
    css = templates / "site" / "templates" / "handout.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a teacher's colours */\n", encoding="utf-8")
    monkeypatch.setattr(build_cache, "KIT_DIR", templates)  # the hashes read this copy of the kit
    report = kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    assert report.executed == [] and sorted(report.cached) == ["fx_charts", "fx_other"]
    assert len(report.written) == 4  # the two pages, the index and search.html


def test_only_kit_code_that_runs_in_a_lesson_kernel_re_executes_lessons(tmp_path, monkeypatch):
    """The exercises, the command line and the data checks change no lesson output: editing them runs nothing again."""
    copy = tmp_path / "kit"
    shutil.copytree(build_cache.KIT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_cache, "KIT_DIR", copy)  # the hashes read this copy of the kit

    def exec_keys():
        return [s.exec_key for s in kb.plan(fixture_notebooks())]

    def edit(rel):
        with open(copy / rel, "a", encoding="utf-8") as f:
            f.write("\n# edited\n")

    before = exec_keys()
    for rel in ("exercises/grade.py", "exercises/observe.py", "cli/build.py", "data/validate.py", "data/rules.py", "checks.py"):
        edit(rel)
    assert exec_keys() == before
    edit("data/loader.py")  # runs in the kernel and shapes every frame a lesson draws
    assert exec_keys() != before


def test_the_execution_key_covers_the_code_a_lesson_kernel_can_import(tmp_path, monkeypatch):
    """Read from the lessons' imports, not a list: a chart module counts, the grader does not (edits in a copy of kit/)."""
    from kit.site import imports

    copy = tmp_path / "kit"
    shutil.copytree(build_cache.KIT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_cache, "KIT_DIR", copy)  # the hashes read this copy of the kit

    def exec_keys():
        return [s.exec_key for s in kb.plan([]) if s.kind == "notebook"]  # the lessons in notebooks/: hashed, not run

    def edit(path):
        with open(path, "a", encoding="utf-8") as f:
            f.write("\n# edited\n")

    before = exec_keys()
    edit(copy / "exercises" / "grade.py")
    edit(copy / "site" / "templates" / "handout.css")
    assert exec_keys() == before
    edit(imports.modules(copy)["kit.charts"])
    assert exec_keys() != before


def _nbconvert(*args, cwd, cache):
    jupyter = Path(sys.executable).with_name("jupyter")
    env = {**os.environ, "KIT_CACHE_DIR": str(cache)}
    done = subprocess.run([str(jupyter), "nbconvert", "--to", "kit_handout", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def test_nbconvert_to_kit_handout_with_execute_writes_the_page_the_build_writes(copy_of_fixtures, tmp_path):
    folder, cache = copy_of_fixtures
    out = tmp_path / "out"
    kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    _nbconvert("--execute", folder / "fx_charts.ipynb", "--output-dir", tmp_path / "nbconvert", cwd=tmp_path, cache=cache)
    assert (tmp_path / "nbconvert" / "fx_charts.html").read_bytes() == page(out, "fx_charts").encode()  # the build key too


def test_nbconvert_to_kit_handout_on_an_executed_notebook_writes_the_page_the_build_writes(copy_of_fixtures, tmp_path):
    folder, cache = copy_of_fixtures
    kb.build(fixture_notebooks(folder), out=tmp_path / "first", cache_dir=cache, quiet=True)
    [executed] = (cache / "executed").glob("fx_other-*.ipynb")
    (folder / "fx_other.ipynb").write_text(executed.read_text(encoding="utf-8"), encoding="utf-8")  # a lesson saved with its outputs
    out = tmp_path / "out"
    kb.build([folder / "fx_other.ipynb"], out=out, cache_dir=cache, quiet=True)
    _nbconvert(folder / "fx_other.ipynb", "--output-dir", tmp_path / "nbconvert", cwd=folder, cache=cache)
    text = (tmp_path / "nbconvert" / "fx_other.html").read_text(encoding="utf-8")
    assert text == page(out, "fx_other")
    assert '<table id="T_kit1">' in text and text.count('id="kit-vega-runtime"') == 1


def test_bench_reads_only_arguments_its_parser_defines_and_exits_1_when_a_target_is_missed(monkeypatch, capsys):
    from kit import cli
    from kit.cli import bench

    args = cli._parser({"bench": "kit.cli.bench"}).parse_args(["bench"])
    for module in ("kit/cli/bench.py", "kit/site/bench.py", "kit/exercises/bench.py"):
        for name in re.findall(r"\bargs\.(\w+)", (ROOT / module).read_text(encoding="utf-8")):
            assert hasattr(args, name), f"{module} reads args.{name}, which no parser defines"
    monkeypatch.setitem(bench.BENCHMARKS, "handouts", lambda args: ["size of fx_charts"])
    assert cli.main(["bench", "handouts"]) == 1
    assert "missed 1 target(s): handouts: size of fx_charts" in capsys.readouterr().out
    monkeypatch.setitem(bench.BENCHMARKS, "handouts", lambda args: [])
    assert cli.main(["bench", "handouts"]) == 0


def test_the_site_reads_only_lesson_fields_the_lesson_template_defines():
    """kit.lesson rejects any other field, so a page reading one would show what no lesson can hold."""
    from kit.lesson import FIELDS, OPTIONAL

    read = set()
    for path in (ROOT / "kit" / "site").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r'\b(?:lesson|lesson_of\([^)]*\))\.get\("(\w+)"\)', text))
    assert {"title", "objectives", "teaching_minutes", "datasets"} <= read
    assert read <= set(FIELDS) | set(OPTIONAL), read - set(FIELDS) - set(OPTIONAL)


def test_a_failing_cell_stops_the_build_names_notebook_and_cell_and_keeps_old_handouts(copy_of_fixtures, tmp_path):
    folder, cache = copy_of_fixtures
    out = tmp_path / "out"
    kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    add_cell(folder / "fx_other.ipynb", "total = 1\nraise ValueError('broken on purpose')", position=2)
    with pytest.raises(KitError) as err:
        kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    message = str(err.value)
    assert "fx_other.ipynb, cell 3 (`total = 1`): ValueError: broken on purpose" in message
    assert "left as they were" in message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written, no temporary files


def test_a_page_that_cannot_be_written_is_a_clear_error_and_keeps_old_handouts(copy_of_fixtures, tmp_path):
    folder, cache = copy_of_fixtures
    out = tmp_path / "out"
    kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    nb = json.loads((folder / "fx_other.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "img", "metadata": {}, "source": "![map](attachment:missing.png)"})
    (folder / "fx_other.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(KitError, match=r"fx_other.ipynb: could not write its handout \(InvalidNotebook: missing attachment: missing.png\)"):
        kb.build(fixture_notebooks(folder), out=out, cache_dir=cache, quiet=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_command_line_prints_progress_and_errors_without_traceback(copy_of_fixtures, tmp_path):
    folder, cache = copy_of_fixtures
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kit", "build", "--out", str(out), "--cache-dir", str(cache), *map(str, fixture_notebooks(folder))]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert re.search(r"fx_charts: (executed earlier, inputs unchanged \(cache\)|executed in [0-9.]+ s)", done.stdout)
    assert "wrote" in done.stdout and (out / "index.html").is_file()
    add_cell(folder / "fx_charts.ipynb", "kit.load('no_such_dataset')", position=1)
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 1
    assert "fx_charts.ipynb, cell 2 (`kit.load('no_such_dataset')`): NameError" in done.stderr
    assert "Traceback" not in done.stderr


def test_one_notebook_builds_alone_and_the_index_still_lists_its_folder(copy_of_fixtures, tmp_path):
    folder, cache = copy_of_fixtures
    out = tmp_path / "out"
    report = kb.build([folder / "fx_other.ipynb"], out=out, cache_dir=cache, quiet=True)
    assert sorted(p.name for p in out.iterdir()) == ["fx_other.html", "index.html", "search.html"]
    assert report.executed + report.cached == ["fx_other"]
    index = page(out, "index")
    assert 'href="fx_charts.html"' in index and 'href="fx_other.html"' in index
    assert 'href="fx_charts.html" rel="prev"' in page(out, "fx_other")


def test_kernels_run_this_python_in_the_notebook_folder_in_handout_mode(tmp_path):
    from kit.site.execute import Job, execute_all

    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "local.csv").write_text("a\n1\n", encoding="utf-8")
    checks = (
        "import os, sys\n"
        f"assert sys.executable == {sys.executable!r}, sys.executable\n"
        "assert open('local.csv').read() == 'a\\n1\\n'\n"
        "import kit.render\n"
        "assert kit.render.in_handout() and kit.render.enable() == 'kit-handout'\n"
        "assert 'rfc3987_syntax' not in sys.modules or sys.modules['rfc3987_syntax'] is None"
    )
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c", "metadata": {}, "outputs": [], "source": checks}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    (folder / "check.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    [outcome] = execute_all([Job(folder / "check.ipynb", "check.ipynb", dict(kb.KERNEL_ENV))])
    assert outcome.error is None, outcome.error


def test_unknown_notebook_is_a_clear_error(tmp_path):
    with pytest.raises(KitError, match="no such notebook"):
        kb.build([tmp_path / "missing.ipynb"], out=tmp_path / "out", quiet=True)
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(KitError, match="broken.ipynb: not a readable notebook"):
        kb.build([broken], out=tmp_path / "out", quiet=True)


# --------------------------------------------------------------------------- review notice


def test_a_handout_of_overdue_data_opens_with_a_dated_notice_decided_at_render(copy_of_fixtures, data_copy, monkeypatch):
    """The verdict follows the data's dates and today, never a cached page (dates moved in a copy, clock untouched)."""
    from conftest import edit_metadata

    folder, cache = copy_of_fixtures
    out = folder.parent / "site"
    notebooks = fixture_notebooks(folder)
    # start from data with nothing due (the shipped data may name a newer edition not yet read)
    edit_metadata(data_copy, lambda meta: [r.pop("superseded_by", None) for r in meta["resources"]])
    kb.build(notebooks, out=out, cache_dir=cache, quiet=True)
    assert '<aside class="kit-notice"' not in page(out, "fx_charts")

    def past(meta):
        r = next(r for r in meta["resources"] if r["name"] == "coalition_meetings")
        r["as_of"], r["review_by"] = "2026-06-01", "2026-09-30"
    edit_metadata(data_copy, past)
    report = kb.build(notebooks, out=out, cache_dir=cache, quiet=True)
    assert report.written
    text = page(out, "fx_charts")
    notice = text.split('<aside class="kit-notice"', 1)[1].split("</aside>", 1)[0]
    assert "<code>coalition_meetings</code>: last checked 2026-06-01, due for review by 2026-09-30" in notice
    assert '<time datetime="2026-12-01">1 December 2026</time>' in notice
    assert text.index('<aside class="kit-notice"') < text.index('class="kit-cell')  # near the top, before the lesson's cells
    assert '<aside class="kit-notice"' not in page(out, "index")

    # the same day again: nothing to do, the page is byte-identical
    before = text
    again = kb.build(notebooks, out=out, cache_dir=cache, quiet=True)
    assert not again.written and page(out, "fx_charts") == before
    # another day: the page is rendered again, with the new date
    monkeypatch.setenv("KIT_TODAY", "2026-12-02")
    kb.build(notebooks, out=out, cache_dir=cache, quiet=True)
    assert '<time datetime="2026-12-02">2 December 2026</time>' in page(out, "fx_charts")
