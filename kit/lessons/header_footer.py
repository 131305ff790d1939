"""The top and end of a lesson, from its template: the header, the key points and the dataset sources.

The first code cell of a lesson shows its header and the last its footer::

    lesson.header("02_defence_spending")          # title, time, prerequisites, objectives, questions
    ...
    lesson.footer("02_defence_spending", facts)   # key points, sources and how to cite them

Key points may hold ``{placeholders}`` filled from ``facts``, a dict the notebook computes
from the data, so no figure is typed by hand; a missing fact stops the lesson with a message
that names the notebook and the key point. :func:`time_text` says the lesson's time in words.
"""

from __future__ import annotations

import string

from ..charts.render import enable as enable_charts
from ..errors import KitError
from ..wording import WEAK_MARK, day, listing, md, sentence, tally
from .schema import exercise_title, notebook_path, template


def _bullets(items) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "- none"


def time_text(t: dict) -> str:
    """The lesson's time, in words: teaching, the Discuss prompts, and the exercise notebooks that go with it.

    A template with ``exercises`` (a list of exercise notebook stems, possibly empty) counts
    ``exercise_minutes`` as the time for its Discuss prompts and names the exercise notebooks by
    their own titles (their first '# ' heading; :func:`kit.lessons.schema.exercise_title`); one
    without keeps the older wording. An item that names no notebook is shown as written:

    >>> print(time_text({"teaching_minutes": 30, "exercise_minutes": 15, "exercises": ["Exercise 1, *Targets*"]}))
    **Time:** about 30 minutes of teaching and 15 minutes for the **Discuss** prompts.
    <BLANKLINE>
    **Exercise to go with it:** Exercise 1, *Targets* (a separate notebook with Python tasks, timed separately).
    >>> print(time_text({"teaching_minutes": 30, "exercise_minutes": 15, "exercises": []}))
    **Time:** about 30 minutes of teaching and 15 minutes for the **Discuss** prompts. No exercise notebook goes with this lesson: its Discuss prompts are its exercises.
    >>> time_text({"teaching_minutes": 30, "exercise_minutes": 20})
    '**Time:** about 30 minutes of teaching and 20 minutes of exercises and discussion.'
    """
    if "exercises" not in t:
        return (f"**Time:** about {t['teaching_minutes']} minutes of teaching and {t['exercise_minutes']} minutes of exercises "
                "and discussion.")
    text = f"**Time:** about {t['teaching_minutes']} minutes of teaching"
    text += f" and {t['exercise_minutes']} minutes for the **Discuss** prompts." if t["exercise_minutes"] else "."
    items = [exercise_title(str(item)) or str(item) for item in t["exercises"]]
    if not items:
        return text + " No exercise notebook goes with this lesson: its Discuss prompts are its exercises."
    what = "Exercise to go with it" if len(items) == 1 else "Exercises to go with it"
    kind = "a separate notebook with Python tasks, timed separately" if len(items) == 1 else "separate notebooks with Python tasks, timed separately"
    return text + f"\n\n**{what}:** {listing(items, None)} ({kind})."


def header(notebook):
    """The top of a lesson: title, time, prerequisites, objectives, questions (as Markdown).

    It also picks the chart renderer that fits where the notebook runs (JupyterLab or the
    handout build), so the lesson's charts show right without an import doing it.
    """
    enable_charts()
    t = template(notebook)
    lines = [f"# {t['title']}", "", time_text(t), "",
             "**Before this lesson:** " + ("; ".join(t["prerequisites"]) if t["prerequisites"] else "nothing."), "",
             "**By the end you will be able to:**", "", _bullets(t["objectives"]), "",
             "**Questions this lesson answers:**", "", _bullets(t["questions"])]
    return md("\n".join(lines))


def _fill(text: str, facts: dict, where: str) -> str:
    for _, field, _, _ in string.Formatter().parse(text):
        if field and field not in facts:
            raise KitError(f"{where} needs the fact {{{field}}}; compute it in the notebook and pass it in facts={{...}}")
    return text.format(**facts)


def sources(names) -> str:
    """Markdown list of the datasets: when each was checked, when to check it again, how many
    rows rest on weak sources, and how to cite it (``kit.cite``: its citation names the original
    publishers it was compiled from; a single figure is cited to the publisher in its row's sources).

    >>> print(sources(["military_expenditure"]).splitlines()[0])   # doctest: +ELLIPSIS
    - **...**: data as of ...; review by ....
    """
    import pandas as pd

    from ..data import load, provenance

    lines = []
    for name in names:
        p = provenance(name)
        try:
            rows = load(name)
        except KitError:
            rows = None
        dates = "; ".join(f"{what} {day(pd.Timestamp(p[key]))}" for what, key in (("data as of", "as_of"), ("review by", "review_by"))
                          if p.get(key))
        lines.append(f"- **{p['title']}**: {dates or 'dates not recorded'}.")
        if rows is not None and "weak_source" in rows.columns:
            weak = int(rows["weak_source"].fillna(False).astype(bool).sum())
            if weak:
                lines.append(f"  {sentence(tally(weak, len(rows), 'rows', 'from weak sources', tense='present'))[:-1]} "
                             f"(no official, wire or press copy read; marked {WEAK_MARK} in tables, charts and tooltips).")
        lines.append(f"  Cite as: {p['citation']}")
    return "\n".join(lines)


def footer(notebook, facts: dict | None = None):
    """The end of a lesson: key points (with their facts filled in), sources and how to cite."""
    t = template(notebook)
    facts = dict(facts or {})
    name = notebook_path(notebook).name
    points = [_fill(p, facts, f"{name}: key point {i}") for i, p in enumerate(t["key_points"], 1)]
    lines = ["## Key points", "", _bullets(points), "", "## Sources", "",
             "The data behind this lesson, with the date each dataset was last checked (\"as of\"). "
             "After the review date, look for newer figures before teaching from it. Cite a dataset as a whole with its "
             "\"Cite as\" line, which names the publishers it was compiled from; cite a single figure or event to its "
             "original publisher, named in the row's sources.", "",
             sources(t["datasets"])]
    if t["resources"]:
        lines += ["", "## Further reading", "", _bullets(t["resources"])]
    return md("\n".join(lines))
