"""Offers shown to young people and tapped: the rows behind "Misschien helpt dit:"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from storage.database import Session
from storage.models import OfferShown, Participation, utcnow


def shown_to(session: Session, participant_id: int) -> set[str]:
    """Ids of every offer this participant has been shown."""
    query = select(OfferShown.offer_id).where(OfferShown.participant_id == participant_id)
    return set(session.execute(query).scalars())


def record_shown(
    session: Session, participant_id: int, shown: Iterable[tuple[str, list[str]]]
) -> None:
    """Store offers just shown, each with the confirmed themes it answered."""
    now = utcnow()
    for offer_id, themes in shown:
        row = OfferShown(participant_id=participant_id, offer_id=offer_id, themes=themes)
        row.shown_at = now
        session.add(row)


def record_tap(session: Session, participant_id: int, offer_id: str) -> bool | None:
    """Mark "Interessant" tapped: True the first time, False again, None if never shown."""
    row = session.execute(
        select(OfferShown).where(
            OfferShown.participant_id == participant_id, OfferShown.offer_id == offer_id
        )
    ).scalar_one_or_none()
    if row is None:
        return None
    if row.tapped_at is not None:
        return False
    row.tapped_at = utcnow()
    return True


@dataclass(frozen=True)
class Reach:
    """How many young people were shown something, and how many of them tapped Interessant."""

    shown: int
    tapped: int


@dataclass(frozen=True)
class OfferCounts:
    """Young people reached, per offer id and per barrier theme (each person once per row)."""

    per_offer: dict[str, Reach]
    per_theme: dict[str, Reach]


def offer_counts(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    sources: Sequence[str] = (),
) -> OfferCounts:
    """Offers shown from ``since`` up to ``until``, to young people who came through ``sources``."""
    query = select(
        OfferShown.participant_id, OfferShown.offer_id, OfferShown.themes, OfferShown.tapped_at
    )
    if since is not None:
        query = query.where(OfferShown.shown_at >= since)
    if until is not None:
        query = query.where(OfferShown.shown_at < until)
    if sources:
        query = query.where(
            exists().where(
                Participation.participant_id == OfferShown.participant_id,
                Participation.source.in_(sources),
            )
        )
    shown: dict[tuple[str, str], set[int]] = defaultdict(set)
    tapped: dict[tuple[str, str], set[int]] = defaultdict(set)
    # Themes are a JSON list per row: counted here, the same on both databases.
    for participant, offer_id, themes, tapped_at in session.execute(query):
        for key in [("offer", offer_id), *(("theme", theme) for theme in themes or [])]:
            shown[key].add(participant)
            if tapped_at is not None:
                tapped[key].add(participant)

    def reach(kind: str) -> dict[str, Reach]:
        return {
            name: Reach(len(people), len(tapped[(kind, name)]))
            for (of_kind, name), people in shown.items()
            if of_kind == kind
        }

    return OfferCounts(per_offer=reach("offer"), per_theme=reach("theme"))
