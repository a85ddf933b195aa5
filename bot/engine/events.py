"""What an adapter hands the engine (events) and what it gets back (replies)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nlu.risk import DistressLevel

# ---------------------------------------------------------------------------
# What goes in


@dataclass(frozen=True)
class Start:
    """/start, possibly with a deep-link code."""

    code: str | None = None


@dataclass(frozen=True)
class Command:
    """Any other /command, without the slash."""

    name: str


@dataclass(frozen=True)
class Text:
    """A text message."""

    text: str
    message_id: int | None = None


@dataclass(frozen=True)
class Edit:
    """The participant edited an earlier text message."""

    text: str
    message_id: int


@dataclass(frozen=True)
class Press:
    """A button press, with the button's (signed) data."""

    data: str


@dataclass(frozen=True)
class NonText:
    """Voice, photo, sticker, location, document, ...: anything we cannot read."""

    kind: str


Event = Start | Command | Text | Edit | Press | NonText


@dataclass(frozen=True)
class Incoming:
    """One event from one participant, as an adapter hands it to the engine."""

    pseudonym: str
    event: Event
    # Where to reach the participant; stored in the separate chat-link table.
    chat_id: int | None = None
    # The channel's id for this delivery; a repeated id is ignored.
    update_id: int | None = None


# ---------------------------------------------------------------------------
# What comes out


@dataclass(frozen=True)
class Button:
    """An answer button: what it shows and the signed data it sends back."""

    label: str
    data: str


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Reply:
    """A message to show: text plus optional buttons."""

    text: str
    buttons: Keyboard = ()


@dataclass
class Response:
    """Everything the adapter should do for one event."""

    replies: list[Reply] = field(default_factory=list)
    # A short pop-up that answers a button press.
    notice: str | None = None
    # New content for the message whose button was pressed (for example without buttons).
    origin: Reply | None = None
    # The update was seen before; nothing was changed and nothing should be sent.
    duplicate: bool = False
    # Where the participant is now, as stored, for logs ("q:age", "opt_in", "done", ...).
    step: str | None = None
    # The text showed distress: its risk kinds (most urgent first) and level.
    distress: tuple[str, ...] = ()
    distress_level: DistressLevel | None = None
    # Tell the staff chat: an alarm, or a young person who asked to talk to someone.
    alert_staff: bool = False
