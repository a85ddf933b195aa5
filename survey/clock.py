"""Kortrijk's clock: every local date or time the project shows or parses uses it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Brussels")


def local(moment: datetime) -> datetime:
    """A moment on Kortrijk's clock; a naive moment is taken as UTC, as storage keeps it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TIME)
