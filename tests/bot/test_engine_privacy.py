"""Privacy in the engine: /mydata, renewed consent, supervised sessions, insults and /delete.

Every test runs on SQLite and on PostgreSQL (the ``database`` fixture). Texts
come from config.yml; every response goes through ``Chat``, which checks it
against Telegram's limits.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.engine import Command, Event, Incoming, NonText, Press, Reply, Start, SurveyEngine, Text
from nlu.distress import DistressDetector
from nlu.service import Analyser
from privacy.identity import CallbackCodec
from storage import Base, Database
from survey.config import Survey
from tests.support.chat import (
    CHAT_ID,
    OTHER,
    PSEUDONYM,
    TELEGRAM_TEXT_LIMIT,
    Chat,
    advance_to,
    answer_current,
    answer_rows,
    assert_all_tables_empty,
    assert_prompt,
    band_label,
    button_labels,
    conversation,
    find_button,
    give_a_case,
    give_a_sent_message,
    give_an_offer,
    next_update_id,
    option_label,
    participant,
    participations,
    prompt_text,
    rows_about,
    snapshot,
    t,
    utf16_length,
    welcome_labels,
)
from tests.support.themes import ScriptedThemes

OTHER_CHAT_ID = 98_765_431
OTHER_SECRET = "geheim van de ander"


def texts(response: Any) -> list[str]:
    """The texts of a response's replies, in order."""
    return [reply.text for reply in response.replies]


# ---------------------------------------------------------------------------
# /mydata


def mydata_document(survey: Survey, replies: list[Reply]) -> dict[str, Any]:
    """The JSON document /mydata sent after its introduction, joined back together."""
    assert replies, "no reply to /mydata"
    assert replies[0].text == t(survey, "mydata_intro")
    assert len(replies) >= 2, "the introduction came without any data"
    document = json.loads("".join(reply.text for reply in replies[1:]))
    assert isinstance(document, dict)
    return document


async def other_participant(engine: SurveyEngine, survey: Survey) -> Chat:
    """Someone else, with a source, an age band and a text of their own."""
    other = Chat(engine, pseudonym=OTHER, chat_id=OTHER_CHAT_ID)
    welcome = await other.send(Start("quindo"), update_id=next_update_id())
    await other.press(t(survey, "button_consent_yes"), welcome, update_id=next_update_id())
    await other.press(band_label(survey, "22-25"), update_id=next_update_id())
    await other.press(t(survey, "button_skip"), update_id=next_update_id())
    await other.press(t(survey, "button_skip"), update_id=next_update_id())
    await other.text(OTHER_SECRET, message_id=5, update_id=next_update_id())
    return other


async def test_mydata_before_consent_has_nothing(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Before "Ik doe mee" nothing is stored, and /mydata says so without storing anything."""
    chat = Chat(engine)
    response = await chat.send(Command("mydata"), update_id=next_update_id())
    assert texts(response) == [t(survey, "mydata_nothing")]
    await chat.send(Start("bolwerk"))
    response = await chat.send(Command("mydata"), update_id=next_update_id())
    assert texts(response) == [t(survey, "mydata_nothing")]
    await assert_all_tables_empty(database)


async def test_mydata_shows_everything_about_the_participant_and_nobody_else(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """The JSON holds the answers, source, age band and chat id; no other participant's data."""
    await other_participant(engine, survey)
    chat = Chat(engine)
    welcome = await chat.send(Start("bolwerk"))
    await chat.press(t(survey, "button_consent_yes"), welcome)
    await chat.press(band_label(survey, "16-18"))
    await chat.text("ik woon in Marke")  # not a label: kept, the question asked again
    await chat.press(option_label(survey, "area", "marke"))
    await answer_current(chat, survey)  # free time: sport
    await chat.text("te duur voor mij en geen fiets")
    before = await snapshot(database)

    response = await chat.send(Command("mydata"))
    assert response.step == "q:not-welcome"
    assert await snapshot(database) == before  # looking changes nothing
    document = mydata_document(survey, response.replies)
    assert document["pseudonym"] == PSEUDONYM
    assert document["chat_id"] == CHAT_ID
    assert document["language"] == "nl"
    assert document["consent_version"] == survey.privacy.version
    assert document["conversation"] == {"step": "q:not-welcome", "paused": False}
    [participation] = document["participations"]
    assert participation["source"] == "bolwerk"
    assert participation["age_band"] == "16-18"
    assert participation["area"] == "marke"
    stored = [(a["question"], a["button"], a["text"]) for a in participation["answers"]]
    assert stored == [
        ("age", "16-18", None),
        ("area", None, "ik woon in Marke"),
        ("area", "marke", None),
        ("free-time", "sport", None),
        ("holds-back", None, "te duur voor mij en geen fiets"),
    ]

    joined = "".join(reply.text for reply in response.replies)
    for foreign in (OTHER, OTHER_SECRET, str(OTHER_CHAT_ID), "quindo", "22-25"):
        assert foreign not in joined, f"{foreign!r} of another participant is in /mydata"


async def test_mydata_of_a_long_answer_is_split_into_messages_that_join_back(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """A 5000-character answer comes back whole over several messages of at most 4096."""
    long_answer = "Het is te duur en de bus rijdt niet. " * 135
    assert len(long_answer) > 4096
    chat = Chat(engine)
    await chat.send(Start())
    await chat.press(t(survey, "button_consent_yes"))
    await advance_to(chat, survey, "q:holds-back")
    await chat.text(long_answer)

    response = await chat.send(Command("mydata"))  # Chat checks every reply's length
    assert len(response.replies) >= 3
    assert all(utf16_length(r.text) <= TELEGRAM_TEXT_LIMIT for r in response.replies)
    document = mydata_document(survey, response.replies)
    answers = document["participations"][0]["answers"]
    assert answers[-1]["text"] == long_answer


async def test_mydata_of_emoji_answers_fits_telegram_messages(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """An answer of 2000 emoji (one legal Telegram message) must come back in legal messages."""
    emoji_answer = "🚲" * 2000  # 4000 UTF-16 units: Telegram accepts it as one message
    assert utf16_length(emoji_answer) <= TELEGRAM_TEXT_LIMIT
    chat = Chat(engine)
    await chat.send(Start())
    await chat.press(t(survey, "button_consent_yes"))
    await advance_to(chat, survey, "q:holds-back")
    await chat.text(emoji_answer)

    # Straight to the engine: the Chat helper would stop at the first oversized reply.
    response = await engine.handle(Incoming(PSEUDONYM, Command("mydata"), chat_id=CHAT_ID))
    document = mydata_document(survey, response.replies)
    assert document["participations"][0]["answers"][-1]["text"] == emoji_answer
    lengths = [utf16_length(reply.text) for reply in response.replies]
    assert max(lengths) <= TELEGRAM_TEXT_LIMIT, (
        f"/mydata sent messages of {lengths} UTF-16 units; Telegram refuses more than 4096"
    )


# ---------------------------------------------------------------------------
# Consent to a changed privacy text


def with_privacy_version(survey: Survey, version: str) -> Survey:
    """The survey with another privacy.version, as after editing config.yml."""
    privacy = survey.privacy.model_copy(update={"version": version})
    return survey.model_copy(update={"privacy": privacy})


@pytest.fixture
def engine_x(survey: Survey, database: Database, codec: CallbackCodec) -> SurveyEngine:
    """The bot while config.yml had privacy version "X"."""
    return SurveyEngine(with_privacy_version(survey, "X"), database, codec)


@pytest.fixture
def engine_y(survey: Survey, database: Database, codec: CallbackCodec) -> SurveyEngine:
    """The bot restarted after privacy.version was changed to "Y"."""
    return SurveyEngine(with_privacy_version(survey, "Y"), database, codec)


def assert_asked_to_consent_again(survey: Survey, response: Any, language: str = "nl") -> None:
    """consent_again, then the welcome with the consent and language buttons."""
    assert texts(response) == [t(survey, "consent_again", language), t(survey, "welcome", language)]
    assert response.replies[0].buttons == ()
    labels = [button.label for row in response.replies[1].buttons for button in row]
    assert labels == welcome_labels(survey, language)


async def consented_under_x(engine_x: SurveyEngine, survey: Survey) -> Chat:
    """A participant who agreed to version "X" and answered up to the first open question."""
    chat = Chat(engine_x)
    welcome = await chat.send(Start("bolwerk"))
    await chat.press(t(survey, "button_consent_yes"), welcome)
    await advance_to(chat, survey, "q:holds-back")
    return chat


async def test_a_changed_privacy_text_asks_for_consent_again(
    engine_x: SurveyEngine, engine_y: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Version X to Y: nothing goes on until they agree again; then they resume where they were."""
    before_change = await consented_under_x(engine_x, survey)
    asked = before_change.last
    first = await participant(database)
    assert first is not None
    assert first.consent_version == "X" and first.consented_at is not None
    answers = await answer_rows(database)
    assert [row[0] for row in answers] == ["age", "area", "free-time"]

    chat = Chat(engine_y)
    old_button = find_button(asked, option_label(survey, "holds-back", "nothing")).data
    skip_button = find_button(asked, t(survey, "button_skip")).data
    blocked: list[Event] = [
        Start(),
        Start("quindo"),
        Text("te duur"),
        Press(old_button),
        Press(skip_button),
        Command("stop"),
        Command("nonsense"),
    ]
    before = await snapshot(database)
    for event in blocked:
        response = await chat.send(event)
        assert_asked_to_consent_again(survey, response)
        assert response.step == "q:holds-back", event
        assert await snapshot(database) == before, event

    # Information and rights stay available without consenting.
    assert texts(await chat.send(Command("help"))) == [t(survey, "help")]
    assert texts(await chat.send(Command("privacy"))) == [t(survey, "privacy")]
    mydata = await chat.send(Command("mydata"))
    assert mydata_document(survey, mydata.replies)["consent_version"] == "X"
    confirm = await chat.send(Command("delete"))
    assert texts(confirm) == [t(survey, "delete_confirm")]
    cancelled = await chat.press(t(survey, "button_delete_no"), confirm)
    assert texts(cancelled) == [t(survey, "delete_cancelled")]
    assert await snapshot(database) == before

    welcome = await chat.send(Start())
    resumed = await chat.press(t(survey, "button_consent_yes"), welcome)
    assert len(resumed.replies) == 1
    assert_prompt(survey, resumed.replies[0], "holds-back")
    assert resumed.origin == Reply(t(survey, "welcome"))
    assert resumed.step == "q:holds-back"
    renewed = await participant(database)
    assert renewed is not None and renewed.id == first.id
    assert renewed.consent_version == "Y"
    assert renewed.consented_at is not None and renewed.consented_at > first.consented_at
    assert await answer_rows(database) == answers  # the earlier answers are kept
    assert len(await participations(database)) == 1

    # And the survey goes on, now with the new consent.
    next_question = await chat.text("te duur")
    assert next_question.step == "q:not-welcome"
    assert (await answer_rows(database))[-1] == ("holds-back", None, "te duur", False)


async def test_declining_the_changed_privacy_text_keeps_asking(
    engine_x: SurveyEngine, engine_y: SurveyEngine, database: Database, survey: Survey
) -> None:
    """ "Liever niet" to the new text keeps the old answers and the old version; no answering."""
    await consented_under_x(engine_x, survey)
    answers = await answer_rows(database)
    chat = Chat(engine_y)
    welcome = await chat.send(Text("hallo"))
    declined = await chat.press(t(survey, "button_consent_no"), welcome)
    assert texts(declined) == [t(survey, "declined_known")]
    kept = await participant(database)
    assert kept is not None and kept.consent_version == "X"
    assert await answer_rows(database) == answers
    assert_asked_to_consent_again(survey, await chat.text("te duur"))
    assert await answer_rows(database) == answers


async def test_consent_again_after_finishing_starts_a_new_participation(
    engine_x: SurveyEngine, engine_y: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Someone who finished under X agrees to Y with /start and begins a new run."""
    chat = await consented_under_x(engine_x, survey)
    await advance_to(chat, survey, "opt_in")
    await chat.press(t(survey, "button_opt_in_no"))
    assert (await conversation(database)).step == "done"
    answers = await answer_rows(database)

    again = Chat(engine_y)
    welcome = await again.send(Start("quindo"))
    assert_asked_to_consent_again(survey, welcome)
    first = await again.press(t(survey, "button_consent_yes"), welcome)
    assert first.step == "q:age"
    assert_prompt(survey, first.replies[0], "age")
    runs = await participations(database)
    assert len(runs) == 2
    assert runs[0].finished_at is not None
    assert await answer_rows(database) == answers
    renewed = await participant(database)
    assert renewed is not None and renewed.consent_version == "Y"


async def test_consent_again_lets_a_paused_participant_answer_the_question_shown(
    engine_x: SurveyEngine, engine_y: SurveyEngine, database: Database, survey: Survey
) -> None:
    """A paused participant renews consent and gets their question: its buttons must work."""
    chat = await consented_under_x(engine_x, survey)
    assert texts(await chat.send(Command("stop"))) == [t(survey, "paused")]

    again = Chat(engine_y)
    welcome = await again.send(Start())  # /start would resume them, were consent up to date
    assert_asked_to_consent_again(survey, welcome)
    shown = await again.press(t(survey, "button_consent_yes"), welcome)
    assert_prompt(survey, shown.replies[-1], "holds-back")

    answer = await again.press(option_label(survey, "holds-back", "nothing"), shown)
    assert answer.notice != t(survey, "stale_button"), (
        "after renewing consent the question is shown, but the conversation stays paused, "
        "so its buttons answer 'stale'"
    )
    assert answer.step == "q:not-welcome"
    assert (await answer_rows(database))[-1] == ("holds-back", "nothing", None, False)


async def test_language_button_on_the_consent_again_welcome_shows_the_welcome(
    engine_x: SurveyEngine, engine_y: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Choosing English on the renewed welcome re-renders it, consent buttons included."""
    await consented_under_x(engine_x, survey)
    chat = Chat(engine_y)
    welcome = await chat.send(Start())
    assert_asked_to_consent_again(survey, welcome)
    english = await chat.press(survey.language_names["en"], welcome)

    assert english.origin is not None
    assert english.origin.text == t(survey, "welcome", "en"), (
        "the language button replaced the renewed welcome (and its consent buttons)"
    )
    origin_labels = [button.label for row in english.origin.buttons for button in row]
    assert origin_labels == welcome_labels(survey, "en")
    assert not any(reply.text.startswith("(4/") for reply in english.replies), (
        "a question is shown to someone who has not agreed to the new privacy text"
    )
    unchanged = await participant(database)
    assert unchanged is not None and unchanged.consent_version == "X"


async def test_non_text_and_edits_need_no_renewed_consent(
    engine_x: SurveyEngine, engine_y: SurveyEngine, database: Database, survey: Survey
) -> None:
    """A photo still gets "text only"; nothing is stored for it."""
    await consented_under_x(engine_x, survey)
    before = await snapshot(database)
    chat = Chat(engine_y)
    response = await chat.send(NonText("photo"))
    assert texts(response)[0] == t(survey, "text_only")
    assert await snapshot(database) == before


# ---------------------------------------------------------------------------
# Supervised sources and the age gate


@pytest.mark.parametrize("how", ["button", "typed"])
async def test_a_supervised_session_lets_an_under_13_take_part(
    engine: SurveyEngine, database: Database, survey: Survey, how: str
) -> None:
    """Through /start begeleide-sessie the under-13 band is stored and the survey goes on."""
    source = survey.source("begeleide-sessie")
    assert source is not None and source.supervised
    chat = Chat(engine)
    welcome = await chat.send(Start("begeleide-sessie"), update_id=next_update_id())
    await chat.press(t(survey, "button_consent_yes"), welcome, update_id=next_update_id())
    if how == "button":
        response = await chat.press(band_label(survey, "under-13"), update_id=next_update_id())
    else:
        response = await chat.text("ik ben 11", message_id=3, update_id=next_update_id())
    assert response.step == "q:area"
    assert_prompt(survey, response.replies[0], "area")
    [run] = await participations(database)
    assert (run.source, run.age_band) == ("begeleide-sessie", "under-13")
    typed = "ik ben 11" if how == "typed" else None
    assert await answer_rows(database) == [("age", "under-13", typed, False)]


async def test_the_supervised_source_survives_a_language_change_on_the_welcome(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """The source rides along signed when the welcome is switched to English."""
    chat = Chat(engine)
    welcome = await chat.send(Start("begeleide-sessie"))
    english = await chat.press(survey.language_names["en"], welcome)
    await chat.press(t(survey, "button_consent_yes", "en"), english)
    response = await chat.press(band_label(survey, "under-13", "en"))
    assert response.step == "q:area"
    [run] = await participations(database)
    assert (run.source, run.age_band, run.language) == ("begeleide-sessie", "under-13", "en")


async def test_a_normal_source_still_applies_the_age_gate(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """The same under-13 button through a partner's link erases everything."""
    chat = Chat(engine)
    welcome = await chat.send(Start("bolwerk"), update_id=next_update_id())
    await chat.press(t(survey, "button_consent_yes"), welcome, update_id=next_update_id())
    await chat.press(band_label(survey, "under-13"), update_id=next_update_id())
    response = await chat.press(t(survey, "button_age_young_yes"), update_id=next_update_id())
    assert texts(response) == [t(survey, "age_gate", minimum_age=survey.privacy.minimum_age)]
    assert response.step is None
    await assert_all_tables_empty(database)


# ---------------------------------------------------------------------------
# Insults aimed at the bot


@pytest.fixture(scope="session")
def detector() -> DistressDetector:
    return DistressDetector.default()


@pytest.fixture
def nlu_engine(
    survey: Survey, database: Database, codec: CallbackCodec, detector: DistressDetector
) -> SurveyEngine:
    """The engine with the real distress detector and a theme backend that finds nothing."""
    analyser = Analyser(ScriptedThemes(survey), detector, survey.nlu.timeout_seconds)
    return SurveyEngine(survey, database, codec, analyser)


async def test_an_insult_gets_a_calm_word_and_the_question_again(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """ "stomme bot" is not an answer; swearing about a trainer is."""
    chat = Chat(nlu_engine)
    welcome = await chat.send(Start())
    await chat.press(t(survey, "button_consent_yes"), welcome)
    await advance_to(chat, survey, "q:holds-back")
    answers = await answer_rows(database)
    before = await snapshot(database)

    calm = await chat.text("stomme bot", message_id=40)
    assert texts(calm) == [t(survey, "calm"), prompt_text(survey, "holds-back")]
    assert_prompt(survey, calm.replies[1], "holds-back")
    assert calm.step == "q:holds-back"
    assert calm.distress == ()
    assert await snapshot(database) == before

    stored = await chat.text("die trainer is een klootzak", message_id=41)
    assert stored.step == "q:not-welcome"
    assert await answer_rows(database) == [
        *answers,
        ("holds-back", None, "die trainer is een klootzak", False),
    ]


async def test_an_insult_at_a_button_question_stores_nothing(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """At the age question an insult is not kept as words next to the buttons."""
    chat = Chat(nlu_engine)
    welcome = await chat.send(Start())
    await chat.press(t(survey, "button_consent_yes"), welcome)
    before = await snapshot(database)
    calm = await chat.text("jij bent dom")
    assert texts(calm) == [t(survey, "calm"), prompt_text(survey, "age")]
    assert await snapshot(database) == before


async def test_an_insult_before_consent_stores_nothing(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Before consent: a calm word and the welcome, nothing stored."""
    chat = Chat(nlu_engine)
    calm = await chat.text("stomme bot", update_id=next_update_id())
    assert texts(calm) == [t(survey, "calm"), t(survey, "welcome")]
    assert button_labels(calm) == welcome_labels(survey, "nl")
    await assert_all_tables_empty(database)


async def test_an_insult_with_distress_gets_the_helplines_and_is_kept(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Distress wins over the insult: helplines first, the words are stored and flagged."""
    chat = Chat(nlu_engine)
    welcome = await chat.send(Start())
    await chat.press(t(survey, "button_consent_yes"), welcome)
    await advance_to(chat, survey, "q:holds-back")
    response = await chat.text("stomme bot, ik wil niet meer leven")
    assert response.distress == ("suicide",)
    assert texts(response)[0].startswith(t(survey, "distress_alarm"))
    assert t(survey, "calm") not in texts(response)
    assert (await answer_rows(database))[-1] == (
        "holds-back",
        None,
        "stomme bot, ik wil niet meer leven",
        False,
    )


async def test_an_insult_while_paused_offers_only_working_buttons(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """Paused, an insult gets a calm word; whatever buttons come with it must work."""
    chat = Chat(nlu_engine)
    welcome = await chat.send(Start())
    await chat.press(t(survey, "button_consent_yes"), welcome)
    await advance_to(chat, survey, "q:holds-back")
    await chat.send(Command("stop"))
    calm = await chat.text("stomme bot")
    assert texts(calm)[0] == t(survey, "calm")
    offered = [b.label for reply in calm.replies for row in reply.buttons for b in row]
    assert offered, "no way to go on was offered"
    pressed = await chat.press(offered[0], calm)
    assert pressed.notice != t(survey, "stale_button"), (
        "the calm reply showed the paused question; its buttons answer 'stale'"
    )


# ---------------------------------------------------------------------------
# /delete


async def all_values(database: Database) -> str:
    """Every value of every row, as one string to search."""
    with database.transaction() as session:
        return "\n".join(
            repr(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in session.execute(select(table)).all()
        )


async def test_delete_leaves_no_row_of_the_participant_in_any_table(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    """/delete erases rows in every table, chat link and processed updates included."""
    await other_participant(engine, survey)
    others_rows = await snapshot(database)

    chat = Chat(engine)
    welcome = await chat.send(Start("stad-kortrijk"), update_id=next_update_id())
    await chat.press(t(survey, "button_consent_yes"), welcome, update_id=next_update_id())
    await chat.press(band_label(survey, "19-21"), update_id=next_update_id())
    await chat.text("ik woon in Heule", message_id=7, update_id=next_update_id())
    await chat.press(option_label(survey, "area", "heule"), update_id=next_update_id())
    await chat.press(t(survey, "button_skip"), update_id=next_update_id())
    await chat.text("mijn trainer Jan is streng", message_id=8, update_id=next_update_id())
    await give_a_case(database, words="mijn trainer Jan zei iets raars")
    await give_an_offer(database)
    await give_a_sent_message(database)
    found = await participant(database)
    assert found is not None
    runs = {run.id for run in await participations(database)}
    about = await rows_about(database, found.id, runs)
    assert all(count > 0 for count in about.values()), about
    assert "mijn trainer Jan" in await all_values(database)

    confirm = await chat.send(Command("delete"), update_id=next_update_id())
    deleted = await chat.press(t(survey, "button_delete_yes"), confirm, update_id=next_update_id())
    assert texts(deleted) == [t(survey, "deleted")]

    assert await rows_about(database, found.id, runs) == dict.fromkeys(about, 0)
    values = await all_values(database)
    for trace in (PSEUDONYM, "mijn trainer Jan", "ik woon in Heule", "stad-kortrijk"):
        assert trace not in values, f"{trace!r} survived /delete"
    assert await snapshot(database) == others_rows  # the other participant is untouched
    assert await answer_rows(database, OTHER) == [
        ("age", "22-25", None, False),
        ("area", None, None, True),
        ("free-time", None, None, True),
        ("holds-back", None, OTHER_SECRET, False),
    ]
