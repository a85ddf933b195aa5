"""Closing the loop in the report: "Wat gebeurde er met jullie stem" and rounds compared.

- Per barrier theme in feedback.yml: where the network stands, what it did, to how
  many young people it was sent and how they reacted.
- Per round: the share of its participants naming each barrier. A change between the
  first and the latest round is shown only where both rounds have at least
  ``report.min_round`` participants: shares of a handful of people swing by chance.

Every count is suppressed below ``report.min_cell``, like the rest of the report,
and so is a share whose count is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from reports.findings.suppression import Count, suppress
from storage.models import Reaction
from survey.feedback import FeedbackFile


@dataclass(frozen=True)
class FeedbackRow:
    """One theme's feedback: status, what was done, reach and reactions."""

    theme: str  # the theme's label
    status: str  # as staff wrote it ("op de agenda")
    message: str
    partner: str | None
    reached: Count
    helps: Count
    does_not_help: Count
    said_more: Count


@dataclass(frozen=True)
class VoiceFigures:
    """The section "Wat gebeurde er met jullie stem"."""

    rows: tuple[FeedbackRow, ...]
    # feedback.yml still holds shipped examples: they are left out of the rows.
    examples_left: bool


def voice_figures(
    feedback: FeedbackFile,
    reached: Mapping[str, int],
    reactions: Mapping[tuple[str, str], Counter[Reaction]],
    theme_label: Callable[[str], str],
    *,
    min_cell: int,
    language: str,
) -> VoiceFigures | None:
    """The feedback staff wrote (examples left out), with reach and reactions; None if none.

    ``reached``: young people sent each feedback, by outbox subject (``theme:status``);
    ``reactions``: per (theme, status key), the young people per reaction.
    """
    rows = []
    for theme, item in feedback.themes.items():
        if item.example:
            continue
        counts = reactions.get((theme, item.status.key), Counter())
        rows.append(
            FeedbackRow(
                theme=theme_label(theme),
                status=item.status.value,
                message=item.message.get(language) or item.message.get("nl") or "",
                partner=item.partner,
                reached=suppress(reached.get(f"{theme}:{item.status.key}", 0), min_cell),
                helps=suppress(counts[Reaction.HELPS], min_cell),
                does_not_help=suppress(counts[Reaction.DOES_NOT_HELP], min_cell),
                said_more=suppress(counts[Reaction.SAY_MORE], min_cell),
            )
        )
    examples = any(item.example for item in feedback.themes.values())
    if not rows and not examples:
        return None
    return VoiceFigures(tuple(rows), examples)


@dataclass
class RoundTally:
    """Who took part in each round, and who named which barrier there."""

    participants: dict[str, set[str]] = field(default_factory=dict)
    named: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def took_part(self, round_id: str, person: str) -> None:
        self.participants.setdefault(round_id, set()).add(person)

    def name(self, round_id: str, person: str, theme: str) -> None:
        self.named.setdefault(round_id, {}).setdefault(theme, set()).add(person)


@dataclass(frozen=True)
class RoundColumn:
    """One round of the comparison: its title and how many took part."""

    title: str
    participants: Count


@dataclass(frozen=True)
class RoundThemeRow:
    """One barrier: its share of participants per round, and the change first -> latest."""

    label: str
    shares: tuple[float | None, ...]
    # None when either round is below report.min_round, or a share is suppressed.
    change: float | None


@dataclass(frozen=True)
class RoundComparison:
    """The section comparing rounds."""

    rounds: tuple[RoundColumn, ...]
    rows: tuple[RoundThemeRow, ...]
    min_round: int
    # Whether the first and latest round both have enough participants for a change.
    change_shown: bool


def round_comparison(
    tally: RoundTally,
    order: Sequence[str],
    titles: Mapping[str, str],
    themes: Sequence[str],
    theme_label: Callable[[str], str],
    *,
    min_cell: int,
    min_round: int,
) -> RoundComparison | None:
    """Shares per round in config order; None when fewer than two rounds had participants."""
    rounds = [r for r in order if tally.participants.get(r)]
    if len(rounds) < 2:
        return None
    sizes = {r: len(tally.participants[r]) for r in rounds}
    first, latest = rounds[0], rounds[-1]
    change_shown = sizes[first] >= min_round and sizes[latest] >= min_round
    rows = []
    for theme in themes:
        shares: list[float | None] = []
        for r in rounds:
            named = len(tally.named.get(r, {}).get(theme, ()))
            visible = sizes[r] >= min_cell and not suppress(named, min_cell).suppressed
            shares.append(named / sizes[r] if visible else None)
        if not any(tally.named.get(r, {}).get(theme) for r in rounds):
            continue
        first_share, latest_share = shares[0], shares[-1]
        change = (
            latest_share - first_share
            if change_shown and first_share is not None and latest_share is not None
            else None
        )
        rows.append(RoundThemeRow(theme_label(theme), tuple(shares), change))
    rows.sort(key=lambda row: -(row.shares[0] or 0.0))
    return RoundComparison(
        rounds=tuple(RoundColumn(titles[r], suppress(sizes[r], min_cell)) for r in rounds),
        rows=tuple(rows),
        min_round=min_round,
        change_shown=change_shown,
    )
