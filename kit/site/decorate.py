"""The site-wide pass over finished pages: lesson list, outline, glossary links, and ``search.html``.

    from kit.site.decorate import Site, decorate_site
    site = Site(lessons=[Lesson("02_defence_spending", "Defence spending")], kind="student", glossary=glossary_md)
    pages = decorate_site({"02_defence_spending.html": text, "glossary.html": glossary}, site)

It works on HTML strings, whatever made them (handouts, worksheets, the teacher's pages, the
index), so every page gets the same: the list of lessons with the current one marked
(``kit.site.navigation``), an outline of its sections (``kit.site.outline``), the first use of
each glossary term linked to its entry (``kit.site.glossary_links``), one small stylesheet
and script (``templates/site_nav.css``, ``site_nav.js``). Pure and deterministic: the same
pages and site give the same bytes. A page already decorated is left as it is.

The build calls ``kit.site.finish.site_pass`` once after rendering (it also writes
``search.html``); ``jupyter nbconvert --to kit_handout`` calls :func:`one_page`, so both still
write the same page. What a page shows depends only on the site's sources (the lesson
list, their titles, the glossary), which are all in every page's build key
(``kit.site.sources``): a change to any of them rewrites every page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import glossary_links, navigation, outline
from .navigation import Lesson

TEMPLATES = Path(__file__).resolve().parent / "templates"
MARK = '<meta name="kit-site" content="nav">'
#: Where the glossary page is, by site kind (the teacher's site holds the student site in student/).
GLOSSARY = {"student": "glossary.html", "teacher": "student/glossary.html"}
#: Pages that get no glossary links and no outline (and the glossary page).
PLAIN = {"index.html", "search.html"}
#: Where the site's markdown pages are, by site kind.
PREFIX = {"student": "", "teacher": "student/"}
#: The cell tag that gives a lesson a worksheet page (the teacher's edition conventions).
WORKSHEET_TAG = "worksheet-question"


@dataclass(frozen=True)
class Site:
    """What every page's navigation needs: the lessons, the site's kind, its other pages, the glossary's markdown."""

    lessons: tuple
    kind: str = "student"
    others: frozenset = frozenset()  # other pages the site has: "glossary.html" ("student/glossary.html")
    glossary: str = ""
    terms: tuple = field(default=(), compare=False)

    def __post_init__(self):
        if self.glossary and not self.terms:
            object.__setattr__(self, "terms", tuple(glossary_links.entries(self.glossary)))

    @property
    def glossary_page(self) -> str:
        return GLOSSARY.get(self.kind, GLOSSARY["student"])


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    css = (TEMPLATES / "site_nav.css").read_text(encoding="utf-8").strip()
    js = (TEMPLATES / "site_nav.js").read_text(encoding="utf-8").strip()
    return f"<style>\n{css}\n</style>", f"<script>\n{js}\n</script>"


def decorate_page(page: str, path: str, site: Site) -> str:
    """One page (its path in the site, e.g. ``worksheets/02.html``) with the site's navigation added."""
    if MARK in page or "<body" not in page:
        return page
    css, js = _assets()
    if "<script" not in page:  # a page with no script of its own (a worksheet) stays so: its lists simply stay open
        js = ""
    plain = posixpath.basename(path) in PLAIN or path == site.glossary_page
    if not plain and site.terms and site.glossary_page in site.others:
        start, stop = outline.main_span(page)
        page = glossary_links.link_terms(page, list(site.terms), navigation.relative(path, site.glossary_page), start, stop)
    if path == site.glossary_page and site.terms:
        page = glossary_links.mark_entries(page, list(site.terms))
    contents = ""
    if not plain:
        found = outline.headings(page)
        page = outline.with_ids(page, found)
        contents = outline.outline_nav(found)
    lessons = navigation.site_nav(path, list(site.lessons), site.kind, site.others)
    if contents:
        page = outline.place(page, (contents + "\n" + js).rstrip())
        page = navigation.place(page, lessons)
    else:
        page = navigation.place(page, (lessons + "\n" + js).rstrip())
    head = page.find("</head>")
    if head >= 0:
        page = page[:head] + MARK + "\n" + css + "\n" + page[head:]
    return page


def decorate_site(pages: dict[str, str], site: Site) -> dict[str, str]:
    """Every page (path in the site -> HTML) decorated; the same keys, in the same order."""
    return {path: decorate_page(text, path, site) for path, text in pages.items()}


# --------------------------------------------------------------------------- from the build's sources


def _has_worksheet(nb: dict | None) -> bool:
    return any(WORKSHEET_TAG in ((c.get("metadata") or {}).get("tags") or []) for c in (nb or {}).get("cells", []))


def site_of(sources, kind: str = "student") -> Site:
    """The :class:`Site` of the build's sources (``kit.site.sources.Source``: notebooks and markdown pages)."""
    from .lesson_card import title_of

    lessons = tuple(Lesson(s.name, title_of(s.nb or {}, s.name), _has_worksheet(s.nb)) for s in sources if s.kind == "notebook")
    prefix = PREFIX.get(kind, "")
    pages = {f"{prefix}{s.name}.html" for s in sources if s.kind != "notebook"}
    glossary = next((s for s in sources if s.kind != "notebook" and f"{prefix}{s.name}.html" == GLOSSARY.get(kind)), None)
    text = glossary.path.read_text(encoding="utf-8") if glossary else ""
    return Site(lessons, kind, frozenset(pages), text)


def one_page(page: str, name: str, sources, kind: str = "student") -> str:
    """A handout decorated as the build decorates it (for ``jupyter nbconvert --to kit_handout``)."""
    return decorate_page(page, f"{name}.html", site_of(sources, kind))
