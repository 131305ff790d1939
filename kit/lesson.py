"""Compatibility: ``kit.lesson`` is the lesson layer, :mod:`kit.lessons`, under the name the lessons import.

Kept because the six lesson notebooks show ``from kit import charts, lesson, widgets`` and
``from kit.lesson import md`` in their handouts; new code imports ``kit.lessons``.
"""

from .lessons import *  # noqa: F403
from .lessons import __all__  # noqa: F401
