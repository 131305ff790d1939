"""What grading writes: ``grades.csv`` and one offline feedback page per student.

    write_outputs(results, exercises, Path("grades"))    # grades/grades.csv, grades/feedback/<student>.html

``grades.csv`` has one row per student and exercise: ``student`` (then ``student_id`` when a
roster is given), ``exercise``, one column per auto-checked question, ``total``, ``max``, then
``notes``. Every text cell is quoted, without control characters, and defused where a
spreadsheet would run it as a formula under any delimiter (``kit.exercises.names``); folder
names that differ only by invisible or look-alike characters are flagged in ``notes``. Each
feedback page is plain HTML with no script and nothing loaded from the network; it lists the
questions the perturbed second run does not protect, and ``protection.csv`` (when a protection
table is given) says for each question what protects it. The folder is written in full next to
the old one, then swapped in.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

from ..files import replace_folder
from .names import clean, csv_cell, lookalike_notes, shown_name
from .versions import DISCUSSION_STUB


def _csv_safe(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (see :func:`kit.exercises.names.csv_cell`).

    >>> _csv_safe("=HYPERLINK()"), _csv_safe("ana"), _csv_safe("a;=1")
    ("'=HYPERLINK()", 'ana', "a;'=1")
    """
    return csv_cell(text)


def _number(value: float):
    """A score as the CSV writer leaves it unquoted: 1.0 -> 1, 0.5 -> 0.5."""
    return int(value) if float(value).is_integer() else float(value)


def _slug(name: str) -> str:
    """A safe file name for a student's feedback page.

    >>> _slug("../Ana María/x")
    'Ana-Mar-a-x'
    """
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")
    return slug or "student"


def grades_csv(results: list, exercises: list, student_ids: dict | None = None) -> str:
    """The class's grades (``kit.exercises.grade.Graded`` records) as CSV text, one row per student and exercise.

    ``student_ids`` ({folder: id}, from ``--roster``) adds a ``student_id`` column.
    """
    questions = []
    for ex in exercises:
        questions += [q for q in ex.specs if q not in questions]
    look = lookalike_notes(g.student for g in results)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    ids = ["student_id"] if student_ids is not None else []
    writer.writerow(["student", *ids, "exercise", *questions, "total", "max", "notes"])
    for g in results:
        row = [_csv_safe(shown_name(g.student))]
        row += [_csv_safe(student_ids.get(g.student, ""))] if student_ids is not None else []
        row += [_csv_safe(g.exercise)]
        row += [_number(g.scores[q]) if q in g.scores else "" for q in questions]
        notes = ([look[g.student]] if g.student in look else []) + list(g.notes)
        row += [_number(g.total), _number(g.max), _csv_safe("; ".join(clean(n) for n in notes))[:500]]
        writer.writerow(row)
    return buf.getvalue()


def protection_csv(protection: dict) -> str:
    """``exercise,question,protection``: what makes each question's answer change on the perturbed copy."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(["exercise", "question", "protection"])
    for exercise, table in protection.items():
        for q, what in table.items():
            writer.writerow([_csv_safe(exercise), _csv_safe(q), _csv_safe(what)])
    return buf.getvalue()


def unprotected(protection: dict | None, exercise: str) -> list[str]:
    """The questions of ``exercise`` whose answer is the same on the perturbed copy."""
    return [q for q, what in ((protection or {}).get(exercise) or {}).items() if what == "unprotected"]


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1f2328}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;
border-bottom:1px solid #d0d7de}.right{color:#1a7f37}.close{color:#9a6700}.no{color:#b42318}
.note{background:#fff8c5;padding:.4rem .6rem;border-radius:4px}blockquote{border-left:3px solid #d0d7de;
margin:.5rem 0;padding:.2rem .8rem;white-space:pre-wrap}small{color:#57606a}
@media print{body{margin:0}}
"""


def feedback_html(student: str, graded: list, exercises: dict, protection: dict | None = None) -> str:
    """One student's feedback page: plain HTML, no scripts, nothing loaded from the network.

    Every text from a submission is shown without control characters; ``protection``
    ({exercise: {question: what protects it}}) lists the questions the second run cannot check.
    """
    def esc(text) -> str:
        return html.escape(clean(text))
    name = shown_name(student)
    again = (" It ran a second time on a copy of the data with some values changed; a mark needs both runs right."
             if protection is not None else "")
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Feedback: {esc(name)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Feedback for {esc(name)}</h1>",
             "<p><small>Generated by <code>python -m kit grade</code>. Each answer was checked by running "
             f"your notebook from top to bottom in a fresh kernel.{again}</small></p>"]
    if len(graded) > 1:
        parts.append("<table><thead><tr><th>Exercise</th><th>Points</th></tr></thead><tbody>")
        parts += [f"<tr><td>{esc(g.exercise)}</td><td>{g.total:g} / {g.max:g}</td></tr>" for g in graded]
        parts.append("</tbody></table>")
    for g in graded:
        ex = exercises.get(g.exercise)
        parts.append(f"<h2>{esc(g.exercise)}: {g.total:g} / {g.max:g}</h2>")
        for note in g.notes:
            parts.append(f'<p class="note">{esc(note)}</p>')
        same = unprotected(protection, g.exercise)
        if same:
            parts.append(f"<p><small>Checked on the original data only (their answers do not change on the "
                         f"changed copy): {esc(', '.join(same))}.</small></p>")
        parts.append("<table><thead><tr><th>Question</th><th>Points</th><th>Feedback</th></tr></thead><tbody>")
        for q, result in g.results.items():
            cls = {"right": "right", "close": "close"}.get(result.status, "no")
            parts.append(f'<tr><td>{esc(q)}</td><td class="{cls}">{g.scores.get(q, 0):g} / {g.points.get(q, 0):g}'
                         f"</td><td>{esc(result.message)}</td></tr>")
        parts.append("</tbody></table>")
        trouble = [c for c in g.cells if c.status not in ("ok", "not run") or c.truncated]
        if trouble:
            parts.append("<h3>Cells with problems</h3><ul>")
            for c in trouble:
                text = c.label + (f": {c.status}" if c.status != "ok" else "") + (f": {c.detail}" if c.detail else "")
                if c.truncated:
                    text += ": its output was too long and was cut"
                parts.append(f"<li>{esc(text)}</li>")
            parts.append("</ul>")
        for q in (ex.open_questions if ex else []):
            answer = g.open_answers.get(q, "").strip()
            parts.append(f"<h3>{esc(q)} (discussion: read by your teacher, not auto-graded)</h3>")
            shown = html.escape(clean(answer, keep_newlines=True))
            parts.append(f"<blockquote>{shown if answer and answer != DISCUSSION_STUB else '<em>no answer</em>'}"
                         "</blockquote>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_outputs(results: list, exercises: list, out: Path, student_ids: dict | None = None,
                  protection: dict | None = None):
    """grades.csv and feedback/<student>.html, written to a temporary folder then moved into place.

    ``student_ids``: {folder: id} from the roster; ``protection``: {exercise: {question: what}} from
    :func:`kit.exercises.perturb.protection` (each page lists the questions it leaves unprotected;
    ``protection.csv`` has the whole table).
    """
    with replace_folder(out) as staging:
        (staging / "grades.csv").write_text(grades_csv(results, exercises, student_ids), encoding="utf-8")
        if protection is not None:
            (staging / "protection.csv").write_text(protection_csv(protection), encoding="utf-8")
        (staging / "feedback").mkdir()
        by_student: dict = {}
        for g in results:
            by_student.setdefault(g.student, []).append(g)
        names = {ex.name: ex for ex in exercises}
        used_slugs: set = set()
        for student, graded in by_student.items():
            slug = _slug(student)
            while slug in used_slugs:
                slug += "_"
            used_slugs.add(slug)
            (staging / "feedback" / f"{slug}.html").write_text(feedback_html(student, graded, names, protection), encoding="utf-8")
