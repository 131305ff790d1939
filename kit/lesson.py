"""The lesson template: stored once in each notebook's metadata, shown at its top and end.

Every lesson notebook carries ``metadata["lesson"]``::

    {"title": ..., "objectives": [...], "questions": [...], "prerequisites": [...],
     "teaching_minutes": 25, "exercise_minutes": 20, "key_points": [...],
     "datasets": ["defence_spending", ...], "resources": [...]}

The first code cell shows it with ``kit.lesson.header("02_defence_spending")``; the last
shows the key points and the sources (generated from the datasets' provenance) with
``kit.lesson.footer("02_defence_spending", facts)``. Key points may hold ``{placeholders}``
filled from ``facts``, a dict the notebook computes from the data, so no figure is typed by
hand::

    >>> t = template("02_defence_spending")
    >>> sorted(t) == sorted(FIELDS)
    True
    >>> header("02_defence_spending").data.splitlines()[0]
    "# Defence spending: NATO's targets and who meets them"
    >>> footer("02_defence_spending", {}).data
    Traceback (most recent call last):
    ...
    kit.errors.KitError: 02_defence_spending.ipynb: key point 1 needs the fact {two}; compute it in the notebook and pass it in facts={...}

``md(text)`` displays Markdown built in a code cell (e.g. an f-string of computed figures).
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

from .errors import KitError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
# field -> (type, what it holds)
FIELDS = {
    "title": (str, "the lesson's title"),
    "objectives": (list, "learning objectives: what students will be able to do"),
    "questions": (list, "the questions the lesson answers"),
    "prerequisites": (list, "what to know or have done before"),
    "teaching_minutes": (int, "minutes of teaching"),
    "exercise_minutes": (int, "minutes of exercises and discussion"),
    "key_points": (list, "what to remember; may hold {placeholders} filled from facts"),
    "datasets": (list, "the kit datasets the lesson uses (their sources are listed at the end)"),
    "resources": (list, "further reading and related lessons"),
}


def _path(notebook) -> Path:
    name = str(notebook)
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    for candidate in (Path(name), Path.cwd() / name, NOTEBOOKS / Path(name).name):
        if candidate.is_file():
            return candidate
    raise KitError(f"no notebook {name} here ({Path.cwd()}) or in {NOTEBOOKS}")


def validate(meta: dict, where: str = "lesson") -> list[str]:
    """Problems with a lesson template (an empty list when it is complete).

    >>> validate({"title": "x"})[0]
    "lesson: metadata['lesson'] has no 'objectives' (learning objectives: what students will be able to do)"
    """
    problems = []
    for field, (kind, what) in FIELDS.items():
        if field not in meta:
            problems.append(f"{where}: metadata['lesson'] has no {field!r} ({what})")
        elif not isinstance(meta[field], kind) or isinstance(meta[field], bool):
            problems.append(f"{where}: metadata['lesson'][{field!r}] should be a {kind.__name__}, not {type(meta[field]).__name__}")
        elif kind is list and field not in ("prerequisites", "resources") and not meta[field]:
            problems.append(f"{where}: metadata['lesson'][{field!r}] is empty ({what})")
    for field in set(meta) - set(FIELDS):
        problems.append(f"{where}: metadata['lesson'] has an unknown field {field!r} (known: {', '.join(FIELDS)})")
    return problems


def template(notebook) -> dict:
    """The lesson template of ``notebook`` (a path or a name such as ``"02_defence_spending"``)."""
    path = _path(notebook)
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("lesson")
    except json.JSONDecodeError as err:
        raise KitError(f"{path.name}: not a valid notebook (line {err.lineno}: {err.msg})") from None
    if meta is None:
        raise KitError(f"{path.name}: no lesson template in its metadata (metadata['lesson'])")
    problems = validate(meta, path.name)
    if problems:
        raise KitError("\n".join(problems))
    return meta


def _bullets(items) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "- none"


def day(date) -> str:
    """A date as prose: ``5 September 2014`` (no leading zero).

    >>> import pandas as pd; day(pd.Timestamp("2014-09-05"))
    '5 September 2014'
    """
    return f"{date.day} {date:%B %Y}"


def as_of(name: str) -> str:
    """The date a dataset was last checked, as prose: for dating political facts in the text.

    >>> as_of("security_timeline")
    '24 February 2026'
    """
    import pandas as pd

    from .data import provenance

    return day(pd.Timestamp(provenance(name)["as_of"]))


_THE = re.compile(r"(?<![Tt]he )\b(United Kingdom|United States|Netherlands|Czech Republic|European Commission|European Council)\b")


def prose(text: str) -> str:
    """A data value made to read as prose: country names that take "the" get it.

    >>> prose("United Kingdom (Starmer)")
    'the United Kingdom (Starmer)'
    >>> prose("France (Macron), with the United Kingdom (Starmer)")
    'France (Macron), with the United Kingdom (Starmer)'
    """
    return _THE.sub(r"the \1", str(text))


def table(frame, unknown: str = "unknown", decimals: dict | None = None):
    """A table for students: no index, dates as prose, and ``unknown`` (not NaN or NaT) in empty cells.

    Numbers keep their digits (``2.5``, ``2035``); ``decimals={"column": 2}`` fixes a column's decimals.

    >>> import pandas as pd
    >>> t = table(pd.DataFrame({"edition": ["a", "b"], "published": pd.to_datetime(["2024-06-17", None]),
    ...                         "share": [3.5, None]}), unknown="not recorded")
    >>> t.data.to_dict("records")
    [{'edition': 'a', 'published': '17 June 2024', 'share': '3.5'}, {'edition': 'b', 'published': 'not recorded', 'share': 'not recorded'}]
    """
    import pandas as pd

    decimals = decimals or {}
    out = pd.DataFrame(index=range(len(frame)))
    for col in frame.columns:
        series = frame[col].reset_index(drop=True)
        is_date = pd.api.types.is_datetime64_any_dtype(series)
        is_bool = pd.api.types.is_bool_dtype(series)
        is_float = pd.api.types.is_float_dtype(series)

        def text(v, col=col):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                return unknown
            if is_date:
                return day(v)
            if is_bool:
                return "yes" if v else "no"
            if is_float:
                return f"{v:.{decimals[col]}f}" if col in decimals else f"{v:g}"
            return str(v)
        out[col] = [text(v) for v in series]
    return out.style.hide(axis="index")


def md(text: str):
    """Markdown to display, e.g. built from computed figures: ``md(f"... {share:.2f}% ...")``."""
    from IPython.display import Markdown

    return Markdown(text)


def header(notebook):
    """The top of a lesson: title, time, prerequisites, objectives, questions (as Markdown)."""
    t = template(notebook)
    lines = [f"# {t['title']}", "",
             f"**Time:** about {t['teaching_minutes']} minutes of teaching and {t['exercise_minutes']} minutes of exercises "
             f"and discussion.", "",
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
    """Markdown list of the datasets' sources, dates and citations, from their provenance.

    >>> print(sources(["military_expenditure"]).splitlines()[0])
    - **SIPRI: military expenditure, 13 countries, 2014-2024** (`military_expenditure`): SIPRI. Data as of 2026-11-26; review by 2027-05-31.
    """
    from .data import provenance
    from .package import resources

    lines = []
    for name in names:
        p = provenance(name)
        publishers = resources().get(name, {}).get("publisher_summary") or (
            "; ".join(p["publishers"][:4]) + ("; and others" if len(p["publishers"]) > 4 else ""))
        lines.append(f"- **{p['title']}** (`{name}`): {publishers}. Data as of {p['as_of']}; review by {p['review_by']}.")
        lines.append(f"  Cite as: {p['citation']}")
    return "\n".join(lines)


def footer(notebook, facts: dict | None = None):
    """The end of a lesson: key points (with their facts filled in), sources and how to cite."""
    t = template(notebook)
    facts = dict(facts or {})
    name = _path(notebook).name
    points = [_fill(p, facts, f"{name}: key point {i}") for i, p in enumerate(t["key_points"], 1)]
    lines = ["## Key points", "", _bullets(points), "", "## Sources", "",
             "The data behind this lesson, with the date each dataset was last checked (\"as of\"). "
             "After the review date, look for newer figures before teaching from it.", "",
             sources(t["datasets"])]
    if t["resources"]:
        lines += ["", "## Further reading", "", _bullets(t["resources"])]
    return md("\n".join(lines))
