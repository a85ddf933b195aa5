"""The sections of the findings report, by their HTML id, in the order the report shows them."""

from __future__ import annotations

SECTIONS = (
    "headline",
    "ranking",
    "for-whom",
    "over-time",
    "stories",
    "together",
    "signals",
    "offers",
    "trust",
)
