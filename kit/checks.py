"""Practice checks for the exercises: instant, plain-language feedback that never shows the answer.

In a student notebook (the release writes this setup cell, with the key filled in)::

    from kit.checks import Grader
    grader = Grader("spending_targets", key="...")
    check = grader.check

    check("q1", poland_2025)      # check a value
    grader.check("q1")            # or let the grader look the answer variable up by name

The feedback says one of: right; not answered yet; wrong type ("expected a number, got a
DataFrame"); wrong shape; close but rounded differently; not right yet. It never raises and
never reveals the expected value: the key holds only salted SHA-256 hashes of canonical forms
of the expected answers (numbers rounded at several precisions, tables as their columns, a
hashed row count and hashed content). These are practice checks, not the grade: a determined
student can fool their own practice check, which is why ``python -m kit grade`` never trusts
the student's kernel with the key (see :mod:`kit.grade`).

How it works, in three steps that the release, the practice check and the grader share:

1. :func:`observe` turns a value into a JSON-able *observation* (its canonical forms);
2. :func:`fingerprint` turns the expected observation into a key entry (hashes only);
3. :func:`compare` judges an observation against a key entry and says why, in plain words.

    >>> spec = {"question": "q1", "answer": "x", "kind": "number", "decimals": 2}
    >>> entry = fingerprint(observe_value(3.7912, spec), spec, salt="s")
    >>> compare(observe_value(3.79, spec), entry, spec).status
    'right'
    >>> compare(observe_value(3.8, spec), entry, spec).status
    'close'
    >>> print(compare(observe_value(4.2, spec), entry, spec).message)
    q1: not right yet.
    >>> "3.79" in str(entry)          # the key holds hashes, not the value
    False

Question specs are declared in each exercise's solution cells (``metadata["kit"]``): the
question id, the answer variable, the kind (``number``, ``text``, ``items``, ``table``,
``chart``) and what the kind needs (``decimals``, ``columns``, ``ordered``, ``mark``,
``fields``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import numbers
import re
import zlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Grader", "check", "observe", "observe_value", "fingerprint", "compare",
           "Result", "encode_key", "decode_key", "KINDS", "PRACTICE_NOTE"]

KINDS = ("number", "text", "items", "table", "chart")
PRACTICE_NOTE = "Practice check: feedback while you work, not your grade."
_MISSING_CELL = "\u2205"      # how a missing value looks in a canonical table row
_KIND_WORDS = {"number": "a number", "text": "a piece of text (a string)",
               "items": "a list of names", "table": "a table (a DataFrame)",
               "chart": "an Altair chart"}


# ---------------------------------------------------------------------------
# canonical forms
# ---------------------------------------------------------------------------

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
    for values in zip(*(frame[c].tolist() for c in columns)) if columns else []:
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


# ---------------------------------------------------------------------------
# observe: a value -> JSON-able canonical forms
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# fingerprint: expected observation -> hashes only
# ---------------------------------------------------------------------------

def _hash(salt: str, question: str, form) -> str:
    text = form if isinstance(form, str) else json.dumps(form, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{salt}|{question}|{text}".encode("utf-8")).hexdigest()[:32]


def fingerprint(observation: dict, spec: dict, salt: str) -> dict:
    """The key entry for a question: hashes of the expected answer's canonical forms.

    Raises ``ValueError`` if the expected answer is not of the question's kind (a broken
    solution must stop the release, not ship a check nobody can pass).

    >>> spec = {"question": "q2", "answer": "n", "kind": "number", "decimals": 0}
    >>> sorted(fingerprint(observe_value(23, spec), spec, "salt"))
    ['h', 'hp', 'kind', 'salt']
    >>> fingerprint(observe_value(float("nan"), spec), spec, "salt")
    Traceback (most recent call last):
    ...
    ValueError: the solution's answer is a missing value (NaN), not a number
    """
    kind = spec.get("kind", "number")
    q = spec.get("question", "")
    otype = observation.get("type")
    if otype == "nan":
        raise ValueError("the solution's answer is a missing value (NaN), not a number")
    expected_type = {"number": "number", "text": "text", "items": "items", "table": "table", "chart": "chart"}[kind]
    if otype != expected_type:
        got = observation.get("name") or observation.get("detail") or otype
        raise ValueError(f"the solution's answer is {got}, not {_KIND_WORDS[kind]}")
    entry = {"kind": kind, "salt": salt}
    if kind == "number":
        entry["h"] = {d: _hash(salt, q, f) for d, f in observation["forms"].items()}
        entry["hp"] = {d: _hash(salt, q, f) for d, f in observation.get("pyforms", {}).items()}
    elif kind == "text":
        entry["h"] = _hash(salt, q, observation["value"])
    elif kind == "items":
        entry["h"] = _hash(salt, q, observation["value"])
        entry["n"] = _hash(salt, q, f"n={observation['n']}")
    elif kind == "table":
        if observation.get("missing"):
            raise ValueError(f"the solution's table lacks the column(s) {observation['missing']}")
        entry["rows"] = _hash(salt, q, f"rows={observation['rows']}")
        entry["h"] = {d: _hash(salt, q, f) for d, f in observation["forms"].items()}
        entry["hp"] = {d: _hash(salt, q, f) for d, f in observation.get("pyforms", {}).items()}
    elif kind == "chart":
        if "forms" not in observation:
            raise ValueError(f"the solution's chart has no {spec.get('mark')!r} layer encoding {spec.get('fields')}"
                             " with inline data")
        entry["rows"] = _hash(salt, q, f"rows={observation['rows']}")
        entry["h"] = {d: _hash(salt, q, f) for d, f in observation["forms"].items()}
        entry["hp"] = {d: _hash(salt, q, f) for d, f in observation.get("pyforms", {}).items()}
    return entry


# ---------------------------------------------------------------------------
# compare: observation + key entry -> a plain-language result
# ---------------------------------------------------------------------------

@dataclass
class Result:
    """The outcome of one check: ``status`` is a short code, ``message`` plain language."""

    question: str
    status: str        # right, close, unanswered, undefined, wrong_type, wrong_shape, wrong, error, nokey
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "right"

    def _symbol(self) -> str:
        return {"right": "\u2714", "close": "\u2248"}.get(self.status, "\u2716" if self.status != "nokey" else "?")

    def __repr__(self) -> str:
        return f"{self._symbol()} {self.message}\n   ({PRACTICE_NOTE})"

    def _repr_html_(self) -> str:
        import html
        colour = {"right": "#1a7f37", "close": "#9a6700"}.get(self.status, "#b42318")
        return (f'<div class="kit-check kit-check-{self.status}" style="border-left:4px solid {colour};'
                f'padding:4px 10px;margin:4px 0"><strong>{html.escape(self._symbol())}</strong> '
                f"{html.escape(self.message)}<br><small>{html.escape(PRACTICE_NOTE)}</small></div>")


def _close_at(entry: dict, salt: str, q: str, form, d: str) -> bool:
    """Whether ``form`` matches the expected answer rounded to ``d`` places (either rounding rule)."""
    if form is None:
        return False
    digest = _hash(salt, q, form)
    return digest == entry["h"].get(d) or digest == entry.get("hp", {}).get(d)


def _match(entry: dict, salt: str, q: str, forms: dict, decimals: list[str]):
    """(right, close_at): a match at full precision, else at one decimal less (never at 0)."""
    full = decimals[-1]
    if forms.get(full) is not None and _hash(salt, q, forms[full]) == entry["h"][full]:
        return True, None
    coarser = str(int(full) - 1)
    if int(coarser) >= 1 and _close_at(entry, salt, q, forms.get(coarser), coarser):
        return False, coarser
    return False, None


def _places(d: str) -> str:
    return "a whole number" if d == "0" else f"{d} decimal place{'s' if d != '1' else ''}"


def compare(observation: dict, entry: dict, spec: dict) -> Result:
    """Judge an observation against a key entry (see the module docstring). Never raises."""
    q = spec.get("question", "?")
    try:
        return _compare(observation, entry, spec, q)
    except Exception as err:
        return Result(q, "error", f"{q}: the check could not run ({type(err).__name__}).")


def _compare(obs: dict, entry: dict, spec: dict, q: str) -> Result:
    kind = spec.get("kind", "number")
    name = spec.get("answer", "answer")
    want = _KIND_WORDS[kind]
    otype = obs.get("type")
    if otype == "undefined":
        return Result(q, "undefined", f"{q}: there is no variable called `{name}` yet. "
                      f"Run the cell that computes it (and check the spelling).")
    if otype == "placeholder":
        return Result(q, "unanswered", f"{q}: not answered yet: `{name}` is still `...`. "
                      "Replace the ... with your code.")
    if otype == "error":
        return Result(q, "error", f"{q}: your answer could not be read ({obs.get('detail', 'unknown problem')}).")
    if otype == "nan":
        return Result(q, "wrong", f"{q}: your answer is a missing value (NaN). "
                      "Unknown figures are empty in the data: did your filter keep a row with no figure?")
    if otype == "other":
        msg = f"{q}: expected {want}, got {obs.get('name')}."
        if obs.get("single"):
            msg += " It holds one value: take it out with .item() or .iloc[0]."
        elif obs.get("hint"):
            msg += f" Tip: {obs['hint']}."
        return Result(q, "wrong_type", msg)
    salt = entry["salt"]
    if kind == "number":
        decimals = sorted(entry["h"], key=int)
        full = decimals[-1]
        if _hash(salt, q, obs["forms"][full]) == entry["h"][full]:
            return Result(q, "right", f"{q}: right.")
        given = str(obs.get("places", 10))
        if int(given) < int(full) and _close_at(entry, salt, q, obs["forms"][given], given):
            return Result(q, "close", f"{q}: close, but rounded differently: your answer has {_places(given)}, "
                          f"and it matches the expected answer rounded the same way; this question wants "
                          f"{_places(full)}. Round only at the end (or not at all).")
        return Result(q, "wrong", f"{q}: not right yet." + (f" Hint: {spec['hint']}" if spec.get("hint") else ""))
    if kind in ("text", "items"):
        if kind == "items" and _hash(salt, q, f"n={obs['n']}") != entry["n"]:
            extra = " (some names appear twice)" if obs.get("duplicates") else ""
            return Result(q, "wrong_shape", f"{q}: your list has {obs['n']} different name(s){extra}; "
                          "that is not how many the question needs. Check your filter."
                          + (f" Hint: {spec['hint']}" if spec.get("hint") else ""))
        if _hash(salt, q, obs["value"]) == entry["h"]:
            return Result(q, "right", f"{q}: right.")
        return Result(q, "wrong", f"{q}: not right yet." + (f" Hint: {spec['hint']}" if spec.get("hint") else ""))
    # tables and charts
    if kind == "chart":
        mark, fields = spec.get("mark"), spec.get("fields", [])
        if "forms" not in obs:
            if mark and mark not in obs.get("marks", []):
                marks = ", ".join(obs.get("marks", [])) or "no marks"
                return Result(q, "wrong_shape", f"{q}: this question asks for a chart with `{mark}` marks "
                              f"(mark_{mark}); yours has {marks}.")
            missing = [f for f in fields if f not in obs.get("encoded", [])]
            if missing:
                return Result(q, "wrong_shape", f"{q}: the chart should encode the field(s) "
                              f"{', '.join(missing)} (for example on x, y or color).")
            return Result(q, "wrong_shape", f"{q}: the chart's data should be a DataFrame with the columns "
                          f"{', '.join(fields)} (pass the table to alt.Chart(...)).")
        what = "the chart's data"
    else:
        if obs.get("missing"):
            return Result(q, "wrong_shape", f"{q}: your table is missing the column(s) {', '.join(obs['missing'])}. "
                          f"Expected columns: {', '.join(spec.get('columns', []))}; "
                          f"yours: {', '.join(obs.get('columns', [])) or 'none'}.")
        what = "your table"
    if _hash(salt, q, f"rows={obs['rows']}") != entry["rows"]:
        return Result(q, "wrong_shape", f"{q}: {what} has {obs['rows']} row(s); that is not the number of rows "
                      "expected. Check your filter (and that unknown values are not counted as zero)."
                      + (f" Hint: {spec['hint']}" if spec.get("hint") else ""))
    decimals = sorted(entry["h"], key=int)
    right, close = _match(entry, salt, q, obs.get("forms", {}), decimals)
    if right:
        return Result(q, "right", f"{q}: right.")
    if close is not None:
        return Result(q, "close", f"{q}: close, but rounded differently: {what} matches when the numbers are "
                      f"rounded to {_places(close)}, not to {_places(decimals[-1])}.")
    order = " (and in the order asked)" if spec.get("ordered") else ""
    return Result(q, "wrong", f"{q}: {what} has the right shape but not the right values{order}."
                  + (f" Hint: {spec['hint']}" if spec.get("hint") else ""))


# ---------------------------------------------------------------------------
# keys: {"exercise", "questions": {q: spec}, "entries": {q: entry}} as compact text
# ---------------------------------------------------------------------------

def encode_key(key: dict) -> str:
    """Compact text for a key (zlib + base64), to embed in a student notebook.

    >>> decode_key(encode_key({"exercise": "x", "questions": {}, "entries": {}}))["exercise"]
    'x'
    """
    raw = json.dumps(key, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def decode_key(text: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))


# ---------------------------------------------------------------------------
# the student-facing grader
# ---------------------------------------------------------------------------

_LAST: list = []


class Grader:
    """Practice checks for one exercise.

    >>> g = Grader("demo")            # no key: the source notebook, before the release
    >>> print(repr(g.check("q1", 3)).splitlines()[0])
    ? q1: no practice checks in this copy (they are added when the teacher runs `python -m kit release`).
    """

    def __init__(self, exercise: str, key: str | None = None):
        self.exercise = exercise
        self._questions: dict = {}
        self._entries: dict = {}
        self._problem = None
        if key:
            try:
                data = decode_key(key)
                self._questions, self._entries = data["questions"], data["entries"]
            except Exception:
                self._problem = "the practice-check key in this notebook is damaged; ask your teacher for a fresh copy"
        _LAST[:] = [self]

    @property
    def questions(self) -> list[str]:
        """The questions this grader can check."""
        return list(self._questions)

    def check(self, question: str, *answer) -> Result:
        """``check("q1", value)``, or ``check("q1")`` to look the answer variable up by name."""
        try:
            return self._check(question, answer)
        except Exception as err:  # never a traceback for a student
            return Result(str(question), "error", f"{question}: the check could not run ({type(err).__name__}).")

    def _check(self, question, answer) -> Result:
        question = str(question)
        if self._problem:
            return Result(question, "nokey", f"{question}: {self._problem}.")
        if not self._questions:
            return Result(question, "nokey", f"{question}: no practice checks in this copy (they are added when the "
                          "teacher runs `python -m kit release`).")
        if question not in self._questions:
            return Result(question, "nokey", f"{question}: no such question here; the questions are "
                          f"{', '.join(self._questions)}.")
        spec = self._questions[question]
        if answer:
            observation = observe_value(answer[0], spec)
        else:
            observation = observe(_caller_namespace(), spec)
        return compare(observation, self._entries[question], spec)

    def check_all(self) -> list[Result]:
        """Check every question, looking each answer up by name."""
        return [self.check(q) for q in self._questions]


def _caller_namespace() -> dict:
    try:
        from IPython import get_ipython
        shell = get_ipython()
        if shell is not None:
            return shell.user_ns
    except Exception:
        pass
    import inspect
    frame = inspect.currentframe()
    for _ in range(3):
        frame = frame.f_back if frame is not None else None
    return frame.f_globals if frame is not None else {}


def check(question: str, *answer) -> Result:
    """Check with the most recently created :class:`Grader` (``check("q1", value)``)."""
    if not _LAST:
        return Result(str(question), "nokey", f"{question}: run the setup cell at the top of the notebook first.")
    return _LAST[0].check(question, *answer)
