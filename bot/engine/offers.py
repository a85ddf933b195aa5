"""Offers that answer the barrier a young person just named ("Misschien helpt dit:").

The catalogue is the network's ``offers.yml`` (survey.offers). When a young person
confirms a barrier theme, or finishes the survey, the turn asks :class:`Offering`
for the offers that lift one of their themes and fit their age band and area:

```mermaid
flowchart LR
    confirm[Klopt / Klaar / opt-in] --> when{distress, paused\nor a youth worker?}
    when -->|yes| none[no offer]
    when -->|no| match[themes, age, area, dates;\nnever twice] --> reply[up to 3 offers]
    reply -->|Interessant| tap[tap stored, where to go]
```

What is stored is which offer was shown and whether it was tapped (storage.offers).
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.buttons import ButtonCodec, ButtonKind
from bot.engine.events import Button, Reply
from survey.clock import local
from survey.config import AgeBand, Survey
from survey.offers import Catalogue, Offer

# Telegram shows about this many characters of a button before cutting it off.
_BUTTON_TITLE = 40


class Offering:
    """Chooses the offers for a young person's themes and words the message that shows them."""

    def __init__(self, survey: Survey, catalogue: Catalogue, buttons: ButtonCodec) -> None:
        self.survey = survey
        self.catalogue = catalogue
        self.buttons = buttons

    def choose(
        self,
        themes: list[str],
        *,
        age_band: str | None,
        area: str | None,
        moment: datetime,
        already_shown: set[str],
    ) -> list[Offer]:
        """The offers to show now (at most three), first theme first."""
        if not self.catalogue.offers or not themes:
            return []
        return self.catalogue.matching(
            themes,
            band=self._band(age_band),
            area=self._area(area),
            day=local(moment).date(),
            already_shown=already_shown,
        )

    def reply(self, offers: list[Offer], language: str) -> Reply:
        """One message: each offer with its partner, text and where to go, and a button each."""
        blocks = [self.survey.text("offers_intro", language)]
        rows: list[tuple[Button, ...]] = []
        for offer in offers:
            title = offer.title[language]
            blocks.append(
                f"⭐ {title} ({offer.partner})\n{offer.text[language]}\n→ {offer.where_to_go()}"
            )
            label = self.survey.text("button_offer", language, title=_shorten(title))
            rows.append((Button(label, self.buttons.encode(ButtonKind.OFFER, offer.id)),))
        return Reply("\n\n".join(blocks), tuple(rows))

    def _band(self, band_id: str | None) -> AgeBand | None:
        return next((band for band in self.survey.age_bands if band.id == band_id), None)

    def _area(self, area: str | None) -> str | None:
        """The area as an offer knows it; "zeg ik liever niet" is no area."""
        for question in self.survey.questions:
            if question.profile == "area":
                for option in question.options:
                    if option.id == area and option.withheld:
                        return None
        return area


def _shorten(title: str) -> str:
    return title if len(title) <= _BUTTON_TITLE else title[: _BUTTON_TITLE - 1].rstrip() + "…"
