"""Glossary links: the first use of each glossary term on a page links to its entry, with its short definition.

The terms are the glossary's own entries (``notebooks/glossary.md``: a paragraph that opens with
``**Term.**``), never a typed list; the short definition is the entry's first sentence::

    >>> [t.term for t in entries("**Ceasefire.** An agreement to stop fighting. It settles nothing.")]
    ['Ceasefire']
    >>> entries("**GDP (gross domestic product).** The value of all goods.")[0].forms
    ('GDP', 'gross domestic product')

On a page, :func:`link_terms` wraps the first use of each term (any of its forms, a plural too)
in a link to ``glossary.html#term-...`` and puts the short definition next to it as a tooltip
(``role="tooltip"``, named by the link's ``aria-describedby``): shown on hover and on keyboard
focus, read by screen readers as the link's description, hidden in print. Nothing is linked in
headings, links, code, tables, chart figures and their captions, navigation or buttons;
acronyms (``GDP``, ``PAS``) match only in capitals. :func:`mark_entries` gives each entry of the
glossary page its ``id`` so the links land on it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .htmlscan import scan

_ENTRY = re.compile(r"^\*\*(.+?)\*\*[ \t]*(.*)$", re.S)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]][.!?])\s+(?=[A-Z\"'(“])")
#: elements whose text never gets a glossary link
SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "samp", "figure", "figcaption", "script", "style",
        "svg", "button", "select", "option", "label", "summary", "title", "nav", "dfn", "abbr", "textarea", "table"}
SKIP_CLASSES = {"kit-code", "kit-tip", "kit-notice"}


@dataclass(frozen=True)
class Term:
    """A glossary entry: its term as written, the anchor of its entry, its short definition, the forms matched in text."""

    term: str
    anchor: str
    short: str
    forms: tuple


def slug(text: str) -> str:
    """A lowercase ASCII id fragment for a term.

    >>> slug('"Article 5-like" guarantees'), slug("Chișinău")
    ('article-5-like-guarantees', 'chisinau')
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "term"


def _plain(markdown: str) -> str:
    """Markdown emphasis and links reduced to their words."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(re.sub(r"[*_`]", "", text).split())


def _forms(term: str) -> tuple:
    """The ways a term is written in a lesson: without its quotes; the name and the part in brackets."""
    bare = term.replace('"', "").replace("“", "").replace("”", "").strip()
    forms = []
    bracket = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", bare)
    if bracket:
        forms += [bracket.group(1).strip(), bracket.group(2).strip()]
    else:
        forms.append(bare)
    quoted = re.findall(r'"([^"]+)"', term)
    forms += [q.strip() for q in quoted if q.strip() not in forms]
    return tuple(f for f in forms if f)


def entries(markdown: str) -> list[Term]:
    """The glossary's entries, in order: each paragraph that opens with ``**Term.**``."""
    found, seen = [], set()
    for paragraph in re.split(r"\n\s*\n", markdown):
        match = _ENTRY.match(paragraph.strip())
        if not match:
            continue
        term = _plain(match.group(1)).rstrip(".:").strip()
        definition = _plain(match.group(2))
        if not term or not definition:
            continue
        anchor = "term-" + slug(term)
        while anchor in seen:
            anchor += "-2"
        seen.add(anchor)
        short = _SENTENCE_END.split(definition, maxsplit=1)[0]
        found.append(Term(term, anchor, short, _forms(term)))
    return found


def _pattern(terms: list[Term]) -> tuple[re.Pattern | None, dict]:
    """One case-blind regex for every form of every term, longest first, and each form's term and case rule.

    Returns the pattern and ``{lowercase form: (term index, acronym)}``: an acronym (a form with no
    lowercase letter) counts only when the text has it in capitals.
    """
    forms = {}
    for i, term in enumerate(terms):
        for form in term.forms:
            key = " ".join(html.escape(form, quote=False).lower().split())
            forms.setdefault(key, (i, not any(c.islower() for c in form)))
    if not forms:
        return None, {}
    words = [re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=lambda f: (-len(f), f))]
    return re.compile(r"(?<![\w&#-])(" + "|".join(words) + r")((?:s|es)?)(?![\w-])", re.I), forms


def link_terms(page: str, terms: list[Term], glossary_href: str, start: int = 0, end: int | None = None) -> str:
    """The page with the first use of each term in ``page[start:end]`` linked (see the module docstring)."""
    pattern, forms = _pattern(terms)
    if pattern is None:
        return page
    done: set[int] = set()
    edits = []  # (start, end, replacement)
    count = 0
    for token in scan(page, start, end):
        if token.kind != "text" or SKIP.intersection(token.path) or SKIP_CLASSES.intersection(token.classes):
            continue
        pieces, last = [], 0
        for match in pattern.finditer(token.markup):
            index, acronym = forms[" ".join(match.group(1).lower().split())]
            if index in done or (acronym and (match.group(2) or match.group(1) not in terms[index].forms)):
                continue  # linked already, or an acronym not in capitals ("pas" is not PAS)
            done.add(index)
            count += 1
            term = terms[index]
            tip = f"kit-tip-{count}"
            pieces.append(token.markup[last : match.start()])
            pieces.append(
                f'<span class="kit-gloss"><a class="kit-term" href="{html.escape(glossary_href)}#{term.anchor}" '
                f'aria-describedby="{tip}">{match.group(0)}</a>'
                f'<span class="kit-tip" role="tooltip" id="{tip}">{html.escape(term.term)}: {html.escape(term.short)}</span></span>'
            )
            last = match.end()
        if pieces:
            pieces.append(token.markup[last:])
            edits.append((token.start, token.end, "".join(pieces)))
        if len(done) == len(terms):
            break
    for a, b, text in reversed(edits):
        page = page[:a] + text + page[b:]
    return page


def mark_entries(page: str, terms: list[Term]) -> str:
    """The glossary page with ``id`` and ``class="kit-entry"`` on each entry's paragraph."""
    wanted = {t.term: t.anchor for t in terms}
    tokens = scan(page)
    edits = []
    for i, token in enumerate(tokens[:-2]):
        if not (token.kind == "open" and token.tag == "p" and tokens[i + 1].kind == "open" and tokens[i + 1].tag == "strong"):
            continue
        words = []
        for following in tokens[i + 2 :]:
            if following.kind == "close" and following.tag == "strong":
                break
            if following.kind == "text":
                words.append(following.markup)
        term = _plain(html.unescape("".join(words))).rstrip(".:").strip()
        if term in wanted and "id=" not in token.markup:
            edits.append((token.start, token.end, f'<p class="kit-entry" id="{wanted.pop(term)}">'))
    for a, b, text in reversed(edits):
        page = page[:a] + text + page[b:]
    return page
