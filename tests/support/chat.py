"""One participant talking to the survey engine in process, and what the tests read back.

``Chat`` drives ``SurveyEngine.handle`` and checks every response against
Telegram's limits (4096 characters per message, 64 bytes of button data);
texts come from config.yml via ``survey.text``.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import func, select

from bot.engine import (
    Button,
    Command,
    Event,
    Incoming,
    Press,
    Reply,
    Response,
    Start,
    SurveyEngine,
    Text,
)
from storage import (
    Answer,
    Base,
    Case,
    Conversation,
    Database,
    Participant,
    Participation,
    cases,
    feedback,
    offers,
    outbox,
)
from storage import repository as repo
from storage.models import CaseReason, OutboxKind, Reaction, Sender, utcnow
from survey.config import Survey

PSEUDONYM = "pseudonym-of-participant-1"
OTHER = "pseudonym-of-participant-2"
CHAT_ID = 4242
TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_DATA_LIMIT = 64

# Update ids are unique per test run, like a channel's are.
_update_ids = itertools.count(10_000)


def next_update_id() -> int:
    return next(_update_ids)


# ---------------------------------------------------------------------------
# Responses and buttons


def keyboards(response: Response) -> list[tuple[tuple[Button, ...], ...]]:
    """Every keyboard in a response, the newest reply first, the edited origin last."""
    found = [reply.buttons for reply in reversed(response.replies)]
    if response.origin is not None:
        found.append(response.origin.buttons)
    return found


def button_labels(response: Response) -> list[str]:
    return [button.label for keyboard in keyboards(response) for row in keyboard for button in row]


def find_button(response: Response, label: str) -> Button:
    """The button with this label in a response (replies newest first, then origin)."""
    for keyboard in keyboards(response):
        for row in keyboard:
            for button in row:
                if button.label == label:
                    return button
    raise AssertionError(f"no button {label!r} among {button_labels(response)}")


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def check_limits(response: Response) -> None:
    """Every text fits one Telegram message and every button's data fits 64 bytes."""
    replies = list(response.replies)
    if response.origin is not None:
        replies.append(response.origin)
    for reply in replies:
        assert reply.text, "an empty message cannot be sent"
        assert utf16_length(reply.text) <= TELEGRAM_TEXT_LIMIT, reply.text[:80]
        for row in reply.buttons:
            for button in row:
                assert button.label
                assert len(button.data.encode("utf-8")) <= TELEGRAM_DATA_LIMIT, button.data
    if response.notice is not None:
        # answerCallbackQuery text is limited to 200 characters.
        assert 0 < len(response.notice) <= 200


class Chat:
    """One participant talking to the engine; every response is checked against the limits."""

    def __init__(
        self, engine: SurveyEngine, pseudonym: str = PSEUDONYM, chat_id: int | None = CHAT_ID
    ) -> None:
        self.engine = engine
        self.pseudonym = pseudonym
        self.chat_id = chat_id
        self.last = Response()
        self.seen: list[Response] = []

    async def send(self, event: Event, *, update_id: int | None = None) -> Response:
        response = await self.engine.handle(
            Incoming(self.pseudonym, event, chat_id=self.chat_id, update_id=update_id)
        )
        check_limits(response)
        self.seen.append(response)
        self.last = response
        return response

    async def press(
        self, label: str, response: Response | None = None, *, update_id: int | None = None
    ) -> Response:
        """Press the button with this label in a response (by default the latest one)."""
        button = find_button(response if response is not None else self.last, label)
        return await self.send(Press(button.data), update_id=update_id)

    async def text(
        self, text: str, message_id: int | None = None, *, update_id: int | None = None
    ) -> Response:
        return await self.send(Text(text, message_id), update_id=update_id)

    async def command(self, name: str) -> Response:
        """A /command other than /start, by its name without the slash."""
        return await self.send(Command(name))


async def press(
    chat: Chat, response: Response, label: str, *, update_id: int | None = None
) -> Response:
    """Find a button by label in a response and press it."""
    return await chat.press(label, response, update_id=update_id)


# ---------------------------------------------------------------------------
# Texts from config.yml


def t(survey: Survey, key: str, language: str = "nl", **values: object) -> str:
    return survey.text(key, language, **values)


def option_label(survey: Survey, question_id: str, option_id: str, language: str = "nl") -> str:
    question = survey.question(question_id)
    assert question is not None
    return next(o.label[language] for o in question.options if o.id == option_id)


def band_label(survey: Survey, band_id: str, language: str = "nl") -> str:
    return next(b.label[language] for b in survey.age_bands if b.id == band_id)


def prompt_text(survey: Survey, question_id: str, language: str = "nl") -> str:
    """The text of a question prompt: progress, then the question."""
    ids = [q.id for q in survey.questions]
    question = survey.question(question_id)
    assert question is not None
    progress = t(survey, "progress", language, number=ids.index(question_id) + 1, total=len(ids))
    return f"{progress} {question.text[language]}"


def welcome_labels(survey: Survey, language: str) -> list[str]:
    return [
        t(survey, "button_consent_yes", language),
        t(survey, "button_consent_no", language),
        *(survey.language_names[lang] for lang in survey.languages),
    ]


def assert_prompt(survey: Survey, reply: Reply, question_id: str, language: str = "nl") -> None:
    """A reply is the prompt of this question, with its buttons in this language."""
    assert reply.text == prompt_text(survey, question_id, language)
    question = survey.question(question_id)
    assert question is not None
    labels = [button.label for row in reply.buttons for button in row]
    if question.type == "age_band":
        expected = [band.label[language] for band in survey.age_bands]
    else:
        expected = [option.label[language] for option in question.options]
    if question.type == "multi_choice":
        expected.append(t(survey, "button_done", language))
    if question.skippable:
        expected.append(t(survey, "button_skip", language))
    assert [label.removeprefix("✅ ") for label in labels] == expected


# ---------------------------------------------------------------------------
# The database


AnswerRow = tuple[str, str | None, str | None, bool]


async def answer_rows(database: Database, pseudonym: str = PSEUDONYM) -> list[AnswerRow]:
    """(question id, button value, text, skipped) of every answer, in order."""
    with database.transaction() as session:
        answers = repo.answers_of(session, pseudonym)
        return [(a.question_id, a.button_value, a.text, a.skipped) for a in answers]


async def open_answers(database: Database, question_id: str) -> list[Answer]:
    """The stored answers of the participant to one question, in order."""
    with database.transaction() as session:
        return [a for a in repo.answers_of(session, PSEUDONYM) if a.question_id == question_id]


async def participations(database: Database, pseudonym: str = PSEUDONYM) -> list[Participation]:
    with database.transaction() as session:
        return repo.participations_of(session, pseudonym)


async def latest_participation(database: Database, pseudonym: str = PSEUDONYM) -> Participation:
    found = await participations(database, pseudonym)
    assert found, "no participation stored"
    return found[-1]


async def participant(database: Database, pseudonym: str = PSEUDONYM) -> Participant | None:
    with database.transaction() as session:
        return repo.find_participant(session, pseudonym)


async def conversation(database: Database, pseudonym: str = PSEUDONYM) -> Conversation:
    with database.transaction() as session:
        found = repo.find_participant(session, pseudonym)
        assert found is not None, "no participant stored"
        state = repo.get_conversation(session, found.id)
        assert state is not None, "no conversation stored"
        return state


async def table_counts(database: Database) -> dict[str, int]:
    """Rows in every table the models define."""
    with database.transaction() as session:
        counts: dict[str, int] = {}
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(
                session.execute(select(func.count()).select_from(table)).scalar_one()
            )
        return counts


async def assert_all_tables_empty(database: Database) -> None:
    counts = await table_counts(database)
    assert set(counts) >= {
        "participants",
        "chat_links",
        "participations",
        "conversations",
        "answers",
        "processed_updates",
    }
    assert counts == dict.fromkeys(counts, 0)


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show an event changed nothing."""
    with database.transaction() as session:
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in session.execute(query).all()]
        return rows


async def rows_about(
    database: Database, participant_id: int, participation_ids: set[int]
) -> dict[str, int]:
    """How many rows of each table belong to one participant."""
    counts: dict[str, int] = {}
    with database.transaction() as session:
        case_ids = set(
            session.execute(select(Case.id).where(Case.participant_id == participant_id)).scalars()
        )
        for table in Base.metadata.sorted_tables:
            found = 0
            for row in session.execute(select(table)).mappings():
                if (
                    (table.name == "participants" and row["id"] == participant_id)
                    or (table.name == "participations" and row["id"] in participation_ids)
                    or row.get("participant_id") == participant_id
                    or row.get("participation_id") in participation_ids
                    or (table.name == "case_messages" and row["case_id"] in case_ids)
                ):
                    found += 1
            counts[table.name] = found
    return counts


async def give_a_case(database: Database, pseudonym: str = PSEUDONYM, words: str = "") -> None:
    """A handover case with one message for a participant, stored directly (erasure tests)."""
    with database.transaction() as session:
        found = repo.find_participant(session, pseudonym)
        assert found is not None
        case = cases.open_case(
            session,
            found.id,
            CaseReason.REQUEST,
            [],
            age_band=None,
            source=None,
            out_of_hours=False,
        )
        cases.add_message(
            session, case, Sender.YOUNG, text=words or "een bericht aan de jeugdwerker"
        )


async def give_an_offer(database: Database, pseudonym: str = PSEUDONYM) -> None:
    """An offer shown and tapped, stored directly (erasure tests)."""
    with database.transaction() as session:
        found = repo.find_participant(session, pseudonym)
        assert found is not None
        offers.record_shown(session, found.id, [("voorbeeld-kansentarief", ["cost"])])
        offers.record_tap(session, found.id, "voorbeeld-kansentarief")


async def give_a_sent_message(database: Database, pseudonym: str = PSEUDONYM) -> None:
    """An invitation in the outbox and a reaction to feedback, stored directly (erasure tests)."""
    with database.transaction() as session:
        found = repo.find_participant(session, pseudonym)
        assert found is not None
        outbox.enqueue(session, OutboxKind.ROUND, "opvolging", [(found.id, utcnow())])
        feedback.record_reaction(session, found.id, "transport", "done", Reaction.HELPS)


# ---------------------------------------------------------------------------
# Walking through the survey


async def consent(
    chat: Chat, survey: Survey, *, code: str | None = None, language: str = "nl"
) -> Response:
    """/start (with a code) and "Ik doe mee": the first question is asked."""
    welcome = await chat.send(Start(code))
    if language != survey.default_language:
        welcome = await chat.press(survey.language_names[language], welcome)
    response = await chat.press(t(survey, "button_consent_yes", language), welcome)
    assert response.step == f"q:{survey.questions[0].id}"
    return response


async def answer_current(chat: Chat, survey: Survey, language: str = "nl") -> Response:
    """Give a plausible answer to the question being asked."""
    step = chat.last.step
    assert step is not None
    assert step.startswith("q:"), step
    question_id = step[2:]
    if question_id == "age":
        return await chat.press(band_label(survey, "16-18", language))
    if question_id == "area":
        return await chat.press(option_label(survey, "area", "overleie", language))
    if question_id == "free-time":
        await chat.press(option_label(survey, "free-time", "sport", language))
        return await chat.press(t(survey, "button_done", language))
    question = survey.question(question_id)
    assert question is not None
    if question.type == "single_choice":
        return await chat.press(question.options[0].label[language])
    return await chat.text(f"antwoord op {question_id}")


async def advance_to(chat: Chat, survey: Survey, step: str, language: str = "nl") -> Response:
    """Answer questions until the conversation is at this step."""
    for _ in range(len(survey.questions) + 1):
        if chat.last.step == step:
            return chat.last
        await answer_current(chat, survey, language)
    raise AssertionError(f"never reached {step}, stuck at {chat.last.step}")
