"""The engine and its turns: one event handled in one database transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bot.engine.buttons import NO_SOURCE, ButtonCodec, ButtonKind, claimed_kind
from bot.engine.case_turn import CaseTurn
from bot.engine.events import (
    Command,
    Edit,
    Event,
    Incoming,
    NonText,
    Press,
    Reply,
    Response,
    Start,
    Text,
)
from bot.engine.feedback import SAY_MORE_PREFIX, FeedbackMessages, FeedbackSubject, status_of_key
from bot.engine.handover import TALK_COMMANDS, Handover, asks_for_a_person
from bot.engine.offers import Offering
from bot.engine.prompts import Prompts
from bot.engine.rounds import Rounds
from bot.engine.safeguarding import Safeguarding
from bot.engine.steps import Route, Step, StepKind
from nlu.classifier import Prediction
from nlu.risk import Distress, RiskKind
from nlu.service import Analyser, Analysis
from privacy.identity import CallbackCodec
from privacy.mydata import mydata_pieces
from storage import Answer, Case, Database, cases, offers, outbox
from storage import feedback as reactions
from storage import repository as repo
from storage import state as turn_state
from storage.database import Session
from storage.models import CaseReason, OutboxKind, OutboxMessage, OutboxStatus, Reaction, utcnow
from storage.state import (
    Classification,
    ConversationRow,
    ParticipantRow,
    ParticipationRow,
    TurnState,
)
from survey.config import Question, StartCode, Survey
from survey.feedback import FeedbackFile
from survey.offers import Catalogue
from survey.text import fold_words

# Question id for text sent after the last question: stored, never lost.
EXTRA = "extra"
# Typed words that answer "Klopt dat?" (folded with survey.text.fold_words).
_YES = frozenset(
    {"ja", "jaa", "jep", "ja klopt", "klopt", "yes", "yep", "yeah", "oui", "ok", "oke"}
)
_NO = frozenset({"nee", "neen", "nie", "no", "nope", "non", "niet helemaal", "not quite"})
# What a participant whose consent is out of date may still do before consenting again.
_COMMANDS_WITHOUT_CONSENT = frozenset(
    {"help", "privacy", "language", "mydata", "delete", "geenberichten"}
)
_BUTTONS_WITHOUT_CONSENT = frozenset(
    {
        ButtonKind.CONSENT,
        ButtonKind.LANGUAGE,
        ButtonKind.DELETE,
        ButtonKind.TALK,
        ButtonKind.NO_MORE_MESSAGES,
    }
)
_RISK_KINDS = frozenset(kind.value for kind in RiskKind)


def _now() -> datetime:
    return datetime.now(UTC)


class SurveyEngine:
    """Runs the survey for any channel."""

    def __init__(
        self,
        survey: Survey,
        database: Database,
        codec: CallbackCodec,
        analyser: Analyser | None = None,
        clock: Callable[[], datetime] = _now,
        *,
        staff_chat: bool = False,
        catalogue: Catalogue | None = None,
        feedback: FeedbackFile | None = None,
    ) -> None:
        self.survey = survey
        # Which helplines are open depends on the hour: tests pass a frozen clock.
        self.clock = clock
        self.database = database
        self.codec = codec
        # None: answers are stored unclassified (``jeugdstem nlu reclassify`` later).
        self.analyser = analyser
        self.buttons = ButtonCodec(codec)
        self.route = Route(survey)
        self.prompts = Prompts(survey, self.buttons, self.route)
        self.safeguarding = Safeguarding(survey, self.prompts)
        # A youth worker can take over only where a staff chat is set up to read along.
        self.handover = Handover(survey, self.prompts, staff_chat=staff_chat)
        # The network's offers (offers.yml): none unless a catalogue is given.
        self.offering = Offering(survey, catalogue or Catalogue(), self.buttons)
        self.rounds = Rounds(survey, self.buttons)
        # "Jullie zeiden, wij deden" (feedback.yml): for messages held until a round's end.
        self.feedback = feedback or FeedbackFile()
        self.feedback_messages = FeedbackMessages(survey, self.buttons)

    async def handle(self, incoming: Incoming) -> Response:
        """Handle one event in one transaction, retried if another worker raced us."""
        analysis = None
        if self.analyser is not None and isinstance(incoming.event, Text | Edit):
            # Before the transaction, so no row lock is held while the NLU thinks.
            analysis = await self.analyser.analyse(incoming.event.text)
        return await self.database.run_turn(
            lambda session: Turn(self, session, incoming, analysis).run()
        )


class Turn:
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
        self.prompts = engine.prompts
        self.route = engine.route
        self.session = session
        self.incoming = incoming
        self.analysis = analysis
        # The participant's rows, written back once at the end of the turn (TurnState.save).
        self.state = TurnState(participant=None)
        # The participant's open handover case: a youth worker reads along.
        self.case: Case | None = None
        self.case_turn = CaseTurn(self)

    @property
    def participant(self) -> ParticipantRow | None:
        """None when nothing may be stored: before consent, or erased."""
        return self.state.participant

    @property
    def conversation(self) -> ConversationRow | None:
        """None before consent."""
        return self.state.conversation

    @property
    def participation(self) -> ParticipationRow | None:
        return self.state.participation

    # -- the frame around every event -----------------------------------------------------

    def run(self) -> Response:
        incoming = self.incoming
        loaded = turn_state.load(self.session, incoming.pseudonym, incoming.update_id)
        if loaded is not None and loaded.participant is not None:
            if loaded.seen_update:
                return Response(duplicate=True)
            self.state = loaded
            if incoming.chat_id is not None:
                turn_state.update_chat_link(self.session, loaded, incoming.chat_id)
            # Whoever blocked the bot and writes again has unblocked it.
            loaded.participant.unreachable = False
            if self.conversation is not None and self.conversation.paused:
                # A case pauses the survey, so only a paused conversation can have one.
                self.case = cases.open_case_of(self.session, loaded.participant.id)

        event = incoming.event
        if self.case is not None and not self.consent_outdated:
            response = self.case_turn.in_case(event)
        elif isinstance(event, Text) and self.engine.safeguarding.asks_to_talk(event.text):
            # "Ik wil met iemand praten" typed instead of tapped: the same as the button.
            response = self.case_turn.talk(self.distress.kinds, CaseReason.CONCERN)
        elif isinstance(event, Text) and not self.distress and asks_for_a_person(event.text):
            response = self.case_turn.talk((), CaseReason.REQUEST)
        else:
            response = self.dispatch(event)
            if self.distress:
                self.answer_distress(response, self.distress)

        self.state.save(self.session)
        # self.participant is None when nothing may be stored (before consent, or erased).
        if self.participant is not None and incoming.update_id is not None:
            turn_state.mark_processed(self.session, incoming.update_id, self.participant.id)
        response.step = self.conversation.step if self.conversation is not None else None
        return response

    def dispatch(self, event: Event) -> Response:
        if self.consent_outdated and not self.allowed_without_consent(event):
            # The privacy text changed since they agreed: ask again before anything else.
            welcome = self.prompts.welcome(self.language, None)
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
            return event.name in _COMMANDS_WITHOUT_CONSENT
        if isinstance(event, Press):
            # Unverified on purpose: a forged one is refused by on_press like any other.
            return claimed_kind(event.data) in _BUTTONS_WITHOUT_CONSENT
        return isinstance(event, Edit | NonText)

    @property
    def distress(self) -> Distress:
        """What the distress check made of this event's text (false for no text)."""
        return self.analysis.distress if self.analysis is not None else Distress()

    def answer_distress(self, response: Response, distress: Distress) -> None:
        """Replace what the step would say by the helplines, or first by a check-in.

        The answer itself is stored as usual (and flagged); only the next question waits:
        nothing cheerful comes after a message like this until the young person says so.
        """
        active = self.pause_questions()
        response.distress = tuple(kind.value for kind in distress.kinds)
        response.distress_level = distress.level
        # Worry about a friend gets advice on helping, not "are you okay?".
        if distress.alarm or distress.kinds[:1] == (RiskKind.FRIEND,):
            response.alert_staff = distress.alarm
            replies = [self.helpline_reply(distress.kinds, foreign=distress.language is not None)]
            replies.append(self.engine.safeguarding.after_alarm(self.language, active=active))
            if distress.alarm and self.case_turn.may_offer:
                replies.append(
                    self.engine.handover.offer(CaseReason.ALARM, distress.kinds, self.language)
                )
        else:
            replies = [self.engine.safeguarding.check_in(distress, self.language, active=active)]
            if not active:
                # Before consent nothing is asked yet: the welcome may follow the kind word.
                replies += response.replies
        response.replies = replies

    def pause_questions(self) -> bool:
        """Pause the survey if one is going on; False when there is none (before consent, done)."""
        if not self.active or self.conversation is None:
            return False
        self.conversation.paused = True
        return True

    def helpline_reply(self, kinds: tuple[RiskKind, ...], *, foreign: bool = False) -> Reply:
        """The helplines for these kinds, in the participant's language, as of now."""
        return self.engine.safeguarding.helplines(
            kinds, self.language, self.engine.clock(), foreign=foreign
        )

    @property
    def prediction(self) -> Prediction | None:
        return self.analysis.prediction if self.analysis is not None else None

    def store_text(
        self, question_id: str, text: str, message_id: int | None, button_value: str | None = None
    ) -> None:
        """Store a typed answer with what the NLU made of it."""
        assert self.participation is not None
        prediction = self.prediction
        turn_state.add_answer(
            self.session,
            self.participation.id,
            question_id,
            text=text,
            button_value=button_value,
            message_id=message_id,
            classification=None
            if prediction is None
            else Classification(prediction.themes, prediction.scores, prediction.model_version),
            distress=None if self.analysis is None else bool(self.analysis.distress),
        )

    def note_analysis(self, answer: Answer) -> None:
        """Copy the prediction (if any) and the distress flag onto an edited answer."""
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
    def step(self) -> Step | None:
        """The step the conversation is on; None for one this version does not know."""
        assert self.conversation is not None
        return Step.parse(self.conversation.step)

    def step_is(self, kind: StepKind) -> bool:
        """Whether there is a conversation and its step is of this kind."""
        if self.conversation is None:
            return False
        step = self.step
        return step is not None and step.kind is kind

    def question_of(self, step: Step | None, kind: StepKind) -> Question | None:
        """The configured question a step of this kind is about, else None."""
        if step is None or step.kind is not kind or step.question_id is None:
            return None
        return self.survey.question(step.question_id)

    @property
    def active(self) -> bool:
        """In the middle of a participation (possibly paused)."""
        return self.conversation is not None and not self.step_is(StepKind.DONE)

    def current_prompt(self) -> Reply:
        """What the participant should see again for the step they are on."""
        assert self.conversation is not None
        step = self.step
        question = self.question_of(step, StepKind.QUESTION)
        if question is not None:
            return self.prompts.question_prompt(question, self.language, self.conversation.pending)
        for kind in (StepKind.CHECK, StepKind.PICK):
            question = self.question_of(step, kind)
            if question is None:
                continue
            answer = self.answer_being_confirmed(question)
            if answer is None:
                return self.move_to(self.route.after(question))
            if kind is StepKind.CHECK:
                return self.prompts.themes_check_prompt(
                    question, answer.themes or (), self.language
                )
            offered = self.prompts.themes_offered(answer.theme_scores)
            return self.prompts.themes_pick_prompt(
                question, offered, self.conversation.pending, self.language
            )
        if step is not None and step.kind is StepKind.SAY_MORE:
            return Reply(self.text("feedback_say_more"))
        # The opt-in, and a step this version does not know: the end of the questions.
        return self.prompts.opt_in_prompt(self.language)

    def confirming(self) -> tuple[StepKind, Question] | None:
        """(CHECK or PICK, the question) when the step confirms an answer's themes."""
        step = self.step
        for kind in (StepKind.CHECK, StepKind.PICK):
            question = self.question_of(step, kind)
            if question is not None:
                return kind, question
        return None

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
            return self.move_to(self.route.after(question))
        if prediction.themes and prediction.best_score >= settings.confident:
            return self.move_to(Step(StepKind.CHECK, question.id))
        if prediction.themes or prediction.best_score >= settings.ask_from:
            return self.move_to(Step(StepKind.PICK, question.id))
        # Nothing recognisable ("idk", an emoji): no theme to confirm.
        return self.move_to(self.route.after(question))

    def offers_for(self, themes: Sequence[str]) -> list[Reply]:
        """Offers that lift these confirmed themes, stored as shown: none when it is no moment.

        Never after distress in this round, while the questions are paused or while a
        youth worker reads along: an offer then would read as not having listened.
        """
        if (
            not themes
            or not self.engine.offering.catalogue.offers
            or self.participant is None
            or self.participation is None
            or self.conversation is None
            or self.conversation.paused
            or self.case is not None
            or self.distress
            or repo.distress_in(self.session, self.participation.id)
        ):
            return []
        chosen = self.engine.offering.choose(
            list(themes),
            age_band=self.participation.age_band,
            area=self.participation.area,
            moment=self.engine.clock(),
            already_shown=offers.shown_to(self.session, self.participant.id),
        )
        if not chosen:
            return []
        offers.record_shown(
            self.session,
            self.participant.id,
            [(offer.id, [theme for theme in themes if theme in offer.themes]) for offer in chosen],
        )
        return [self.engine.offering.reply(chosen, self.language)]

    def move_to(self, step: Step) -> Reply:
        """Advance the conversation and return the prompt of the new step.

        Profile questions already answered in an earlier round are passed over.
        """
        assert self.conversation is not None and self.participation is not None
        question = self.question_of(step, StepKind.QUESTION)
        while question is not None and self.profile_known(question):
            step = self.route.after(question)
            question = self.question_of(step, StepKind.QUESTION)
        self.conversation.step = str(step)
        self.conversation.pending = []
        if step.kind is StepKind.OPT_IN and self.participation.finished_at is None:
            self.participation.finished_at = utcnow()
        return self.current_prompt()

    def profile_known(self, question: Question) -> bool:
        """Whether this participation already holds what a profile question asks."""
        assert self.participation is not None
        if question.type == "age_band":
            return self.participation.age_band is not None
        if question.profile == "area":
            return self.participation.area is not None
        return False

    def join_round(self, round_id: str) -> Response:
        """Begin a follow-up round for someone who took part before, without the profile."""
        if self.participant is None:
            return self.stale()
        if self.survey.round(round_id) is None:
            return self.invalid()
        if self.case is not None:
            # A youth worker reads along: no questions until that conversation ends.
            return Response([Reply(self.text("handover_already_open"))])
        round_ = self.engine.rounds.open_round(round_id, self.engine.clock())
        if round_ is None:
            return Response([Reply(self.text("round_closed"))])
        if self.active:
            return Response([Reply(self.text("round_busy")), self.where_they_are()])
        if repo.took_round(self.session, self.participant.id, round_id):
            return Response([Reply(self.text("round_already_done"))])
        first = self.route.first(round_id)
        turn_state.start_participation(
            self.session,
            self.state,
            source=None,
            language=self.language,
            first_step=str(first),
            round_id=round_id,
            carry_profile=True,
        )
        # The invitation they answered is done with, however it reached them.
        outbox.settle_round(self.session, self.participant.id, round_id)
        welcome = Reply(self.text("round_joined_known", title=round_.title[self.language]))
        return Response([welcome, self.move_to(first)])

    def stop_messages(self) -> Response:
        """/geenberichten or Geen berichten meer: no message sent first will reach them again."""
        if self.participant is not None:
            self.participant.notify_opt_in = False
            outbox.cancel_for(self.session, self.participant.id)
        return Response([Reply(self.text("no_more_messages"))])

    def waiting_messages(self) -> list[Reply]:
        """Messages held while they were busy with a round (or saying more), now it is done."""
        assert self.participant is not None
        replies: list[Reply] = []
        for message in outbox.waiting_for(self.session, self.participant.id):
            reply = self.held_message(message) if self.participant.notify_opt_in else None
            outbox.mark(
                self.session,
                message.id,
                OutboxStatus.SENT if reply is not None else OutboxStatus.CANCELLED,
            )
            if reply is not None:
                replies.append(reply)
        return replies

    def held_message(self, message: OutboxMessage) -> Reply | None:
        """The held message as it reads now; None when it no longer applies."""
        assert self.participant is not None
        if message.kind == OutboxKind.ROUND:
            round_ = self.engine.rounds.open_round(message.subject, self.engine.clock())
            if round_ is None or repo.took_round(self.session, self.participant.id, round_.id):
                return None
            return self.engine.rounds.invitation(round_, self.language)
        subject = FeedbackSubject.parse(message.subject)
        feedback = self.engine.feedback.of(subject.theme) if subject is not None else None
        if subject is None or feedback is None or feedback.status is not subject.status:
            return None  # staff changed or removed it since: the new status is a new send
        return self.engine.feedback_messages.message(subject.theme, feedback, self.language)

    def say_more(self, theme: str, text: str, message_id: int | None) -> Response:
        """Their own words on the feedback about a theme: stored as an answer, then done."""
        assert self.conversation is not None
        self.store_text(f"{SAY_MORE_PREFIX}{theme}", text, message_id)
        self.conversation.step = str(Step(StepKind.DONE))
        return Response([Reply(self.text("feedback_said_more")), *self.waiting_messages()])

    # -- events ---------------------------------------------------------------------------

    def on_start(self, code: str | None) -> Response:
        """/start: welcome a newcomer, begin a round a link names, or pick up where they were."""
        start = StartCode.parse(code)
        if not self.active:
            follow_up = self.survey.round(start.round_id) if start.round_id else None
            if follow_up is not None and self.participant is not None:
                # Someone who took part before: straight into the round (consent stands).
                return self.join_round(follow_up.id)
            # Newcomers begin with the first round, whatever round the link names.
            source = self.survey.source(start.source)
            return Response([self.prompts.welcome(self.language, source.id if source else None)])
        assert self.conversation is not None
        self.conversation.paused = False
        return Response([Reply(self.text("resumed")), self.current_prompt()])

    def on_command(self, name: str) -> Response:
        """/help, /privacy, /language, /stop, /mydata, /delete and unknown commands."""
        if name == "help":
            return Response([Reply(self.text("help"))])
        if name == "privacy":
            return Response([Reply(self.text("privacy"))])
        if name == "language":
            row = self.prompts.language_row(NO_SOURCE)
            return Response([Reply(self.text("language_prompt"), (row,))])
        if name == "stop":
            if not self.active:
                return Response([Reply(self.text("nothing_to_stop"))])
            assert self.conversation is not None
            self.conversation.paused = True
            return Response([Reply(self.text("paused"))])
        if name in TALK_COMMANDS:
            return self.case_turn.talk((), CaseReason.REQUEST)
        if name == "mydata":
            return self.my_data()
        if name == "geenberichten":
            return self.stop_messages()
        if name == "delete":
            if self.participant is None:
                return Response([Reply(self.text("nothing_to_delete"))])
            return Response([self.prompts.delete_prompt(self.language)])
        return Response([Reply(self.text("unknown_command"))])

    def my_data(self) -> Response:
        """Everything stored about the participant, as a JSON document in one or more messages."""
        if self.participant is None:
            return Response([Reply(self.text("mydata_nothing"))])
        self.state.save(self.session)  # what they see includes this turn's changes
        pieces = mydata_pieces(self.session, self.participant.id)
        return Response([Reply(self.text("mydata_intro")), *(Reply(p) for p in pieces)])

    def where_they_are(self) -> Reply:
        """What to show again: the welcome, the pause reminder or the current step."""
        if not self.active:
            return self.prompts.welcome(self.language, None)
        assert self.conversation is not None
        if self.conversation.paused:
            return self.prompts.paused_reminder(self.language)
        return self.current_prompt()

    def on_text(self, text: str, message_id: int | None) -> Response:
        """Free text: an answer in the person's own words, or explained, never lost."""
        if self.analysis is not None and self.analysis.insult and not self.distress:
            # Aimed at the bot, not an answer: a calm word and the question again.
            return Response([Reply(self.text("calm")), self.where_they_are()])
        if self.conversation is None or self.participation is None:
            # Before consent nothing may be stored: show the welcome instead.
            return Response([self.prompts.welcome(self.language, None)])
        if self.conversation.paused:
            return Response([self.where_they_are()])
        step = self.step
        if step is not None and step.kind is StepKind.SAY_MORE and step.theme is not None:
            return self.say_more(step.theme, text, message_id)
        confirming = self.confirming()
        if confirming is not None:
            return self.text_while_confirming(*confirming, text, message_id)
        question = self.question_of(self.step, StepKind.QUESTION)
        if question is None:
            self.store_text(EXTRA, text, message_id)
            if self.step_is(StepKind.OPT_IN):
                return Response([self.current_prompt()])
            return Response([Reply(self.text("noted_extra"))])

        if question.type == "open":
            self.store_text(question.id, text, message_id)
            return Response([self.after_open_answer(question)])
        if question.type == "multi_choice" and question.allow_text:
            ticked = ",".join(self.conversation.pending) or None
            self.store_text(question.id, text, message_id, button_value=ticked)
            return Response([self.move_to(self.route.after(question))])

        option_id = self.prompts.match_option(question, text)
        if option_id is not None and question.type != "multi_choice":
            return self.choose(question, option_id, text=text, message_id=message_id)
        # A button was expected: keep the words, explain, and ask again.
        self.store_text(question.id, text, message_id)
        return Response([Reply(self.text("choose_a_button")), self.current_prompt()])

    def text_while_confirming(
        self, kind: StepKind, question: Question, text: str, message_id: int | None
    ) -> Response:
        """Typed "ja"/"nee" answers Klopt dat?; other words are kept with the answer."""
        typed = fold_words(text)
        if kind is StepKind.CHECK and typed in _YES:
            return self.press_themes_check(question.id, "yes")
        if kind is StepKind.CHECK and typed in _NO:
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
        latest.button_value = self.prompts.match_option(question, text)
        if latest.button_value is not None and not self.apply_profile(
            question, latest.button_value
        ):
            return Response([self.prompts.age_gate_confirm(latest.button_value, self.language)])
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
            replies.append(self.prompts.welcome(self.language, None))
        return Response(replies)

    def on_press(self, data: str) -> Response:
        """A button press: verified, checked against the current step, then applied."""
        press = self.engine.buttons.decode(data)
        if press is None:
            # Not ours, or signed by us with another shape: an older bot version.
            return self.invalid()
        handlers: dict[ButtonKind, Callable[..., Response]] = {
            ButtonKind.CONSENT: self.press_consent,
            ButtonKind.LANGUAGE: self.press_language,
            ButtonKind.ANSWER: self.press_answer,
            ButtonKind.TICK_OPTION: self.press_toggle,
            ButtonKind.OPTIONS_DONE: self.press_done,
            ButtonKind.SKIP: self.press_skip,
            ButtonKind.OPT_IN: self.press_opt_in,
            ButtonKind.RESUME: self.press_resume,
            ButtonKind.DELETE: self.press_delete,
            ButtonKind.THEMES_CHECK: self.press_themes_check,
            ButtonKind.TICK_THEME: self.press_theme_toggle,
            ButtonKind.THEMES_PICKED: self.press_themes_picked,
            ButtonKind.TALK: self.press_talk,
            ButtonKind.AGE_CONFIRM: self.press_age_confirm,
            ButtonKind.HANDOVER: self.case_turn.press_handover,
            ButtonKind.OFFER: self.press_offer,
            ButtonKind.JOIN_ROUND: self.join_round,
            ButtonKind.NO_MORE_MESSAGES: self.stop_messages,
            ButtonKind.FEEDBACK: self.press_feedback,
        }
        handler = handlers.get(press.kind)
        if handler is None:
            # A staff chat's button pressed in a private chat: not for young people.
            return self.invalid()
        return handler(*press.args)

    def stale(self) -> Response:
        return Response(notice=self.text("stale_button"))

    def invalid(self) -> Response:
        return Response(notice=self.text("invalid_button"))

    def asked(self, question_id: str) -> Question | None:
        """The question if it is the one being asked right now, else None (a stale button)."""
        if self.conversation is None or self.conversation.paused:
            return None
        question = self.question_of(self.step, StepKind.QUESTION)
        return question if question is not None and question.id == question_id else None

    def press_consent(self, choice: str, language: str, code: str, version: str) -> Response:
        if self.active and not self.consent_outdated:
            return self.stale()
        if language not in self.survey.languages:
            return self.invalid()
        if version != self.survey.privacy.version:
            # A welcome from before the privacy text changed: agree to the text as it is now.
            welcome = self.prompts.welcome(language, code if code != NO_SOURCE else None)
            return Response([Reply(self.text("consent_again")), welcome], origin=welcome)
        welcome_text = self.survey.text("welcome", language)
        if choice == "no":
            # Someone who took part before keeps their earlier answers: say so honestly.
            key = "declined" if self.participant is None else "declined_known"
            return Response([Reply(self.survey.text(key, language))], origin=Reply(welcome_text))
        if choice != "yes":
            return self.invalid()
        participant = self.participant
        if participant is None:
            participant = turn_state.create_participant(
                self.session, self.incoming.pseudonym, language, self.incoming.chat_id
            )
            self.state.participant = participant
        participant.language = language
        outdated = self.consent_outdated
        participant.consent_version = self.survey.privacy.version
        participant.consented_at = utcnow()
        if self.case is not None:
            # Consent renewed while a youth worker reads along: that conversation goes on.
            return Response([Reply(self.text("handover_already_open"))], origin=Reply(welcome_text))
        if self.active and outdated:
            # Consent renewed mid-survey: carry on where they were, as /start would.
            assert self.conversation is not None
            self.conversation.paused = False
            return Response([self.current_prompt()], origin=Reply(welcome_text))
        source = self.survey.source(StartCode.parse(code).source)
        turn_state.start_participation(
            self.session,
            self.state,
            source=source.id if source else None,
            language=language,
            first_step=str(self.route.first()),
            round_id=self.survey.first_round.id,
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
            return Response(
                origin=self.prompts.welcome(language, code if code != NO_SOURCE else None)
            )
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
            return Response([self.prompts.age_gate_confirm(option_id, self.language)])
        turn_state.add_answer(
            self.session,
            self.participation.id,
            question.id,
            text=text,
            button_value=option_id,
            message_id=message_id,
        )
        return Response([self.move_to(self.route.after(question))])

    def age_gate(self) -> Response:
        """Too young to consent alone: thank them and keep nothing at all."""
        reply = Reply(self.text("age_gate", minimum_age=self.survey.privacy.minimum_age))
        self.erase_participant()
        return Response([reply])

    def press_age_confirm(self, band_id: str, choice: str) -> Response:
        """Under the minimum age after all? Yes erases everything; no asks the age again."""
        if self.participant is None:
            return self.stale()
        if choice not in ("yes", "no"):
            return self.invalid()
        asked = self.prompts.age_gate_confirm(band_id, self.language)
        label = self.text(f"button_age_young_{choice}")
        origin = Reply(f"{asked.text}\n→ {label}")
        if choice == "yes":
            response = self.age_gate()
            response.origin = origin
            return response
        return Response([self.where_they_are()], origin=origin)

    def erase_participant(self) -> None:
        """Delete every row about this participant, in this transaction."""
        assert self.participant is not None
        repo.delete_participant(self.session, self.participant.id)
        # The rows are gone; nothing loaded about them may be flushed back.
        self.session.expunge_all()
        self.state = TurnState(participant=None)

    def press_answer(self, question_id: str, option_id: str) -> Response:
        question = self.asked(question_id)
        if question is None:
            return self.stale()
        label = self.prompts.option_label(question, option_id, self.language)
        if label is None or question.type == "multi_choice":
            return self.invalid()
        response = self.choose(question, option_id)
        response.origin = self.prompts.answered(question, self.language, label)
        return response

    def confirming_now(self, kind: StepKind, question_id: str) -> Question | None:
        """The question if its themes are being confirmed in this way right now."""
        if self.conversation is None or self.conversation.paused:
            return None
        if self.step != Step(kind, question_id):
            return None
        return self.survey.question(question_id)

    def press_themes_check(self, question_id: str, choice: str) -> Response:
        """Klopt: the predicted themes are confirmed. Niet helemaal: let them pick."""
        question = self.confirming_now(StepKind.CHECK, question_id)
        if question is None:
            return self.stale()
        if choice not in ("yes", "no"):
            return self.invalid()
        answer = self.answer_being_confirmed(question)
        shown = self.prompts.themes_check_prompt(
            question, answer.themes or () if answer else (), self.language
        )
        label = self.text("button_themes_right" if choice == "yes" else "button_themes_wrong")
        origin = Reply(f"{shown.text}\n→ {label}")
        if choice == "no":
            return Response([self.move_to(Step(StepKind.PICK, question.id))], origin=origin)
        confirmed = (answer.themes or []) if answer is not None else []
        if answer is not None:
            repo.confirm_themes(answer, confirmed)
        after = self.move_to(self.route.after(question))
        return Response([*self.offers_for(confirmed), after], origin=origin)

    def press_theme_toggle(self, question_id: str, theme_id: str) -> Response:
        """Tick or untick one offered theme."""
        question = self.confirming_now(StepKind.PICK, question_id)
        if question is None or self.conversation is None:
            return self.stale()
        answer = self.answer_being_confirmed(question)
        offered = self.prompts.themes_offered(answer.theme_scores if answer else None)
        if theme_id not in offered:
            return self.invalid()
        ticked = self.toggle_pending(theme_id)
        return Response(
            origin=self.prompts.themes_pick_prompt(question, offered, ticked, self.language)
        )

    def press_themes_picked(self, question_id: str) -> Response:
        """Klaar: store the ticked themes (possibly none) and go on."""
        question = self.confirming_now(StepKind.PICK, question_id)
        if question is None or self.conversation is None:
            return self.stale()
        ticked = list(self.conversation.pending)
        answer = self.answer_being_confirmed(question)
        if answer is not None:
            repo.confirm_themes(answer, ticked)
        chosen = ", ".join(self.prompts.theme_words(t, self.language) for t in ticked) or "—"
        origin = Reply(f"{self.text('themes_pick')}\n→ {chosen}")
        after = self.move_to(self.route.after(question))
        return Response([*self.offers_for(ticked), after], origin=origin)

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
        return Response(origin=self.prompts.question_prompt(question, self.language, ticked))

    def press_done(self, question_id: str) -> Response:
        question = self.asked(question_id)
        if question is None or self.conversation is None or self.participation is None:
            return self.stale()
        if question.type != "multi_choice":
            return self.invalid()
        ticked = list(self.conversation.pending)
        labels = {o.id: o.label[self.language] for o in question.options}
        turn_state.add_answer(
            self.session,
            self.participation.id,
            question.id,
            button_value=",".join(ticked) or None,
            skipped=not ticked,
        )
        chosen = ", ".join(labels[t] for t in ticked) or self.text("button_skip")
        return Response(
            [self.move_to(self.route.after(question))],
            origin=self.prompts.answered(question, self.language, chosen),
        )

    def press_skip(self, question_id: str) -> Response:
        question = self.asked(question_id)
        if question is None or self.participation is None:
            return self.stale()
        if not question.skippable:
            return self.invalid()
        turn_state.add_answer(self.session, self.participation.id, question.id, skipped=True)
        return Response(
            [self.move_to(self.route.after(question))],
            origin=self.prompts.answered(question, self.language, self.text("button_skip")),
        )

    def press_opt_in(self, choice: str) -> Response:
        if (
            self.conversation is None
            or not self.step_is(StepKind.OPT_IN)
            or self.participant is None
        ):
            return self.stale()
        if choice not in ("yes", "no"):
            return self.invalid()
        self.participant.notify_opt_in = choice == "yes"
        self.conversation.step = str(Step(StepKind.DONE))
        # The end of the round: offers for every theme confirmed on the way not yet answered.
        confirmed = (
            repo.confirmed_themes_in(self.session, self.participation.id)
            if self.participation is not None and self.engine.offering.catalogue.offers
            else []
        )
        return Response(
            [
                Reply(self.text(f"opt_in_{choice}")),
                *self.offers_for(confirmed),
                *self.waiting_messages(),
            ],
            origin=Reply(self.text("thanks")),
        )

    def press_resume(self) -> Response:
        if not self.active or self.conversation is None or not self.conversation.paused:
            return self.stale()
        self.conversation.paused = False
        return Response([Reply(self.text("resumed")), self.current_prompt()])

    def press_talk(self, kind: str) -> Response:
        """After a check-in: the helplines for the kind that was heard, and staff are told."""
        kinds = (RiskKind(kind),) if kind in _RISK_KINDS else ()  # "-": a vague concern
        response = self.case_turn.talk(kinds, CaseReason.CONCERN)
        response.origin = Reply(self.text("distress_check_in"))
        return response

    def press_offer(self, offer_id: str) -> Response:
        """Interessant under an offer: stored once, whatever step they are at."""
        if self.participant is None:
            return self.stale()
        if self.engine.offering.catalogue.offer(offer_id) is None:
            # Taken out of offers.yml since it was shown.
            return self.stale()
        if offers.record_tap(self.session, self.participant.id, offer_id) is None:
            return self.invalid()
        return Response(notice=self.text("offer_tapped"))

    def press_feedback(self, theme: str, status_key: str, reaction_value: str) -> Response:
        """A reaction to the network's feedback on a theme; "say more" waits for their words."""
        if self.participant is None or self.conversation is None:
            return self.stale()
        status = status_of_key(status_key)
        reaction = next((r for r in Reaction if r.value == reaction_value), None)
        if status is None or reaction is None or self.survey.theme(theme) is None:
            return self.invalid()
        reactions.record_reaction(self.session, self.participant.id, theme, status.key, reaction)
        if reaction is not Reaction.SAY_MORE:
            return Response(notice=self.text("feedback_noted"))
        if self.case is not None:
            # Their words go to the youth worker reading along, not to the feedback.
            return Response([Reply(self.text("handover_already_open"))])
        if self.active:
            # In the middle of questions: their next words belong to those.
            return Response([Reply(self.text("round_busy")), self.where_they_are()])
        self.conversation.step = str(Step(StepKind.SAY_MORE, theme=theme))
        return Response([Reply(self.text("feedback_say_more"))])

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
        handoff = self.case_turn.erased()
        self.erase_participant()
        return Response(
            [Reply(self.survey.text("deleted", language))],
            origin=Reply(self.survey.text("delete_confirm", language)),
            handoff=handoff,
        )
