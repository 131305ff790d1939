"""Compatibility: ``kit.allies`` is :mod:`kit.data.allies` (the NATO Allies of a year).

Kept because the lessons call ``allies.only(...)`` after ``from kit import allies``; new code
imports ``kit.data.allies``.
"""

from .data.allies import not_yet, of_year, only

__all__ = ["not_yet", "of_year", "only"]
