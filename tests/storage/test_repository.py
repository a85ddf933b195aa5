"""The repository's locking: one participant's turns, on any number of workers, in series."""

from __future__ import annotations

import threading
import time

from storage import Database
from storage import state as turn_state
from tests.support.audience import just_consented

PSEUDONYM = "c" * 64


def _participant_with_conversation(database: Database) -> None:
    with database.transaction() as session:
        just_consented(session, PSEUDONYM)


def test_a_turn_that_waited_for_the_lock_sees_the_previous_turn(database: Database) -> None:
    """Two workers, one participant: the second turn must read what the first committed.

    On PostgreSQL a single ``SELECT ... FOR UPDATE`` that waits for the lock
    still returns the joined rows of the moment it started, so the second turn
    would work on a stale conversation and fail (or, without the version
    column, overwrite the first turn's tick).
    """
    _participant_with_conversation(database)
    other = Database(database.url.render_as_string(hide_password=False))
    seen: dict[str, object] = {}

    def second_turn() -> None:
        with other.transaction() as session:
            state = turn_state.load(session, PSEUDONYM, update_id=2)
            assert state is not None and state.conversation is not None
            seen["pending"] = list(state.conversation.pending)
            seen["version"] = state.conversation.version
            seen["seen_update"] = state.seen_update

    try:
        with database.transaction() as session:
            state = turn_state.load(session, PSEUDONYM, update_id=1)
            assert state is not None and state.conversation is not None
            waiting = threading.Thread(target=second_turn)
            waiting.start()
            time.sleep(0.5)  # the second turn is now waiting for the participant's lock
            assert waiting.is_alive()
            assert state.participant is not None
            state.conversation.pending = ["sport"]
            state.save(session)
            turn_state.mark_processed(session, 2, state.participant.id)
        waiting.join(timeout=30)
        assert not waiting.is_alive()
    finally:
        other.dispose()
    assert seen == {"pending": ["sport"], "version": 2, "seen_update": True}
