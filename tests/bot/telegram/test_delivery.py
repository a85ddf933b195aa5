"""Long polling confirms an update only once it has been handled (bot/delivery.py)."""

from __future__ import annotations

from bot.telegram.delivery import HandledUpdates


def test_the_offset_stays_at_the_oldest_update_still_being_handled() -> None:
    updates = HandledUpdates()
    assert [updates.fetched(u) for u in (10, 11, 12)] == [True, True, True]
    assert updates.offset == 10
    updates.handled(11)
    updates.handled(12)
    assert updates.offset == 10  # 10 is not done: confirming 11 would also confirm 10
    updates.handled(10)
    assert updates.offset == 13
    assert not updates.busy


def test_updates_handed_out_again_are_not_queued_twice() -> None:
    updates = HandledUpdates()
    updates.fetched(10)
    updates.fetched(11)
    updates.handled(11)
    # The next poll starts at 10 and Telegram hands out 10 and 11 again, plus 12.
    assert [updates.fetched(u) for u in (10, 11, 12)] == [False, False, True]
    updates.handled(10)
    updates.handled(12)
    assert updates.offset == 13
    # Below the offset: confirmed already, never queued again.
    assert not updates.fetched(11)


def test_handling_wakes_the_poller() -> None:
    updates = HandledUpdates()
    updates.fetched(5)
    updates.changed.clear()
    updates.handled(5)
    assert updates.changed.is_set()


def test_nothing_fetched_yet_confirms_nothing() -> None:
    updates = HandledUpdates()
    assert updates.offset == 0  # getUpdates without an offset: everything still waiting
    assert not updates.busy
