"""A lesson's title and card (time, objectives, questions, prerequisites), read from its metadata.

The lesson template is ``metadata["lesson"]`` (see ``kit.lesson``); pages read it
defensively, so a notebook with a partial template still gets a page::

    >>> nb = {"metadata": {"lesson": {"title": "Moldova", "teaching_minutes": 40, "exercise_minutes": "20"}}}
    >>> title_of(nb, "04_moldova"), time_line(lesson_of(nb))
    ('Moldova', '40 min teaching + 20 min exercises and discussion (60 min)')
"""

from __future__ import annotations

import html
import re

from ..notebook import source_text


def as_list(value) -> list[str]:
    """Lesson metadata read defensively: a string, a list, or nothing.

    >>> as_list("one"), as_list(["a", "", "b"]), as_list(None)
    (['one'], ['a', 'b'], [])
    """
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    return [text] if text else []


def minutes(value) -> int | None:
    """A number of minutes from metadata, or None when absent or not a number.

    >>> minutes(45), minutes("30"), minutes("soon"), minutes(None)
    (45, 30, None, None)
    """
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def time_line(lesson: dict) -> str:
    """'45 min teaching + 20 min exercises and discussion' from the lesson metadata.

    ``kit.lesson`` counts ``exercise_minutes`` as the exercises and the Discuss prompts together,
    or, in a template that lists its ``exercises`` notebooks, as the Discuss prompts alone (the
    notebooks are timed separately); this line says "exercises and discussion" in both cases.

    >>> time_line({"teaching_minutes": 45, "exercise_minutes": 20})
    '45 min teaching + 20 min exercises and discussion (65 min)'
    >>> time_line({"teaching_minutes": 30})
    '30 min teaching'
    >>> time_line({})
    ''
    """
    teach, practise = minutes(lesson.get("teaching_minutes")), minutes(lesson.get("exercise_minutes"))
    parts = []
    if teach:
        parts.append(f"{teach} min teaching")
    if practise:
        parts.append(f"{practise} min exercises and discussion")
    text = " + ".join(parts)
    if teach and practise:
        text += f" ({teach + practise} min)"
    return text


def lesson_of(nb: dict) -> dict:
    """The notebook's ``metadata["lesson"]`` (an empty dict when absent or malformed)."""
    lesson = (nb.get("metadata") or {}).get("lesson")
    return lesson if isinstance(lesson, dict) else {}


def title_of(nb: dict, fallback: str) -> str:
    """The lesson title, else the notebook's first ``# heading``, else ``fallback``.

    >>> title_of({"cells": [{"cell_type": "markdown", "source": "# Moldova\\ntext"}]}, "x")
    'Moldova'
    """
    title = str(lesson_of(nb).get("title") or "").strip()
    if title:
        return title
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in source_text(cell.get("source")).splitlines():
                if line.startswith("# "):
                    return re.sub(r"[*_`]", "", line[2:]).strip()
    return fallback.replace("_", " ")


def lesson_card(lesson: dict) -> str:
    """The lesson template's header: time, objectives, questions, prerequisites.

    >>> print(lesson_card({"objectives": ["Explain Article 5"], "teaching_minutes": 40}))
    <aside class="kit-lesson" aria-label="About this lesson">
    <p class="kit-time">40 min teaching</p>
    <h2>Learning objectives</h2>
    <ul><li>Explain Article 5</li></ul>
    </aside>
    """
    sections = [
        ("Learning objectives", as_list(lesson.get("objectives"))),
        ("Questions", as_list(lesson.get("questions"))),
        ("Before this lesson", as_list(lesson.get("prerequisites"))),
    ]
    if not any(items for _, items in sections) and not time_line(lesson):
        return ""
    lines = ['<aside class="kit-lesson" aria-label="About this lesson">']
    if time_line(lesson):
        lines.append(f'<p class="kit-time">{html.escape(time_line(lesson))}</p>')
    for heading, items in sections:
        if items:
            lines.append(f"<h2>{heading}</h2>")
            lines.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    lines.append("</aside>")
    return "\n".join(lines)
