"""Every built page is accessible, checked in Chromium, offline (browser tests).

- axe-core 4.x (the copy the PyPI package ``axe-playwright-python`` ships, so CI installs it
  with pip and nothing is fetched at test time) finds no WCAG 2.1 A/AA violation on any page:
  the lessons, the glossary and the index, with their charts drawn;
- the focus ring has at least 3:1 contrast against the page (WCAG 1.4.11);
- every chart interaction has a keyboard path: each chart's controls (sliders and menus) are
  reached with Tab and change the chart from the keyboard, and a polite live region says what
  the chart shows now;
- the prose never asks for a mouse alone ("hover", "click a legend entry") without naming the
  keyboard way.

When Chromium is missing these tests fail if ``CI`` is set, and skip elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from kit.charts.figure import read_spec, read_specs

pytestmark = pytest.mark.browser

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PAGES = [p.stem + ".html" for p in LESSONS] + ["glossary.html", "index.html", "search.html"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now: rule id, impact, the nodes' targets."""
    page.add_script_tag(content=axe_script())
    return page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' '))}));
           }""",
        TAGS,
    )


def summary(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']} x{len(v['targets'])} ({v['targets'][:3]})" for v in violations)



@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(visit, lesson_site, name):
    path = lesson_site / name
    if not path.is_file():
        pytest.skip(f"{name} is not built")
    v = visit(path)
    found = axe_violations(v.page)
    assert found == [], f"{name}: {summary(found)}"


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    import re

    return tuple(int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])


def test_focus_ring_has_three_to_one_contrast(visit, lesson_site):
    v = visit(lesson_site / f"{LESSONS[0].stem}.html")
    page = v.page
    page.keyboard.press("Tab")  # the skip link, then the navigation
    checked = 0
    for _ in range(4):
        style = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
                                          let bg = 'rgb(255, 255, 255)';
                                          for (let n = e; n; n = n.parentElement) {
                                            const c = getComputedStyle(n).backgroundColor;
                                            if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; } }
                                          return {tag: e.tagName, style: s.outlineStyle, width: s.outlineWidth,
                                                  colour: s.outlineColor, bg}; }""")
        assert style["style"] != "none", f"{style['tag']}: no visible focus ring"
        ratio = contrast(_rgb(style["colour"]), _rgb(style["bg"]))
        assert ratio >= 3, f"{style['tag']}: focus ring {style['colour']} on {style['bg']} is {ratio:.2f}:1"
        checked += 1
        page.keyboard.press("Tab")
    assert checked == 4


KEYS = {"range": "ArrowLeft", "select": "ArrowDown"}


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_chart_interaction_has_a_keyboard_path_and_a_live_region(visit, lesson_site, notebook):
    """A chart with a legend selection has a menu, a brush has sliders; each control, used from the
    keyboard, changes the chart, and the chart's polite live region says what it shows now."""
    v = visit(lesson_site / f"{notebook.stem}.html")
    page = v.page
    figures = page.locator("figure.kit-chart")
    for i in range(figures.count()):
        figure = figures.nth(i)
        name = figure.get_attribute("id")
        spec = json.dumps(read_spec(figure.evaluate("e => e.outerHTML")), separators=(",", ":"))
        menus = figure.locator(".vega-bindings select")
        sliders = figure.locator(".vega-bindings input[type=range]")
        entries = figure.locator(".kit-chart-live .role-legend-label > *").count()
        if '"interactive":true' in spec and entries >= 2:  # Vega-Lite's legend bindings (one entry: nothing to pick)
            assert menus.count() >= 1, f"{notebook.name}: {name} has a legend selection and no menu"
        if '_brush"' in spec:
            assert sliders.count() >= 2, f"{notebook.name}: {name} has a brush and no sliders"
        controls = figure.locator(".vega-bindings select, .vega-bindings input")
        if controls.count() == 0:
            continue
        region = figure.locator("[aria-live=polite]")
        assert region.count() == 1, f"{notebook.name}: {name} has controls and no live region"
        for j in range(controls.count()):
            control = controls.nth(j)
            assert control.evaluate("e => e.tabIndex >= 0 && !e.disabled"), f"{notebook.name}: {name}: control {j} not reachable with Tab"
            kind = "select" if control.evaluate("e => e.tagName") == "SELECT" else "range"
            if kind == "range":  # from the end its arrow key moves away from
                control.evaluate("e => { e.value = e.max; e.dispatchEvent(new Event('input', {bubbles: true})); }")
            said, drawn = region.inner_text(), figure.locator(".kit-chart-live svg").first.inner_html()
            control.focus()
            page.keyboard.press(KEYS[kind])
            page.wait_for_function("([f, s]) => document.getElementById(f).querySelector('[aria-live=polite]').textContent !== s",
                                   arg=[name, said], timeout=5000)  # fmt: skip
            assert region.inner_text().startswith("Shown now:"), f"{notebook.name}: {name}: {region.inner_text()!r}"
            if kind == "range":  # a menu may pick the only category there is: then the chart stays the same
                page.wait_for_function("([f, b]) => document.getElementById(f).querySelector('.kit-chart-live svg').innerHTML !== b",
                                       arg=[name, drawn], timeout=5000)  # fmt: skip
    assert v.errors == [], v.errors


MOUSE_ONLY = ("hover", "click a", "click on", "drag")
KEYBOARD = ("menu", "slider", "keyboard", "description", "tab ")


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_chart_instructions_name_the_keyboard_way(lesson_site, notebook):
    """A chart's subtitle that asks for a mouse ("click a name in the legend", "drag") names the keyboard way too."""

    text = (lesson_site / f"{notebook.stem}.html").read_text(encoding="utf-8")
    for spec in read_specs(text):
        for line in _subtitles(spec):
            low = line.lower()
            if any(m in low for m in ("click a", "drag")):
                assert any(k in low for k in KEYBOARD), f"{notebook.name}: {line!r} names no keyboard way"


def _subtitles(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("subtitle", "title") and isinstance(value, (str, list)):
                yield from ([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
            else:
                yield from _subtitles(value)
    elif isinstance(node, list):
        for item in node:
            yield from _subtitles(item)


# --------------------------------------------------------------------------- worksheets and teacher's pages



def every_page(*folders) -> list[Path]:
    """Every page written under ``folders`` (handouts, worksheets, indexes, teacher's pages)."""
    return sorted(p for folder in folders for p in folder.rglob("*.html"))


def test_no_axe_violations_on_every_worksheet_and_teacher_page(browser, visit, lesson_site, lesson_teacher_site,
                                                               fixture_teacher_edition):
    # the lessons' worksheets, the lessons' teacher's edition (its student/ copy is lesson_site again), the fixture's
    pages = ([p for p in every_page(lesson_site) if p.parent != lesson_site] + sorted(lesson_teacher_site.glob("*.html"))
             + every_page(fixture_teacher_edition))
    assert any("worksheets" in p.parts for p in pages) and (lesson_teacher_site / "02_defence_spending.html") in pages
    found = {}
    for path in pages:
        if path.parent.name == "worksheets":   # no script of its own: nothing to wait for (axe still needs JavaScript)
            page = browser.new_page()
            page.goto(path.resolve().as_uri())
            violations = axe_violations(page)
            page.close()
        else:
            violations = axe_violations(visit(path).page)
        if violations:
            found[path.relative_to(path.parents[1]).as_posix()] = summary(violations)
    assert found == {}, found


# what Tab should reach: shown, enabled, and not inside a closed <details> (a closed menu's links come after its summary opens)
FOCUSABLE = """() => [...document.querySelectorAll('a[href], button, summary, input, select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .filter(e => { for (let d = e.parentElement && e.parentElement.closest('details:not([open])'); d;
                        d = d.parentElement && d.parentElement.closest('details:not([open])')) {
                     if (!(e.tagName === 'SUMMARY' && e.parentElement === d)) return false; }
                   return true; })
    .map(e => e.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("site, rel", [
    ("lessons", "index.html"), ("lessons", "02_defence_spending.html"), ("lessons", "student/worksheets/04_moldova.html"),
    ("fixture", "index.html"), ("fixture", "fx_teacher.html"), ("fixture", "student/worksheets/fx_teacher.html"),
    ("fixture", "student/index.html")])
def test_every_link_and_control_of_the_teacher_and_worksheet_pages_is_reached_with_tab(visit, request, site, rel):
    folder = request.getfixturevalue("lesson_teacher_site" if site == "lessons" else "fixture_teacher_edition")
    v = visit(folder / rel, javascript="worksheets" not in rel)
    wanted = v.page.evaluate(FOCUSABLE)
    assert wanted, "a page with nothing to reach is not a test"
    reached = []
    for _ in range(len(wanted) + 5):
        v.page.keyboard.press("Tab")
        reached.append(v.page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)"))
    missing = [w for w in wanted if w not in reached]
    assert missing == [], f"{rel}: not reached with Tab: {missing[:5]}"
