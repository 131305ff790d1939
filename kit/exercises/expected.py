"""Check the expected answers when they are computed: each must be of its question's kind.

    expected = expected_answers([ex])[ex.name]     # kit.exercises.answers
    validate_expected(ex, expected)                # KitError naming the exercise and each bad question

A solution that leaves a DataFrame where the question wants a number, a missing value (NaN),
or a chart without its data would otherwise fail only while a submission is being scored.
Grading stops here instead, before any student is run, with one line per bad question::

    >>> from types import SimpleNamespace
    >>> ex = SimpleNamespace(name="demo", path="exercises/demo.ipynb",
    ...                      specs={"q1": {"question": "q1", "answer": "share", "kind": "number", "decimals": 2}})
    >>> validate_expected(ex, {"q1": {"type": "number", "forms": {"0": "4", "1": "3.8", "2": "3.79"}}})
    >>> validate_expected(ex, {"q1": {"type": "other", "name": "a DataFrame"}})
    Traceback (most recent call last):
    ...
    kit.errors.KitError: The expected answers of exercise demo (exercises/demo.ipynb) cannot be graded against:
      - q1 (`share`, a number): the solution's answer is a DataFrame, not a number
"""

from __future__ import annotations

from ..errors import KitError, listing
from .keys import fingerprint
from .observe import KIND_WORDS


def problem(spec: dict, observation) -> str | None:
    """Why ``observation`` cannot serve as the expected answer of the question ``spec`` (None if it can)."""
    if not isinstance(observation, dict):
        return f"the expected answer is {type(observation).__name__}, not an observation"
    try:
        fingerprint(observation, spec, "check")
    except ValueError as err:
        return str(err)
    except (KeyError, TypeError, AttributeError) as err:
        return f"the expected answer is malformed ({type(err).__name__}: {str(err)[:80]})"
    return None


def validate_expected(exercise, expected: dict, where: str = "") -> None:
    """Raise :class:`KitError` naming the exercise and every question whose expected answer is not of its kind.

    ``where`` says which data the answers were computed on (for example "on the perturbed copy").
    """
    problems = []
    for q, spec in exercise.specs.items():
        observation = (expected or {}).get(q)
        why = "the solutions leave no answer for it" if observation is None else problem(spec, observation)
        if why:
            kind = KIND_WORDS.get(spec.get("kind", "number"), spec.get("kind"))
            problems.append(f"{q} (`{spec.get('answer')}`, {kind}): {why}")
    if problems:
        header = (f"The expected answers of exercise {exercise.name} ({exercise.path})"
                  f"{' ' + where if where else ''} cannot be graded against")
        raise KitError(listing(header, problems))
