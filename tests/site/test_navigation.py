"""Finding your way, without a browser: outlines, the lesson list, glossary links and the search index.

The site-wide pass (``kit.site.decorate``) runs on page HTML; these tests give it pages shaped as
the kit writes them (nbconvert's headings with ids, the lesson card, charts with captions) and the
real ``notebooks/glossary.md``. The browser checks are in test_search_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT

from kit.site import decorate, glossary_links, navigation, outline, search
from kit.site.markup import markdown

GLOSSARY_MD = (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8")
TERMS = glossary_links.entries(GLOSSARY_MD)
LESSONS = [navigation.Lesson("00_start", "Start here", worksheet=True), navigation.Lesson("01_guarantees", "Security guarantees"),
           navigation.Lesson("02_spending", "Defence spending", worksheet=True)]  # fmt: skip
SITE = decorate.Site(tuple(LESSONS), "student", frozenset({"glossary.html"}), GLOSSARY_MD)


def page(body: str, title: str = "A lesson") -> str:
    """A page shaped like a handout (top bar, <main>, footer)."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n<style>\np {{}}\n</style>\n'
            f'</head>\n<body>\n<a class="kit-skip" href="#main">Skip</a>\n<nav class="kit-nav" aria-label="Lessons"><a href="index.html">All lessons</a></nav>\n'
            f'<main id="main">\n{body}\n</main>\n<footer><p>Footer</p></footer>\n</body>\n</html>\n')  # fmt: skip


LESSON = page(
    '<h1 id="Defence-spending">Defence spending<a class="anchor-link" href="#Defence-spending">&#182;</a></h1>\n'
    '<aside class="kit-lesson" aria-label="About this lesson"><h2>Learning objectives</h2><ul><li>Explain GDP</li></ul></aside>\n'
    '<h2 id="Why?">Why?<a class="anchor-link" href="#Why?">&#182;</a></h2>\n'
    "<p>A ceasefire is not an armistice. Another ceasefire. <code>GDP</code> in code, then GDP in text, then GDP again.</p>\n"
    '<h3>A detail</h3>\n<p>The <a href="https://example.org">Article 5 text</a>; Article 5 itself; the "Article 5-like" offer.</p>\n'
    '<h2>Charts</h2>\n<figure class="kit-chart" id="c1"><svg><text>Reassurance force</text></svg>'
    "<figcaption><p>A reassurance force chart</p></figcaption></figure>\n"
    "<h2>Charts</h2>\n<p>A reassurance force after a ceasefire, with pas and PAS.</p>\n"
    "<h2>Security guarantee explained</h2>\n<ul><li>Security guarantees, twice: security guarantee.</li></ul>\n"
)


def outline_links(text: str) -> list[str]:
    nav = re.search(r'<nav class="kit-outline".*?</nav>', text, re.S).group(0)
    return re.findall(r'href="#([^"]+)"', nav)


def ids_of(text: str, tag: str) -> list[str]:
    start, stop = outline.main_span(text)
    return [m for m in re.findall(rf'<{tag}[^>]*\sid="([^"]+)"', text[start:stop])]


# --------------------------------------------------------------------------- outlines


def test_the_outline_lists_every_h2_and_h3_of_the_content_in_order_with_ids_that_land():
    from urllib.parse import unquote

    text = decorate.decorate_page(LESSON, "02_spending.html", SITE)
    links = [unquote(link) for link in outline_links(text)]
    h2 = [h.anchor for h in outline.headings(LESSON) if h.level == 2]
    assert h2 == ["Why?", "charts", "charts-2", "security-guarantee-explained"]  # the lesson card's heading is not a section
    assert links == ["Why?", "a-detail", "charts", "charts-2", "security-guarantee-explained"]
    for anchor in links:
        assert text.count(f'id="{anchor}"') == 1, anchor
    assert outline.outline_nav([]) == "" and '<nav class="kit-outline"' not in decorate.decorate_page(page("<h1>T</h1><h2>One</h2>"), "x.html", SITE)


def test_the_outline_is_collapsible_without_javascript_and_left_out_of_print():
    text = decorate.decorate_page(LESSON, "02_spending.html", SITE)
    nav = re.search(r'<nav class="kit-outline" aria-label="On this page">\n<details class="kit-fold" open><summary>', text)
    assert nav and text.index("</h1>") < nav.start() < text.index('id="Why?"')
    css = (ROOT / "kit" / "site" / "templates" / "site_nav.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print"):]
    assert ".kit-site-nav" in printed and ".kit-outline" in printed and ".kit-tip" in printed


# --------------------------------------------------------------------------- the lesson list


@pytest.mark.parametrize("path", ["00_start.html", "01_guarantees.html", "worksheets/00_start.html", "worksheets/02_spending.html",
                                  "glossary.html", "index.html", "search.html"])  # fmt: skip
def test_every_page_lists_every_lesson_and_marks_itself_current(path):
    text = decorate.decorate_page(page("<h1>T</h1>"), path, SITE)
    nav = re.search(r'<nav class="kit-site-nav" aria-label="All lessons">.*?</nav>', text, re.S).group(0)
    up = "../" if path.startswith("worksheets/") else ""
    for lesson in LESSONS:
        assert f'href="{up}{lesson.name}.html"' in nav
        worksheet = navigation.relative(path, f"worksheets/{lesson.name}.html")
        assert (f'href="{worksheet}"' in nav) == lesson.worksheet  # only the worksheets that exist
    assert f'href="{up}search.html"' in nav and f'href="{up}glossary.html"' in nav and f'href="{up}index.html"' in nav
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', nav)
    assert current == [navigation.relative(path, path)]


def test_the_teachers_site_links_each_lessons_teacher_page_and_worksheet():
    teacher = decorate.Site(tuple(LESSONS), "teacher", frozenset(), "")
    nav = navigation.site_nav("00_start.html", list(teacher.lessons), "teacher")
    assert 'href="00_start.html" aria-current="page">Start here</a>' in nav and 'href="student/worksheets/00_start.html"' in nav
    assert "glossary.html" not in nav  # the site has no glossary page: no link that cannot resolve


def test_links_are_relative_so_a_copied_folder_works_from_disk():
    text = decorate.decorate_page(LESSON, "worksheets/02_spending.html", SITE)
    added = text[text.index('<nav class="kit-site-nav"'):text.index("<main")]
    for href in re.findall(r'href="([^"]+)"', added):
        assert not re.match(r"^[a-z]+:|^/", href), href


def test_decorating_is_deterministic_and_done_once():
    once = decorate.decorate_site({"02_spending.html": LESSON, "glossary.html": page(markdown(GLOSSARY_MD))}, SITE)
    again = decorate.decorate_site({"02_spending.html": LESSON, "glossary.html": page(markdown(GLOSSARY_MD))}, SITE)
    assert once == again
    assert decorate.decorate_site(once, SITE) == once  # an already decorated page is left as it is


# --------------------------------------------------------------------------- glossary links


def test_the_terms_are_the_glossarys_own_entries():
    entries = re.findall(r"^\*\*(.+?)\*\*", GLOSSARY_MD, re.M)
    assert [t.term for t in TERMS] == [e.rstrip(".") for e in entries]
    assert len({t.anchor for t in TERMS}) == len(TERMS)
    for term in TERMS:
        assert term.short and term.short in " ".join(GLOSSARY_MD.replace("*", "").split()), term.term
    gdp = next(t for t in TERMS if t.term.startswith("GDP"))
    assert gdp.forms == ("GDP", "gross domestic product")


def test_a_new_glossary_entry_is_linked_with_no_code_change():
    site = decorate.Site(tuple(LESSONS), "student", frozenset({"glossary.html"}), GLOSSARY_MD + "\n\n**Frozen conflict.** A war that stopped without a settlement. More.\n")
    text = decorate.decorate_page(page("<h1>T</h1><p>A frozen conflict.</p>"), "00_start.html", site)
    assert '<a class="kit-term" href="glossary.html#term-frozen-conflict"' in text
    assert ">Frozen conflict: A war that stopped without a settlement.</span>" in text


def test_the_first_use_of_each_term_links_once_to_its_entry_with_its_short_definition():
    text = decorate.decorate_page(LESSON, "02_spending.html", SITE)
    links = re.findall(r'<a class="kit-term" href="glossary.html#([^"]+)" aria-describedby="([^"]+)">([^<]+)</a>', text)
    anchors = [a for a, _, _ in links]
    assert len(anchors) == len(set(anchors)), anchors  # once per page
    words = {a: w for a, _, w in links}
    assert words["term-ceasefire"] == "ceasefire" and words["term-armistice"] == "armistice"
    assert words["term-gdp-gross-domestic-product"] == "GDP"  # the one in <code> is not linked: the next one is
    assert words["term-article-5"] == "Article 5"  # not the one inside a link
    assert words["term-article-5-like-guarantees"] == "Article 5-like"
    assert words["term-pas-party-of-action-and-solidarity"] == "PAS"  # an acronym matches only in capitals
    assert words["term-security-guarantee"] == "Security guarantees"  # plural; not the heading's
    assert words["term-reassurance-force"] == "reassurance force"  # not the chart's drawing or caption
    for anchor, tip, _ in links:
        term = next(t for t in TERMS if t.anchor == anchor)
        assert re.search(rf'<span class="kit-tip" role="tooltip" id="{tip}">[^<]*{re.escape(term.short[:30])}', text.replace("&#x27;", "'"))
    start, stop = outline.main_span(text)
    assert 'class="kit-term"' not in text[:start] + text[stop:]
    for tag in ("h1", "h2", "h3", "code", "figcaption"):
        for inside in re.findall(rf"<{tag}\b.*?</{tag}>", text, re.S):
            assert 'class="kit-term"' not in inside, inside


def test_the_glossary_page_gives_every_entry_an_id_and_links_no_terms():
    glossary = page(markdown(GLOSSARY_MD), "Glossary")
    text = decorate.decorate_page(glossary, "glossary.html", SITE)
    for term in TERMS:
        assert text.count(f'<p class="kit-entry" id="{term.anchor}">') == 1, term.term
    assert 'class="kit-term"' not in text
    assert 'href="../glossary.html#term-ceasefire"' in decorate.decorate_page(LESSON, "worksheets/02_spending.html", SITE)


# --------------------------------------------------------------------------- search index


def test_the_search_index_covers_every_page_and_section_with_anchors_that_exist():
    pages = decorate.decorate_site({"00_start.html": page('<h1 id="Start">Start</h1><p>The very first words.</p>', "Start here"),
                                    "02_spending.html": LESSON,
                                    "worksheets/02_spending.html": page('<h1 id="W">Worksheet</h1><h2>Question 1</h2><p>Read it.</p>'),
                                    "glossary.html": page(markdown(GLOSSARY_MD), "Glossary"),
                                    "index.html": page("<h1>Index</h1>")}, SITE)  # fmt: skip
    index = search.build_index(pages)
    listed = [p[0] for p in index["pages"]]
    assert listed == ["00_start.html", "02_spending.html", "glossary.html", "worksheets/02_spending.html"]  # not the index
    for n, (path, _, _) in enumerate(index["pages"]):
        anchors = [s[2] for s in index["sections"] if s[0] == n]
        assert anchors, path
        for anchor in anchors:
            assert f'id="{anchor}"' in pages[path].replace("&#x27;", "'"), (path, anchor)
    headings = [s[1] for s in index["sections"] if s[0] == 1]
    assert headings == ["Defence spending", "Why?", "A detail", "Charts", "Charts", "Security guarantee explained"]
    why = next(s for s in index["sections"] if s[1] == "Why?")[3]
    assert why.startswith("A ceasefire is not an armistice.") and "On this page" not in why and "fighting" not in why  # no tooltips
    glossary = [s for s in index["sections"] if index["pages"][s[0]][0] == "glossary.html"]
    assert {s[2] for s in glossary} >= {t.anchor for t in TERMS}


def test_the_search_page_is_one_file_with_its_index_and_no_network(tmp_path):
    from kit.site.exporter import common_fields

    index = search.build_index({"02_spending.html": decorate.decorate_page(LESSON, "02_spending.html", SITE)})
    text = decorate.decorate_page(search.search_page(index, common_fields), "search.html", SITE)
    data = re.search(r'<script type="application/json" id="kit-search-index">(.*?)</script>', text, re.S).group(1)
    assert "</" not in data and "<!--" not in data and '"Why?"' in data
    tricky = {"sections": [[0, "</script>", "a", "<!-- x </script>"]]}
    assert json.loads(search.index_json(tricky)) == tricky
    assert not re.search(r'\s(src|href)="(https?:)?//', text)
    assert 'role="status"' in text and '<label for="kit-q">' in text and 'aria-current="page">Search the lessons</a>' in text


def test_the_build_pass_decorates_what_it_writes_and_indexes_what_is_already_there(tmp_path):
    folder, out = tmp_path / "notebooks", tmp_path / "site"
    folder.mkdir()
    out.mkdir()
    (folder / "glossary.md").write_text(GLOSSARY_MD, encoding="utf-8")
    sources = [SimpleNamespace(kind="notebook", name=lesson.name, path=folder / f"{lesson.name}.ipynb",
                               nb={"metadata": {"lesson": {"title": lesson.title}}, "cells": []}) for lesson in LESSONS]  # fmt: skip
    sources.append(SimpleNamespace(kind="page", name="glossary", path=folder / "glossary.md", nb=None))
    old = decorate.decorate_page(page('<h1 id="S">Start</h1><h2 id="old">Kept</h2><p>Written by an earlier build.</p>'), "00_start.html",
                                 decorate.site_of(sources))  # fmt: skip
    (out / "00_start.html").write_text(old, encoding="utf-8")
    from kit.site.finish import site_pass

    written = dict(site_pass([(out / "02_spending.html", LESSON)], out, sources))
    assert sorted(p.name for p in written) == ["02_spending.html", "search.html"]
    assert 'aria-current="page">Defence spending</a>' in written[out / "02_spending.html"]
    index = written[out / "search.html"]
    assert "Written by an earlier build." in index and "A ceasefire is not an armistice." in index


# --------------------------------------------------------------------------- build keys


def test_every_page_key_changes_when_the_lesson_list_or_the_glossary_changes(tmp_path):
    """Each page's navigation shows the lesson list and links the glossary: both are in every page's key."""
    from kit.site import cache, sources

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb"))[:2]:
        shutil.copy(nb, folder / nb.name)
    shutil.copy(ROOT / "notebooks" / "glossary.md", folder / "glossary.md")

    def keys():
        return {s.name: s.page_key for s in sources.plan(sorted(folder.glob("*.ipynb")))}

    first = keys()
    glossary = folder / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n**Frozen conflict.** A war that stopped.\n", encoding="utf-8")
    second = keys()
    assert all(second[n] != first[n] for n in first)
    lesson = sorted(folder.glob("*.ipynb"))[0]
    shutil.copy(lesson, folder / "09_new.ipynb")
    third = keys()
    assert all(third[n] != second[n] for n in second)
    code = cache.kit_files("page")
    for module in ("decorate", "finish", "navigation", "outline", "glossary_links", "search", "htmlscan"):
        assert Path(cache.KIT_DIR / "site" / f"{module}.py") in code, module
    assert cache.KIT_DIR / "site" / "templates" / "search.js" in code


def test_the_teachers_edition_gets_its_own_lesson_list_and_search_and_keeps_the_student_site_apart(tmp_path):
    from kit.site.finish import site_pass

    out = tmp_path / "site-teacher"
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "glossary.md").write_text(GLOSSARY_MD, encoding="utf-8")
    sources = [SimpleNamespace(kind="notebook", name="02_spending", path=folder / "02_spending.ipynb",
                               nb={"metadata": {"lesson": {"title": "Defence spending"}},
                                   "cells": [{"cell_type": "markdown", "metadata": {"tags": ["worksheet-question"]}, "source": "Q"}]}),
               SimpleNamespace(kind="page", name="glossary", path=folder / "glossary.md", nb=None)]  # fmt: skip
    teacher_page = page('<h1 id="T">Defence spending</h1><h2 id="plan">Timing plan</h2><p>Teacher words about a ceasefire.</p>'
                        '<h2 id="keys">Answer keys</h2><p>Keys.</p>')  # fmt: skip
    written = dict(site_pass([(out / "02_spending.html", teacher_page), (out / "student" / "02_spending.html", LESSON),
                              (out / "student" / "glossary.html", page(markdown(GLOSSARY_MD), "Glossary"))],
                             out / "student", sources, teacher=out))  # fmt: skip
    assert set(written) == {out / "02_spending.html", out / "search.html", out / "student" / "02_spending.html",
                            out / "student" / "glossary.html", out / "student" / "search.html"}  # fmt: skip
    nav = written[out / "02_spending.html"]
    assert 'href="02_spending.html" aria-current="page">Defence spending</a>' in nav
    assert 'href="student/02_spending.html">handout' in nav and 'href="student/worksheets/02_spending.html">worksheet' in nav
    assert 'href="student/glossary.html#term-ceasefire"' in nav
    student = written[out / "student" / "02_spending.html"]
    assert "student/" not in student and "Timing plan" not in written[out / "student" / "search.html"]
    teacher_index = written[out / "search.html"]
    assert "Teacher words about a ceasefire." in teacher_index and "A ceasefire is not an armistice." not in teacher_index
    # the glossary written in this same pass is searched on the teacher's site: a first build into an
    # empty folder indexes what a second one does (it once read only what an earlier build left on disk)
    indexed = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', teacher_index, re.S).group(1))
    assert "student/glossary.html" in [entry[0] for entry in indexed["pages"]]
