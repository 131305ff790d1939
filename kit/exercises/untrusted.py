"""What comes back from a sandbox, checked before the grader uses it: known keys, plain values, capped strings.

    from kit.exercises.untrusted import reports
    runs, problem = reports(stdout_bytes, [planned_cells])     # [RunReport] or (None, "why")

The worker's output is as trustworthy as the student's code (they share the sandbox), so
nothing here assumes it is well formed: anything unexpected is dropped or turns the whole
run into "the answers could not be read", which costs only that student.
"""

from __future__ import annotations

import json
import numbers

from .sandbox import CellReport, RunReport

STATUSES = ("ok", "error", "timeout", "crashed", "hung", "not run")
TYPES = ("number", "nan", "text", "items", "table", "chart", "other", "undefined", "placeholder", "error")
# observation keys (kit.exercises.observe) and how much of each is kept
_KEYS = {"type": "str", "name": "str", "single": "bool", "forms": "forms", "pyforms": "forms", "places": "int",
         "value": "text_or_list", "n": "int", "duplicates": "int", "hint": "str", "columns": "list",
         "missing": "list", "rows": "int", "detail": "str", "marks": "list", "encoded": "list", "data": "str",
         "mark": "str"}
MAX_TEXT = 200
MAX_FORM = 2_000_000
MAX_LIST = 2000


def _text(value, cap=MAX_TEXT) -> str | None:
    return value[:cap] if isinstance(value, str) else None


def _int(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return None
    return max(-10**12, min(10**12, int(value)))


def _list(value) -> list | None:
    if not isinstance(value, list):
        return None
    return [v[:MAX_TEXT] for v in value[:MAX_LIST] if isinstance(v, str)]


def _forms(value) -> dict | None:
    if not isinstance(value, dict):
        return None
    return {k: v[:MAX_FORM] for k, v in list(value.items())[:12]
            if isinstance(k, str) and len(k) <= 2 and k.isdigit() and isinstance(v, str)}


def observation(value) -> dict:
    """One question's observation with only known keys and plain, capped values.

    >>> observation({"type": "number", "forms": {"0": "4", "x": 1}, "evil": object()})
    {'type': 'number', 'forms': {'0': '4'}}
    >>> observation(["not", "a", "dict"])["type"]
    'error'
    """
    if not isinstance(value, dict) or value.get("type") not in TYPES:
        return {"type": "error", "detail": "the answer came back in a form the grader does not accept"}
    clean = {}
    for key, kind in _KEYS.items():
        if key not in value:
            continue
        raw = value[key]
        if kind == "str":
            got = _text(raw)
        elif kind == "bool":
            got = raw if isinstance(raw, bool) else None
        elif kind == "int":
            got = _int(raw)
        elif kind == "list":
            got = _list(raw)
        elif kind == "forms":
            got = _forms(raw)
        else:          # "value": text (a text answer) or a list of names (an items answer)
            got = _text(raw, MAX_FORM) if isinstance(raw, str) else _list(raw)
        if got is not None:
            clean[key] = got
    return clean


def reports(stdout: bytes | None, planned_runs: list, specs: dict) -> tuple[list | None, str | None]:
    """The worker's runs as :class:`RunReport` objects, labels taken from the grader's own plan."""
    if stdout is None:
        return None, "nothing came back from the sandbox"
    try:
        data = json.loads(stdout.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, "what came back from the sandbox is not a result the grader accepts"
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, list) or len(runs) != len(planned_runs):
        return None, "what came back from the sandbox is not a result the grader accepts"
    out = []
    for raw, planned in zip(runs, planned_runs, strict=True):
        if not isinstance(raw, dict):
            return None, "what came back from the sandbox is not a result the grader accepts"
        report = RunReport()
        cells = raw.get("cells")
        if not isinstance(cells, list) or len(cells) != len(planned):
            return None, "what came back from the sandbox does not match the notebook's cells"
        for cell, plan in zip(cells, planned, strict=True):
            cell = cell if isinstance(cell, dict) else {}
            status = cell.get("status") if cell.get("status") in STATUSES else "error"
            report.cells.append(CellReport(plan.label, status, _text(cell.get("detail"), 300) or "",
                                           cell.get("truncated") is True, plan.question))
        problems = raw.get("problems")
        report.problems = [p[:500] for p in problems[:20] if isinstance(p, str)] if isinstance(problems, list) else []
        seconds = raw.get("seconds")
        report.seconds = float(seconds) if isinstance(seconds, numbers.Real) and 0 <= seconds < 1e6 else 0.0
        observations = raw.get("observations")
        if isinstance(observations, dict):
            report.observations = {q: observation(observations[q]) for q in specs if q in observations}
        out.append(report)
    return out, None
