"""The answer keys of a lesson's exercises, for the teacher's edition: each question's expected answer, computed.

    from kit.site.answer_keys import exercise_keys
    keys = exercise_keys(["01_spending_targets"], cache=Path(".kit-cache"))
    keys[0]["title"]                  # the exercise notebook's first '# ' heading
    keys[0]["questions"][0]["answer"] # {"text": ...}: the solution's answer at the question's precision

The answers are never typed: they are the observations the release makes its practice-check
key from (:func:`kit.exercises.answers.expected_answers`: each exercise's solutions run in a
sandbox), shown at the precision the question asks for. They are kept in
``<cache>/answers/<exercise>-<key>.json`` under a hash of the exercise notebook, the data and
the kit code the exercise can run (``kit.site.cache.inputs_key``), so a rebuild runs no
solution again. An exercise's title is its first '# ' heading; a question's label is the
'### ' heading of its prompt; open questions show the model answer written in their solution cell.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..data import package
from ..files import write_text
from ..lessons.schema import EXERCISES, exercise_title
from ..notebook import cell_source
from .cache import inputs_key

ROWS_SHOWN = 12   # a table or chart answer shows its first rows (and says how many there are)


def _key(path: Path, inputs: str) -> str:
    return hashlib.sha256(path.read_bytes() + b"\0" + inputs.encode()).hexdigest()[:24]


def expected_for(stems: list[str], cache: Path, folder: Path | None = None) -> dict:
    """{stem: {question: observation}}: from the cache, else by running the solutions (one sandbox each)."""
    from ..exercises.answers import expected_answers
    from ..exercises.cells import load_exercise

    folder = Path(folder or EXERCISES)
    if not stems:
        return {}
    inputs = inputs_key(package.chosen_dir(), {folder})
    store = Path(cache) / "answers"
    found, todo = {}, []
    for stem in dict.fromkeys(stems):
        path = folder / f"{stem}.ipynb"
        kept = store / f"{stem}-{_key(path, inputs)}.json"
        if kept.is_file():
            found[stem] = json.loads(kept.read_text(encoding="utf-8"))
        else:
            todo.append((load_exercise(path), kept))
    if todo:
        computed = expected_answers([ex for ex, _ in todo])
        for ex, kept in todo:
            found[ex.name] = computed[ex.name]
            write_text(kept, json.dumps(computed[ex.name], sort_keys=True, ensure_ascii=False) + "\n")
            for old in store.glob(f"{ex.name}-*.json"):
                if old != kept:
                    old.unlink(missing_ok=True)
    return found


def _rows(observation: dict, decimals: int) -> list[list[str]]:
    forms = observation.get("forms") or {}
    text = forms.get(str(decimals)) or (forms[max(forms, key=int)] if forms else "")
    return [row.split("\x1e") for row in text.split("\x1f")] if text else []


def describe(observation: dict, spec: dict) -> dict:
    """An expected answer as the teacher's page shows it: ``text``, or ``columns`` and ``rows`` of a table.

    >>> describe({"type": "number", "forms": {"0": "4", "1": "3.8", "2": "3.79"}}, {"kind": "number", "decimals": 1})["text"]
    '3.8'
    >>> describe({"type": "items", "value": ["estonia", "latvia"]}, {"kind": "items"})["text"]
    'estonia; latvia'
    """
    kind, decimals = observation.get("type"), int(spec.get("decimals", 2))
    if kind == "number":
        forms = observation["forms"]
        return {"text": forms.get(str(decimals)) or forms[max(forms, key=int)]}
    if kind == "text":
        return {"text": observation["value"]}
    if kind == "items":
        return {"text": "; ".join(observation["value"]) or "(none)", "note": "names as the checks compare them (lower case)"}
    if kind in ("table", "chart"):
        columns = list(spec.get("columns") or spec.get("fields") or [])
        rows = _rows(observation, decimals)
        lead = f"a {observation.get('mark', spec.get('mark', ''))} chart of " if kind == "chart" else ""
        note = f"{lead}{observation.get('rows', len(rows))} rows" + (f"; the first {ROWS_SHOWN} shown" if len(rows) > ROWS_SHOWN else "")
        return {"columns": columns, "rows": rows[:ROWS_SHOWN], "note": note}
    return {"text": "", "note": "the solutions give no answer of this kind (unknown)"}


def _prompts(nb: dict) -> dict:
    """Each question's label (its prompt's '### ' heading) and, for open questions, the model answer."""
    labels, last = {}, ""
    for cell in nb.get("cells", []):
        text = cell_source(cell)
        if cell.get("cell_type") == "markdown" and text.lstrip().startswith("### "):
            last = text.lstrip()[4:].splitlines()[0].strip()
        spec = (cell.get("metadata") or {}).get("kit") or {}
        if spec.get("question"):
            labels[spec["question"]] = {"label": last or spec["question"],
                                        "model": text.replace("*Write your answer here.*", "").strip()
                                        if spec.get("kind") == "open" else ""}
    return labels


def exercise_keys(stems: list[str], cache: Path, folder: Path | None = None) -> list[dict]:
    """Per exercise: ``title``, ``stem`` and ``questions`` (``label``, ``answer`` from :func:`describe`, ``model``)."""
    from ..exercises.cells import load_exercise

    folder = Path(folder or EXERCISES)
    expected = expected_for(stems, cache, folder)
    keys = []
    for stem in stems:
        ex = load_exercise(folder / f"{stem}.ipynb")
        labels = _prompts(ex.nb)
        questions = [dict(id=q, label=labels.get(q, {}).get("label", q), answer=describe(expected[stem].get(q) or {}, spec), model="")
                     for q, spec in ex.specs.items()]
        questions += [dict(id=q, label=labels.get(q, {}).get("label", q), answer=None, model=labels.get(q, {}).get("model", ""))
                      for q in ex.open_questions]
        order = {c.get("metadata", {}).get("kit", {}).get("question"): i for i, c in enumerate(ex.nb["cells"])}
        questions.sort(key=lambda item: order.get(item["id"], 0))
        keys.append(dict(stem=stem, title=exercise_title(stem, folder) or stem, questions=questions))
    return keys
