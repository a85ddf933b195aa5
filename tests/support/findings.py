"""The sections of the findings report, by their HTML id, in the order the report shows them.

"rounds" is left out: it appears once two rounds have participants, and the seeded
meeting has one (tests/reports/findings/test_voice.py renders it).
"""

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
    "voice",
    "trust",
)
