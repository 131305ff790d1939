"""The teacher's page of a lesson: the lesson with its notes and suggested answers, a timing plan and the answer keys.

    from kit.site.teacher import render_teacher, timing_plan
    plan = timing_plan(lesson_metadata)          # rows with section, activity, minutes, start; and the total
    text = render_teacher(executed_nb, keys=exercise_keys, **context)

``python -m kit build --teacher`` writes one per lesson to ``site-teacher/<lesson>.html`` (see
``kit.site.build``), from the same executed notebook as the handout and the worksheet. The page is
the handout's (``kit.site.exporter.HandoutExporter``, with the template ``templates/kit_teacher/``,
which extends the handout's) with:

- cells tagged ``instructor`` kept, labelled "Instructor note", and ``teacher-answer`` cells kept
  after their Discuss prompt, labelled "Suggested answer";
- after the lesson card, the timing plan from ``lesson.sections`` (minutes, running start time;
  the total is the metadata's teaching + exercise minutes, checked by ``kit.lessons.schema``) and
  links to the handout and the worksheet;
- at the end, the worksheet's questions with their answers (the ``worksheet-answer`` cells,
  computed from the data when the lesson ran), and the answer keys of the lesson's exercises
  (``kit.site.answer_keys``: the solutions' answers, never typed).
"""

from __future__ import annotations

import html
from functools import lru_cache

from markupsafe import Markup
from nbformat import from_dict
from traitlets import default

from ..lessons.schema import ACTIVITIES
from .exporter import TEMPLATES, HandoutExporter, arrange
from .lesson_card import lesson_of, minutes
from .markup import markdown
from .worksheet import items as worksheet_items
from .worksheet import static_figure

TEACHER_KEEPS = {"instructor", "teacher-answer"}         # dropped from the handout, shown here with a label
LEFT_OUT = {"remove-cell", "remove_cell", "worksheet-question", "worksheet-answer"}   # shown in the worksheet section instead
ACTIVITY_WORDS = dict(zip(ACTIVITIES, ("Teach", "Discuss", "Explore", "Exercise"), strict=True))


def clock(start: int) -> str:
    """Minutes from the start of the lesson as h:mm.

    >>> clock(0), clock(75)
    ('0:00', '1:15')
    """
    return f"{start // 60}:{start % 60:02d}"


def timing_plan(lesson: dict) -> dict:
    """The timing plan from ``lesson["sections"]``: ``rows`` (title, activity, minutes, start) and ``total``.

    >>> plan = timing_plan({"sections": [{"title": "A", "minutes": 10, "activity": "teach"},
    ...                                  {"title": "B", "minutes": 5, "activity": "discuss"}]})
    >>> [(r["title"], r["start"]) for r in plan["rows"]], plan["total"]
    ([('A', '0:00'), ('B', '0:10')], 15)
    """
    rows, start = [], 0
    for entry in lesson.get("sections") or []:
        if not isinstance(entry, dict):
            continue
        mins = minutes(entry.get("minutes")) or 0
        rows.append(dict(title=str(entry.get("title", "")).removeprefix("## ").strip(), minutes=mins, start=clock(start),
                         activity=ACTIVITY_WORDS.get(entry.get("activity"), str(entry.get("activity") or ""))))
        start += mins
    return {"rows": rows, "total": start}


def _plan_html(lesson: dict, links: dict) -> str:
    plan = timing_plan(lesson)
    esc = html.escape
    lines = ['<section class="kit-teacher-top" aria-labelledby="kit-plan-title">',
             '<h2 id="kit-plan-title">Teacher\'s edition: timing plan</h2>',
             '<p class="kit-teacher-links">For the class: '
             + " &middot; ".join(f'<a href="{esc(href)}">{esc(label)}</a>' for label, href in links.items()) + "</p>"]
    if plan["rows"]:
        lines += ['<table class="kit-plan">', "<caption>Sections in order, with the minutes each takes and when it starts</caption>",
                  '<thead><tr><th scope="col">Start</th><th scope="col">Section</th><th scope="col">Activity</th>'
                  '<th scope="col" class="num">Minutes</th></tr></thead>', "<tbody>"]
        lines += [f'<tr><td>{r["start"]}</td><td>{esc(r["title"])}</td><td>{esc(r["activity"])}</td><td class="num">{r["minutes"]}</td></tr>'
                  for r in plan["rows"]]
        lines += ["</tbody>", f'<tfoot><tr><th scope="row" colspan="3">Total (ends at {clock(plan["total"])})</th>'
                  f'<td class="num">{plan["total"]}</td></tr></tfoot>', "</table>"]
    else:
        lines.append("<p>No timing plan: the lesson's metadata has no <code>sections</code> (unknown).</p>")
    lines.append("</section>")
    return "\n".join(lines)


def _answer_html(cell: dict | None, page, md) -> str:
    if cell is None:
        return "<p>No answer cell (unknown).</p>"
    if cell.get("cell_type") == "markdown":
        return md("".join(cell.get("source")) if isinstance(cell.get("source"), list) else str(cell.get("source") or ""))
    return str(static_figure(cell, page, 0, md))


def _keys_html(keys: list[dict]) -> str:
    esc = html.escape
    lines = ['<section class="kit-teacher-keys" aria-labelledby="kit-keys-title">', '<h2 id="kit-keys-title">Exercise answer keys</h2>']
    if not keys:
        lines.append("<p>No exercise notebook goes with this lesson.</p>")
    for n, key in enumerate(keys, 1):
        lines.append(f'<h3 id="kit-key-{n}">{esc(key["title"])} <span class="kit-skill">(exercises/{esc(key["stem"])}.ipynb)</span></h3>')
        lines.append("<dl class=\"kit-key\">")
        for q in key["questions"]:
            lines.append(f"<dt>{esc(q['label'])}</dt>")
            answer = q["answer"]
            if answer is None:
                lines.append(f'<dd>Open question. {markdown(q["model"]) if q["model"] else "<p>No model answer written.</p>"}</dd>')
            elif "rows" in answer:
                head = "".join(f'<th scope="col">{esc(c)}</th>' for c in answer["columns"])
                body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in answer["rows"])
                lines.append(f'<dd><table class="kit-key-table"><caption>{esc(answer["note"])}</caption>'
                             f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></dd>")
            else:
                note = f' <span class="kit-skill">({esc(answer["note"])})</span>' if answer.get("note") else ""
                lines.append(f"<dd><strong>{esc(answer['text'])}</strong>{note}</dd>")
        lines.append("</dl>")
    lines.append("</section>")
    return "\n".join(lines)


def _worksheet_html(shown: list[dict], page, md, href: str) -> str:
    lines = ['<section class="kit-teacher-sheet" aria-labelledby="kit-sheet-title">', '<h2 id="kit-sheet-title">Worksheet answers</h2>']
    if not shown:
        lines.append("<p>This lesson has no worksheet questions.</p>")
    else:
        lines.append(f'<p>The questions of <a href="{html.escape(href)}">the worksheet</a>, each with the answer computed '
                     "from the data when the lesson was built.</p>")
    for item in shown:
        skill = f' <span class="kit-skill">({html.escape(item["skill"])})</span>' if item["skill"] else ""
        lines += [f'<section class="kit-teacher-question"><h3>Question {item["number"]}{skill}</h3>', str(item["question"]),
                  '<div class="kit-teacher-note" role="note"><p class="kit-teacher-label">Answer</p>',
                  _answer_html(item["q"].answer, page, md), "</div></section>"]
    lines.append("</section>")
    return "\n".join(lines)


def teacher_body(pieces: list[str], kit: dict) -> str:
    """The lesson's cells with the title and card (``arrange``), then the timing plan before the first section."""
    text = arrange(pieces, kit)
    top = str(kit.get("teacher_top") or "")
    at = text.find('<section class="kit-cell kit-md">\n<h2')
    return text[:at] + top + "\n" + text[at:] if at >= 0 else text + "\n" + top


class TeacherExporter(HandoutExporter):
    """The handout exporter with the teacher's template: notes and suggested answers kept and labelled."""

    export_from_notebook = "Kit teacher's page"

    @default("template_name")
    def _template_name_default(self):
        return "kit_teacher"

    @default("extra_template_paths")
    def _extra_template_paths_default(self):
        return [str(TEMPLATES)]   # so the template can extend "kit_handout/index.html.j2"

    @property
    def default_config(self):
        config = super().default_config.copy()
        config.TagRemovePreprocessor.remove_cell_tags = set(LEFT_OUT)
        return config

    def default_filters(self):
        yield from super().default_filters()
        yield ("kit_teacher_body", teacher_body)

    def _preprocess(self, nb, resources):
        nb, resources = super()._preprocess(nb, resources)
        page = resources["kit"]["page"]   # its styles go in the page's head
        for css in [(TEMPLATES / "teacher.css").read_text(encoding="utf-8"), *resources["kit"].get("teacher_styles", [])]:
            if css not in page.styles:
                page.styles.append(css)
        return nb, resources


@lru_cache(maxsize=1)
def _exporter() -> TeacherExporter:
    return TeacherExporter()


def render_teacher(nb: dict, *, name: str, build_key: str, pages: set[str], nav: dict, vega, keys: list[dict], where: str,
                   links: dict, folder=None, scrub_paths=(), overdue=()) -> str:
    """The teacher's page of an executed lesson; ``keys`` from :func:`kit.site.answer_keys.exercise_keys`,
    ``links`` the handout's and worksheet's addresses ({label: href})."""
    md = lambda text: markdown(text, folder, None)  # noqa: E731
    shown, page = worksheet_items(nb, name, where, folder, pages, scrub_paths)
    kit = dict(name=name, build_key=build_key, pages=set(pages), nav=nav, vega_fields=vega, folder=folder,
               scrub_paths=list(scrub_paths), overdue=list(overdue), teacher_top=Markup(_plan_html(lesson_of(nb), links)),
               teacher_end=Markup(_worksheet_html(shown, page, md, links.get("The worksheet", "")) + "\n" + _keys_html(keys)),
               teacher_styles=list(page.styles))  # fmt: skip
    resources = {"kit": kit, "metadata": {"name": name, "path": str(folder or "")}}
    text, _ = _exporter().from_notebook_node(from_dict(nb), resources)
    return text
