"""Compatibility: ``kit.freshness`` moved to :mod:`kit.data.freshness`.

Kept because lesson 00 imports ``from kit.freshness import today``; new code imports
``kit.data.freshness``.
"""

from .data.freshness import (
    HOW_TO_UPDATE,
    TODAY_ENV,
    StaleDataWarning,
    is_overdue,
    message,
    overdue,
    review_status,
    today,
    warn_if_overdue,
)

__all__ = ["HOW_TO_UPDATE", "TODAY_ENV", "StaleDataWarning", "is_overdue", "message", "overdue", "review_status",
           "today", "warn_if_overdue"]
