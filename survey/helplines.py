"""Helplines as data: who they serve, in which languages, and when they are open.

A distress reply lists the lines that fit the risk the young person named, the ones
open right now first, and always ends with a line that is open day and night plus
112. Opening hours change: every line carries ``checked``, the date someone of the
network last checked it against the helpline's own site, and `jeugdstem` warns at
start-up about lines nobody has checked ("check before going live").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from survey.clock import LOCAL_TIME

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Texts = dict[LanguageCode, Annotated[str, StringConstraints(min_length=1, max_length=500)]]

# The risk kinds a line may serve: the ids of nlu's distress taxonomy, plus "any".
# survey imports nothing of ours, so the taxonomy check happens where both meet
# (bot.runtime); here "any" is the only special value.
ANY_RISK = "any"


class Weekday(StrEnum):
    """Days as config.yml writes them."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday is 0, as ``datetime.weekday()`` counts."""
        return list(Weekday).index(self)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Opening(_Model):
    """One stretch of opening hours on some weekdays; ``closes`` 00:00 means midnight."""

    days: tuple[Weekday, ...] = Field(min_length=1)
    opens: time
    closes: time

    def covers(self, moment: datetime) -> bool:
        """Whether a local moment falls in this stretch (a stretch may run past midnight)."""
        clock = moment.timetz().replace(tzinfo=None)
        today = moment.weekday()
        yesterday = (today - 1) % 7
        days = {day.number for day in self.days}
        if self.closes > self.opens:
            return today in days and self.opens <= clock < self.closes
        # Past midnight (or closing at 00:00): the evening part today, the small hours
        # belong to the day it opened.
        return (today in days and clock >= self.opens) or (
            yesterday in days and clock < self.closes
        )


class Helpline(_Model):
    """A line young people can call or chat with."""

    id: Slug
    name: str = Field(min_length=1, max_length=60)
    # How to reach it, per language: "bel 102 of chat op awel.be".
    contact: Texts
    # Risk kinds it is for; "any" for lines that take every worry.
    serves: tuple[str, ...] = Field(min_length=1)
    # Languages its counsellors answer in.
    speaks: tuple[LanguageCode, ...] = Field(min_length=1)
    # Empty: open day and night.
    hours: tuple[Opening, ...] = ()
    # 112 and 101: named last, always, whatever the risk.
    emergency: bool = False
    # The hours as people read them, per language ("ma–za 16–22u"); shown when closed.
    hours_text: Texts = {}
    # When someone of the network last checked number and hours; None: not yet.
    checked: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")

    @model_validator(mode="after")
    def _emergency_is_always_open(self) -> Helpline:
        if self.emergency and self.hours:
            raise ValueError("an emergency number is open day and night: leave out hours")
        return self

    @property
    def always_open(self) -> bool:
        """Open day and night, every day."""
        return not self.hours

    def open_at(self, moment: datetime) -> bool:
        """Whether the line answers at this moment."""
        if self.always_open:
            return True
        local = moment.astimezone(LOCAL_TIME)
        return any(opening.covers(local) for opening in self.hours)

    def fits(self, risks: Iterable[str]) -> bool:
        """Whether the line is for one of these risks."""
        wanted = set(risks)
        return ANY_RISK in self.serves or bool(wanted & set(self.serves))


def choose_helplines(
    helplines: Sequence[Helpline],
    risks: Sequence[str],
    language: str,
    moment: datetime,
    *,
    emergency_first: bool = False,
    limit: int = 4,
) -> list[Helpline]:
    """At most ``limit`` support lines for a reply, plus the emergency numbers.

    Ranked: a line that speaks the young person's language before one that does not
    (a closed Dutch line, with its hours, helps a Dutch-speaking 13-year-old more than
    an open French one); then open now before closed; then a line for this very risk
    before one that takes every worry; then config order. The list always holds a
    support line open day and night, and the emergency numbers in config order (112
    first there): last, or first with ``emergency_first`` (a language we do not speak:
    112 answers in many).
    """
    wanted = set(risks)
    support = [line for line in helplines if not line.emergency and line.fits(wanted)]
    emergency = [line for line in helplines if line.emergency]

    def rank(line: Helpline) -> tuple[bool, bool, bool]:
        return (
            language not in line.speaks,
            not line.open_at(moment),
            not wanted & set(line.serves),
        )

    chosen = sorted(support, key=rank)[:limit]
    if not any(line.always_open for line in chosen):
        night_and_day = [line for line in sorted(support, key=rank) if line.always_open]
        if night_and_day:
            chosen = [*chosen[: limit - 1], night_and_day[0]]
    return [*emergency, *chosen] if emergency_first else [*chosen, *emergency]


def unchecked(helplines: Iterable[Helpline]) -> list[str]:
    """Ids of lines whose number and hours nobody of the network has checked yet."""
    return [line.id for line in helplines if line.checked is None]
