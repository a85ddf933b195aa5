"""What the distress detector reports: a level and the kinds of risk, from helpline practice.

The kinds are the categories child helplines and school safeguarding guidance screen
for; ``nlu/data/distress/taxonomy.yml`` describes each one, with what counts as alarm
and what as concern. Their values are also the ids ``config.yml``'s helplines list
under ``serves``, so a reply can pick the lines that fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DistressLevel(StrEnum):
    """How sure and how acute: it decides how the bot answers."""

    # Clear or acute risk: helplines at once, a staff alert, the questions stop.
    ALARM = "alarm"
    # Possible risk, vague or indirect: a warm check-in with two buttons.
    CONCERN = "concern"


class RiskKind(StrEnum):
    """A kind of risk; most urgent first, the order a reply names them in."""

    SUICIDE = "suicide"
    OVERDOSE = "overdose"
    SELF_HARM = "self_harm"
    THREATS = "threats"  # threats, weapons, criminal exploitation
    DOMESTIC_VIOLENCE = "domestic_violence"  # suffered or witnessed at home
    ABUSE = "abuse"  # physical, sexual or emotional, by anyone
    EXPLOITATION = "exploitation"  # grooming, sexual exploitation, sextortion
    FORCED_MARRIAGE = "forced_marriage"  # and honour-based violence
    RUNAWAY = "runaway"  # run away, thrown out, nowhere to sleep
    NEGLECT = "neglect"
    EATING = "eating"
    SUBSTANCE = "substance"
    FRIEND = "friend"  # worry about someone else


def by_urgency(kinds: set[RiskKind] | frozenset[RiskKind]) -> tuple[RiskKind, ...]:
    """Kinds in ``RiskKind``'s order, most urgent first."""
    return tuple(kind for kind in RiskKind if kind in kinds)


@dataclass(frozen=True)
class Distress:
    """The verdict on one message; false when it shows no distress."""

    level: DistressLevel | None = None
    kinds: tuple[RiskKind, ...] = ()  # most urgent first; may be empty for a vague concern
    # Set when the message is in a language the bot does not speak (ISO 639: tr, ar,
    # ary for Darija, uk, ru, pl, ro): the reply then leads with 112 and simple words.
    language: str | None = None
    by_patterns: bool = False  # at least one pattern matched
    by_model: bool = False  # the model's probability reached its threshold

    def __post_init__(self) -> None:
        if self.level is None and (self.kinds or self.by_patterns or self.by_model):
            raise ValueError("a message with kinds or hits must have a level")

    def __bool__(self) -> bool:
        """True when the message shows distress, at either level."""
        return self.level is not None

    @property
    def alarm(self) -> bool:
        """Clear or acute risk."""
        return self.level is DistressLevel.ALARM
