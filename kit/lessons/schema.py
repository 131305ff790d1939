"""The lesson template: the fields a lesson declares in its notebook's metadata, and their checks.

Every lesson notebook carries ``metadata["lesson"]``::

    {"title": ..., "objectives": [...], "questions": [...], "prerequisites": [...],
     "teaching_minutes": 25, "exercise_minutes": 20, "key_points": [...],
     "datasets": ["defence_spending", ...], "resources": [...],
     "exercises": ["Exercise 1, ..."]}          # optional: the exercise notebooks that go with it

:data:`FIELDS` and :data:`OPTIONAL` declare each field's type and meaning; :data:`MAY_BE_EMPTY`
the lists a lesson may leave empty. :func:`template` reads a notebook's template and stops with
every problem, each naming the notebook and the field::

    >>> validate({"title": "x"}, "02_defence_spending.ipynb")[0]
    "02_defence_spending.ipynb: metadata['lesson'] has no 'objectives' (learning objectives: what students will be able to do)"
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
    "exercises": (list, "the exercise notebooks that go with the lesson, named in words (empty: none; the Discuss prompts are the exercise)"),
    "sections": (list, "the timing plan: one {title, minutes, activity} per '## ' heading, in order"),
}
# list fields a lesson may leave empty (the others need at least one item)
MAY_BE_EMPTY = {"prerequisites", "resources", "exercises"}
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
