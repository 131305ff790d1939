"""Offline search: an index of the site's sections, built with the pages, and ``search.html`` that reads it.

    from kit.site.search import build_index, search_page
    index = build_index({"02_defence_spending.html": page_html, "glossary.html": glossary_html})
    index["sections"][0]      # [0, 'From a guideline to a commitment', 'From-a-guideline-to-a-commitment', 'NATO ...']
    text = search_page(index, exporter.common_fields)   # one self-contained page: the index and the script inside

A *section* is the text under one ``<h1>``-``<h3>`` heading with an id, or one glossary entry
(``kit.site.glossary_links``), up to the next one: every lesson, worksheet and teacher's page,
and the glossary (not the index or the search page itself). Code, drawings, scripts, the
navigation and the tooltips are left out; chart captions and tables stay in. ``search.html``
embeds the index as JSON and a small script (``templates/search.js``): no network, no
server, it works from ``file://``. Results are links to ``page.html#anchor``; a phrase
found as typed ranks first, then sections with all the words (more in the heading, more
often in the text), lessons before worksheets; the count is announced in a polite live region.

:func:`measure` and :func:`report_lines` (for ``python -m kit bench handouts``) report the
index's size and the time the page takes to answer a query in Chromium.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from pathlib import Path

from .htmlscan import attr, scan, text_of
from .outline import main_span

TEMPLATES = Path(__file__).resolve().parent / "templates"
SKIP = {"nav", "script", "style", "svg", "pre", "button", "select", "textarea", "template", "noscript", "summary"}
SKIP_CLASSES = {"kit-code", "kit-tip", "anchor-link", "kit-outline", "kit-site-nav", "vega-bindings"}
KIND_ORDER = {"lesson": 0, "teacher": 0, "glossary": 1, "worksheet": 2}  # what the index holds, in this order
# (not the indexes, the search page, or, on the teacher's site, the handouts: its teacher's pages hold their text)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def page_kind(path: str, site_kind: str = "student") -> str:
    """What a page of the site is, from its path: ``lesson``, ``teacher``, ``handout``, ``worksheet``, ``glossary``, ``other``.

    >>> page_kind("worksheets/02.html"), page_kind("glossary.html"), page_kind("02.html")
    ('worksheet', 'glossary', 'lesson')
    >>> page_kind("02.html", "teacher"), page_kind("student/02.html", "teacher"), page_kind("student/index.html", "teacher")
    ('teacher', 'handout', 'other')
    """
    folder, name = posixpath.split(path)
    if name in ("index.html", "search.html"):
        return "other"
    if posixpath.basename(folder) == "worksheets":
        return "worksheet"
    if name == "glossary.html":
        return "glossary"
    if site_kind == "teacher":
        return "teacher" if not folder else "handout"
    return "lesson"


def sections(page: str) -> list[tuple[str, str, str]]:
    """The page's sections in ``<main>``: (heading, anchor, text), in order (text before the first heading is left out)."""
    start, stop = main_span(page)
    tokens = scan(page, start, stop)
    found: list[list] = []
    words: list = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        starts = token.kind == "open" and not SKIP.intersection(token.path) and not SKIP_CLASSES.intersection(token.classes)
        if starts and token.tag in ("h1", "h2", "h3") and attr(token.markup, "id"):
            j = _close(tokens, i)
            heading = text_of([t for t in tokens[i + 1 : j] if "anchor-link" not in t.classes])
            found.append([heading, attr(token.markup, "id"), words := []])
            i = j + 1
            continue
        if starts and "kit-entry" in token.classes and attr(token.markup, "id"):
            j = _close(tokens, i, "strong")
            heading = text_of(tokens[i + 1 : j]).rstrip(".:")
            found.append([heading, attr(token.markup, "id"), words := []])
            i = j + 1
            continue
        if token.kind == "text" and not SKIP.intersection(token.path) and not SKIP_CLASSES.intersection(token.classes):
            words.append(token)
        i += 1
    return [(heading, anchor, text_of(kept)) for heading, anchor, kept in found if heading or kept]


def _close(tokens, i: int, tag: str | None = None) -> int:
    """The index of the end tag of ``tag`` (default: the element opened at ``i``) after ``i``."""
    tag = tag or tokens[i].tag
    for j in range(i + 1, len(tokens)):
        if tokens[j].kind == "close" and tokens[j].tag == tag:
            return j
    return len(tokens) - 1


def title_of(page: str, fallback: str) -> str:
    """The page's ``<title>``."""
    match = _TITLE.search(page)
    return " ".join(html.unescape(match.group(1)).split()) if match else fallback


def build_index(pages: dict[str, str], site_kind: str = "student") -> dict:
    """The search index of ``pages`` (path in the site -> HTML): pages [path, title, kind] and sections
    [page number, heading, anchor, text], lessons first, then the glossary, then worksheets, each in path order."""
    chosen = sorted((p for p in pages if page_kind(p, site_kind) in KIND_ORDER), key=lambda p: (KIND_ORDER[page_kind(p, site_kind)], p))
    index: dict = {"pages": [], "sections": []}
    for path in chosen:
        n = len(index["pages"])
        index["pages"].append([path, title_of(pages[path], path), page_kind(path, site_kind)])
        for heading, anchor, text in sections(pages[path]):
            index["sections"].append([n, heading, anchor, text])
    return index


def index_json(index: dict) -> str:
    """The index as the page embeds it: compact JSON, safe inside ``<script>``."""
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")  # no "</script>" or "<!--" can end or bend the script element


def search_page(index: dict, common_fields, *, title: str = "Search the lessons") -> str:
    """``search.html``: the page, its index and its script, in one file (the navigation is added by ``kit.site.decorate``).

    ``common_fields(build_key, title)`` gives what every page template reads (``kit.site.exporter.common_fields``).
    """
    import jinja2

    data = index_json(index)
    key = hashlib.sha256(data.encode()).hexdigest()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)  # fmt: skip
    from markupsafe import Markup

    return env.get_template("search.html.j2").render(
        common_fields(key, title),
        index=Markup(data),
        script=Markup((TEMPLATES / "search.js").read_text(encoding="utf-8")),
        pages=len(index["pages"]),
        count=len(index["sections"]),
    )


def measure(site: Path, queries=("Moldova referendum", "core target", "reassurance force")) -> dict:
    """For the benchmark: the index's size and the time search.html takes to answer each query in Chromium.

    Returns ``{"index_bytes", "page_bytes", "sections", "find_ms": {query: ms}, "answer_ms": {query: ms}}``:
    ``find_ms`` ranks the sections, ``answer_ms`` also draws the results and updates the live region
    (each a mean over 20 runs); both are empty when Chromium is missing.
    """
    page = Path(site) / "search.html"
    text = page.read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="kit-search-index">(.*?)</script>', text, re.S)
    raw = data.group(1) if data else ""
    result = {"index_bytes": len(raw.encode()), "page_bytes": page.stat().st_size,
              "sections": len(json.loads(raw)["sections"]) if raw else 0, "find_ms": {}, "answer_ms": {}}  # fmt: skip
    from . import pdf

    chromium = pdf.chromium()
    if not chromium:
        return result
    from playwright.sync_api import sync_playwright

    timing = """([q, what]) => { const n = 20, t = performance.now();
                                 for (let i = 0; i < n; i++) window.kitSearch[what](q);
                                 return (performance.now() - t) / n; }"""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=list(pdf.CHROMIUM_ARGS))
        try:
            tab = browser.new_page()
            tab.goto(page.resolve().as_uri())
            tab.wait_for_function("() => window.kitSearch !== undefined")
            tab.evaluate(timing, ["warm up", "show"])  # the first runs compile the script
            for query in queries:
                result["find_ms"][query] = tab.evaluate(timing, [query, "find"])
                result["answer_ms"][query] = tab.evaluate(timing, [query, "show"])
        finally:
            browser.close()
    return result


def report_lines(site: Path) -> list[str]:
    """What ``python -m kit bench handouts`` prints about search (see :func:`measure`)."""
    m = measure(site)
    lines = [f"search index:                       {m['index_bytes'] / 1e6:6.2f} MB ({m['sections']} sections; "
             f"search.html {m['page_bytes'] / 1e6:.2f} MB)"]
    if m["answer_ms"]:
        worst = max(m["answer_ms"], key=m["answer_ms"].get)
        lines.append(f"search, time to answer a query:    {m['answer_ms'][worst]:6.1f} ms (slowest of {len(m['answer_ms'])}: "
                     f"{worst!r}; ranking alone {max(m['find_ms'].values()):.1f} ms)")
    return lines
