"""Small-cell suppression: no count in the report lets anyone single out a young person.

A suppressed count is ``None`` from here on, so no template, chart or table
further down can show it, even by mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Count:
    """A number of participants (or answers) as published: ``None`` when suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        """Whether the number is hidden."""
        return self.value is None


def suppress(value: int, min_cell: int) -> Count:
    """One count on its own: hidden when it counts fewer than ``min_cell``."""
    return Count(value if value >= min_cell else None)


def suppress_line(values: Sequence[int], min_cell: int) -> list[Count]:
    """Counts whose total is published elsewhere, protected against subtraction.

    Every count under ``min_cell`` is hidden (primary suppression). If the
    hidden counts of the line add up to less than ``min_cell`` (but more than
    nothing), "total minus the visible counts" would still give them away, so
    the smallest visible counts are hidden too until the hidden ones together
    reach ``min_cell`` (secondary suppression). A hidden total of 0 only tells
    that the hidden counts are 0, which concerns nobody.
    """
    hidden = [value < min_cell for value in values]
    while any(hidden):
        hidden_sum = sum(value for value, off in zip(values, hidden, strict=True) if off)
        if hidden_sum == 0 or hidden_sum >= min_cell:
            break
        visible = [index for index, off in enumerate(hidden) if not off]
        if not visible:
            break
        # The smallest visible count (the first of equals, so the choice is deterministic).
        hidden[min(visible, key=lambda index: (values[index], index))] = True
    return [Count(None if off else value) for value, off in zip(values, hidden, strict=True)]
