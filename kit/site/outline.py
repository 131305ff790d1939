"""A page's outline: its ``<h2>`` and ``<h3>`` headings as a "On this page" list of links.

    >>> page = '<main><h1>T</h1><h2 id="a">A</h2><h3>B b</h3><h2>A</h2></main>'
    >>> [(h.level, h.text, h.anchor) for h in headings(page)]
    [(2, 'A', 'a'), (3, 'B b', 'b-b'), (2, 'A', 'a-2')]
    >>> with_ids(page).count('id="b-b"'), "<ol>" in outline_nav(headings(page))
    (1, True)

Headings are read inside ``<main>``, leaving out those in navigation, asides (the lesson card,
the review notice) and chart figures. A heading keeps its ``id`` (nbconvert's anchors); one
without gets an id made from its text, unique on the page and the same on every build. The
outline is a ``<details>`` (collapsible with no JavaScript; open by default and folded on
small screens, see ``kit.site.decorate``), left out of print.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote

from .htmlscan import attr, scan, text_of

LEVELS = {"h2": 2, "h3": 3}
SKIP = {"nav", "aside", "figure", "details", "header", "footer"}
_ID = re.compile(r'\sid="([^"]*)"')


@dataclass(frozen=True)
class Heading:
    """One heading: its level (2 or 3), its text (anchor marks left out), its id, and where its opening tag is."""

    level: int
    text: str
    anchor: str
    start: int
    end: int
    has_id: bool


def _slug(text: str) -> str:
    plain = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return plain or "section"


def main_span(page: str) -> tuple[int, int]:
    """Where the page's ``<main>`` element lies (the whole page when it has none)."""
    start = page.find("<main")
    stop = page.rfind("</main>")
    if start < 0 or stop < start:
        return 0, len(page)
    return start, stop


def headings(page: str) -> list[Heading]:
    """The outline's headings, in page order, with the ids they have or will have (see :func:`with_ids`)."""
    start, stop = main_span(page)
    tokens = scan(page, start, stop)
    taken = {m for t in tokens if t.kind == "open" and " id=" in t.markup for m in _ID.findall(t.markup)}
    found = []
    for i, token in enumerate(tokens):
        if token.kind != "open" or token.tag not in LEVELS or SKIP.intersection(token.path):
            continue
        inside = []
        for following in tokens[i + 1 :]:
            if following.kind == "close" and following.tag == token.tag:
                break
            inside.append(following)
        words = text_of([t for t in inside if "anchor-link" not in t.classes])
        if not words:
            continue
        anchor = attr(token.markup, "id")
        if anchor:
            found.append(Heading(LEVELS[token.tag], words, anchor, token.start, token.end, True))
            continue
        anchor, n = _slug(words), 2
        while anchor in taken:
            anchor, n = f"{_slug(words)}-{n}", n + 1
        taken.add(anchor)
        found.append(Heading(LEVELS[token.tag], words, anchor, token.start, token.end, False))
    return found


def with_ids(page: str, found: list[Heading] | None = None) -> str:
    """The page with an ``id`` on every outline heading that had none."""
    found = headings(page) if found is None else found
    for h in reversed([h for h in found if not h.has_id]):
        tag = page[h.start : h.end]
        page = page[: h.start] + tag[:-1].rstrip("/") + f' id="{html.escape(h.anchor)}">' + page[h.end :]
    return page


def href(anchor: str) -> str:
    """A link to an id on the same page (percent-encoded where a URL needs it).

    >>> href("Who-met-the-old-guideline?")
    '#Who-met-the-old-guideline%3F'
    """
    return "#" + quote(anchor, safe="-._~!$&'()*+,;=:@/")


def outline_nav(found: list[Heading], label: str = "On this page") -> str:
    """The outline as a ``<nav>``: h3s nested under their h2 (empty when the page has fewer than two headings)."""
    if len(found) < 2:
        return ""
    lines = [f'<nav class="kit-outline" aria-label="{label}">', f'<details class="kit-fold" open><summary>{label}</summary>', "<ol>"]
    open_sub = False
    for i, h in enumerate(found):
        link = f'<a href="{html.escape(href(h.anchor))}">{html.escape(h.text)}</a>'
        if h.level == 3 and i > 0:
            if not open_sub:
                lines[-1] = lines[-1].removesuffix("</li>")
                lines.append("<ol>")
                open_sub = True
            lines.append(f"<li>{link}</li>")
            continue
        if open_sub:
            lines.append("</ol></li>")
            open_sub = False
        lines.append(f"<li>{link}</li>")
    if open_sub:
        lines.append("</ol></li>")
    lines += ["</ol>", "</details>", "</nav>"]
    return "\n".join(lines)


def place(page: str, block: str) -> str:
    """The page with ``block`` right after its first ``<h1>`` in ``<main>`` (else at the start of ``<main>``)."""
    if not block:
        return page
    start, stop = main_span(page)
    close = page.find("</h1>", start, stop)
    if close >= 0:
        at = close + len("</h1>")
    else:
        opening = page.find(">", start) + 1 if start else 0
        at = opening
    return page[:at] + "\n" + block + "\n" + page[at:]
