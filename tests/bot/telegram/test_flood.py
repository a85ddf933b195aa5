"""FloodGuard: per-participant pacing, driven with explicit clock values."""

from __future__ import annotations

import time

from bot.telegram.flood import FloodGuard

LIMIT = 20
WINDOW = 10.0
PACE = WINDOW / LIMIT


def fresh() -> tuple[FloodGuard, float]:
    """A guard and a clock reading taken just after it was made, as the bot's monotonic clock."""
    guard = FloodGuard()
    return guard, time.monotonic()


def flood(guard: FloodGuard, key: str, start: float, count: int) -> list[tuple[float, bool]]:
    """``count`` messages from ``key``, 0.4 s apart from ``start``."""
    return [guard.admit(key, start + i * 0.4) for i in range(count)]


def test_twenty_messages_in_ten_seconds_pass_without_delay() -> None:
    """Up to the limit nobody waits and nobody is warned."""
    guard, base = fresh()
    results = [guard.admit("anna", base + i * 0.49) for i in range(LIMIT)]
    assert results == [(0.0, False)] * LIMIT


def test_the_twenty_first_message_is_paced_and_warned_once() -> None:
    """Over the limit: every message waits limit/window, only the first one is warned."""
    guard, base = fresh()
    assert flood(guard, "anna", base, LIMIT) == [(0.0, False)] * LIMIT
    assert guard.admit("anna", base + 8.0) == (PACE, True)
    assert guard.admit("anna", base + 8.1) == (PACE, False)
    assert guard.admit("anna", base + 8.2) == (PACE, False)


def test_after_the_window_the_delay_stops_and_a_new_flood_is_warned_again() -> None:
    """Once the window has passed the person is free again; a later flood warns again."""
    guard, base = fresh()
    flood(guard, "anna", base, LIMIT + 2)
    later = base + 40.0
    assert guard.admit("anna", later) == (0.0, False)
    second = flood(guard, "anna", later + 0.1, LIMIT + 2)
    assert second[: LIMIT - 1] == [(0.0, False)] * (LIMIT - 1)
    assert second[LIMIT - 1 :] == [(PACE, True), (PACE, False), (PACE, False)]


def test_a_calm_spell_inside_the_window_resets_the_warning() -> None:
    """Falling back under the limit re-arms the warning even before the window is empty."""
    guard, base = fresh()
    results = flood(guard, "anna", base, LIMIT + 1)
    assert results[-1] == (PACE, True)
    # 10 s after the first burst started, most of it has left the window.
    assert guard.admit("anna", base + WINDOW + 0.5) == (0.0, False)
    burst = [guard.admit("anna", base + WINDOW + 0.6 + i * 0.01) for i in range(LIMIT)]
    assert (PACE, True) in burst
    assert burst.count((PACE, True)) == 1


def test_other_participants_are_not_slowed_down() -> None:
    """One person's flood never delays or warns anyone else."""
    guard, base = fresh()
    flood(guard, "anna", base, LIMIT + 5)
    assert guard.admit("anna", base + 9.9) == (PACE, False)
    assert [guard.admit("bilal", base + 9.9 + i * 0.01) for i in range(LIMIT)] == [
        (0.0, False)
    ] * LIMIT
    assert guard.admit("anna", base + 9.95) == (PACE, False)


def test_quiet_participants_are_forgotten() -> None:
    """After a window without messages a participant's state is swept from memory."""
    guard, base = fresh()
    for number in range(50):
        guard.admit(f"quiet-{number}", base + number * 0.01)
    guard.admit("active", base + 5.0)
    assert len(guard._windows) == 51
    guard.admit("newcomer", base + 12.0)
    assert set(guard._windows) == {"active", "newcomer"}
    # Later still, everyone has gone quiet except the one writing now.
    guard.admit("last", base + 60.0)
    assert set(guard._windows) == {"last"}


def test_the_sweep_keeps_a_flooding_participant_paced() -> None:
    """Sweeping in the middle of a flood does not hand the flooder a fresh window."""
    guard, base = fresh()
    results = [guard.admit("anna", base + 5.0 + i * 0.3) for i in range(LIMIT + 10)]
    assert results[LIMIT] == (PACE, True)
    assert all(delay == PACE for delay, _ in results[LIMIT:])
    assert [warn for _, warn in results].count(True) == 1
