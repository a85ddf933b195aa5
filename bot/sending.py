"""Messages the network sends first: who gets them, and the outbox drained.

Two campaigns use it: a follow-up round's invitation (`jeugdstem send ROUND`) and
"jullie zeiden, wij deden" on a theme (`jeugdstem feedback send THEME`).

Any channel: the sender hands each message to a ``Deliver`` function (Telegram's
is in bot/telegram/sender.py) and stores what became of it.

```mermaid
stateDiagram-v2
    [*] --> pending: jeugdstem send --yes
    pending --> pending: quiet hours / spread (due later)
    pending --> waiting: mid-survey
    waiting --> sent: the bot adds it when they finish
    pending --> sending: claimed
    sending --> sent: delivered
    sending --> unreachable: 403
    sending --> pending: network down, or still 429 after 10 waits (not delivered)
    sending --> uncertain: the sender died, or a timeout
    sending --> failed: refused (a bad request)
    pending --> cancelled: opted out, /delete, took the round, a case opened
    waiting --> cancelled: opted out
```

A message in flight when the sender dies may or may not have reached the person;
the Bot API has no idempotency key to ask. It becomes ``uncertain`` and is never
sent again: nobody gets the same message twice (at most once).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

import structlog

from bot.engine.events import Reply
from bot.engine.feedback import FeedbackMessages, FeedbackSubject
from bot.engine.rounds import Rounds
from storage import ChatLink, Database, Participant, outbox
from storage import repository as repo
from storage.database import Session
from storage.models import OutboxKind, OutboxStatus
from storage.outbox import Audience
from survey.config import Round, Survey
from survey.feedback import ThemeFeedback

log = structlog.get_logger("jeugdstem.sending")

# Longest single sleep while waiting for held messages, so progress shows and a kill is prompt.
_LONGEST_NAP = 30.0
# How long a message waits after the channel could not be reached.
_NETWORK_BACKOFF = timedelta(seconds=10)


class Exclusion(StrEnum):
    """Why an opted-in participant, or one who opted out, does not get this send."""

    OPTED_OUT = "opted out"
    UNREACHABLE = "unreachable"
    ALREADY_ANSWERED = "already answered"
    OPEN_CASE = "open handover case"
    ALREADY_QUEUED = "sent or queued before"


@dataclass(frozen=True)
class Filters:
    """Which participants a send is meant for; an empty filter lets everyone through."""

    sources: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    # People who raised one of these barriers.
    themes: tuple[str, ...] = ()

    def matches(self, person: Audience) -> bool:
        """Whether this participant is in the targeted group."""
        return (
            (not self.sources or person.source in self.sources)
            and (not self.age_bands or person.age_band in self.age_bands)
            and (not self.themes or bool(person.themes.intersection(self.themes)))
        )


@dataclass
class Plan:
    """Who a send reaches, and who it leaves out and why."""

    recipients: list[Audience] = field(default_factory=list)
    excluded: Counter[Exclusion] = field(default_factory=Counter)
    # Outside the filters (or the round's sources): not part of this send at all.
    not_targeted: int = 0

    @property
    def mid_survey(self) -> int:
        """Recipients busy with a round: they get it when they finish."""
        return sum(person.mid_survey for person in self.recipients)

    def languages(self) -> Counter[str]:
        """Recipients per language."""
        return Counter(person.language for person in self.recipients)


class Campaign(Protocol):
    """One message to many: what it is about, who it is for, and how it reads."""

    @property
    def kind(self) -> OutboxKind:
        """What the outbox rows are about."""
        ...

    @property
    def subject(self) -> str:
        """Which round, or which theme at which status."""
        ...

    def targets(self, person: Audience) -> bool:
        """Whether the message is meant for this participant at all."""
        ...

    def answered(self, person: Audience) -> bool:
        """Whether they already did what the message asks (took the round)."""
        ...

    def message(self, language: str) -> Reply:
        """The message in a language."""
        ...

    def still_wanted(self, session: Session, participant_id: int, moment: datetime) -> bool:
        """Checked as each message goes: whether it still applies to this participant."""
        ...


@dataclass(frozen=True)
class RoundCampaign:
    """The invitation to a follow-up round."""

    round: Round
    rounds: Rounds
    kind: OutboxKind = OutboxKind.ROUND

    @property
    def subject(self) -> str:
        return self.round.id

    def targets(self, person: Audience) -> bool:
        return self.round.for_source(person.source)

    def answered(self, person: Audience) -> bool:
        return self.round.id in person.rounds

    def message(self, language: str) -> Reply:
        return self.rounds.invitation(self.round, language)

    def still_wanted(self, session: Session, participant_id: int, moment: datetime) -> bool:
        return self.rounds.open_round(self.round.id, moment) is not None and not repo.took_round(
            session, participant_id, self.round.id
        )


@dataclass(frozen=True)
class FeedbackCampaign:
    """The network's feedback on one theme, to those who raised it."""

    theme: str
    feedback: ThemeFeedback
    messages: FeedbackMessages
    kind: OutboxKind = OutboxKind.FEEDBACK

    @property
    def subject(self) -> str:
        return str(FeedbackSubject(self.theme, self.feedback.status))

    def targets(self, person: Audience) -> bool:
        return self.theme in person.themes

    def answered(self, person: Audience) -> bool:
        return False

    def message(self, language: str) -> Reply:
        return self.messages.message(self.theme, self.feedback, language)

    def still_wanted(self, session: Session, participant_id: int, moment: datetime) -> bool:
        return True


def exclusion(person: Audience, campaign: Campaign) -> Exclusion | None:
    """Why this participant does not get the message, or None."""
    if not person.opted_in:
        return Exclusion.OPTED_OUT
    if person.unreachable or person.chat_id is None:
        return Exclusion.UNREACHABLE
    if campaign.answered(person):
        return Exclusion.ALREADY_ANSWERED
    if person.open_case:
        return Exclusion.OPEN_CASE
    if person.queued is not None:
        return Exclusion.ALREADY_QUEUED
    return None


def plan_send(people: Sequence[Audience], campaign: Campaign, filters: Filters) -> Plan:
    """Split the participants into recipients, excluded (with the reason) and not targeted."""
    plan = Plan()
    for person in people:
        if not filters.matches(person) or not campaign.targets(person):
            plan.not_targeted += 1
            continue
        reason = exclusion(person, campaign)
        if reason is None:
            plan.recipients.append(person)
        else:
            plan.excluded[reason] += 1
    return plan


def due_times(count: int, start: datetime, spread: timedelta) -> list[datetime]:
    """When each of ``count`` messages is due: all at ``start``, or evenly over ``spread``."""
    if count <= 1 or spread <= timedelta(0):
        return [start] * count
    step = spread / count
    return [start + step * index for index in range(count)]


class Outcome(StrEnum):
    """What the channel made of one message."""

    DELIVERED = "delivered"
    BLOCKED = "blocked"  # the person blocked the bot (Telegram: 403)
    NOT_DELIVERED = "not delivered"  # the channel was unreachable; try again later
    UNKNOWN = "unknown"  # no answer in time: maybe delivered, so never again
    REFUSED = "refused"  # the channel refused this message (a bad request): never again


# Sends one reply to one chat; waits out the channel's own rate limits (429) itself.
Deliver = Callable[[int, Reply], Awaitable[Outcome]]


def is_adult(survey: Survey, age_band: str | None) -> bool:
    """Whether the whole age band is at least ``send.adult_age``; an unknown age is a minor."""
    band = next((b for b in survey.age_bands if b.id == age_band), None)
    return band is not None and band.min_age is not None and band.min_age >= survey.send.adult_age


@dataclass(frozen=True)
class _Claim:
    """A message claimed for sending: where, in which language."""

    message_id: int
    participant_id: int
    chat_id: int
    language: str


@dataclass
class Tally:
    """What one run of the sender did, for its summary."""

    sent: int = 0
    unreachable: int = 0
    cancelled: int = 0
    waiting: int = 0
    uncertain: int = 0
    failed: int = 0
    # Interrupted runs before this one: in flight when the sender died.
    recovered_uncertain: int = 0


class Pacer:
    """At most ``rate`` sends per second, evenly spaced; time spent working is not added on."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0

    async def wait(self) -> None:
        """Sleep until the next send may go."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        # After a pause (held messages, a 429) start afresh rather than burst to catch up.
        self._next = max(self._next, now)
        if self._next > now:
            await asyncio.sleep(self._next - now)
        self._next += self.interval

    def refund(self) -> None:
        """The slot just taken was not used for a send: give it back."""
        self._next -= self.interval


class OutboxSender:
    """Drains the outbox of one campaign, at ``send.rate``, resumable after a kill."""

    def __init__(
        self,
        survey: Survey,
        database: Database,
        campaign: Campaign,
        deliver: Deliver,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_progress: Callable[[], None] = lambda: None,
        on_hold: Callable[[datetime, int], None] = lambda until, count: None,
    ) -> None:
        self.survey = survey
        self.database = database
        self.campaign = campaign
        self.deliver = deliver
        self.clock = clock
        # Called once per message that reached a final status in this run.
        self.on_progress = on_progress
        # Called when only held messages remain: (until when, how many).
        self.on_hold = on_hold
        self.pacer = Pacer(survey.send.rate)
        # Set by stop(): the run ends after the message in flight, which is settled first.
        self.stopped = False
        self._wake = asyncio.Event()

    def stop(self) -> None:
        """End the run after the current message (SIGINT, SIGTERM)."""
        self.stopped = True
        self._wake.set()

    def enqueue(self, plan: Plan, spread: timedelta) -> int:
        """Queue the plan's recipients (never twice); how many were new."""
        due = due_times(len(plan.recipients), self.clock(), spread)
        people = zip(plan.recipients, due, strict=True)
        pairs = [(person.participant_id, at) for person, at in people]
        with self.database.transaction() as session:
            return outbox.enqueue(session, self.campaign.kind, self.campaign.subject, pairs)

    async def run(self) -> Tally:
        """Send every due message of the campaign, waiting for held ones; returns the tally."""
        tally = Tally()
        kind, subject = self.campaign.kind, self.campaign.subject
        with self.database.transaction() as session:
            tally.recovered_uncertain = outbox.recover_interrupted(session, kind, subject)
        if tally.recovered_uncertain:
            log.warning(
                "outbox_uncertain",
                kind=kind.value,
                subject=subject,
                count=tally.recovered_uncertain,
            )
        while not self.stopped:
            # Paced before the claim, so a message is in flight (and "uncertain" if the
            # sender dies) only while the channel has it, not while it waits its turn.
            await self.pacer.wait()
            claim = self._claim(tally)
            if not isinstance(claim, _Claim):
                self.pacer.refund()
                if claim is None and not await self._wait_for_held():
                    return tally
                continue  # settled without sending (cancelled, waiting or held)
            outcome = await self.deliver(claim.chat_id, self.campaign.message(claim.language))
            self._settle(claim, outcome, tally)
        return tally

    def _claim(self, tally: Tally) -> _Claim | bool | None:
        """The next due message marked as in flight; True if one was settled otherwise; None."""
        now = self.clock()
        with self.database.transaction() as session:
            message = outbox.next_due(session, self.campaign.kind, self.campaign.subject, now)
            if message is None:
                return None
            participant = session.get(Participant, message.participant_id)
            link = session.get(ChatLink, message.participant_id)
            assert participant is not None  # the outbox row goes with the participant
            if (
                not participant.notify_opt_in
                or repo.has_open_case(session, participant.id)
                or not self.campaign.still_wanted(session, participant.id, now)
            ):
                outbox.mark(session, message.id, OutboxStatus.CANCELLED)
                tally.cancelled += 1
                self.on_progress()
                return True
            if participant.unreachable or link is None:
                outbox.mark(session, message.id, OutboxStatus.UNREACHABLE)
                tally.unreachable += 1
                self.on_progress()
                return True
            quiet = self.survey.send.quiet_hours
            if (
                quiet is not None
                and quiet.holds(now)
                and not is_adult(self.survey, repo.latest_age_band(session, participant.id))
            ):
                message.due_at = quiet.over_at(now).astimezone(UTC)
                return True
            if repo.mid_survey(session, participant.id):
                outbox.mark(session, message.id, OutboxStatus.WAITING)
                tally.waiting += 1
                self.on_progress()
                return True
            message.status = OutboxStatus.SENDING
            message.attempts += 1
            return _Claim(message.id, participant.id, link.chat_id, participant.language)

    def _settle(self, claim: _Claim, outcome: Outcome, tally: Tally) -> None:
        """Store what the channel said about a claimed message."""
        with self.database.transaction() as session:
            if outcome is Outcome.DELIVERED:
                outbox.mark(session, claim.message_id, OutboxStatus.SENT)
                tally.sent += 1
            elif outcome is Outcome.BLOCKED:
                outbox.mark(session, claim.message_id, OutboxStatus.UNREACHABLE)
                participant = session.get(Participant, claim.participant_id)
                if participant is not None:
                    participant.unreachable = True
                tally.unreachable += 1
            elif outcome is Outcome.UNKNOWN:
                outbox.mark(session, claim.message_id, OutboxStatus.UNCERTAIN)
                tally.uncertain += 1
            elif outcome is Outcome.REFUSED:
                outbox.mark(session, claim.message_id, OutboxStatus.FAILED)
                tally.failed += 1
            else:
                outbox.mark(session, claim.message_id, OutboxStatus.PENDING)
                outbox.postpone(session, claim.message_id, self.clock() + _NETWORK_BACKOFF)
                return
        self.on_progress()

    async def _wait_for_held(self) -> bool:
        """Sleep until the next held message is due; False when nothing is left to send."""
        kind, subject = self.campaign.kind, self.campaign.subject
        with self.database.transaction() as session:
            earliest = outbox.earliest_pending(session, kind, subject)
            held = outbox.counts(session, kind, subject).get(OutboxStatus.PENDING, 0)
        if earliest is None:
            return False
        if earliest.tzinfo is None:
            earliest = earliest.replace(tzinfo=UTC)  # SQLite hands back naive UTC
        if (earliest - self.clock()).total_seconds() > 1:
            self.on_hold(earliest, held)
        seconds = (earliest - self.clock()).total_seconds()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), min(max(seconds, 0.05), _LONGEST_NAP))
        return not self.stopped
