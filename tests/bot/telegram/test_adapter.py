"""The Telegram adapter's pure helpers: splitting, command names, keyboards, ordering."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update

from bot.engine import Button
from bot.telegram.adapter import PerParticipantOrder, command_name, keyboard_markup, split_text


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_short_text_is_one_piece() -> None:
    assert split_text("Hoi!") == ["Hoi!"]


def test_long_text_splits_at_line_breaks_and_loses_nothing_but_the_break() -> None:
    lines = [f"regel {i} " + "x" * 90 for i in range(100)]
    text = "\n".join(lines)
    pieces = split_text(text)
    assert len(pieces) > 1
    assert all(utf16(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text


def test_text_without_spaces_is_cut_hard() -> None:
    text = "a" * 10_000
    pieces = split_text(text)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]


def test_emoji_count_double_towards_telegrams_limit() -> None:
    text = "😀" * 3000  # 3000 characters, 6000 UTF-16 units
    pieces = split_text(text)
    assert all(utf16(p) <= 4096 for p in pieces)
    assert "".join(pieces) == text
    assert len(pieces) == 2


def test_command_name() -> None:
    assert command_name("/Help@JeugdstemBot now") == "help"
    assert command_name("/start bolwerk") == "start"


def test_keyboard_markup() -> None:
    assert keyboard_markup(()) is None
    buttons = ((Button("Ja", "c|yes"), Button("Nee", "c|no")),)
    assert keyboard_markup(buttons) == {
        "inline_keyboard": [
            [{"text": "Ja", "callback_data": "c|yes"}, {"text": "Nee", "callback_data": "c|no"}]
        ]
    }


def _update(update_id: int, user_id: int) -> Update:
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "x"},
            "text": "hoi",
        },
    }
    return Update.de_json(data, None)


async def test_one_participants_updates_run_in_order_others_concurrently() -> None:
    handled: list[int] = []
    processor = PerParticipantOrder(16, handled.append)
    log: list[tuple[str, int]] = []
    running: set[int] = set()
    overlap = []

    async def work(user: int, number: int, delay: float) -> None:
        running.add(user)
        if len(running) > 1:
            overlap.append(True)
        log.append(("start", number))
        await asyncio.sleep(delay)
        log.append(("end", number))
        running.discard(user)

    # User 1 sends 1, 2, 3 where the first is the slowest; user 2 sends 4 meanwhile.
    tasks = [
        asyncio.create_task(processor.process_update(_update(1, 1), work(1, 1, 0.05))),
        asyncio.create_task(processor.process_update(_update(2, 1), work(1, 2, 0.0))),
        asyncio.create_task(processor.process_update(_update(3, 2), work(2, 4, 0.01))),
        asyncio.create_task(processor.process_update(_update(4, 1), work(1, 3, 0.0))),
    ]
    await asyncio.gather(*tasks)
    user_one = [number for event, number in log if event == "start" and number != 4]
    assert user_one == [1, 2, 3]
    # User 2's update did not wait for user 1's slow one.
    assert log.index(("end", 4)) < log.index(("end", 1))
    assert overlap
    # Each update is reported handled once, when its work is done (update 3 is user 2's).
    assert sorted(handled) == [1, 2, 3, 4]
    assert handled.index(3) < handled.index(1)


async def test_an_update_whose_work_failed_is_still_reported_handled() -> None:
    """Else long polling would hand it out again and again (the person got an apology)."""
    handled: list[int] = []
    processor = PerParticipantOrder(4, handled.append)

    async def broken() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await processor.process_update(_update(7, 1), broken())
    assert handled == [7]
