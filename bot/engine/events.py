"""What an adapter hands the engine (events) and what it gets back (replies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

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
    # The channel's id for the message, so a handover can copy it on to a youth worker.
    message_id: int | None = None


Event = Start | Command | Text | Edit | Press | NonText


@dataclass(frozen=True)
class StaffPress:
    """A worker pressed a button of a case card in the staff chat."""

    worker_id: int
    data: str
    # The card's message in the staff chat.
    message_id: int


@dataclass(frozen=True)
class StaffMessage:
    """A message in the staff chat: an answer to a young person when it replies to a case."""

    worker_id: int
    message_id: int
    # The staff-chat message it replies to; None for talk among the staff.
    reply_to: int | None
    text: str | None = None
    # "photo", "voice", ...: relayed by copying the message, never stored.
    media: str | None = None


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


@dataclass(frozen=True)
class Post:
    """A message for the other side of a handover: a text, or a copy of a photo or voice."""

    text: str | None = None
    buttons: Keyboard = ()
    # The message to copy, by its id in the chat it came from (the young person's chat
    # for the staff side, the staff chat for the young person's).
    copy_of: int | None = None
    # The staff-chat message it answers (the case card, a worker's message).
    reply_to: int | None = None
    # Remember where it lands: the case message it copies, or the case whose card it is.
    note_message: int | None = None
    note_card: int | None = None


@dataclass
class Handoff:
    """What a handover turn sends across: to the staff chat and to the young person."""

    to_staff: list[Post] = field(default_factory=list)
    # (staff-chat message id, its new content): the case card as it stands now.
    staff_edits: list[tuple[int, Reply]] = field(default_factory=list)
    to_young: list[Post] = field(default_factory=list)
    # Where the young person reads (None: unreachable, nothing goes to them).
    young_chat: int | None = None


class StaffOutcome(StrEnum):
    """What became of a staff-chat event, for logs and tests."""

    IGNORED = "ignored"  # not a worker, or talk among the staff
    UNKNOWN_BUTTON = "unknown_button"
    CLAIMED = "claimed"
    CLAIM_LOST = "claim_lost"  # another worker was first
    CLOSED = "closed"
    ALREADY_CLOSED = "already_closed"
    GONE = "gone"  # the young person erased everything
    RELAYED = "relayed"
    NOT_A_CASE = "not_a_case"
    CLOSED_CASE = "closed_case"  # a reply to a case that has ended
    UNCLAIMED = "unclaimed"  # a reply before anyone took the case
    NOT_YOURS = "not_yours"  # a reply to a case another worker has
    UNREACHABLE = "unreachable"
    NOTHING_TO_RELAY = "nothing_to_relay"  # neither text nor a photo or voice
    ESCALATED = "escalated"
    NOTHING = "nothing"


@dataclass
class StaffResponse:
    """Everything the adapter should do for one staff-chat event."""

    handoff: Handoff = field(default_factory=Handoff)
    # A short pop-up that answers a button press.
    notice: str | None = None
    # For logs: the case it was about, and what happened ("claimed", "relayed", ...).
    case_id: int | None = None
    outcome: StaffOutcome = StaffOutcome.IGNORED
    # Messages relayed late, each from its own young person's chat (see StaffDesk.missed).
    late: list[Handoff] = field(default_factory=list)


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
    # A handover case was opened, relayed to, or closed in this turn.
    handoff: Handoff | None = None
    case_id: int | None = None
