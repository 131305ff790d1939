import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# The slow kinds of test, marked here so ``make check`` (``pytest -m "not kernel and not browser and
# not lab"``) leaves them out while ``make test`` runs everything. A test is marked by the file it is
# in, by a fixture it uses, or by its own ``@pytest.mark.kernel``; an unmarked test that starts a kernel
# fails (see ``_kernels_only_where_marked``), so the fast set cannot silently grow slow.
SLOW_FILES = {
    "test_notebooks.py": "kernel",        # every lesson executed
    "test_build.py": "kernel",            # handout builds execute fixture notebooks
    "test_release.py": "kernel",          # the solutions run for the answer keys
    "test_grade.py": "kernel",            # a hostile class graded
    "test_grade_sandbox.py": "kernel",
    "test_handouts_browser.py": "browser",
    "test_lab_offline.py": "lab",
}
SLOW_FIXTURES = {"executed": "kernel", "graded": "kernel", "released": "kernel", "answers": "kernel", "lab_results": "lab"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        kinds = {SLOW_FILES.get(item.path.name)} | {SLOW_FIXTURES.get(f) for f in getattr(item, "fixturenames", ())}
        for kind in sorted(kinds - {None}):
            item.add_marker(getattr(pytest.mark, kind))


@pytest.fixture(autouse=True)
def _kernels_only_where_marked(request, monkeypatch):
    """A test not marked ``kernel`` (or browser/lab) may not start a Jupyter kernel in this process."""
    if any(request.node.get_closest_marker(kind) for kind in ("kernel", "browser", "lab")):
        return
    from jupyter_client import manager

    def refuse(*args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} starts a kernel: mark it @pytest.mark.kernel (tests/conftest.py)")

    monkeypatch.setattr(manager.KernelManager, "_async_launch_kernel", refuse)

# "Today" for the whole suite (and the kernels it starts): the day the data was last reviewed,
# so no test starts failing when a review date passes. Tests that need another day move the
# dates of a copy of the data, or set KIT_TODAY themselves; the machine's clock is never changed.
PINNED_TODAY = "2026-12-01"
os.environ["KIT_TODAY"] = PINNED_TODAY


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that a test may break; KIT_DATA_DIR points at it."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("KIT_DATA_DIR", str(copy))
    return copy


def edit_cell(folder: Path, file: str, row: int, column: str, value: str):
    """Set one cell of a CSV (row 1 is the header, as in a spreadsheet)."""
    import csv

    path = folder / file
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def need_program(found, what: str, install: str):
    """Tests that need a Debian program fail when CI is set and it is missing; elsewhere they skip, saying why."""
    if found:
        return
    message = f"{install.split()[-1]} is not installed (Debian: {install}); {what} need it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def need_chromium(chromium, what: str):
    """Chromium for the browser tests (see :func:`need_program`)."""
    need_program(chromium, what, "apt-get install chromium")


def edit_metadata(folder: Path, change):
    """Apply ``change(meta)`` to the copy's datapackage.json (a dict, changed in place)."""
    import json

    path = folder / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def walk(node):
    """Every (key, value) pair in a nested spec of dicts and lists (a chart's Vega-Lite JSON)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


# The browser tests' shared fixtures (tests/site/test_handouts_browser.py, test_accessibility.py,
# test_valid_html.py): one Chromium and one build of the lessons per session.


DRAWN = "document.documentElement.getAttribute('data-kit-charts') === 'drawn' || !document.querySelector('figure.kit-chart')"


class Visit:
    """A page opened offline, with its blocked requests and console errors counted."""

    def __init__(self, browser, path: Path, javascript: bool = True, media: str = "screen"):
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.blocked, self.errors = [], []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.emulate_media(media=media)
        self.page.goto(path.resolve().as_uri())
        if javascript:
            self.page.wait_for_function(DRAWN, timeout=30000)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            return route.continue_()
        self.blocked.append(url)
        return route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_(path, **kw):
        opened.append(Visit(browser, path, **kw))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


@pytest.fixture(scope="session")
def browser():
    from kit.site import pdf

    chromium_path = pdf.chromium()
    need_chromium(chromium_path, "the handout browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=list(pdf.CHROMIUM_ARGS))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lesson_site(tmp_path_factory):
    """The real lessons, built once per session (the repository's cache makes repeats fast)."""
    from kit.site import build as kb

    out = tmp_path_factory.mktemp("browser-lessons")
    kb.build([], out=out, quiet=True)
    return out


def processes_with(marker: str, exclude: str = "pytest") -> list[int]:
    """PIDs of the processes whose command line holds ``marker`` (and not ``exclude``): what outlived a test."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "ignore")
            except OSError:
                continue
            if marker in cmd and not (exclude and exclude in cmd):
                found.append(int(proc.name))
    return found


@pytest.fixture(scope="session")
def fixture_teacher_edition(tmp_path_factory):
    """The teacher's edition of the fixture lesson (tests/fixtures/teacher/), built once per session."""
    from kit.site import build as kb

    fixture = ROOT / "tests" / "fixtures" / "teacher"
    out = tmp_path_factory.mktemp("teacher-edition")
    kb.build([fixture / "fx_teacher.ipynb"], out=out, teacher=True, exercises_dir=fixture / "exercises", quiet=True)
    return out


@pytest.fixture(scope="session")
def lesson_teacher_site(tmp_path_factory):
    """The teacher's edition of the real lessons (teacher's pages, and the student site in student/), built once per session."""
    from kit.site import build as kb

    out = tmp_path_factory.mktemp("teacher-lessons")
    kb.build([], out=out, teacher=True, quiet=True)
    return out
