"""A youth worker taking over: the offer, the case card and what goes across.

The young person's side runs in ``turn`` (their events), the staff chat's in
``staff`` (the workers' events); this module holds what both need: when a
person may be offered, the words of the offer, the case card the staff chat
sees, and the posts that carry a message across.

```mermaid
stateDiagram-v2
    [*] --> Offered: /praten, typed request, talk button, alarm
    Offered --> [*]: Nee
    Offered --> Waiting: Ja, graag (case card in the staff chat)
    Waiting --> Claimed: a worker taps Ik neem dit op
    Claimed --> Claimed: messages relayed both ways
    Waiting --> Closed: /stop, Afsluiten, /delete
    Claimed --> Closed: /stop, Afsluiten, /delete
    Closed --> [*]: the survey can go on
```

The staff chat sees the redacted text on the card and in messages relayed
before a worker took the case; the full text only once a worker has it. The
staff chat's own words are Dutch: the network's staff work in Dutch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.engine.buttons import ButtonKind
from bot.engine.events import Button, Keyboard, Post, Reply
from bot.engine.prompts import Prompts
from nlu.risk import RiskKind
from privacy.identity import short_pseudonym
from privacy.redact import redact
from storage.models import Case, CaseClosure, CaseMessage, CaseReason, Sender
from survey.clock import local
from survey.config import Survey, Worker
from survey.helplines import Helpline
from survey.text import fold_words

# A request for a person in one's own words, on folded words (survey.text.fold_words):
# "kan ik met iemand praten", "kan k ier me iemand klappen", "ik wil praten met iemand",
# "can i talk to someone", "je veux parler a quelqu un". Whole messages only: a sentence
# that merely mentions talking ("ik praat met iemand over voetbal") is an answer.
_PERSON_NL = r"(?:iemand|een\s+(?:mens|persoon|jeugdwerker|begeleider|echte\s+persoon))"
_TALK_NL = r"(?:praten|spreken|babbelen|klappen|chatten)"
_WITH_NL = r"(?:met|me|tegen)"
_FILLER_NL = r"(?:(?:eens|es|ne\s+keer|even|graag|nu|hier|ier|alsjeblieft|aub|pls)\s+)*"
_DUTCH = (
    r"(?:(?:kan|kun|mag|wil|zou)\s+(?:ik|k)|(?:ik|k)\s+(?:wil|zou\s+graag|wil\s+graag|moet))\s+"
    + _FILLER_NL
    + rf"(?:{_WITH_NL}\s+{_PERSON_NL}\s+{_FILLER_NL}{_TALK_NL}"  # met iemand praten
    + rf"|{_TALK_NL}\s+{_WITH_NL}\s+{_PERSON_NL})"  # praten met iemand
    + r"(?:\s+(?:aub|alsjeblieft|pls|please))?"
)
_PERSON_EN = r"(?:someone|somebody|a\s+(?:person|human|youth\s+worker|real\s+person))"
_ENGLISH = (
    r"(?:(?:can|could|may)\s+i|i\s+(?:want|d\s+like|would\s+like|need))\s+(?:to\s+)?"
    r"(?:please\s+)?(?:talk|speak)\s+(?:to|with)\s+" + _PERSON_EN + r"(?:\s+please)?"
)
_PERSON_FR = r"(?:quelqu\s+un|une\s+personne|un\s+humain|un\s+animateur|une\s+animatrice)"
_FRENCH = (
    r"(?:je\s+(?:veux|voudrais|peux)|est\s+ce\s+que\s+je\s+peux|puis\s+je)\s+"
    r"parler\s+(?:a|avec)\s+" + _PERSON_FR + r"(?:\s+s\s+il\s+(?:te|vous)\s+plait)?"
)
_ASKS_FOR_A_PERSON = re.compile(rf"^(?:{_DUTCH}|{_ENGLISH}|{_FRENCH})$")
# Renders one helpline bullet (Safeguarding.line).
LineText = Callable[[Helpline, str, datetime], str]
# /praten in every language the bot speaks.
TALK_COMMANDS = frozenset({"praten", "talk", "parler"})
# The risk-kind argument of an offer made without a kind (a request, a vague concern).
NO_KIND = "-"

_REASON_WORDS = {
    CaseReason.ALARM: "🔴 alarm",
    CaseReason.CONCERN: "🟠 zorg (na «Gaat het met je?»)",
    CaseReason.REQUEST: "🟢 vroeg zelf om te praten",
}
_CLOSED_BY_WORDS = {
    CaseClosure.YOUNG: "door de jongere (/stop)",
    CaseClosure.ERASED: "de jongere wiste al zijn of haar gegevens",
}
CARD_HOW_TO = "Antwoorden: reply op dit bericht of op een doorgestuurd bericht."
CLAIM_LABEL = "Ik neem dit op"
CLOSE_LABEL = "Afsluiten"


def asks_for_a_person(text: str) -> bool:
    """Whether a whole message asks to talk to a person ("kan ik met iemand praten")."""
    return _ASKS_FOR_A_PERSON.match(fold_words(text)) is not None


def shown_name(worker: Worker) -> str:
    """How the young person sees a worker: "Sara, Bolwerk" becomes "Sara (Bolwerk)"."""
    name, comma, partner = worker.name.partition(",")
    return f"{name.strip()} ({partner.strip()})" if comma and partner.strip() else worker.name


class Handover:
    """The words and cards of a handover, for both sides."""

    def __init__(self, survey: Survey, prompts: Prompts, *, staff_chat: bool) -> None:
        self.survey = survey
        self.prompts = prompts
        # Without a staff chat or workers nobody could answer: no offer is made.
        self.available = staff_chat and bool(survey.handover.workers)

    # -- the young person's side ----------------------------------------------------------

    def offer(self, reason: CaseReason, kinds: tuple[RiskKind, ...], language: str) -> Reply:
        """What happens if they say yes, then Ja, graag / Nee."""
        kind = kinds[0].value if kinds else NO_KIND
        buttons = tuple(
            (self.prompts.button(key, language, ButtonKind.HANDOVER, reason.value, kind, choice),)
            for key, choice in (("button_handover_yes", "yes"), ("button_handover_no", "no"))
        )
        return Reply(self.survey.text("handover_offer", language), buttons)

    def opened(self, language: str, moment: datetime, line: LineText) -> Reply:
        """Passed on: a worker answers soon, or (out of hours) when, with the lines open now."""
        settings = self.survey.handover
        if settings.staffed_at(moment):
            return Reply(self.survey.text("handover_opened", language))
        start = settings.next_shift(moment)
        when = _when(start, language) if start is not None else _SOON.get(language, _SOON["en"])
        lines = [line(helpline, language, moment) for helpline in self.always_open_lines(language)]
        intro = self.survey.text("handover_out_of_hours", language, when=when)
        return Reply("\n".join([intro, *lines]))

    def always_open_lines(self, language: str) -> list[Helpline]:
        """The lines that answer day and night (in this language if any do), then 112."""
        lines = [h for h in self.survey.helplines if h.always_open and not h.emergency]
        spoken = [h for h in lines if language in h.speaks] or lines
        return [*spoken, *(h for h in self.survey.helplines if h.emergency)]

    # -- the staff chat's side ------------------------------------------------------------

    def card(
        self, case: Case, pseudonym: str, messages: list[CaseMessage], worker: Worker | None
    ) -> Reply:
        """The case card as it stands: who, why, the redacted message, and its buttons."""
        opening = next((m.text for m in messages if m.opening), None)
        reason = CaseReason(case.reason)
        why = _REASON_WORDS[reason]
        if case.risk_kinds:
            why += f" ({', '.join(case.risk_kinds)})"
        opened = local(case.opened_at).strftime("%d/%m %H:%M")
        lines = [
            f"Case {case.id} · deelnemer {short_pseudonym(pseudonym)}",
            f"Reden: {why}",
        ]
        if opening:
            lines.append(f"Bericht (geredigeerd): «{redact(opening)[:1500]}»")
        profile = [f"leeftijd {case.age_band or '?'}", f"via {case.source or '-'}"]
        lines.append(" · ".join(profile))
        lines.append(f"Geopend {opened}" + (" (buiten de uren)" if case.out_of_hours else ""))
        buttons: Keyboard = ()
        if case.closed_at is not None:
            closure = CaseClosure(case.closed_by) if case.closed_by else CaseClosure.WORKER
            by = _CLOSED_BY_WORDS.get(closure) or (
                f"door {worker.name}" if worker is not None else "door een jeugdwerker"
            )
            lines.append(f"Afgesloten {by}.")
        elif case.worker_id is not None:
            lines.append(f"Opgenomen door {worker.name if worker else 'een jeugdwerker'}.")
            lines.append(CARD_HOW_TO)
            buttons = ((self.staff_button(CLOSE_LABEL, ButtonKind.CLOSE_CASE, case),),)
        else:
            lines.append("Wacht op een jeugdwerker.")
            buttons = (
                (
                    self.staff_button(CLAIM_LABEL, ButtonKind.CLAIM_CASE, case),
                    self.staff_button(CLOSE_LABEL, ButtonKind.CLOSE_CASE, case),
                ),
            )
        return Reply("\n".join(lines), buttons)

    def staff_button(self, label: str, kind: ButtonKind, case: Case) -> Button:
        return Button(label, self.prompts.buttons.encode(kind, str(case.id)))

    def card_post(self, case: Case, pseudonym: str, messages: list[CaseMessage]) -> Post:
        """A new case card for the staff chat, whose message id is noted on the case."""
        card = self.card(case, pseudonym, messages, None)
        return Post(text=card.text, buttons=card.buttons, note_card=case.id)

    def relay_to_staff(self, case: Case, message: CaseMessage, pseudonym: str) -> Post:
        """A young person's message, as the staff chat sees it: redacted until a worker has it."""
        who = short_pseudonym(pseudonym)
        claimed = case.worker_id is not None
        if message.media is not None:
            if claimed:
                return Post(
                    copy_of=message.channel_message_id,
                    reply_to=case.card_message_id,
                    note_message=message.id,
                )
            text = f"📎 {who} stuurde een {message.media} (te zien zodra iemand de case opneemt)."
        elif claimed:
            text = f"💬 {who}: {message.text}"
        else:
            text = f"💬 {who} (geredigeerd): {redact(message.text or '')}"
        return Post(text=text, reply_to=case.card_message_id, note_message=message.id)

    def thread(self, case: Case, messages: list[CaseMessage], pseudonym: str) -> list[Post]:
        """What the worker who takes a case reads first: everything so far, in full."""
        who = short_pseudonym(pseudonym)
        texts = [m.text for m in messages if m.sender == Sender.YOUNG and m.text]
        posts = []
        if texts:
            body = "\n".join(f"— {text}" for text in texts)
            posts.append(Post(text=f"Gesprek tot nu, volledig ({who}):\n{body}"))
        posts += [
            Post(copy_of=m.channel_message_id, note_message=m.id)
            for m in messages
            if m.sender == Sender.YOUNG and m.media is not None
        ]
        return [replace(post, reply_to=case.card_message_id) for post in posts]


_DAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
_WHEN = {"nl": "op {day} om {time}", "en": "on {day} at {time}", "fr": "{day} à {time}"}
# Hours with no shift in the coming week (a holiday written as hours, say).
_SOON = {"nl": "zo snel mogelijk", "en": "as soon as possible", "fr": "dès que possible"}


def _when(moment: datetime, language: str) -> str:
    """ "op maandag om 09:00": when the next shift starts, in the young person's words."""
    days = _DAYS.get(language, _DAYS["en"])
    template = _WHEN.get(language, _WHEN["en"])
    shown = local(moment)
    return template.format(day=days[shown.weekday()], time=shown.strftime("%H:%M"))
