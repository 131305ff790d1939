"""Read a finished page's HTML as a flat list of tags and text, without re-serialising it.

The site-wide pass (``kit.site.decorate``) adds navigation, outlines and glossary links to
pages that are already written; it must leave every other byte as it was (builds stay
byte-identical, and a 1 MB page is not parsed into a tree and printed again). So this module
only *finds* things: each :class:`Token` knows where it sits in the text, and callers splice::

    >>> [(t.kind, t.tag, t.path) for t in scan('<main><p>A <a href="x">b</a></p></main>') if t.kind == "text"]
    [('text', '', ('main', 'p')), ('text', '', ('main', 'p', 'a'))]
    >>> attr('<h2 id="Why-now" class="x">', "id"), attr("<h2>", "id")
    ('Why-now', None)

The contents of ``<script>``, ``<style>``, ``<textarea>`` and ``<title>`` are one ``raw`` token
(they may hold ``<`` and ``>``), and so are those of ``<svg>`` and ``<pre>`` (drawings and code:
no heading, glossary term or searchable prose is inside; skipping them halves the time). Unclosed ``<p>``/``<li>`` are closed by the next end tag that
names an element further up, as browsers do for the markup nbconvert and pandas write.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import NamedTuple

_TOKEN = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
RAW = {"script", "style", "textarea", "title"}
OPAQUE = {"svg", "pre"}  # read as one ``raw`` token too: nothing the site-wide pass looks for is inside
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Token(NamedTuple):
    """One piece of the page: ``open``/``close`` tag, ``text``, ``raw`` (script or style body) or ``comment``.

    ``path`` holds the names of the open elements around it (for a tag: around the tag itself);
    ``markup`` is the exact text; ``start`` and ``end`` locate it in the page.
    """

    kind: str
    start: int
    end: int
    markup: str
    tag: str = ""
    path: tuple = ()
    classes: tuple = ()  # for an open tag: its class names; for text: every class name of the open elements


@lru_cache(maxsize=16)
def _attribute(name: str) -> re.Pattern:
    value_part = r"""(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?(?=[\s/>])"""
    return re.compile(r"\s" + re.escape(name) + value_part, re.I)


def attr(tag_markup: str, name: str) -> str | None:
    """The (unescaped) value of attribute ``name`` in an opening tag, or None when it has none."""
    match = _attribute(name).search(tag_markup)
    if not match:
        return None
    value = next((g for g in match.groups() if g is not None), "")
    return html.unescape(value)


def scan(page: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``page[start:end]`` in order (see the module docstring)."""
    end = len(page) if end is None else end
    tokens: list[Token] = []
    stack: list[tuple[str, tuple, tuple, tuple]] = []  # (tag, its classes, path and classes around it)
    path: tuple = ()
    classes: tuple = ()
    pos = start
    search = _TOKEN.search
    while pos < end:
        match = search(page, pos, end)
        if not match:
            tokens.append(Token("text", pos, end, page[pos:end], "", path, classes))
            break
        begin, stop = match.span()
        if begin > pos:
            tokens.append(Token("text", pos, begin, page[pos:begin], "", path, classes))
        markup = match.group(0)
        pos = stop
        if markup.startswith("<!--"):
            tokens.append(Token("comment", begin, stop, markup, "", path, classes))
            continue
        tag = match.group(2).lower()
        if match.group(1):
            if tag in path:
                while stack and stack[-1][0] != tag:
                    stack.pop()
                _, _, path, classes = stack.pop()
            tokens.append(Token("close", begin, stop, markup, tag, path, classes))
            continue
        own = tuple((attr(markup, "class") or "").split()) if "class" in markup else ()
        tokens.append(Token("open", begin, stop, markup, tag, path, own))
        if tag in RAW or (tag in OPAQUE and not markup.endswith("/>")):
            close = _closing(page, tag, pos, end)
            body_end = close.start() if close else end
            tokens.append(Token("raw", pos, body_end, page[pos:body_end], tag, path + (tag,), classes + own))
            if close:
                tokens.append(Token("close", close.start(), close.end(), close.group(0), tag, path, classes))
                pos = close.end()
            else:
                pos = end
        elif tag not in VOID and not markup.endswith("/>"):
            stack.append((tag, own, path, classes))
            path, classes = path + (tag,), classes + own
    return tokens


def _closing(page: str, tag: str, pos: int, end: int):
    """The end tag that closes ``tag`` opened just before ``pos`` (nested ones of the same name counted)."""
    closing = re.compile(rf"</{tag}\s*>", re.I)
    if tag in RAW:
        return closing.search(page, pos, end)
    depth = 1
    while True:
        close = closing.search(page, pos, end)
        if not close:
            return None
        inner = page.find(f"<{tag}", pos, close.start())
        while inner >= 0:  # generated markup writes its tags in lower case
            if page[inner + len(tag) + 1] in " \t\n>":
                depth += 1
            inner = page.find(f"<{tag}", inner + 1, close.start())
        depth -= 1
        if depth == 0:
            return close
        pos = close.end()


def element_end(tokens: list[Token], i: int) -> int:
    """The index of the token that closes the element opened at ``tokens[i]`` (``len(tokens)`` if none)."""
    depth = len(tokens[i].path)
    tag = tokens[i].tag
    for j in range(i + 1, len(tokens)):
        t = tokens[j]
        if t.kind == "close" and t.tag == tag and len(t.path) == depth:
            return j
        if len(t.path) <= depth:  # closed implicitly (a sibling or an end tag further up)
            return j
    return len(tokens)


def text_of(tokens: list[Token]) -> str:
    """The readable text of some tokens (entities decoded, whitespace collapsed)."""
    return " ".join(html.unescape("".join(t.markup for t in tokens if t.kind == "text")).split())


def span(page: str, tag: str, start: int = 0) -> tuple[int, int] | None:
    """Where the inside of the first ``<tag ...>...</tag>`` after ``start`` lies (not nested), or None."""
    opening = re.compile(rf"<{tag}(?:\s[^>]*)?>", re.I).search(page, start)
    if not opening:
        return None
    closing = page.rfind(f"</{tag}>")
    if closing < opening.end():
        return None
    return opening.end(), closing
