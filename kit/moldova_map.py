"""Compatibility: the Moldova map moved to :mod:`kit.charts.moldova`.

Lesson 4 says ``from kit.moldova_map import moldova_map``; this module keeps that working.
New code calls ``kit.charts.moldova_map()``.
"""

from __future__ import annotations

from .charts.moldova import (
    GAGAUZIA_STATUS,
    REGION_COLOURS,
    REGION_LABELS,
    TRANSNISTRIA_STATUS,
    moldova_map,
    moldova_topology,
)

__all__ = ["moldova_map", "moldova_topology", "REGION_LABELS", "REGION_COLOURS", "TRANSNISTRIA_STATUS",
           "GAGAUZIA_STATUS"]
