"""Offers shown and tapped: each person once per offer and per theme, filtered like the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage import Database, OfferShown
from storage import offers as store
from tests.support.audience import just_consented

NOVEMBER = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def person(database: Database, number: int, source: str) -> int:
    """A participant who came through ``source``; their row id."""
    with database.transaction() as session:
        return just_consented(session, f"{number:064x}", first_step="q:age", source=source)


def shown(
    database: Database, participant_id: int, offer_id: str, themes: list[str], *, day: int
) -> None:
    with database.transaction() as session:
        store.record_shown(session, participant_id, [(offer_id, themes)])
        session.flush()
        for row in session.query(OfferShown).filter_by(
            participant_id=participant_id, offer_id=offer_id
        ):
            row.shown_at = NOVEMBER + timedelta(days=day)


def test_counts_are_people_per_offer_and_per_theme_within_the_filters(database: Database) -> None:
    anna, bilal, chloe = (
        person(database, n, s) for n, s in ((1, "bolwerk"), (2, "quindo"), (3, "bolwerk"))
    )
    shown(database, anna, "uitpas", ["cost"], day=0)
    shown(database, anna, "buddy", ["cost", "social"], day=0)
    shown(database, bilal, "uitpas", ["cost"], day=5)
    shown(database, chloe, "buddy", ["social"], day=20)
    with database.transaction() as session:
        assert store.record_tap(session, anna, "buddy") is True
        assert store.record_tap(session, anna, "buddy") is False  # a second tap counts once
        assert store.record_tap(session, bilal, "buddy") is None  # never shown to Bilal

    with database.snapshot() as session:
        everything = store.offer_counts(session)
        november_first_half = store.offer_counts(
            session, since=NOVEMBER, until=NOVEMBER + timedelta(days=10)
        )
        bolwerk = store.offer_counts(session, sources=["bolwerk"])
    assert everything.per_offer == {
        "uitpas": store.Reach(2, 0),
        "buddy": store.Reach(2, 1),
    }
    # Anna counts once for cost though two offers answered it.
    assert everything.per_theme == {"cost": store.Reach(2, 1), "social": store.Reach(2, 1)}
    assert november_first_half.per_offer == {
        "uitpas": store.Reach(2, 0),
        "buddy": store.Reach(1, 1),
    }
    assert bolwerk.per_offer == {"uitpas": store.Reach(1, 0), "buddy": store.Reach(2, 1)}


def test_an_offer_is_stored_once_per_person(database: Database) -> None:
    anna = person(database, 1, "bolwerk")
    shown(database, anna, "uitpas", ["cost"], day=0)

    def show_again() -> None:
        with database.transaction() as session:
            store.record_shown(session, anna, [("uitpas", ["cost"])])

    with pytest.raises(IntegrityError):
        show_again()
    with database.snapshot() as session:
        assert store.shown_to(session, anna) == {"uitpas"}
