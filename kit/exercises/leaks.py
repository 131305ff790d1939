"""The release's last guard: scan a student notebook for anything that gives an answer away.

Solution lines, teaching notes and expected values must never appear in a student copy:
not in its sources, outputs, metadata or attachments, nor in its practice-check key once
decoded. :func:`scan_student` lists every leak; the release stops if there is one::

    problems = scan_student(student_nb, exercise, expected_answers, "student/01_spending_targets.ipynb")

Solution lines shorter than ``_MIN_LEAK_LINE`` characters (``x``, ``)``) cannot be told
apart from ordinary code and are not looked for, nor are lines the given cells also hold.
"""

from __future__ import annotations

import json
import re

from ..notebook import cell_source
from .cells import BEGIN, END, Exercise, is_instructor, is_solution, role, solution_regions
from .keys import decode_key
from .versions import DISCUSSION_STUB, KEY_LINE, key_in

_MIN_LEAK_LINE = 12     # shorter solution lines ("x", ")") cannot be told apart from ordinary code


def secrets_of(ex: Exercise, expected: dict | None = None) -> list[tuple[str, str]]:
    """(what, text) pairs that must never appear in a student file.

    Solution lines, model answers and teaching notes (lines long enough to be told apart
    from ordinary code and not also part of the given cells), and the expected values.
    """
    public, secret = set(), []
    for cell in ex.nb["cells"]:
        if not is_solution(cell) and not is_instructor(cell):
            public.update(line.strip() for line in cell_source(cell).splitlines())
    for i, cell in enumerate(ex.nb["cells"]):
        if not (is_solution(cell) or is_instructor(cell)):
            continue
        lines = cell_source(cell).splitlines()
        if is_solution(cell) and cell.get("cell_type") == "code":
            regions = solution_regions(lines) or [(-1, len(lines))]
            lines = [line for b, e in regions for line in lines[b + 1:e]]
        what = "teaching note" if is_instructor(cell) else "solution line"
        for line in lines:
            text = line.strip()
            if len(text) >= _MIN_LEAK_LINE and text not in public and text != DISCUSSION_STUB:
                secret.append((f"{what} from cell {i + 1}", text))
    for q, obs in (expected or {}).items():
        for text in _value_texts(obs):
            secret.append((f"expected value of {q}", text))
    return secret


def _value_texts(obs: dict) -> set[str]:
    """Distinctive texts of an expected answer (too-short ones would match by chance)."""
    texts = set()
    kind = obs.get("type")
    if kind == "number":
        forms = obs["forms"]
        full = forms[max(forms, key=int)]
        texts.add(full)
        short = full.rstrip("0").rstrip(".") if "." in full else full
        texts.add(short)
    elif kind == "text":
        texts.add(obs["value"])
    elif kind in ("table", "chart") and "forms" in obs:
        forms = obs["forms"]
        for row in forms[max(forms, key=int)].split("\x1f"):
            for cell in row.split("\x1e"):
                if re.fullmatch(r"-?\d+\.\d+", cell):
                    texts.add(cell)
    return {t for t in texts if len(t.lstrip("-").replace(".", "")) >= 3 and t.lower() not in ("nan", "inf")}


def _strings(value):
    """Every string inside a JSON-like value (for scanning outputs and metadata)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _attachment_texts(cell):
    import base64
    for name, bundle in (cell.get("attachments") or {}).items():
        yield name
        for data in (bundle or {}).values():
            for text in _strings(data):
                yield text
                try:
                    yield base64.b64decode(text, validate=False).decode("utf-8", "ignore")
                except Exception:
                    pass


def _found(text: str, secret: str, is_value: bool) -> bool:
    if not is_value:
        return secret in text
    pattern = r"(?<![\w.])" + re.escape(secret) + r"(?![\w]|\.\d)"
    return re.search(pattern, text, flags=re.I) is not None


def scan_student(nb: dict, ex: Exercise, expected: dict, where: str) -> list[str]:
    """Every leak in a student notebook: solution lines, notes, expected values, markers."""
    problems = []
    items = secrets_of(ex, expected)
    places = [("notebook metadata", json.dumps(nb.get("metadata", {}), ensure_ascii=False))]
    for i, cell in enumerate(nb["cells"]):
        src = cell_source(cell)
        if role(cell) == "checks":          # the key is base64 of hashes: scan the decoded key instead
            key = key_in(src)
            src = KEY_LINE.sub("", src)
            if key:
                try:
                    places.append((f"cell {i + 1} (the practice-check key)", json.dumps(decode_key(key))))
                except Exception:
                    problems.append(f"{where}, cell {i + 1}: the practice-check key cannot be read back")
        places.append((f"cell {i + 1} source", src))
        places.append((f"cell {i + 1} outputs", "\n".join(_strings(cell.get("outputs", [])))))
        places.append((f"cell {i + 1} metadata", "\n".join(_strings(cell.get("metadata", {})))))
        places.append((f"cell {i + 1} attachments", "\n".join(_attachment_texts(cell))))
    for place, text in places:
        if not text:
            continue
        for marker in (BEGIN, END):
            if marker in text:
                problems.append(f"{where}, {place}: contains a solution marker ({marker})")
        for what, secret in items:
            if _found(text, secret, what.startswith("expected value")):
                shown = secret if not what.startswith("expected") else "(value hidden)"
                problems.append(f"{where}, {place}: contains a {what}: {shown[:80]}")
    return problems
