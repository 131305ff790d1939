"""Judge an observation against a key entry, in plain words that never give the expected value away.

    >>> from kit.exercises.keys import fingerprint
    >>> from kit.exercises.observe import observe_value
    >>> spec = {"question": "q1", "answer": "x", "kind": "number", "decimals": 2}
    >>> entry = fingerprint(observe_value(3.7912, spec), spec, salt="s")
    >>> compare(observe_value(3.79, spec), entry, spec).status
    'right'
    >>> compare(observe_value(3.8, spec), entry, spec).status
    'close'
    >>> print(compare(observe_value(4.2, spec), entry, spec).message)
    q1: not right yet.

The verdicts: right; close (rounded differently); not answered yet; no such variable; wrong
type ("expected a number, got a DataFrame"); wrong shape; not right yet. The practice checks
show them to the student at once; the grader turns them into points.
"""

from __future__ import annotations

from dataclasses import dataclass

from .keys import digest
from .observe import KIND_WORDS

PRACTICE_NOTE = "Practice check: feedback while you work, not your grade."


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
    hashed = digest(salt, q, form)
    return hashed == entry["h"].get(d) or hashed == entry.get("hp", {}).get(d)


def _match(entry: dict, salt: str, q: str, forms: dict, decimals: list[str]):
    """(right, close_at): a match at full precision, else at one decimal less (never at 0)."""
    full = decimals[-1]
    if forms.get(full) is not None and digest(salt, q, forms[full]) == entry["h"][full]:
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
    want = KIND_WORDS[kind]
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
        if digest(salt, q, obs["forms"][full]) == entry["h"][full]:
            return Result(q, "right", f"{q}: right.")
        given = str(obs.get("places", 10))
        if int(given) < int(full) and _close_at(entry, salt, q, obs["forms"][given], given):
            return Result(q, "close", f"{q}: close, but rounded differently: your answer has {_places(given)}, "
                          f"and it matches the expected answer rounded the same way; this question wants "
                          f"{_places(full)}. Round only at the end (or not at all).")
        return Result(q, "wrong", f"{q}: not right yet." + (f" Hint: {spec['hint']}" if spec.get("hint") else ""))
    if kind in ("text", "items"):
        if kind == "items" and digest(salt, q, f"n={obs['n']}") != entry["n"]:
            extra = " (some names appear twice)" if obs.get("duplicates") else ""
            return Result(q, "wrong_shape", f"{q}: your list has {obs['n']} different name(s){extra}; "
                          "that is not how many the question needs. Check your filter."
                          + (f" Hint: {spec['hint']}" if spec.get("hint") else ""))
        if digest(salt, q, obs["value"]) == entry["h"]:
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
    if digest(salt, q, f"rows={obs['rows']}") != entry["rows"]:
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
