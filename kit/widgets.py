"""Compatibility: ``kit.widgets`` is :mod:`kit.lessons.widgets`, under the name the lessons import.

Kept because the lesson notebooks show ``from kit import charts, lesson, widgets``; new code
imports ``kit.lessons.widgets``.
"""

from .lessons.widgets import NOTE, StaticView, target_explorer, target_summary, timeline_explorer

__all__ = ["NOTE", "StaticView", "target_explorer", "target_summary", "timeline_explorer"]
