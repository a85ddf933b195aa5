"""The survey engine: events in, replies out, conversation state in the database.

It knows nothing about Telegram or the terminal. An adapter turns what its
channel receives into an :class:`Incoming` event and renders the
:class:`Response` (texts and buttons). Each event is handled in one database
transaction: the answer, the new state and the "update seen" mark are
committed together, so a crash never stores half a step and a redelivered
update is stored once.

Every text is analysed before its transaction starts (``nlu.service``):
distress always, themes within a one-second budget. After an open answer the
engine reflects the themes back ("Check") or, when unsure, lets the young
person pick them ("Pick"): at most one such step per answer.

```mermaid
stateDiagram-v2
    [*] --> Welcome: /start [code]
    Welcome --> Welcome: language button
    Welcome --> [*]: Liever niet (nothing stored)
    Welcome --> Question: Ik doe mee
    Question --> Question: answer, button or skip
    Question --> Check: open answer, themes recognised
    Check --> Question: Klopt (next question)
    Check --> Pick: Niet helemaal
    Question --> Pick: open answer, unsure
    Pick --> Question: Klaar (next question)
    Question --> [*]: age under minimum (everything erased)
    Question --> Paused: /stop
    Paused --> Question: /start or Verder doen
    Question --> OptIn: last question answered
    OptIn --> Done: Ja / Nee
    Done --> Welcome: /start
```
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from nlu.classifier import Prediction
from nlu.service import Analyser, Analysis
from privacy.identity import CallbackCodec, InvalidCallback
from storage import Answer, Conversation, Database, Participant, Participation
from storage import repository as repo
from storage.models import utcnow
from survey.config import AgeBand, Option, Question, Survey

log = structlog.get_logger("jeugdstem.engine")

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
    # Where the participant is now, for logs ("q:age", "opt_in", "done", ...).
    step: str | None = None
    # The text showed distress: the helplines were sent, staff may be alerted.
    distress: tuple[str, ...] = ()


# Steps of the conversation besides "q:<question id>", "check:<question id>"
# (Klopt dat?) and "pick:<question id>" (tick the themes that fit).
OPT_IN = "opt_in"
DONE = "done"
# Question id for text sent after the last question: stored, never lost.
EXTRA = "extra"
# Confirming an open answer's themes.
CHECK = "check"
PICK = "pick"
# Themes that are not barriers, never offered as pick buttons ("other" is "Iets anders").
_NOT_BARRIERS = frozenset({"none", "other"})
# Typed words that answer "Klopt dat?" (normalised).
_YES = frozenset(
    {"ja", "jaa", "jep", "ja klopt", "klopt", "yes", "yep", "yeah", "oui", "ok", "oke"}
)
_NO = frozenset({"nee", "neen", "nie", "no", "nope", "non", "niet helemaal", "not quite"})

# Commands shown in the channel's menu, in this order.
MENU_COMMANDS = ("start", "help", "privacy", "language", "stop", "mydata", "delete")
# What a participant whose consent is out of date may still do before consenting again.
_WITHOUT_CONSENT = frozenset({"help", "privacy", "language", "mydata", "delete"})
# /mydata is sent in pieces that fit one message.
_MYDATA_CHUNK = 3500

_MAX_RETRIES = 3

# Button kinds and how many arguments their signed data carries.
_ARITY = {
    "c": 4,  # consent: yes/no, language, source, privacy text version
    "l": 2,  # language, source
    "a": 2,  # answer: question, option
    "t": 2,  # tick a multiple-choice option: question, option
    "d": 1,  # done with a multiple choice: question
    "s": 1,  # skip: question
    "o": 1,  # opt in: yes/no
    "r": 0,  # resume
    "x": 1,  # delete: yes/no
    "k": 2,  # themes check: question, yes/no
    "g": 2,  # tick a theme: question, theme
    "f": 1,  # themes picked: question
}


def command_menu(survey: Survey, language: str) -> list[tuple[str, str]]:
    """The (command, description) pairs for a channel's command menu."""
    return [(name, survey.text(f"command_{name}", language)) for name in MENU_COMMANDS]


def _normalise(text: str) -> str:
    """Lower case, no accents, emoji or punctuation: for matching typed text to buttons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def utf16_chunks(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units (as Telegram counts), cut at line ends."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        for char in line:
            units = 2 if ord(char) > 0xFFFF else 1
            if size + units > limit:
                chunks.append("".join(current))
                current, size = [], 0
            current.append(char)
            size += units
        if size > limit * 0.8:
            # Close to full: start the next piece on a fresh line.
            chunks.append("".join(current))
            current, size = [], 0
    if current:
        chunks.append("".join(current))
    return [chunk for chunk in chunks if chunk.strip()] or [text[:1] or " "]


_AGE = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")


class SurveyEngine:
    """Runs the survey for any channel."""

    def __init__(
        self,
        survey: Survey,
        database: Database,
        codec: CallbackCodec,
        analyser: Analyser | None = None,
    ) -> None:
        self.survey = survey
        self.database = database
        self.codec = codec
        # None: answers are stored unclassified (``jeugdstem nlu reclassify`` later).
        self.analyser = analyser
        self._question_index = {q.id: i for i, q in enumerate(survey.questions)}
        # (normalised label or id, option id) per question, for matching typed answers.
        self._typed_labels: dict[str, list[tuple[str, str]]] = {}
        for question in survey.questions:
            self._typed_labels[question.id] = [
                (_normalise(name), choice.id)
                for choice in self.choices_of(question)
                for name in (*choice.label.values(), choice.id)
            ]

    async def handle(self, incoming: Incoming) -> Response:
        """Handle one event in one transaction, retrying if another worker raced us."""
        analysis = None
        if self.analyser is not None and isinstance(incoming.event, Text | Edit):
            # Before the transaction, so no row lock is held while the NLU thinks.
            analysis = await self.analyser.analyse(incoming.event.text)
        for attempt in range(_MAX_RETRIES):
            try:
                return await self.database.run(
                    lambda session: _Turn(self, session, incoming, analysis).run()
                )
            except (IntegrityError, StaleDataError) as error:
                # Two deliveries of a first message can both try to create the
                # participant; the loser retries and then sees the winner's rows.
                # A stale conversation should never happen (turns lock the
                # participant first); the version column is the safety net.
                log.info("turn_retried", attempt=attempt + 1, error=type(error).__name__)
                if attempt == _MAX_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    # -- rendering, shared by every turn -------------------------------------------------

    def question_text(self, question: Question, language: str) -> str:
        """A question's text with its progress, e.g. "(2/6) Waar woon je?"."""
        number = self._question_index[question.id] + 1
        progress = self.survey.text(
            "progress", language, number=number, total=len(self.survey.questions)
        )
        return f"{progress} {question.text[language]}"

    def question_prompt(self, question: Question, language: str, ticked: Sequence[str]) -> Reply:
        """A question with its progress, text and buttons."""
        text = self.question_text(question, language)
        # Multiple choice buttons tick ("t") and untick; all others answer ("a").
        kind = "t" if question.type == "multi_choice" else "a"
        options = [
            Button(
                ("✅ " if choice.id in ticked else "") + choice.label[language],
                self.codec.encode(kind, question.id, choice.id),
            )
            for choice in self.choices_of(question)
        ]
        rows = [
            tuple(options[i : i + question.columns])
            for i in range(0, len(options), question.columns)
        ]
        last_row: list[Button] = []
        if question.type == "multi_choice":
            last_row.append(
                Button(
                    self.survey.text("button_done", language),
                    self.codec.encode("d", question.id),
                )
            )
        if question.skippable:
            last_row.append(
                Button(
                    self.survey.text("button_skip", language),
                    self.codec.encode("s", question.id),
                )
            )
        if last_row:
            rows.append(tuple(last_row))
        return Reply(text, tuple(rows))

    def welcome(self, language: str, source: str | None) -> Reply:
        """The welcome with consent and language buttons; the source rides along signed."""
        code = source or "-"
        consent = (
            Button(
                self.survey.text("button_consent_yes", language),
                self.codec.encode("c", "yes", language, code, self.survey.privacy.version),
            ),
            Button(
                self.survey.text("button_consent_no", language),
                self.codec.encode("c", "no", language, code, self.survey.privacy.version),
            ),
        )
        return Reply(self.survey.text("welcome", language), (consent, self.language_row(code)))

    def language_row(self, source: str) -> tuple[Button, ...]:
        """One button per survey language."""
        return tuple(
            Button(self.survey.language_names[lang], self.codec.encode("l", lang, source))
            for lang in self.survey.languages
        )

    def opt_in_prompt(self, language: str) -> Reply:
        """The closing thanks, asking whether we may message them about new questions."""
        buttons = (
            (
                Button(
                    self.survey.text("button_opt_in_yes", language), self.codec.encode("o", "yes")
                ),
                Button(
                    self.survey.text("button_opt_in_no", language), self.codec.encode("o", "no")
                ),
            ),
        )
        return Reply(self.survey.text("thanks", language), buttons)

    def themes_check_prompt(
        self, question: Question, themes: Sequence[str], language: str
    ) -> Reply:
        """ "It's mostly about: A, B. Is that right?" with Klopt / Niet helemaal."""
        named = ", ".join(self.theme_words(theme, language) for theme in themes)
        buttons = (
            (
                Button(
                    self.survey.text("button_themes_right", language),
                    self.codec.encode("k", question.id, "yes"),
                ),
                Button(
                    self.survey.text("button_themes_wrong", language),
                    self.codec.encode("k", question.id, "no"),
                ),
            ),
        )
        return Reply(self.survey.text("themes_check", language, themes=named), buttons)

    def themes_offered(self, scores: dict[str, float] | None) -> list[str]:
        """The themes to pick from: the best-scoring barriers, then "other"."""
        # Highest score first; the sort is stable, so ties keep the configured order.
        ranked = sorted(scores or {}, key=lambda theme: -(scores or {})[theme])
        barriers = [t for t in ranked if t not in _NOT_BARRIERS and self.survey.theme(t)]
        if not barriers:
            barriers = [t for t in self.survey.theme_ids if t not in _NOT_BARRIERS]
        return [*barriers[: self.survey.nlu.choices], "other"]

    def themes_pick_prompt(
        self, question: Question, offered: Sequence[str], ticked: Sequence[str], language: str
    ) -> Reply:
        """One toggle button per offered theme, in plain words, and Klaar."""
        rows = [
            (
                Button(
                    ("✅ " if theme in ticked else "") + self.theme_words(theme, language),
                    self.codec.encode("g", question.id, theme),
                ),
            )
            for theme in offered
        ]
        done = Button(
            self.survey.text("button_themes_done", language), self.codec.encode("f", question.id)
        )
        return Reply(self.survey.text("themes_pick", language), (*rows, (done,)))

    def theme_words(self, theme_id: str, language: str) -> str:
        """How the bot names a theme to a young person."""
        theme = self.survey.theme(theme_id)
        return theme.words[language] if theme is not None else theme_id

    def question_at(self, step: str) -> Question | None:
        """The question a "q:<id>" step points at."""
        if not step.startswith("q:"):
            return None
        return self.survey.question(step[2:])

    def confirming(self, step: str) -> tuple[str, Question] | None:
        """("check" or "pick", the question) when the step confirms an answer's themes."""
        mode, _, question_id = step.partition(":")
        if mode not in (CHECK, PICK):
            return None
        question = self.survey.question(question_id)
        return (mode, question) if question is not None else None

    def next_step(self, question: Question) -> str:
        """The step after a question."""
        index = self._question_index[question.id] + 1
        if index < len(self.survey.questions):
            return f"q:{self.survey.questions[index].id}"
        return OPT_IN

    def choices_of(self, question: Question) -> Sequence[Option | AgeBand]:
        """The buttons a question offers: its options, or the age bands."""
        return self.survey.age_bands if question.type == "age_band" else question.options

    def option_label(self, question: Question, option_id: str, language: str) -> str | None:
        """The label of a question's option (or age band), or None if it has no such option."""
        return next(
            (c.label[language] for c in self.choices_of(question) if c.id == option_id), None
        )

    def answered(self, question: Question, language: str, shown: str) -> Reply:
        """The question as it stays in the chat once answered: no buttons, the answer below."""
        return Reply(f"{self.question_text(question, language)}\n→ {shown}")

    def match_option(self, question: Question, text: str) -> str | None:
        """The option a typed text names: a label in any language, or (for age) one number."""
        typed = _normalise(text)
        if not typed:
            return None
        by_label = {option for name, option in self._typed_labels[question.id] if name == typed}
        if by_label:
            return by_label.pop() if len(by_label) == 1 else None
        if question.type == "age_band":
            # "ik ben 15" names an age; "mijn zus is 10 en ik 15" is too ambiguous to guess.
            ages = {int(found) for found in _AGE.findall(text)}
            if len(ages) == 1:
                years = ages.pop()
                return next((b.id for b in self.survey.age_bands if b.contains(years)), None)
        return None


class _Turn:
    """One event being handled inside one transaction."""

    def __init__(
        self,
        engine: SurveyEngine,
        session: Session,
        incoming: Incoming,
        analysis: Analysis | None = None,
    ) -> None:
        self.engine = engine
        self.survey = engine.survey
        self.session = session
        self.incoming = incoming
        self.analysis = analysis
        self.participant: Participant | None = None
        self.conversation: Conversation | None = None
        self.participation: Participation | None = None

    # -- the frame around every event -----------------------------------------------------

    def run(self) -> Response:
        incoming = self.incoming
        state = repo.load_state(self.session, incoming.pseudonym, incoming.update_id)
        if state is not None:
            if state.seen_update:
                return Response(duplicate=True)
            self.participant = state.participant
            self.conversation = state.conversation
            self.participation = state.participation
            if incoming.chat_id is not None:
                repo.update_chat_link(
                    self.session, self.participant.id, incoming.chat_id, state.chat_link
                )
            # Whoever blocked the bot and writes again has unblocked it.
            repo.mark_reachable(self.participant)

        response = self.dispatch(incoming.event)
        if self.distress:
            # Helplines first, whatever else this step answers; nothing cheerful before them.
            helplines = Reply(self.text(f"distress_{self.distress[0]}"))
            response.replies.insert(0, helplines)
            response.distress = self.distress

        # self.participant is None when nothing may be stored (before consent, or erased).
        if self.participant is not None and incoming.update_id is not None:
            repo.mark_processed(self.session, incoming.update_id, self.participant.id)
        response.step = self.conversation.step if self.conversation is not None else None
        return response

    def dispatch(self, event: Event) -> Response:
        if self.consent_outdated and not self.allowed_without_consent(event):
            # The privacy text changed since they agreed: ask again before anything else.
            welcome = self.engine.welcome(self.language, None)
            return Response([Reply(self.text("consent_again")), welcome])
        match event:
            case Start(code):
                return self.on_start(code)
            case Command(name):
                return self.on_command(name)
            case Text(text, message_id):
                return self.on_text(text, message_id)
            case Edit(text, message_id):
                return self.on_edit(text, message_id)
            case Press(data):
                return self.on_press(data)
            case NonText():
                return self.on_non_text()
        raise TypeError(f"unknown event {type(event).__name__}")

    # -- state helpers --------------------------------------------------------------------

    @property
    def language(self) -> str:
        if self.participation is not None:
            return self.participation.language
        if self.participant is not None:
            return self.participant.language
        return self.survey.default_language

    def text(self, key: str, **values: object) -> str:
        return self.survey.text(key, self.language, **values)

    @property
    def consent_outdated(self) -> bool:
        """A returning participant who agreed to an older privacy text."""
        return (
            self.participant is not None
            and self.participant.consent_version != self.survey.privacy.version
        )

    def allowed_without_consent(self, event: Event) -> bool:
        """Rights and information stay available; consent and language buttons too."""
        if isinstance(event, Command):
            return event.name in _WITHOUT_CONSENT
        if isinstance(event, Press):
            return event.data.startswith(("c|", "l|", "x|"))
        return isinstance(event, Edit | NonText)

    @property
    def distress(self) -> tuple[str, ...]:
        """The distress kinds found in this event's text, most urgent first."""
        return self.analysis.distress.kinds if self.analysis is not None else ()

    @property
    def prediction(self) -> Prediction | None:
        return self.analysis.prediction if self.analysis is not None else None

    def store_text(
        self, question_id: str, text: str, message_id: int | None, button_value: str | None = None
    ) -> Answer:
        """Store a typed answer with what the NLU made of it."""
        assert self.participation is not None
        answer = repo.add_answer(
            self.session,
            self.participation.id,
            question_id,
            text=text,
            button_value=button_value,
            message_id=message_id,
        )
        self.note_analysis(answer)
        return answer

    def note_analysis(self, answer: Answer) -> None:
        """Copy the prediction (if any came in time) and the distress flag onto an answer."""
        if self.analysis is None:
            return
        prediction = self.analysis.prediction
        if prediction is not None:
            repo.set_prediction(
                answer, prediction.themes, prediction.scores, prediction.model_version
            )
        # Never lowered: editing a distress message away must not hide it from staff.
        answer.distress = bool(answer.distress) or bool(self.analysis.distress)

    @property
    def active(self) -> bool:
        """In the middle of a participation (possibly paused)."""
        return self.conversation is not None and self.conversation.step != DONE

    def current_prompt(self) -> Reply:
        """What the participant should see again for the step they are on."""
        assert self.conversation is not None
        question = self.engine.question_at(self.conversation.step)
        if question is not None:
            return self.engine.question_prompt(question, self.language, self.conversation.pending)
        confirming = self.engine.confirming(self.conversation.step)
        if confirming is not None:
            mode, question = confirming
            answer = self.answer_being_confirmed(question)
            if answer is None:
                return self.move_to(self.engine.next_step(question))
            if mode == CHECK:
                return self.engine.themes_check_prompt(question, answer.themes or (), self.language)
            offered = self.engine.themes_offered(answer.theme_scores)
            return self.engine.themes_pick_prompt(
                question, offered, self.conversation.pending, self.language
            )
        return self.engine.opt_in_prompt(self.language)

    def answer_being_confirmed(self, question: Question) -> Answer | None:
        """The open answer whose themes are asked about; words typed meanwhile come after it."""
        assert self.participation is not None
        return repo.first_answer_to(self.session, self.participation.id, question.id)

    def after_open_answer(self, question: Question) -> Reply:
        """Reflect the themes back, let them pick, or go on: at most one such step per answer."""
        prediction = self.prediction
        settings = self.survey.nlu
        if (
            prediction is None  # the NLU did not answer in time: classify later, don't ask
            or not question.confirm_themes
            or self.distress  # not the moment to quiz someone about themes
        ):
            return self.move_to(self.engine.next_step(question))
        if prediction.themes and prediction.best_score >= settings.confident:
            return self.move_to(f"{CHECK}:{question.id}")
        if prediction.themes or prediction.best_score >= settings.ask_from:
            return self.move_to(f"{PICK}:{question.id}")
        # Nothing recognisable ("idk", an emoji): no theme to confirm.
        return self.move_to(self.engine.next_step(question))

    def move_to(self, step: str) -> Reply:
        """Advance the conversation and return the prompt of the new step."""
        assert self.conversation is not None and self.participation is not None
        self.conversation.step = step
        self.conversation.pending = []
        if step == OPT_IN and self.participation.finished_at is None:
            self.participation.finished_at = utcnow()
        return self.current_prompt()

    # -- events ---------------------------------------------------------------------------

    def on_start(self, code: str | None) -> Response:
        """/start: welcome a newcomer, or pick up where a participant left off."""
        if not self.active:
            source = self.survey.source(code)
            return Response([self.engine.welcome(self.language, source.id if source else None)])
        assert self.conversation is not None
        self.conversation.paused = False
        return Response([Reply(self.text("resumed")), self.current_prompt()])

    def on_command(self, name: str) -> Response:
        """/help, /privacy, /language, /stop, /delete and unknown commands."""
        if name == "help":
            return Response([Reply(self.text("help"))])
        if name == "privacy":
            return Response([Reply(self.text("privacy"))])
        if name == "language":
            row = self.engine.language_row("-")
            return Response([Reply(self.text("language_prompt"), (row,))])
        if name == "stop":
            if not self.active:
                return Response([Reply(self.text("nothing_to_stop"))])
            assert self.conversation is not None
            self.conversation.paused = True
            return Response([Reply(self.text("paused"))])
        if name == "mydata":
            return self.my_data()
        if name == "delete":
            if self.participant is None:
                return Response([Reply(self.text("nothing_to_delete"))])
            buttons = (
                (
                    Button(self.text("button_delete_yes"), self.engine.codec.encode("x", "yes")),
                    Button(self.text("button_delete_no"), self.engine.codec.encode("x", "no")),
                ),
            )
            return Response([Reply(self.text("delete_confirm"), buttons)])
        return Response([Reply(self.text("unknown_command"))])

    def my_data(self) -> Response:
        """Everything stored about the participant, as a JSON document in one or more messages."""
        if self.participant is None:
            return Response([Reply(self.text("mydata_nothing"))])
        self.session.flush()
        data = repo.participant_data(self.session, self.participant.id)
        document = json.dumps(data, ensure_ascii=False, indent=1)
        chunks = utf16_chunks(document, _MYDATA_CHUNK)
        return Response([Reply(self.text("mydata_intro")), *(Reply(c) for c in chunks)])

    def where_they_are(self) -> Reply:
        """What to show again: the welcome, the pause reminder or the current step."""
        if not self.active:
            return self.engine.welcome(self.language, None)
        assert self.conversation is not None
        if self.conversation.paused:
            resume = Button(self.text("button_resume"), self.engine.codec.encode("r"))
            return Reply(self.text("paused_reminder"), ((resume,),))
        return self.current_prompt()

    def on_text(self, text: str, message_id: int | None) -> Response:
        """Free text: an answer in the person's own words, or explained, never lost."""
        if self.analysis is not None and self.analysis.insult and not self.distress:
            # Aimed at the bot, not an answer: a calm word and the question again.
            return Response([Reply(self.text("calm")), self.where_they_are()])
        if self.conversation is None or self.participation is None:
            # Before consent nothing may be stored: show the welcome instead.
            return Response([self.engine.welcome(self.language, None)])
        if self.conversation.paused:
            return Response([self.where_they_are()])
        confirming = self.engine.confirming(self.conversation.step)
        if confirming is not None:
            return self.text_while_confirming(*confirming, text, message_id)
        question = self.engine.question_at(self.conversation.step)
        if question is None:
            self.store_text(EXTRA, text, message_id)
            if self.conversation.step == OPT_IN:
                return Response([self.current_prompt()])
            return Response([Reply(self.text("noted_extra"))])

        if question.type == "open":
            self.store_text(question.id, text, message_id)
            return Response([self.after_open_answer(question)])
        if question.type == "multi_choice" and question.allow_text:
            ticked = ",".join(self.conversation.pending) or None
            self.store_text(question.id, text, message_id, button_value=ticked)
            return Response([self.move_to(self.engine.next_step(question))])

        option_id = self.engine.match_option(question, text)
        if option_id is not None and question.type != "multi_choice":
            return self.choose(question, option_id, text=text, message_id=message_id)
        # A button was expected: keep the words, explain, and ask again.
        self.store_text(question.id, text, message_id)
        return Response([Reply(self.text("choose_a_button")), self.current_prompt()])

    def text_while_confirming(
        self, mode: str, question: Question, text: str, message_id: int | None
    ) -> Response:
        """Typed "ja"/"nee" answers Klopt dat?; other words are kept with the answer."""
        typed = _normalise(text)
        if mode == CHECK and typed in _YES:
            return self.press_themes_check(question.id, "yes")
        if mode == CHECK and typed in _NO:
            return self.press_themes_check(question.id, "no")
        self.store_text(question.id, text, message_id)
        return Response([Reply(self.text("themes_pending")), self.current_prompt()])

    def on_edit(self, text: str, message_id: int) -> Response:
        """An edit of the latest answer updates it; edits of older messages are ignored."""
        if self.participation is None:
            return Response()
        latest = repo.latest_answer(self.session, self.participation.id)
        if latest is None or latest.message_id != message_id:
            return Response()
        repo.mark_edited(latest, text)
        if latest.button_value is None:
            # Words, not a typed choice: what the NLU makes of the new text applies.
            self.note_analysis(latest)
        question = self.survey.question(latest.question_id)
        typed_choice = latest.button_value is not None and latest.text is not None
        if (
            question is None
            or not typed_choice
            or question.type not in ("age_band", "single_choice")
        ):
            return Response()
        # A typed choice is read again, so "15" edited to "11" still meets the age gate.
        latest.button_value = self.engine.match_option(question, text)
        if not self.apply_profile(question, latest.button_value):
            return self.age_gate()
        return Response()

    def apply_profile(self, question: Question, option_id: str | None) -> bool:
        """Copy a chosen age band or area into the participation; False if under the age gate."""
        assert self.participation is not None
        if question.type == "age_band":
            band = next((b for b in self.survey.age_bands if b.id == option_id), None)
            minimum = self.survey.privacy.minimum_age
            source = self.survey.source(self.participation.source)
            supervised = source is not None and source.supervised
            if (
                band is not None
                and band.max_age is not None
                and band.max_age < minimum
                and not supervised
            ):
                return False
            self.participation.age_band = option_id
        elif question.profile == "area":
            self.participation.area = option_id
        return True

    def on_non_text(self) -> Response:
        """Voice, photos, stickers...: ask for text and repeat the current question."""
        replies = [Reply(self.text("text_only"))]
        if self.active and self.conversation is not None and not self.conversation.paused:
            replies.append(self.current_prompt())
        elif self.conversation is None:
            replies.append(self.engine.welcome(self.language, None))
        return Response(replies)

    def on_press(self, data: str) -> Response:
        """A button press: verified, checked against the current step, then applied."""
        try:
            kind, args = self.engine.codec.decode(data)
        except InvalidCallback:
            return Response(notice=self.text("invalid_button"))
        handlers: dict[str, Callable[..., Response]] = {
            "c": self.press_consent,
            "l": self.press_language,
            "a": self.press_answer,
            "t": self.press_toggle,
            "d": self.press_done,
            "s": self.press_skip,
            "o": self.press_opt_in,
            "r": self.press_resume,
            "x": self.press_delete,
            "k": self.press_themes_check,
            "g": self.press_theme_toggle,
            "f": self.press_themes_picked,
        }
        handler = handlers.get(kind)
        if handler is None or len(args) != _ARITY[kind]:
            # Unknown, or signed by us with another shape: an older bot version.
            return Response(notice=self.text("invalid_button"))
        return handler(*args)

    def stale(self) -> Response:
        return Response(notice=self.text("stale_button"))

    def invalid(self) -> Response:
        return Response(notice=self.text("invalid_button"))

    def asked(self, question_id: str) -> Question | None:
        """The question if it is the one being asked right now, else None (a stale button)."""
        if self.conversation is None or self.conversation.paused:
            return None
        question = self.engine.question_at(self.conversation.step)
        return question if question is not None and question.id == question_id else None

    def press_consent(self, choice: str, language: str, code: str, version: str) -> Response:
        if self.active and not self.consent_outdated:
            return self.stale()
        if language not in self.survey.languages:
            return self.invalid()
        if version != self.survey.privacy.version:
            # A welcome from before the privacy text changed: agree to the text as it is now.
            welcome = self.engine.welcome(language, code if code != "-" else None)
            return Response([Reply(self.text("consent_again")), welcome], origin=welcome)
        welcome_text = self.survey.text("welcome", language)
        if choice == "no":
            # Someone who took part before keeps their earlier answers: say so honestly.
            key = "declined" if self.participant is None else "declined_known"
            return Response([Reply(self.survey.text(key, language))], origin=Reply(welcome_text))
        if choice != "yes":
            return self.invalid()
        if self.participant is None:
            self.participant = repo.create_participant(
                self.session, self.incoming.pseudonym, language, self.incoming.chat_id
            )
        self.participant.language = language
        outdated = self.consent_outdated
        self.participant.consent_version = self.survey.privacy.version
        self.participant.consented_at = utcnow()
        if self.active and outdated:
            # Consent renewed mid-survey: carry on where they were, as /start would.
            assert self.conversation is not None
            self.conversation.paused = False
            return Response([self.current_prompt()], origin=Reply(welcome_text))
        source = self.survey.source(code)
        first = f"q:{self.survey.questions[0].id}"
        self.conversation, self.participation = repo.start_participation(
            self.session,
            self.participant,
            self.conversation,
            source=source.id if source else None,
            language=language,
            first_step=first,
        )
        return Response([self.current_prompt()], origin=Reply(welcome_text))

    def press_language(self, language: str, code: str) -> Response:
        if language not in self.survey.languages:
            return self.invalid()
        if self.participant is not None:
            self.participant.language = language
        if self.participation is not None:
            self.participation.language = language
        if not self.active or self.consent_outdated:
            # On a welcome, the welcome again in that language (with its consent buttons).
            return Response(origin=self.engine.welcome(language, code if code != "-" else None))
        assert self.conversation is not None
        replies = [Reply(self.text("language_changed"))]
        if not self.conversation.paused:
            replies.append(self.current_prompt())
        return Response(replies, origin=Reply(self.text("language_prompt")))

    def choose(
        self,
        question: Question,
        option_id: str,
        *,
        text: str | None = None,
        message_id: int | None = None,
    ) -> Response:
        """Store a chosen option (button or matching text) and move on."""
        assert self.participation is not None
        if not self.apply_profile(question, option_id):
            return self.age_gate()
        repo.add_answer(
            self.session,
            self.participation.id,
            question.id,
            text=text,
            button_value=option_id,
            message_id=message_id,
        )
        return Response([self.move_to(self.engine.next_step(question))])

    def age_gate(self) -> Response:
        """Too young to consent alone: thank them and keep nothing at all."""
        reply = Reply(self.text("age_gate", minimum_age=self.survey.privacy.minimum_age))
        self.erase_participant()
        return Response([reply])

    def erase_participant(self) -> None:
        """Delete every row about this participant, in this transaction."""
        assert self.participant is not None
        repo.delete_participant(self.session, self.participant.id)
        # The rows are gone; nothing loaded about them may be flushed back.
        self.session.expunge_all()
        self.participant = None
        self.conversation = None
        self.participation = None

    def press_answer(self, question_id: str, option_id: str) -> Response:
        question = self.asked(question_id)
        if question is None:
            return self.stale()
        label = self.engine.option_label(question, option_id, self.language)
        if label is None or question.type == "multi_choice":
            return self.invalid()
        response = self.choose(question, option_id)
        response.origin = self.engine.answered(question, self.language, label)
        return response

    def confirming_now(self, mode: str, question_id: str) -> Question | None:
        """The question if its themes are being confirmed in this mode right now."""
        if self.conversation is None or self.conversation.paused:
            return None
        if self.conversation.step != f"{mode}:{question_id}":
            return None
        return self.survey.question(question_id)

    def press_themes_check(self, question_id: str, choice: str) -> Response:
        """Klopt: the predicted themes are confirmed. Niet helemaal: let them pick."""
        question = self.confirming_now(CHECK, question_id)
        if question is None:
            return self.stale()
        if choice not in ("yes", "no"):
            return self.invalid()
        answer = self.answer_being_confirmed(question)
        shown = self.engine.themes_check_prompt(
            question, answer.themes or () if answer else (), self.language
        )
        label = self.text("button_themes_right" if choice == "yes" else "button_themes_wrong")
        origin = Reply(f"{shown.text}\n→ {label}")
        if choice == "no":
            return Response([self.move_to(f"{PICK}:{question.id}")], origin=origin)
        if answer is not None:
            repo.confirm_themes(answer, answer.themes or [])
        return Response([self.move_to(self.engine.next_step(question))], origin=origin)

    def press_theme_toggle(self, question_id: str, theme_id: str) -> Response:
        """Tick or untick one offered theme."""
        question = self.confirming_now(PICK, question_id)
        if question is None or self.conversation is None:
            return self.stale()
        answer = self.answer_being_confirmed(question)
        offered = self.engine.themes_offered(answer.theme_scores if answer else None)
        if theme_id not in offered:
            return self.invalid()
        ticked = self.toggle_pending(theme_id)
        return Response(
            origin=self.engine.themes_pick_prompt(question, offered, ticked, self.language)
        )

    def press_themes_picked(self, question_id: str) -> Response:
        """Klaar: store the ticked themes (possibly none) and go on."""
        question = self.confirming_now(PICK, question_id)
        if question is None or self.conversation is None:
            return self.stale()
        ticked = list(self.conversation.pending)
        answer = self.answer_being_confirmed(question)
        if answer is not None:
            repo.confirm_themes(answer, ticked)
        chosen = ", ".join(self.engine.theme_words(t, self.language) for t in ticked) or "—"
        origin = Reply(f"{self.text('themes_pick')}\n→ {chosen}")
        return Response([self.move_to(self.engine.next_step(question))], origin=origin)

    def toggle_pending(self, item: str) -> list[str]:
        """Tick an option or theme, or untick it if it was ticked; returns the ticks."""
        assert self.conversation is not None
        ticked = list(self.conversation.pending)
        if item in ticked:
            ticked.remove(item)
        else:
            ticked.append(item)
        self.conversation.pending = ticked
        return ticked

    def press_toggle(self, question_id: str, option_id: str) -> Response:
        question = self.asked(question_id)
        if question is None or self.conversation is None:
            return self.stale()
        if question.type != "multi_choice" or option_id not in {o.id for o in question.options}:
            return self.invalid()
        ticked = self.toggle_pending(option_id)
        return Response(origin=self.engine.question_prompt(question, self.language, ticked))

    def press_done(self, question_id: str) -> Response:
        question = self.asked(question_id)
        if question is None or self.conversation is None or self.participation is None:
            return self.stale()
        if question.type != "multi_choice":
            return self.invalid()
        ticked = list(self.conversation.pending)
        labels = {o.id: o.label[self.language] for o in question.options}
        repo.add_answer(
            self.session,
            self.participation.id,
            question.id,
            button_value=",".join(ticked) or None,
            skipped=not ticked,
        )
        chosen = ", ".join(labels[t] for t in ticked) or self.text("button_skip")
        return Response(
            [self.move_to(self.engine.next_step(question))],
            origin=self.engine.answered(question, self.language, chosen),
        )

    def press_skip(self, question_id: str) -> Response:
        question = self.asked(question_id)
        if question is None or self.participation is None:
            return self.stale()
        if not question.skippable:
            return self.invalid()
        repo.add_answer(self.session, self.participation.id, question.id, skipped=True)
        return Response(
            [self.move_to(self.engine.next_step(question))],
            origin=self.engine.answered(question, self.language, self.text("button_skip")),
        )

    def press_opt_in(self, choice: str) -> Response:
        if (
            self.conversation is None
            or self.conversation.step != OPT_IN
            or self.participant is None
        ):
            return self.stale()
        if choice not in ("yes", "no"):
            return self.invalid()
        self.participant.notify_opt_in = choice == "yes"
        self.conversation.step = DONE
        return Response(
            [Reply(self.text(f"opt_in_{choice}"))],
            origin=Reply(self.text("thanks")),
        )

    def press_resume(self) -> Response:
        if not self.active or self.conversation is None or not self.conversation.paused:
            return self.stale()
        self.conversation.paused = False
        return Response([Reply(self.text("resumed")), self.current_prompt()])

    def press_delete(self, choice: str) -> Response:
        if choice == "no":
            return Response(
                [Reply(self.text("delete_cancelled"))], origin=Reply(self.text("delete_confirm"))
            )
        if choice != "yes":
            return self.invalid()
        if self.participant is None:
            return Response([Reply(self.text("nothing_to_delete"))])
        language = self.language
        self.erase_participant()
        return Response(
            [Reply(self.survey.text("deleted", language))],
            origin=Reply(self.survey.text("delete_confirm", language)),
        )
