"""The lesson template: the fields a lesson declares in its notebook's metadata, and their checks.

Every lesson notebook carries ``metadata["lesson"]``::

    {"title": ..., "objectives": [...], "questions": [...], "prerequisites": [...],
     "teaching_minutes": 25, "exercise_minutes": 20, "key_points": [...],
     "datasets": ["defence_spending", ...], "resources": [...],
     "exercises": ["01_spending_targets"],      # the exercise notebooks that go with it, by file stem
     "sections": [{"title": "## heading text", "minutes": 10, "activity": "teach"}, ...]}   # the timing plan

:data:`FIELDS` and :data:`OPTIONAL` declare each field's type and meaning; :data:`MAY_BE_EMPTY`
the lists a lesson may leave empty. :func:`template` reads a notebook's template and stops with
every problem, each naming the notebook and the field. The teacher's edition needs more:
``sections`` (the timing plan) and ``exercises`` by file stem; :func:`teacher_problems` lists
what a notebook lacks for it, its timing plan and its tagged cells included::

    >>> validate({"title": "x"}, "02_defence_spending.ipynb")[0]
    "02_defence_spending.ipynb: metadata['lesson'] has no 'objectives' (learning objectives: what students will be able to do)"
    >>> teacher_problems({"metadata": {"lesson": {}}, "cells": []}, "x.ipynb")[0]
    "x.ipynb: metadata['lesson'] has no 'sections' (the teacher's edition needs it: the timing plan: one {title, minutes, activity} per '## ' heading, in order)"
    >>> t = template("02_defence_spending")
    >>> set(FIELDS) <= set(t) <= set(FIELDS) | set(OPTIONAL)
    True
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import KitError
from ..files import ROOT

NOTEBOOKS = ROOT / "notebooks"
# field -> (type, what it holds)
FIELDS = {
    "title": (str, "the lesson's title"),
    "objectives": (list, "learning objectives: what students will be able to do"),
    "questions": (list, "the questions the lesson answers"),
    "prerequisites": (list, "what to know or have done before"),
    "teaching_minutes": (int, "minutes of teaching"),
    "exercise_minutes": (int, "minutes of exercises and discussion (with 'exercises': minutes for the lesson's Discuss prompts)"),
    "key_points": (list, "what to remember; may hold {placeholders} filled from facts"),
    "datasets": (list, "the kit datasets the lesson uses (their sources are listed at the end)"),
    "resources": (list, "further reading and related lessons"),
}
# optional fields: checked when present
OPTIONAL = {
    "exercises": (list, "the exercise notebooks that go with the lesson, by file stem as in exercises/ (empty: none)"),
    "sections": (list, "the timing plan: one {title, minutes, activity} per '## ' heading, in order"),
}
# list fields a lesson may leave empty (the others need at least one item)
MAY_BE_EMPTY = {"prerequisites", "resources", "exercises"}
EXERCISES = ROOT / "exercises"
_KIND = {str: "a string", int: "a whole number", list: "a list"}   # a type, as a message says it


def notebook_path(notebook) -> Path:
    """The file of ``notebook``: a path, or a name such as ``"02_defence_spending"`` looked up
    here and in the kit's ``notebooks/`` folder."""
    name = str(notebook)
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    for candidate in (Path(name), Path.cwd() / name, NOTEBOOKS / Path(name).name):
        if candidate.is_file():
            return candidate
    raise KitError(f"no notebook {name} here ({Path.cwd()}) or in {NOTEBOOKS}")


def validate(meta: dict, where: str = "lesson") -> list[str]:
    """Problems with a lesson template (an empty list when it is complete); ``where`` names the notebook.

    >>> validate({"title": "x"})[0]
    "lesson: metadata['lesson'] has no 'objectives' (learning objectives: what students will be able to do)"
    >>> [p for p in validate({"title": "x", "exercises": "none"}) if "['exercises']" in p]
    ["lesson: metadata['lesson']['exercises'] should be a list, not str"]
    """
    problems = []
    for field, (kind, what) in {**FIELDS, **OPTIONAL}.items():
        if field not in meta:
            if field in FIELDS:
                problems.append(f"{where}: metadata['lesson'] has no {field!r} ({what})")
        elif not isinstance(meta[field], kind) or isinstance(meta[field], bool):
            problems.append(f"{where}: metadata['lesson'][{field!r}] should be {_KIND[kind]}, not {type(meta[field]).__name__}")
        elif kind is list and field not in MAY_BE_EMPTY and not meta[field]:
            problems.append(f"{where}: metadata['lesson'][{field!r}] is empty ({what})")
    for field in sorted(set(meta) - set(FIELDS) - set(OPTIONAL)):
        problems.append(f"{where}: metadata['lesson'] has an unknown field {field!r} (known: {', '.join([*FIELDS, *OPTIONAL])})")
    return problems


def template(notebook) -> dict:
    """The lesson template of ``notebook`` (a path or a name such as ``"02_defence_spending"``)."""
    path = notebook_path(notebook)
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


def exercise_title(stem: str, folder: Path | None = None) -> str | None:
    """The title of exercise notebook ``stem`` (its first '# ' heading), or None if there is no such notebook.

    >>> exercise_title("no_such_exercise") is None
    True
    """
    path = Path(folder or EXERCISES) / f"{stem}.ipynb"
    if not str(stem) or "/" in str(stem) or not path.is_file():
        return None
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return None
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            text = cell.get("source")
            text = "".join(text) if isinstance(text, list) else str(text or "")
            for line in text.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return str(stem).replace("_", " ")


ACTIVITIES = ("teach", "discuss", "explore", "exercise")
SKILLS = {"read": "read a value", "compare": "compare", "trend": "spot a trend",
          "limits": "say what the chart cannot show", "claim": "check a claim against the data"}
TEACHER_TAGS = ("instructor", "teacher-answer", "worksheet-question", "worksheet-answer")   # never on a student page


def tags_of(cell: dict) -> list[str]:
    tags = (cell.get("metadata") or {}).get("tags") or []
    return [str(t) for t in tags] if isinstance(tags, list) else []


def _text(cell: dict) -> str:
    text = cell.get("source")
    return "".join(text) if isinstance(text, list) else str(text or "")


def cell_where(where: str, index: int, cell: dict) -> str:
    """'02_x.ipynb, cell 7 (id '02-06')': how messages name a cell."""
    return f"{where}, cell {index + 1}" + (f" (id {cell.get('id')!r})" if cell.get("id") else "")


def headings(nb: dict) -> list[str]:
    """The text of every '## ' heading of the notebook's markdown cells, in order."""
    found = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            found += [line[3:].strip() for line in _text(cell).splitlines() if line.startswith("## ")]
    return found


def _section_problems(meta: dict, nb: dict, where: str) -> list[str]:
    sections = meta.get("sections")
    if sections is None:
        return [f"{where}: metadata['lesson'] has no 'sections' (the teacher's edition needs it: {OPTIONAL['sections'][1]})"]
    if not isinstance(sections, list) or not sections:
        return [f"{where}: metadata['lesson']['sections'] should be a non-empty list ({OPTIONAL['sections'][1]})"]
    problems, titles = [], []
    for i, entry in enumerate(sections):
        at = f"{where}: metadata['lesson']['sections'][{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{at} should be an object {{title, minutes, activity}}, not {type(entry).__name__}")
            continue
        unknown = sorted(set(entry) - {"title", "minutes", "activity"})
        if unknown:
            problems.append(f"{at} has unknown keys {unknown} (known: title, minutes, activity)")
        title, mins, activity = entry.get("title"), entry.get("minutes"), entry.get("activity")
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{at}['title'] should be the text of a '## ' heading of the notebook")
        else:
            titles.append(title.strip().removeprefix("## ").strip())
        if not isinstance(mins, int) or isinstance(mins, bool) or mins < 1:
            problems.append(f"{at}['minutes'] should be a whole number of at least 1, not {mins!r}")
        if activity not in ACTIVITIES:
            problems.append(f"{at}['activity'] should be one of {', '.join(ACTIVITIES)}, not {activity!r}")
    heads = headings(nb)
    for title in titles:
        if title not in heads:
            problems.append(f"{where}: metadata['lesson']['sections'] names {title!r}, which is no '## ' heading of the notebook "
                            f"(headings: {'; '.join(heads) or 'none'})")
    for head in heads:
        if titles.count(head) != 1:
            problems.append(f"{where}: the heading '## {head}' appears {titles.count(head)} times in metadata['lesson']['sections'] "
                            "(each '## ' heading once)")
    order = [h for h in heads if h in titles]
    if not problems and order != titles:
        problems.append(f"{where}: metadata['lesson']['sections'] are not in the notebook's order ({'; '.join(order)})")
    total = sum(e["minutes"] for e in sections if isinstance(e, dict) and isinstance(e.get("minutes"), int))
    want = [meta.get(k) for k in ("teaching_minutes", "exercise_minutes")]
    if all(isinstance(v, int) for v in want) and total != sum(want):
        problems.append(f"{where}: the minutes of metadata['lesson']['sections'] sum to {total}, not teaching_minutes + "
                        f"exercise_minutes = {sum(want)}")
    return problems


def _exercise_problems(meta: dict, where: str, folder: Path | None) -> list[str]:
    items = meta.get("exercises")
    if items is None:
        return [f"{where}: metadata['lesson'] has no 'exercises' (the teacher's edition needs it: {OPTIONAL['exercises'][1]}; [] for none)"]
    if not isinstance(items, list):
        return [f"{where}: metadata['lesson']['exercises'] should be a list of exercise notebook stems, not {type(items).__name__}"]
    folder = Path(folder or EXERCISES)
    return [f"{where}: metadata['lesson']['exercises'] names {item!r}, which is no exercise notebook in {folder} "
            f"(name them by file stem, e.g. {next((p.stem for p in sorted(folder.glob('*.ipynb'))), '01_spending_targets')!r})"
            for item in items if exercise_title(str(item), folder) is None]


def _tag_problems(nb: dict, where: str) -> list[str]:
    problems, cells = [], nb.get("cells", [])
    for i, cell in enumerate(cells):
        tags, at = tags_of(cell), cell_where(where, i, cell)
        if cell.get("cell_type") == "markdown" and _text(cell).lstrip().startswith("**Discuss.**"):
            j = i + 1
            while j < len(cells) and "teacher-answer" not in tags_of(cells[j]) and "instructor" in tags_of(cells[j]):
                j += 1
            if j >= len(cells) or "teacher-answer" not in tags_of(cells[j]):
                problems.append(f"{at}: a **Discuss.** prompt with no 'teacher-answer' cell after it (the suggested answer)")
        if "worksheet-question" in tags:
            spec = (cell.get("metadata") or {}).get("worksheet")
            if cell.get("cell_type") != "markdown":
                problems.append(f"{at}: a 'worksheet-question' cell should be markdown (one question a class answers on paper)")
            if not isinstance(spec, dict):
                problems.append(f"{at}: a 'worksheet-question' cell needs metadata 'worksheet': {{figure, skill, lines}}")
                continue
            if not isinstance(spec.get("figure"), str) or not spec["figure"]:
                problems.append(f"{at}: metadata['worksheet']['figure'] should be the id of the cell whose output it uses")
            if spec.get("skill") not in SKILLS:
                problems.append(f"{at}: metadata['worksheet']['skill'] should be one of {', '.join(SKILLS)}, not {spec.get('skill')!r}")
            lines = spec.get("lines")
            if not isinstance(lines, int) or isinstance(lines, bool) or not 2 <= lines <= 8:
                problems.append(f"{at}: metadata['worksheet']['lines'] should be a whole number from 2 to 8, not {lines!r}")
            after = cells[i + 1] if i + 1 < len(cells) else {}
            if "worksheet-answer" not in tags_of(after):
                problems.append(f"{at}: a 'worksheet-question' needs its 'worksheet-answer' cell right after it")
        if "worksheet-answer" in tags and (i == 0 or "worksheet-question" not in tags_of(cells[i - 1])):
            problems.append(f"{at}: a 'worksheet-answer' cell should come right after its 'worksheet-question'")
    return problems


def teacher_problems(nb: dict, where: str = "lesson", exercises_dir: Path | None = None) -> list[str]:
    """What the teacher's edition needs and a notebook lacks (empty when it has all of it).

    ``sections`` (the timing plan, matching the '## ' headings and the lesson's minutes),
    ``exercises`` by file stem, a ``teacher-answer`` after every Discuss prompt, and well-formed
    ``worksheet-question`` / ``worksheet-answer`` pairs. Whether each question's figure comes
    before it and has an output is checked on the executed notebook (``kit.site.worksheet``).
    """
    meta = (nb.get("metadata") or {}).get("lesson")
    if not isinstance(meta, dict):
        return [f"{where}: no lesson template in its metadata (metadata['lesson'])"]
    return _section_problems(meta, nb, where) + _exercise_problems(meta, where, exercises_dir) + _tag_problems(nb, where)
