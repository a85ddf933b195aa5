"""A turn's rows: read once, and only what changed written back (storage/state.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm.exc import StaleDataError

from storage import ChatLink, Conversation, Database, Participant, Participation
from storage import state as turn_state
from storage.models import utcnow
from tests.support.audience import just_consented

PSEUDONYM = "d" * 64


def _someone(database: Database, chat_id: int | None = 7) -> int:
    """A participant who consented and is at the first question; their id."""
    with database.transaction() as session:
        return just_consented(session, PSEUDONYM, source="bolwerk", chat_id=chat_id)


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs, first word and table."""
    sent: list[str] = []

    def record(*args: object) -> None:
        sent.append(" ".join(str(args[2]).split()[:3]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _writes(sent: list[str]) -> list[str]:
    return [s for s in sent if s.startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_turn_that_changes_nothing_writes_nothing(database: Database) -> None:
    _someone(database)
    with database.transaction() as session, _statements(database) as sent:
        state = turn_state.load(session, PSEUDONYM, update_id=1)
        assert state is not None and state.participant is not None
        state.participant.unreachable = False  # as every turn does: it was False already
        state.save(session)
    assert _writes(sent) == []


def test_only_the_rows_that_changed_are_written(database: Database) -> None:
    participant_id = _someone(database)
    with database.transaction() as session, _statements(database) as sent:
        state = turn_state.load(session, PSEUDONYM, update_id=1)
        assert state is not None and state.conversation is not None
        state.conversation.step = "q:holds-back"
        state.conversation.pending = ["sport"]
        state.save(session)
        state.save(session)  # saved already: nothing more to write
    assert _writes(sent) == ["UPDATE conversations SET"]
    with database.transaction() as session:
        conversation = session.get_one(Conversation, participant_id)
        assert (conversation.step, conversation.pending) == ("q:holds-back", ["sport"])
        assert conversation.version == 2
        participation = session.get_one(Participation, conversation.participation_id)
        assert participation.source == "bolwerk"


def test_a_conversation_changed_since_it_was_read_is_not_overwritten(database: Database) -> None:
    participant_id = _someone(database)
    with database.transaction() as session:
        state = turn_state.load(session, PSEUDONYM, update_id=1)
        assert state is not None and state.conversation is not None
        # What a write based on a stale read looks like: the version moved underneath.
        session.execute(text("UPDATE conversations SET version = version + 1"))
        state.conversation.step = "q:holds-back"
        with pytest.raises(StaleDataError):
            state.save(session)
    with database.transaction() as session:
        assert session.get_one(Conversation, participant_id).step == "q:free-time"


def test_the_chat_link_is_written_when_it_changes_and_once_a_day(database: Database) -> None:
    participant_id = _someone(database, chat_id=None)
    with database.transaction() as session:
        state = turn_state.load(session, PSEUDONYM, update_id=1)
        assert state is not None and state.chat_id is None
        turn_state.update_chat_link(session, state, 11)
    with database.transaction() as session, _statements(database) as sent:
        state = turn_state.load(session, PSEUDONYM, update_id=2)
        assert state is not None and state.chat_id == 11
        turn_state.update_chat_link(session, state, 11)  # seen today: nothing to write
        assert _writes(sent) == []
        turn_state.update_chat_link(session, state, 12)  # another device
        assert _writes(sent) == ["UPDATE chat_links SET"]
    with database.transaction() as session:
        link = session.get_one(ChatLink, participant_id)
        assert link.chat_id == 12
        link.last_seen_at = utcnow() - timedelta(days=2)
    with database.transaction() as session, _statements(database) as sent:
        state = turn_state.load(session, PSEUDONYM, update_id=3)
        assert state is not None
        turn_state.update_chat_link(session, state, 12)
    assert _writes(sent) == ["UPDATE chat_links SET"]


def test_an_unknown_pseudonym_has_no_state(database: Database) -> None:
    participant_id = _someone(database)
    with database.transaction() as session:
        assert turn_state.load(session, "e" * 64, update_id=1) is None
        state = turn_state.load(session, PSEUDONYM, update_id=None)
        assert state is not None and not state.seen_update
        turn_state.mark_processed(session, 5, participant_id)
        again = turn_state.load(session, PSEUDONYM, update_id=5)
        assert again is not None and again.seen_update


@pytest.mark.parametrize(
    ("row", "model"),
    [
        (turn_state.ParticipantRow, Participant),
        (turn_state.ParticipationRow, Participation),
        (turn_state.ConversationRow, Conversation),
    ],
)
def test_every_field_of_a_row_is_a_column_of_its_table(row: type, model: type) -> None:
    columns = set(select(model).selected_columns.keys())
    assert {f.name for f in fields(row)} <= columns
