"""The report's "Aanbod dat antwoordt op drempels": offers shown and tapped, and what has none.

Counts of young people, suppressed like every other count. The to-do list is the
network's: the barriers named most often for which offers.yml has no running offer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reports.findings.suppression import Count, suppress
from storage.offers import OfferCounts
from survey.offers import Catalogue

# The to-do list names at most this many barriers: the top of it is what a meeting acts on.
TO_DO_LENGTH = 5


@dataclass(frozen=True)
class OfferRow:
    """One offer, or one barrier theme: how many were shown it and how many tapped Interessant."""

    label: str
    shown: Count
    tapped: Count


@dataclass(frozen=True)
class UnansweredBarrier:
    """A barrier young people named for which no offer runs."""

    label: str
    participants: Count


@dataclass(frozen=True)
class OfferFigures:
    """Everything the offers section shows."""

    per_offer: tuple[OfferRow, ...]
    per_theme: tuple[OfferRow, ...]
    to_do: tuple[UnansweredBarrier, ...]
    # offers.yml still holds the shipped examples: the to-do list ignores them.
    examples_left: bool


@dataclass(frozen=True)
class NamedTheme:
    """A theme of the report's ranking: its id, label and published count."""

    theme: str
    label: str
    participants: Count


def offer_figures(
    counts: OfferCounts,
    catalogue: Catalogue,
    ranking: Sequence[NamedTheme],
    theme_label: Callable[[str], str],
    *,
    min_cell: int,
    language: str,
    day: date,
) -> OfferFigures:
    """Offers and barriers by people shown and tapping; the most-named barriers without one."""

    def offer_label(offer_id: str) -> str:
        offer = catalogue.offer(offer_id)
        if offer is None:
            return offer_id  # taken out of offers.yml since: its id still says what it was
        title = offer.title.get(language) or offer.title.get("nl") or offer_id
        return f"{title} ({offer.partner})"

    per_offer = sorted(counts.per_offer.items(), key=lambda i: (-i[1].shown, offer_label(i[0])))
    per_theme = sorted(counts.per_theme.items(), key=lambda i: (-i[1].shown, theme_label(i[0])))
    covered = catalogue.without_examples().themes_covered(day)
    to_do = [
        UnansweredBarrier(theme.label, theme.participants)
        for theme in ranking
        if not theme.participants.suppressed and theme.theme not in covered
    ]
    return OfferFigures(
        per_offer=tuple(
            OfferRow(offer_label(key), suppress(r.shown, min_cell), suppress(r.tapped, min_cell))
            for key, r in per_offer
        ),
        per_theme=tuple(
            OfferRow(theme_label(key), suppress(r.shown, min_cell), suppress(r.tapped, min_cell))
            for key, r in per_theme
        ),
        to_do=tuple(to_do[:TO_DO_LENGTH]),
        examples_left=bool(catalogue.examples),
    )
