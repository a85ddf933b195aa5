"""The kinds of button the engine makes, and their signed data.

A button's data is ``<kind>|<arg>|...|<tag>`` (see ``privacy.identity.CallbackCodec``).
The kind letters and the order of the arguments are stored in every chat that
still shows an old message, so they never change: a new kind gets a new letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from privacy.identity import CallbackCodec, InvalidCallback


class ButtonKind(StrEnum):
    """What a press does; the value is the letter its signed data starts with."""

    CONSENT = "c"
    LANGUAGE = "l"
    ANSWER = "a"
    TICK_OPTION = "t"
    OPTIONS_DONE = "d"
    SKIP = "s"
    OPT_IN = "o"
    RESUME = "r"
    DELETE = "x"
    THEMES_CHECK = "k"
    TICK_THEME = "g"
    THEMES_PICKED = "f"
    TALK = "h"  # "I want to talk to someone", after a distress check-in
    AGE_CONFIRM = "y"  # "yes, I am under the minimum age" (erases) or "no, a slip"
    HANDOVER = "v"  # "Ja, graag" / "Nee" to a youth worker reading along
    CLAIM_CASE = "w"  # a worker in the staff chat: "Ik neem dit op"
    CLOSE_CASE = "e"  # a worker in the staff chat: "Afsluiten"
    OFFER = "n"  # "Interessant" under an offer from offers.yml
    JOIN_ROUND = "j"  # "Doe mee" under a follow-up round's invitation
    NO_MORE_MESSAGES = "m"  # "Geen berichten meer" under every message sent first
    FEEDBACK = "b"  # Dit helpt / Dit helpt niet / Ik wil er meer over zeggen, under feedback


# The arguments each kind's data carries, in order.
ARGUMENTS: dict[ButtonKind, tuple[str, ...]] = {
    ButtonKind.CONSENT: ("yes/no", "language", "source", "privacy text version"),
    ButtonKind.LANGUAGE: ("language", "source"),
    ButtonKind.ANSWER: ("question", "option"),
    ButtonKind.TICK_OPTION: ("question", "option"),
    ButtonKind.OPTIONS_DONE: ("question",),
    ButtonKind.SKIP: ("question",),
    ButtonKind.OPT_IN: ("yes/no",),
    ButtonKind.RESUME: (),
    ButtonKind.DELETE: ("yes/no",),
    ButtonKind.THEMES_CHECK: ("question", "yes/no"),
    ButtonKind.TICK_THEME: ("question", "theme"),
    ButtonKind.THEMES_PICKED: ("question",),
    ButtonKind.TALK: ("risk kind",),
    ButtonKind.AGE_CONFIRM: ("age band", "yes/no"),
    ButtonKind.HANDOVER: ("case reason", "risk kind", "yes/no"),
    ButtonKind.CLAIM_CASE: ("case id",),
    ButtonKind.CLOSE_CASE: ("case id",),
    ButtonKind.OFFER: ("offer",),
    ButtonKind.JOIN_ROUND: ("round",),
    ButtonKind.NO_MORE_MESSAGES: (),
    ButtonKind.FEEDBACK: ("theme", "feedback status", "reaction"),
}

# The source argument of a button made without a deep-link code.
NO_SOURCE = "-"


@dataclass(frozen=True)
class ButtonPress:
    """A press on a button this bot signed, with the arguments its kind carries."""

    kind: ButtonKind
    args: tuple[str, ...]


def claimed_kind(data: str) -> ButtonKind | None:
    """The kind a button's data names, before its signature is checked."""
    letter, separator, _ = data.partition("|")
    if not separator:
        return None
    try:
        return ButtonKind(letter)
    except ValueError:
        return None


class ButtonCodec:
    """Signs and verifies the data of the engine's buttons."""

    def __init__(self, codec: CallbackCodec) -> None:
        self.codec = codec

    def encode(self, kind: ButtonKind, *args: str) -> str:
        """The signed data of a button; ValueError if the arguments do not fit its kind."""
        if len(args) != len(ARGUMENTS[kind]):
            raise ValueError(f"a {kind.name} button carries {ARGUMENTS[kind]}, got {len(args)}")
        return self.codec.encode(kind.value, *args)

    def decode(self, data: str) -> ButtonPress | None:
        """The press, or None for data we did not sign or signed with another shape."""
        try:
            letter, args = self.codec.decode(data)
        except InvalidCallback:
            return None
        try:
            kind = ButtonKind(letter)
        except ValueError:
            # Signed by us, but a kind this version does not know: an older bot.
            return None
        if len(args) != len(ARGUMENTS[kind]):
            return None
        return ButtonPress(kind, args)
