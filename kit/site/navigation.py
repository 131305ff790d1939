"""The site's navigation: every lesson (and its other versions) from every page, the current one marked.

    >>> lessons = [Lesson("00_start", "Start here", worksheet=True), Lesson("01_guarantees", "Guarantees")]
    >>> nav = site_nav("worksheets/00_start.html", lessons, "student", {"glossary.html"})
    >>> 'href="../01_guarantees.html"' in nav, 'href="00_start.html" aria-current="page"' in nav
    (True, True)

Links are relative to the page (``../`` from ``worksheets/``), so they work from ``file://``
when the folder is copied whole; a page emailed alone keeps working, its links to the
other pages simply do not resolve. What a lesson links to depends on the site's kind
(:data:`VERSIONS`, declared, not chosen in code): on the student site the handout and its
worksheet, on the teacher's site the teacher's page, the handout and the worksheet (the
student site is copied into the teacher's, in ``student/``). The current page's
link carries ``aria-current="page"``. The list is a ``<details>`` like the outline
(``kit.site.outline``): collapsible with no JavaScript, left out of print.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass

#: What each lesson links to, by site kind: (words, path pattern, the Lesson flag that says it exists or "").
#: The teacher's site (``site-teacher/``) holds the student site whole in ``student/``.
VERSIONS = {
    "student": (("handout", "{}.html", ""), ("worksheet", "worksheets/{}.html", "worksheet")),
    "teacher": (("teacher's edition", "{}.html", ""), ("handout", "student/{}.html", ""),
                ("worksheet", "student/worksheets/{}.html", "worksheet")),
}
#: The site's other pages, linked after the lessons when the site has them (search.html always: the build writes it).
EXTRAS = {
    "student": (("Glossary", "glossary.html"), ("Search the lessons", "search.html")),
    "teacher": (("Glossary", "student/glossary.html"), ("Search the lessons", "search.html")),
}


@dataclass(frozen=True)
class Lesson:
    """A lesson as the navigation lists it: its file stem, its title, whether it has a worksheet."""

    name: str
    title: str
    worksheet: bool = False


def relative(page: str, target: str) -> str:
    """``target`` (a path in the site) as a link from ``page`` (another path in the site).

    >>> relative("worksheets/02.html", "02.html"), relative("02.html", "worksheets/02.html"), relative("a.html", "a.html")
    ('../02.html', 'worksheets/02.html', 'a.html')
    """
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def versions(lesson: Lesson, kind: str) -> list[tuple[str, str]]:
    """(words, path) of each version of a lesson the site of this kind has; the first is the lesson's main page."""
    found = []
    for words, pattern, flag in VERSIONS.get(kind, VERSIONS["student"]):
        if not flag or getattr(lesson, flag):
            found.append((words, pattern.format(lesson.name)))
    return found


def _link(page: str, target: str, words: str, hidden: str = "") -> str:
    current = ' aria-current="page"' if target == page else ""
    extra = f'<span class="kit-sr-only"> {html.escape(hidden)}</span>' if hidden else ""
    return f'<a href="{html.escape(relative(page, target))}"{current}>{html.escape(words)}{extra}</a>'


def site_nav(page: str, lessons: list[Lesson], kind: str = "student", others=frozenset()) -> str:
    """The lesson list for ``page`` (its path in the site); ``others`` names the site's other pages (``glossary.html``)."""
    lines = ['<nav class="kit-site-nav" aria-label="All lessons">', '<details class="kit-fold" open><summary>All lessons</summary>',
             "<ol>"]  # fmt: skip
    for lesson in lessons:
        found = versions(lesson, kind)
        if not found:
            continue
        (_, main), rest = found[0], found[1:]
        here = any(path == page for _, path in found)
        item = _link(page, main, lesson.title)
        if rest:
            others_ = ", ".join(_link(page, path, words, f"of {lesson.title}") for words, path in rest)
            item += f' <span class="kit-versions">({others_})</span>'
        mark = ' class="kit-here"' if here else ""
        lines.append(f"<li{mark}>{item}</li>")
    lines.append("</ol>")
    extras = [(words, path) for words, path in EXTRAS.get(kind, EXTRAS["student"]) if path in others or path == "search.html"]
    links = [_link(page, "index.html", "Index of lessons")] + [_link(page, path, words) for words, path in extras]
    lines.append("<p>" + " &middot; ".join(links) + "</p>")
    lines += ["</details>", "</nav>"]
    return "\n".join(lines)


def place(page: str, block: str) -> str:
    """The page with ``block`` just before its ``<main>`` (after the top bar; else right after ``<body>``)."""
    at = page.find("<main")
    if at < 0:
        body = page.find("<body")
        at = page.find(">", body) + 1 if body >= 0 else 0
        return page[:at] + "\n" + block + page[at:]
    return page[:at] + block + "\n" + page[at:]
