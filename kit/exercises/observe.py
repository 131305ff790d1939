"""Observe an answer: any value turned into JSON-able canonical forms, never raising.

An *observation* is what the practice checks, the release and the grader compare: numbers
rounded half-up at every precision up to the question's (and as Python's ``round`` would
give them), text case-folded with its spaces squashed, lists of names as sorted sets,
tables and charts' data as rows of canonical cells::

    >>> observe({"share": 3.7912}, {"answer": "share", "kind": "number", "decimals": 2})["forms"]
    {'0': '4', '1': '3.8', '2': '3.79'}
    >>> observe({}, {"answer": "gap", "kind": "number"})["type"]
    'undefined'

This module imports nothing from the kit (pandas only when a value needs it): the grader
loads a fresh copy of it by file path inside each student's kernel to read the answers
(see ``kit.exercises.sandbox``), where the kit's own modules may have been tampered with.

Question specs are declared in each exercise's solution cells (``metadata["kit"]``): the
question id, the answer variable, the kind (``number``, ``text``, ``items``, ``table``,
``chart``) and what the kind needs (``decimals``, ``columns``, ``ordered``, ``mark``,
``fields``).
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import ROUND_HALF_UP, Decimal

KINDS = ("number", "text", "items", "table", "chart")
KIND_WORDS = {"number": "a number", "text": "a piece of text (a string)",
              "items": "a list of names", "table": "a table (a DataFrame)",
              "chart": "an Altair chart"}
_MISSING_CELL = "\u2205"      # how a missing value looks in a canonical table row


def number_text(value, decimals: int) -> str:
    """A number rounded half-up to ``decimals`` places, as text (float noise removed first).

    >>> number_text(0.1 + 0.2, 2), number_text(2.675, 2), number_text(3.5 - 2.85, 1)
    ('0.30', '2.68', '0.7')
    >>> number_text(-0.0001, 2), number_text(1609579, 0)
    ('0.00', '1609579')
    """
    if isinstance(value, numbers.Integral):
        exact = Decimal(int(value))
    else:
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-10), rounding=ROUND_HALF_UP)
    text = str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    if text.lstrip("-").strip("0.") == "":      # -0.00 -> 0.00
        text = text.lstrip("-")
    return text


def python_round_text(value, decimals: int) -> str:
    """A number rounded as Python's ``round`` does (ties to even, on the binary value).

    Students who round with ``round(x, 1)`` get 1.4 for 1.45; the canonical form says 1.5.
    Both count as "rounded differently", never as wrong.

    >>> python_round_text(1.45, 1), number_text(1.45, 1)
    ('1.4', '1.5')
    """
    if isinstance(value, numbers.Integral):
        return number_text(value, decimals)
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return number_text(value, decimals)
    text = f"{round(value, decimals):.{decimals}f}"
    return text.lstrip("-") if text.lstrip("-").strip("0.") == "" else text


def _places_given(value) -> int:
    """How many decimal places ``value`` was given with (10 at most).

    >>> _places_given(3.8), _places_given(4), _places_given(1 / 3)
    (1, 0, 10)
    """
    if isinstance(value, numbers.Integral):
        return 0
    text = number_text(value, 10).rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and type(value).__name__ != "bool_"


def _is_missing(value) -> bool:
    try:
        import pandas as pd
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, set, dict)) else False
    except (TypeError, ValueError):
        return False


def _type_name(value) -> str:
    """A student-friendly name for the type of ``value``.

    >>> _type_name(3), _type_name("a"), _type_name([1]), _type_name(None)
    ('a whole number (int)', 'a piece of text (str)', 'a list', 'None (nothing)')
    """
    if value is None:
        return "None (nothing)"
    if value is Ellipsis:
        return "... (the placeholder)"
    if isinstance(value, bool):
        return "True/False (a bool)"
    if isinstance(value, numbers.Integral):
        return "a whole number (int)"
    if isinstance(value, numbers.Real):
        return "a number (float)"
    if isinstance(value, str):
        return "a piece of text (str)"
    names = {"DataFrame": "a DataFrame (a table)", "Series": "a Series (one column)",
             "list": "a list", "tuple": "a tuple", "set": "a set", "dict": "a dict",
             "ndarray": "a NumPy array", "Index": "a pandas Index"}
    name = type(value).__name__
    if name.endswith("Chart") and type(value).__module__.startswith("altair"):
        return f"an Altair {name}"
    return names.get(name, f"a {name}")


def _canonical_text(value) -> str:
    return " ".join(str(value).split()).casefold()


def _cell_text(value, decimals: int, rounding=None) -> str:
    if value is None or _is_missing(value):
        return _MISSING_CELL
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if _is_number(value):
        return (rounding or number_text)(value, decimals)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") or len(text) == 10 else text
    text = " ".join(str(value).split()).casefold()
    return text[:10] if re.fullmatch(r"\d{4}-\d\d-\d\d(T00:00:00(\.0+)?)?", text) else text


def _table_forms(frame, columns, decimals: int, ordered: bool, rounding=None) -> dict:
    rows = []
    for values in zip(*(frame[c].tolist() for c in columns), strict=True) if columns else []:
        rows.append(tuple(values))
    forms = {}
    for d in range(decimals + 1):
        lines = ["\x1e".join(_cell_text(v, d, rounding) for v in row) for row in rows]
        if not ordered:
            lines.sort()
        forms[str(d)] = "\x1f".join(lines)
    return forms


def _table_observation(frame, columns, decimals: int, ordered: bool) -> dict:
    """Rows and canonical forms of a table (forms Python's ``round`` would give, too)."""
    if len(frame) > 20000:          # far bigger than any expected answer: no need to read it all
        return {"rows": int(len(frame)), "forms": {}, "pyforms": {}}
    return {"rows": int(len(frame)), "forms": _table_forms(frame, columns, decimals, ordered),
            "pyforms": _table_forms(frame, columns, decimals - 1, ordered, python_round_text) if decimals else {}}


def _as_frame(value, columns):
    """A DataFrame holding ``columns`` from a DataFrame or Series (index reset if need be)."""
    import pandas as pd

    if isinstance(value, pd.Series):
        value = value.to_frame(name=value.name if value.name is not None else "value")
        value = value.reset_index()
    if not isinstance(value, pd.DataFrame):
        return None
    if not all(c in value.columns for c in columns):
        reset = value.reset_index()
        if all(c in reset.columns for c in columns):
            value = reset
    return value


def observe_value(value, spec: dict) -> dict:
    """The canonical forms of ``value`` for question ``spec`` (JSON-able; never raises).

    >>> observe_value(..., {"kind": "number"})["type"]
    'placeholder'
    >>> observe_value(2.0, {"kind": "number", "decimals": 1})["forms"]
    {'0': '2', '1': '2.0'}
    >>> observe_value({"Latvia ", "estonia"}, {"kind": "items"})["value"]
    ['estonia', 'latvia']
    """
    try:
        return _observe(value, spec)
    except Exception as err:  # a hostile or odd object must not break the check
        return {"type": "error", "detail": f"{type(err).__name__}: {str(err)[:200]}"}


def _observe(value, spec: dict) -> dict:
    kind = spec.get("kind", "number")
    decimals = int(spec.get("decimals", 2))
    if value is Ellipsis:
        return {"type": "placeholder"}
    if kind == "number":
        import pandas as pd
        if isinstance(value, (pd.Series, pd.DataFrame)) and value.size == 1:
            return {"type": "other", "name": _type_name(value), "single": True}
        if hasattr(value, "item") and getattr(value, "shape", None) == ():   # NumPy scalar
            value = value.item()
        if _is_number(value):
            if _is_missing(value):
                return {"type": "nan"}
            return {"type": "number", "forms": {str(d): number_text(value, d) for d in range(decimals + 1)},
                    "pyforms": {str(d): python_round_text(value, d) for d in range(decimals)},
                    "places": _places_given(value)}
        if value is not None and not isinstance(value, (str, bytes, list, tuple, set, dict)) and _is_missing(value):
            return {"type": "nan"}
        return {"type": "other", "name": _type_name(value)}
    if kind == "text":
        if isinstance(value, str):
            return {"type": "text", "value": _canonical_text(value)}
        return {"type": "other", "name": _type_name(value)}
    if kind == "items":
        import pandas as pd
        if isinstance(value, (pd.Series, pd.Index)):
            value = value.tolist()
        if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
            items = sorted({_canonical_text(v) for v in value})
            return {"type": "items", "value": items, "n": len(items), "duplicates": len(value) - len(items)}
        if isinstance(value, str):
            return {"type": "other", "name": _type_name(value), "hint": "put the names in a list: [\"A\", \"B\"]"}
        return {"type": "other", "name": _type_name(value)}
    if kind == "table":
        columns = list(spec.get("columns", []))
        frame = _as_frame(value, columns)
        if frame is None:
            return {"type": "other", "name": _type_name(value)}
        missing = [c for c in columns if c not in frame.columns]
        have = [str(c) for c in frame.columns][:20]
        if missing:
            return {"type": "table", "columns": have, "missing": missing, "rows": int(len(frame))}
        return {"type": "table", "columns": have, "missing": [],
                **_table_observation(frame, columns, decimals, bool(spec.get("ordered")))}
    if kind == "chart":
        return _observe_chart(value, spec, decimals)
    return {"type": "error", "detail": f"unknown kind {kind!r}"}


def _chart_layers(spec_dict: dict):
    yield spec_dict
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec_dict.get(key, []) or []:
            yield from _chart_layers(sub)


def _observe_chart(value, spec: dict, decimals: int) -> dict:
    import pandas as pd

    if not (type(value).__module__.startswith("altair") and hasattr(value, "to_dict")):
        return {"type": "other", "name": _type_name(value)}
    full = value.to_dict(validate=False)
    datasets = full.get("datasets", {})
    fields = list(spec.get("fields", []))
    want_mark = spec.get("mark")
    found = {"type": "chart", "marks": [], "encoded": []}
    top_data = full.get("data")
    for layer in _chart_layers(full):
        mark = layer.get("mark")
        if mark is None:
            continue
        mark = mark.get("type") if isinstance(mark, dict) else mark
        encoded = sorted({str(ch.get("field")) for ch in (layer.get("encoding") or {}).values()
                          if isinstance(ch, dict) and ch.get("field")})
        found["marks"].append(mark)
        found["encoded"] = sorted(set(found["encoded"]) | set(encoded))
        if want_mark and mark != want_mark:
            continue
        if not all(f in encoded for f in fields):
            continue
        data = layer.get("data") or top_data or {}
        values = data.get("values") if isinstance(data, dict) else None
        if values is None and isinstance(data, dict) and data.get("name") in datasets:
            values = datasets[data["name"]]
        if values is None:
            found["data"] = "none"
            continue
        frame = pd.DataFrame(values)
        if not all(f in frame.columns for f in fields):
            found["data"] = "fields"
            continue
        found.update(mark=mark, **_table_observation(frame, fields, decimals, False))
        return found
    return found


def observe(namespace: dict, spec: dict) -> dict:
    """Observe the answer variable ``spec["answer"]`` in ``namespace`` (never raises).

    >>> observe({}, {"answer": "gap", "kind": "number"})["type"]
    'undefined'
    """
    name = spec.get("answer")
    try:
        if name not in namespace:
            return {"type": "undefined", "name": name}
        return observe_value(namespace[name], spec)
    except Exception as err:
        return {"type": "error", "detail": f"{type(err).__name__}: {str(err)[:200]}"}
