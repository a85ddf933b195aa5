"""The network's offers as data: ``offers.yml`` parsed and checked into typed models.

An offer answers a barrier: a social tariff for ``cost``, an evening bus for
``transport``, a buddy for ``social``. The bot shows the ones that match a young
person's confirmed themes, age band and area (bot/engine/offers.py). Errors name
the file, the line and the key, as for config.yml.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from survey.config import (
    AgeBand,
    Slug,
    Survey,
    Texts,
    check_texts,
    load_beside,
)
from survey.yamlfile import Problem

# How many offers one message may carry: more would bury the next question.
MAX_OFFERS_SHOWN = 3

Label = Annotated[str, StringConstraints(min_length=1, max_length=80)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Offer(_Model):
    """Something a partner offers that lifts one or more barriers."""

    id: Slug
    title: Texts
    partner: Label
    text: Texts
    # Barrier theme ids from config.yml.
    themes: tuple[Slug, ...] = Field(min_length=1)
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    # Area option ids of the profile question; empty: everywhere.
    areas: tuple[Slug, ...] = ()
    link: AnyHttpUrl | None = None
    # A phone number, an e-mail address or "vraag het aan de balie van AjKo".
    contact: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    # Shown from ``starts`` up to and including ``ends`` (Kortrijk dates); open-ended if absent.
    starts: date | None = None
    ends: date | None = None
    # Shipped as an example: `jeugdstem run` warns until the network replaces it.
    example: bool = False

    def open_on(self, day: date) -> bool:
        """Whether the offer runs on this day."""
        return (self.starts is None or self.starts <= day) and (
            self.ends is None or day <= self.ends
        )

    def fits_age(self, band: AgeBand | None) -> bool:
        """Whether the age band overlaps the offer's ages; an unknown band fits every offer."""
        if band is None:
            return True
        band_low = band.min_age if band.min_age is not None else 0
        band_high = band.max_age if band.max_age is not None else 200
        low = self.min_age if self.min_age is not None else 0
        high = self.max_age if self.max_age is not None else 200
        return band_low <= high and low <= band_high

    def fits_area(self, area: str | None) -> bool:
        """Whether the offer is for this area; an unknown area fits every offer."""
        return not self.areas or area is None or area in self.areas

    def where_to_go(self) -> str:
        """The link, the contact, or both, as one line."""
        parts = [str(self.link)] if self.link is not None else []
        if self.contact is not None:
            parts.append(self.contact)
        return " · ".join(parts)


class Catalogue(_Model):
    """The whole of offers.yml (an absent file is an empty catalogue)."""

    offers: tuple[Offer, ...] = ()

    def offer(self, offer_id: str) -> Offer | None:
        """The offer with this id, or None."""
        return next((offer for offer in self.offers if offer.id == offer_id), None)

    @property
    def examples(self) -> list[Offer]:
        """Entries still marked as shipped examples."""
        return [offer for offer in self.offers if offer.example]

    def without_examples(self) -> Catalogue:
        """The catalogue with the shipped examples left out."""
        return Catalogue(offers=tuple(offer for offer in self.offers if not offer.example))

    def themes_covered(self, day: date) -> set[str]:
        """Barrier themes that at least one offer running on ``day`` lifts."""
        return {theme for offer in self.offers if offer.open_on(day) for theme in offer.themes}

    def matching(
        self,
        themes: list[str],
        *,
        band: AgeBand | None,
        area: str | None,
        day: date,
        already_shown: set[str],
    ) -> list[Offer]:
        """Up to MAX_OFFERS_SHOWN offers for these themes, first theme first, never one twice."""
        chosen: list[Offer] = []
        for theme in themes:
            for offer in self.offers:
                if (
                    theme in offer.themes
                    and offer.id not in already_shown
                    and offer not in chosen
                    and offer.open_on(day)
                    and offer.fits_age(band)
                    and offer.fits_area(area)
                ):
                    chosen.append(offer)
        return chosen[:MAX_OFFERS_SHOWN]


def _check_catalogue(catalogue: Catalogue, survey: Survey) -> list[Problem]:
    """Rules that need config.yml: languages, theme and area ids; and each offer's own sense."""
    problems: list[Problem] = []
    themes = set(survey.theme_ids)
    special = {survey.special_themes.no_barrier}
    areas = {
        option.id
        for question in survey.questions
        if question.profile == "area"
        for option in question.options
    }
    seen: set[str] = set()
    for index, offer in enumerate(catalogue.offers):
        where: tuple[str | int, ...] = ("offers", index)
        if offer.id in seen:
            problems.append(((*where, "id"), f"duplicate offer id {offer.id!r}"))
        seen.add(offer.id)
        problems += check_texts((*where, "title"), offer.title, survey)
        problems += check_texts((*where, "text"), offer.text, survey)
        for position, theme in enumerate(offer.themes):
            if theme not in themes or theme in special:
                known = ", ".join(sorted(themes - special))
                problems.append(
                    ((*where, "themes", position), f"{theme!r} is no barrier theme ({known})")
                )
        for position, area in enumerate(offer.areas):
            if area not in areas:
                problems.append(
                    ((*where, "areas", position), f"{area!r} is no area option of config.yml")
                )
        low, high = offer.min_age, offer.max_age
        if low is not None and high is not None and low > high:
            problems.append(((*where, "min_age"), "min_age is above max_age"))
        if offer.starts is not None and offer.ends is not None and offer.starts > offer.ends:
            problems.append(((*where, "ends"), "ends before it starts"))
        if offer.link is None and offer.contact is None:
            problems.append((where, "needs a link or a contact, so a young person can follow up"))
    return problems


def load_catalogue(path: Path, survey: Survey) -> Catalogue:
    """Read and validate offers.yml; an absent file is an empty catalogue.

    Raises ConfigError naming file, line and key, as config.yml's loader does.
    """
    return load_beside(
        path,
        Catalogue,
        survey,
        _check_catalogue,
        what="the offers",
        expected="a mapping with a list under 'offers'",
    )
