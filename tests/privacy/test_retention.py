"""Retention: old answer texts keep only their redacted form, dormant chat links are dropped.

Answers are stored through the engine, then made old by moving ``created_at``
and ``last_seen_at`` back with SQL updates. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

import privacy.retention
from bot.engine import Command, Start, SurveyEngine
from privacy.retention import RetentionResult, apply_retention
from storage import Answer, ChatLink, Database, cases
from storage import repository as repo
from storage import state as turn_state
from storage.models import CaseReason, Sender, utcnow
from survey.config import Survey
from tests.support.chat import Chat, advance_to, snapshot, t

ANNA, BILAL, CAS = "pseudonym-anna", "pseudonym-bilal", "pseudonym-cas"
CHATS = {ANNA: 1001, BILAL: 1002, CAS: 1003}

ANNA_WORDS = ["bel me op 0470 12 34 56", "mail lisa.peeters@gmail.com", "te duur"]
ANNA_REDACTED = ["bel me op [telefoon]", "mail [e-mail]", "te duur"]
BILAL_WORDS = ["bel me op 0470 99 88 77", "geen tijd", "een busje"]
CAS_WORDS = ["mijn nummer is 0470 11 22 33", "cas.devos@hotmail.com", "niks"]

AnswerState = tuple[str, str | None, bool]


async def take_part(engine: SurveyEngine, survey: Survey, pseudonym: str, words: list[str]) -> Chat:
    """Consent, the profile by buttons, and the three open questions in these words."""
    chat = Chat(engine, pseudonym=pseudonym, chat_id=CHATS[pseudonym])
    welcome = await chat.send(Start("bolwerk"))
    await chat.press(t(survey, "button_consent_yes"), welcome)
    await advance_to(chat, survey, "q:holds-back")
    for text in words:
        await chat.text(text)
    assert chat.last.step == "opt_in"
    return chat


async def answers(database: Database, pseudonym: str) -> list[AnswerState]:
    """(question, text, redacted) of every answer with text, in order."""
    with database.transaction() as session:
        return [
            (a.question_id, a.text, a.redacted_at is not None)
            for a in repo.answers_of(session, pseudonym)
            if a.text is not None
        ]


async def age_answers(database: Database, pseudonym: str, days: int) -> None:
    """Move every answer of a participant ``days`` into the past."""
    with database.transaction() as session:
        ids = [a.id for a in repo.answers_of(session, pseudonym)]
        session.execute(
            update(Answer)
            .where(Answer.id.in_(ids))
            .values(created_at=utcnow() - timedelta(days=days))
        )


async def age_chat_link(database: Database, pseudonym: str, days: int) -> None:
    """Pretend the participant last wrote ``days`` ago."""
    with database.transaction() as session:
        found = repo.find_participant(session, pseudonym)
        assert found is not None
        session.execute(
            update(ChatLink)
            .where(ChatLink.participant_id == found.id)
            .values(last_seen_at=utcnow() - timedelta(days=days))
        )


async def linked_chats(database: Database) -> set[int]:
    """The chat ids the bot can still reach."""
    with database.transaction() as session:
        return set(session.execute(select(ChatLink.chat_id)).scalars())


@pytest.fixture
async def three_participants(engine: SurveyEngine, survey: Survey, database: Database) -> None:
    """Anna long ago and dormant; Bilal today; Cas just inside both limits."""
    privacy = survey.privacy
    for pseudonym, words in ((ANNA, ANNA_WORDS), (BILAL, BILAL_WORDS), (CAS, CAS_WORDS)):
        await take_part(engine, survey, pseudonym, words)
    await age_answers(database, ANNA, privacy.retention_days + 10)
    await age_chat_link(database, ANNA, privacy.chat_link_days + 10)
    await age_answers(database, CAS, privacy.retention_days - 10)
    await age_chat_link(database, CAS, privacy.chat_link_days - 10)


@pytest.mark.usefixtures("three_participants")
async def test_old_texts_are_redacted_and_dormant_chat_links_dropped(
    database: Database, survey: Survey
) -> None:
    """PII in old answers becomes placeholders; recent answers and links stay as they were."""
    bilal_before = await answers(database, BILAL)
    cas_before = await answers(database, CAS)

    result = await apply_retention(database, survey.privacy)

    assert result == RetentionResult(answers_redacted=2, chat_links_dropped=1)
    assert await answers(database, ANNA) == [
        ("holds-back", ANNA_REDACTED[0], True),
        ("not-welcome", ANNA_REDACTED[1], True),
        ("would-help", ANNA_REDACTED[2], True),  # no PII: the text stays, marked as checked
    ]
    assert bilal_before == [
        ("holds-back", BILAL_WORDS[0], False),
        ("not-welcome", BILAL_WORDS[1], False),
        ("would-help", BILAL_WORDS[2], False),
    ]
    assert await answers(database, BILAL) == bilal_before
    assert await answers(database, CAS) == cas_before
    assert [text for _, text, _ in cas_before] == CAS_WORDS
    assert await linked_chats(database) == {CHATS[BILAL], CHATS[CAS]}


@pytest.mark.usefixtures("three_participants")
async def test_a_second_run_changes_nothing(database: Database, survey: Survey) -> None:
    """Retention is idempotent: the second run counts zero and leaves every row alone."""
    await apply_retention(database, survey.privacy)
    before = await snapshot(database)
    result = await apply_retention(database, survey.privacy)
    assert result == RetentionResult(answers_redacted=0, chat_links_dropped=0)
    assert await snapshot(database) == before


@pytest.mark.usefixtures("three_participants")
async def test_redaction_stamps_only_answers_with_text(database: Database, survey: Survey) -> None:
    """Button answers have no text to redact and are left unmarked."""
    await apply_retention(database, survey.privacy)
    with database.transaction() as session:
        stored = repo.answers_of(session, ANNA)
    marked = {(a.question_id, a.text is not None, a.redacted_at is not None) for a in stored}
    assert marked == {
        ("age", False, False),
        ("area", False, False),
        ("free-time", False, False),
        ("holds-back", True, True),
        ("not-welcome", True, True),
        ("would-help", True, True),
    }


async def test_many_old_answers_are_redacted_in_batches(
    engine: SurveyEngine,
    database: Database,
    survey: Survey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With batches of two, every old text is still reached exactly once."""
    monkeypatch.setattr(privacy.retention, "_BATCH", 2)
    chat = await take_part(engine, survey, ANNA, ANNA_WORDS)
    for number in range(5):
        await chat.text(f"nog iets: bel 0470 12 34 5{number}")
    await take_part(engine, survey, BILAL, BILAL_WORDS)
    await age_answers(database, ANNA, survey.privacy.retention_days + 1)

    result = await apply_retention(database, survey.privacy)

    assert result.answers_redacted == 7
    assert await answers(database, ANNA) == [
        ("holds-back", ANNA_REDACTED[0], True),
        ("not-welcome", ANNA_REDACTED[1], True),
        ("would-help", ANNA_REDACTED[2], True),
        *[("extra", "nog iets: bel [telefoon]", True)] * 5,
    ]
    assert all(not redacted for _, _, redacted in await answers(database, BILAL))


async def test_a_participant_who_writes_again_keeps_their_chat_link(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Writing refreshes last_seen_at, so an old link in use is not forgotten."""
    chat = await take_part(engine, survey, ANNA, ANNA_WORDS)
    await take_part(engine, survey, BILAL, BILAL_WORDS)
    await age_chat_link(database, ANNA, survey.privacy.chat_link_days + 30)
    await age_chat_link(database, BILAL, survey.privacy.chat_link_days + 30)
    await chat.send(Command("help"))

    result = await apply_retention(database, survey.privacy)

    assert result.chat_links_dropped == 1
    assert await linked_chats(database) == {CHATS[ANNA]}


async def test_a_forgotten_participant_who_returns_is_linked_again(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """After the link was dropped the survey goes on and the chat is remembered anew."""
    chat = await take_part(engine, survey, ANNA, ANNA_WORDS)
    await age_chat_link(database, ANNA, survey.privacy.chat_link_days + 1)
    result = await apply_retention(database, survey.privacy)
    assert result.chat_links_dropped == 1
    assert await linked_chats(database) == set()

    response = await chat.press(t(survey, "button_opt_in_yes"))
    assert response.step == "done"
    assert await linked_chats(database) == {CHATS[ANNA]}


async def test_case_messages_go_some_days_after_their_case_closed(
    database: Database, survey: Survey
) -> None:
    """Messages of cases closed longer ago than handover.retention_days are deleted;
    the case row (counts for the report) stays, and open cases keep everything."""
    days = survey.handover.retention_days
    with database.transaction() as session:
        case_ids = []
        for number, closed_days_ago in enumerate((days + 1, days - 1, None)):
            person = turn_state.create_participant(session, f"pseudonym-case-{number}", "nl", None)
            case = cases.open_case(
                session,
                person.id,
                CaseReason.REQUEST,
                [],
                age_band=None,
                source=None,
                out_of_hours=False,
            )
            cases.add_message(session, case, Sender.YOUNG, text=f"woorden {number}")
            if closed_days_ago is not None:
                case.closed_at = utcnow() - timedelta(days=closed_days_ago)
            case_ids.append(case.id)

    result = await apply_retention(database, survey.privacy, survey.handover)

    assert result.case_messages_deleted == 1
    with database.transaction() as session:
        kept = [[m.text for m in cases.messages_of(session, i)] for i in case_ids]
        assert kept == [[], ["woorden 1"], ["woorden 2"]]
        assert all(cases.get_case(session, i) is not None for i in case_ids)
