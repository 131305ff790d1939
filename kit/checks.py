"""Compatibility: the practice checks moved to :mod:`kit.exercises.practice` (with ``observe``,
``keys`` and ``verdicts`` beside it).

Released student notebooks already in classrooms contain ``from kit.checks import Grader``;
this module keeps that import (and the old names) working. New code imports from
``kit.exercises``.
"""

from .exercises.keys import decode_key, encode_key, fingerprint
from .exercises.observe import KINDS, number_text, observe, observe_value
from .exercises.practice import Grader, check
from .exercises.verdicts import PRACTICE_NOTE, Result, compare

__all__ = ["Grader", "check", "observe", "observe_value", "fingerprint", "compare",
           "Result", "encode_key", "decode_key", "KINDS", "PRACTICE_NOTE", "number_text"]
