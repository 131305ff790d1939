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
the student's kernel with the key (see :mod:`kit.exercises.grade`). Any check a student can run
offline is an oracle for answers with few possible values (a count, a year, a short list), so
each verdict says so (:data:`HONEST_NOTE`), and the grade also runs the notebook on a perturbed
copy of the data, where an answer typed in from the practice check is wrong.

How it works, in three steps that the release, the practice check and the grader share:

1. ``kit.exercises.observe`` turns a value into a JSON-able *observation* (its canonical forms);
2. ``kit.exercises.keys`` turns the expected observation into a key entry (hashes only);
3. ``kit.exercises.verdicts`` judges an observation against a key entry and says why, in plain words.

    >>> g = Grader("demo")            # no key: the source notebook, before the release
    >>> print(repr(g.check("q1", 3)).splitlines()[0])
    ? q1: no practice checks in this copy (they are added when the teacher runs `python -m kit release`).

Released notebooks import ``from kit.checks import Grader``: ``kit.checks`` re-exports this
module's names.
"""

from __future__ import annotations

import html

from .keys import decode_key
from .observe import observe, observe_value
from .verdicts import PRACTICE_NOTE, Result, compare

__all__ = ["Grader", "check", "HONEST_NOTE"]

HONEST_NOTE = "Practice checks can be guessed; the grade also runs your notebook on changed data."


class PracticeResult(Result):
    """A verdict as a student's practice check shows it: with the reminder that it is not the grade."""

    def __repr__(self) -> str:
        return f"{self._symbol()} {self.message}\n   ({PRACTICE_NOTE} {HONEST_NOTE})"

    def _repr_html_(self) -> str:
        before, _, after = super()._repr_html_().rpartition(html.escape(PRACTICE_NOTE))
        return before + html.escape(f"{PRACTICE_NOTE} {HONEST_NOTE}") + after


def _practice(result: Result) -> PracticeResult:
    return PracticeResult(result.question, result.status, result.message)


_LAST: list = []


class Grader:
    """Practice checks for one exercise (``key``: the text the release writes into the notebook)."""

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
            return _practice(self._check(question, answer))
        except Exception as err:  # never a traceback for a student
            return PracticeResult(str(question), "error", f"{question}: the check could not run ({type(err).__name__}).")

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
        return PracticeResult(str(question), "nokey", f"{question}: run the setup cell at the top of the notebook first.")
    return _LAST[0].check(question, *answer)
