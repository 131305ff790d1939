"""Handouts in a real browser, offline: Debian's Chromium driven by Playwright.

Every request that is not ``file:`` or ``data:`` is blocked and counted. For each handout
(the fixtures, and every lesson in notebooks/): each chart is drawn with marks, no console
errors, no blocked requests, moving a slider changes its chart, every chart with tooltips has
a "Show the values" button that lists them; without JavaScript the static SVGs show; in print
the charts show and the controls do not. The fixture's slider chart is read by keyboard alone:
Tab to "Show the values", Enter, the values listed are the chart's data for the year shown, and
after the slider moves (arrow key) they are the next year's.

When Chromium is missing these tests fail if ``CI`` is set, and skip elsewhere.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, need_chromium

from kit.charts.figure import read_spec
from kit.site import build as kb
from kit.site import pdf

FIXTURES = ROOT / "tests" / "fixtures" / "handouts"
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHROMIUM = pdf.chromium()
ARGS = list(pdf.CHROMIUM_ARGS)
MARKS = "svg .role-mark > *"  # Vega's SVG marks (axes and legends are other roles)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-fixtures")
    kb.build(sorted(FIXTURES.glob("*.ipynb")), out=out, cache_dir=tmp_path_factory.mktemp("cache"), quiet=True)
    return out


def check_handout(visit, path: Path) -> int:
    """Every chart drawn with marks, no errors, nothing blocked; each slider and menu changes its chart.

    Returns the number of sliders and menus.
    """
    v = visit(path)
    page = v.page
    remote = page.eval_on_selector_all(
        "script[src], link[href], img[src], iframe[src], source[src], object[data], embed[src]",
        "els => els.map(e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('data'))"
        "          .filter(u => /^\\s*(https?:)?\\/\\//i.test(u) && !u.startsWith('data:'))",
    )
    assert remote == [], f"{path.name}: resources from the network {remote}"
    figures = page.locator("figure.kit-chart")
    for i in range(figures.count()):
        figure = figures.nth(i)
        name = figure.get_attribute("id")
        assert "kit-chart-drawn" in (figure.get_attribute("class") or ""), f"{path.name}: {name} was not drawn"
        assert figure.locator(".kit-chart-fallback").count() == 0, f"{path.name}: {name} still shows its fallback"
        assert figure.locator(f".kit-chart-live {MARKS}").count() > 0, f"{path.name}: {name} has no marks"
        assert figure.locator("figcaption").inner_text().strip(), f"{path.name}: {name} has an empty caption"
        label = figure.locator(".kit-chart-live [role=graphics-document]").first.get_attribute("aria-label") or ""
        assert label.strip(), f"{path.name}: {name} has no accessible description once drawn"
        check_values_button(figure, f"{path.name}: {name}")
    sliders = page.locator("figure.kit-chart input[type=range]")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        chart = slider.locator("xpath=ancestor::figure[1]")
        before = chart.locator(".kit-chart-live svg").first.inner_html()
        slider.evaluate(
            """(e) => { e.value = (e.value === e.min) ? e.max : e.min;
                       e.dispatchEvent(new Event('input', {bubbles: true}));
                       e.dispatchEvent(new Event('change', {bubbles: true})); }"""
        )
        page.wait_for_timeout(50)
        page.wait_for_function("([f, b]) => document.getElementById(f).querySelector('.kit-chart-live svg').innerHTML !== b",
                               arg=[chart.get_attribute("id"), before], timeout=5000)  # fmt: skip
    menus = page.locator("figure.kit-chart select")
    for i in range(menus.count()):
        menu = menus.nth(i)
        chart = menu.locator("xpath=ancestor::figure[1]")
        before = chart.locator(".kit-chart-live svg").first.inner_html()
        options = menu.locator("option").evaluate_all("os => os.map(o => o.value)")
        if len(options) < 2:
            continue
        menu.select_option(options[1] if menu.input_value() == options[0] else options[0])
        page.wait_for_function("([f, b]) => document.getElementById(f).querySelector('.kit-chart-live svg').innerHTML !== b",
                               arg=[chart.get_attribute("id"), before], timeout=5000)  # fmt: skip
    assert v.blocked == [], f"{path.name}: blocked requests {v.blocked}"
    assert v.errors == [], f"{path.name}: console errors {v.errors}"
    return sliders.count() + menus.count()


def check_values_button(figure, where: str) -> None:
    """A chart whose marks have tooltips has a "Show the values" button, reachable with Tab, that
    opens a table of them (one row per distinct tooltip); pressed again, it hides the table."""
    spec = read_spec(figure.evaluate("e => e.outerHTML"))
    button = figure.locator("button.kit-chart-values-button")
    if '"tooltip"' not in str(spec.get("marks")).replace("'", '"'):
        assert button.count() == 0, f"{where}: a values button on a chart without tooltips"
        return
    assert button.count() == 1, f"{where}: a chart with tooltips and no 'Show the values' button"
    assert button.inner_text() == "Show the values" and button.evaluate("e => e.tabIndex >= 0 && !e.disabled")
    box = figure.locator(".kit-chart-values")
    assert box.is_hidden()
    button.click()
    assert box.is_visible() and button.get_attribute("aria-expanded") == "true", f"{where}: the values did not show"
    assert box.locator("tbody tr").count() > 0, f"{where}: no values listed"
    button.click()
    assert box.is_hidden() and button.inner_text() == "Show the values"


def listed(figure) -> dict[str, float]:
    """The values table of the fixture's bar chart: country -> share."""
    rows = figure.locator(".kit-chart-values tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.children].map(c => c.textContent))")
    head = figure.locator(".kit-chart-values thead th").evaluate_all("cs => cs.map(c => c.textContent)")
    assert head == ["country", "share"], head
    return {country: float(share) for country, share in rows}


def fixture_shares(year: int) -> dict[str, float]:
    """The fixture notebook's data (tests/fixtures/handouts/fx_charts.ipynb) for one year."""
    i = year - 2014
    return {"A": 1.0 + 0.05 * i, "B": 2.0 + 0.1 * i, "C": 0.8 + 0.02 * i}


# --------------------------------------------------------------------------- fixtures


def test_the_values_of_a_chart_are_read_by_keyboard_and_follow_its_slider(visit, fixture_site):
    v = visit(fixture_site / "fx_charts.html")
    page = v.page
    figure = page.locator("figure.kit-chart").first
    slider = figure.locator("input[type=range]")
    slider.focus()
    for _ in range(5):  # from the slider, Tab reaches the button (nothing is clicked)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kit-chart-values-button')"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Show the values"
    page.keyboard.press("Enter")
    table = figure.locator(".kit-chart-values table")
    table.wait_for(state="visible", timeout=5000)
    assert "tooltips" in table.locator("caption").inner_text()
    year = int(slider.input_value())
    assert listed(figure) == pytest.approx(fixture_shares(year))
    slider.focus()
    page.keyboard.press("ArrowRight" if year < 2025 else "ArrowLeft")
    moved = int(slider.input_value())
    assert moved != year
    page.wait_for_function("""([f, want]) => { const cells = [...document.getElementById(f).querySelectorAll('.kit-chart-values tbody td')];
                                                return cells.length && Math.abs(parseFloat(cells[0].textContent) - want) < 1e-9; }""",
                           arg=[figure.get_attribute("id"), fixture_shares(moved)["A"]], timeout=5000)  # fmt: skip
    assert listed(figure) == pytest.approx(fixture_shares(moved))
    assert v.errors == [] and v.blocked == []



def test_fixture_handouts_draw_offline_and_sliders_move_their_charts(visit, fixture_site):
    assert check_handout(visit, fixture_site / "fx_charts.html") == 1
    assert check_handout(visit, fixture_site / "fx_other.html") == 1  # a menu
    check_handout(visit, fixture_site / "index.html")


def test_altairs_own_html_output_uses_the_inlined_vega(visit, fixture_site):
    v = visit(fixture_site / "fx_charts.html")
    v.page.wait_for_function("document.querySelectorAll('#altair-viz-1 svg .role-mark > *').length > 0", timeout=10000)
    assert v.blocked == [] and v.errors == []


def test_legend_selection_works_offline(visit, fixture_site):
    v = visit(fixture_site / "fx_other.html")
    figure = v.page.locator("figure.kit-chart", has_text="click a country in the legend")
    before = figure.locator(".kit-chart-live svg").first.inner_html()
    figure.locator(".role-legend-symbol path").first.click(force=True)
    v.page.wait_for_function("([f, b]) => document.getElementById(f).querySelector('.kit-chart-live svg').innerHTML !== b",
                             arg=[figure.get_attribute("id"), before], timeout=5000)  # fmt: skip
    assert v.errors == [] and v.blocked == []


def test_tooltips_work_offline(visit, fixture_site):
    v = visit(fixture_site / "fx_charts.html")
    v.page.locator("figure.kit-chart .role-mark path").first.hover(force=True)
    v.page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert "share" in v.page.locator("#vg-tooltip-element").inner_text()


def test_without_javascript_the_static_charts_show(visit, fixture_site):
    v = visit(fixture_site / "fx_charts.html", javascript=False)
    fallbacks = v.page.locator("figure.kit-chart .kit-chart-fallback svg")
    assert fallbacks.count() == 2
    for i in range(2):
        box = fallbacks.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
        assert fallbacks.nth(i).locator(".role-mark > *").count() > 0


def test_print_shows_charts_whole_and_hides_the_controls(visit, fixture_site):
    v = visit(fixture_site / "fx_charts.html", media="print")
    page = v.page
    assert page.locator("nav.kit-nav").is_hidden()
    assert page.locator("details.kit-code").first.is_hidden()
    assert page.locator("figure.kit-chart .kit-chart-tools").first.is_hidden()  # "Show the values", "Save the chart"
    figure = page.locator("figure.kit-chart").first
    assert figure.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    box = figure.locator(".kit-chart-live svg").first.bounding_box()
    assert box and box["height"] > 50
    link_after = page.evaluate("""() => { const a = [...document.querySelectorAll('main a[href^="http"]')][0];
                                          return getComputedStyle(a, '::after').content; }""")
    assert "https://www.nato.int/" in link_after


def test_pdf_prints_each_handout(tmp_path, fixture_site):
    need_chromium(CHROMIUM, "the handout browser tests")
    site = tmp_path / "site"
    shutil.copytree(fixture_site, site)
    pdfs = pdf.print_pdfs([site / "fx_other.html"], say=lambda *a: None)
    data = pdfs[0].read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert re.search(rb"/MediaBox ?\[0 0 59[45][.0-9]* 84[12]", data)  # A4: 595 x 842 points


# --------------------------------------------------------------------------- the lessons


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_handout_works_offline(visit, lesson_site, notebook):
    check_handout(visit, lesson_site / f"{notebook.stem}.html")


@pytest.mark.skipif(not LESSONS, reason="no lessons in notebooks/ yet")
def test_lesson_index_links_every_lesson(visit, lesson_site):
    v = visit(lesson_site / "index.html")
    hrefs = v.page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    for notebook in LESSONS:
        assert f"{notebook.stem}.html" in hrefs
        assert (lesson_site / f"{notebook.stem}.html").is_file()


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_handout_leaves_out_instructor_cells(lesson_site, notebook):
    import html
    import json

    text = (lesson_site / f"{notebook.stem}.html").read_text(encoding="utf-8")
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if "instructor" in (cell.get("metadata") or {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for line in source.splitlines():
                words = line.strip("#*->` ").strip()
                if len(words) > 30:  # a sentence of the note, not a bare heading
                    assert html.escape(words[:40], quote=False) not in text and words[:40] not in text, f"{notebook.name}: {words[:40]!r}"


@pytest.mark.skipif(not LESSONS, reason="no lessons in notebooks/ yet")
def test_values_tables_and_save_menus_pass_axe_and_the_nu_checker(visit, lesson_site, tmp_path):
    """With every "Show the values" table and "Save the chart" menu open, each drawn lesson page has no
    axe violation, and its DOM, written out, no Nu checker error (the static pages: test_valid_html)."""
    from test_accessibility import axe_violations, summary
    from test_valid_html import nu_errors

    drawn, found = [], {}
    for notebook in LESSONS:
        page = visit(lesson_site / f"{notebook.stem}.html").page
        buttons = page.locator("button.kit-chart-values-button")
        for i in range(buttons.count()):
            buttons.nth(i).click()
        page.locator("details.kit-chart-save").evaluate_all("ds => ds.forEach(d => d.open = true)")
        assert page.locator(".kit-chart-values table").count() == buttons.count() == page.locator("figure.kit-chart").count()
        drawn.append(tmp_path / f"{notebook.stem}-drawn.html")
        drawn[-1].write_text("<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")
        if violations := axe_violations(page):
            found[notebook.name] = summary(violations)
    assert found == {}
    vegas_own = "for attribute “selected” on element “option”"  # Vega's menus write selected="true"; browsers read it as selected
    errors = {name: [m for m in messages if vegas_own not in m] for name, messages in nu_errors(drawn).items()}
    assert {name: messages for name, messages in errors.items() if messages} == {}


def test_a_printed_lesson_page_drops_the_charts_on_screen_hints_and_gets_them_back(visit, lesson_site):
    from kit.charts.prose import HINTS, SLIDER_HINT

    page = visit(lesson_site / "02_defence_spending.html").page
    texts = "() => [...document.querySelectorAll('.kit-chart-live text')].map(t => t.textContent).join('\\n')"
    on_screen = page.evaluate(texts)
    assert SLIDER_HINT in on_screen            # the ranking's subtitle: else this test proves nothing
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    printed = page.evaluate(texts)
    assert [h for h in HINTS if "{" not in h and h in printed] == []
    assert not re.search(r"\b(hover|click|drag)\b", printed, re.I), re.findall(r"[^\n]*\b(?:hover|click|drag)\b[^\n]*", printed, re.I)
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(texts) == on_screen
