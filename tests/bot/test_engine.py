"""The survey engine, driven through ``SurveyEngine.handle`` on SQLite and PostgreSQL.

Every test checks what the participant sees (texts come from config.yml via
``survey.text``) and what ends up in the database. Every response of every
test is also checked against Telegram's limits (4096 characters per message,
64 bytes of button data).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.engine import (
    DONE,
    EXTRA,
    OPT_IN,
    Command,
    Edit,
    Incoming,
    NonText,
    Press,
    Reply,
    Start,
    SurveyEngine,
    Text,
)
from privacy.identity import CallbackCodec
from storage import ChatLink, Database
from storage import repository as repo
from survey.config import Survey
from tests.support.chat import (
    CHAT_ID,
    OTHER,
    PSEUDONYM,
    TELEGRAM_DATA_LIMIT,
    TELEGRAM_TEXT_LIMIT,
    Chat,
    advance_to,
    answer_current,
    answer_rows,
    assert_all_tables_empty,
    assert_prompt,
    band_label,
    button_labels,
    consent,
    conversation,
    find_button,
    give_a_case,
    give_a_sent_message,
    give_an_offer,
    keyboards,
    latest_participation,
    next_update_id,
    option_label,
    participant,
    participations,
    press,
    prompt_text,
    snapshot,
    t,
    table_counts,
    utf16_length,
    welcome_labels,
)
from tests.support.secrets import TEST_SECRET

# ---------------------------------------------------------------------------
# The happy path


async def test_full_survey_with_buttons_and_free_text(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start("bolwerk"), update_id=next_update_id())
    assert [reply.text for reply in welcome.replies] == [t(survey, "welcome")]
    assert button_labels(welcome) == welcome_labels(survey, "nl")
    assert welcome.step is None
    await assert_all_tables_empty(database)  # nothing is stored before consent

    first = await press(chat, welcome, t(survey, "button_consent_yes"), update_id=next_update_id())
    assert len(first.replies) == 1
    assert_prompt(survey, first.replies[0], "age")
    assert first.origin == Reply(t(survey, "welcome"))  # the consent buttons are removed
    assert first.step == "q:age"

    response = await press(chat, first, band_label(survey, "16-18"), update_id=next_update_id())
    assert response.step == "q:area"
    assert_prompt(survey, response.replies[0], "area")
    assert response.origin is not None
    assert response.origin.text == f"{prompt_text(survey, 'age')}\n→ {band_label(survey, '16-18')}"
    assert response.origin.buttons == ()

    response = await chat.press(option_label(survey, "area", "centrum"), update_id=next_update_id())
    assert response.step == "q:free-time"
    assert_prompt(survey, response.replies[0], "free-time")

    response = await chat.press(
        option_label(survey, "free-time", "sport"), update_id=next_update_id()
    )
    assert response.replies == []
    response = await chat.press(
        option_label(survey, "free-time", "gaming"), update_id=next_update_id()
    )
    response = await chat.press(t(survey, "button_done"), update_id=next_update_id())
    assert response.step == "q:holds-back"
    assert_prompt(survey, response.replies[0], "holds-back")
    assert response.origin is not None
    sport_and_gaming = ", ".join(
        option_label(survey, "free-time", option) for option in ("sport", "gaming")
    )
    assert response.origin.text.endswith(f"\n→ {sport_and_gaming}")

    response = await chat.text(
        "Het lidgeld is te duur 😕", message_id=11, update_id=next_update_id()
    )
    assert response.step == "q:not-welcome"
    assert_prompt(survey, response.replies[0], "not-welcome")

    response = await chat.press(
        option_label(survey, "not-welcome", "never"), update_id=next_update_id()
    )
    assert response.step == "q:would-help"
    assert_prompt(survey, response.replies[0], "would-help")

    response = await chat.text("Een bus 's avonds", message_id=12, update_id=next_update_id())
    assert response.step == OPT_IN
    assert [reply.text for reply in response.replies] == [t(survey, "thanks")]
    assert button_labels(response) == [
        t(survey, "button_opt_in_yes"),
        t(survey, "button_opt_in_no"),
    ]

    response = await chat.press(t(survey, "button_opt_in_yes"), update_id=next_update_id())
    assert response.step == DONE
    assert [reply.text for reply in response.replies] == [t(survey, "opt_in_yes")]

    assert await answer_rows(database) == [
        ("age", "16-18", None, False),
        ("area", "centrum", None, False),
        ("free-time", "sport,gaming", None, False),
        ("holds-back", None, "Het lidgeld is te duur 😕", False),
        ("not-welcome", "never", None, False),
        ("would-help", None, "Een bus 's avonds", False),
    ]
    [stored] = await participations(database)
    assert stored.source == "bolwerk"
    assert stored.language == "nl"
    assert stored.age_band == "16-18"
    assert stored.area == "centrum"
    assert stored.finished_at is not None
    person = await participant(database)
    assert person is not None
    assert person.notify_opt_in is True
    assert person.language == "nl"
    state = await conversation(database)
    assert state.step == DONE
    assert state.participation_id == stored.id
    counts = await table_counts(database)
    assert counts["participants"] == 1
    assert counts["chat_links"] == 1
    assert counts["conversations"] == 1
    # Every update after consent is remembered (the /start before it stored nothing).
    assert counts["processed_updates"] == len(chat.seen) - 1


@pytest.mark.parametrize(
    "code",
    [None, "", "onbekend", "BOLWERK", "bolwerk|x", "c|yes|nl|bolwerk", "a" * 64, "../etc", "é"],
)
async def test_unknown_or_malformed_code_is_ignored(
    engine: SurveyEngine, database: Database, survey: Survey, code: str | None
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start(code))
    assert [reply.text for reply in welcome.replies] == [t(survey, "welcome")]
    assert button_labels(welcome) == welcome_labels(survey, "nl")
    await assert_all_tables_empty(database)
    await press(chat, welcome, t(survey, "button_consent_yes"))
    [stored] = await participations(database)
    assert stored.source is None


async def test_every_configured_source_is_recorded(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    for number, source in enumerate(survey.sources):
        chat = Chat(engine, pseudonym=f"from-{source.id}", chat_id=number)
        await consent(chat, survey, code=source.id)
        [stored] = await participations(database, chat.pseudonym)
        assert stored.source == source.id


# ---------------------------------------------------------------------------
# Consent and language


async def test_declining_consent_stores_nothing(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start("bolwerk"), update_id=next_update_id())
    response = await press(
        chat, welcome, t(survey, "button_consent_no"), update_id=next_update_id()
    )
    assert [reply.text for reply in response.replies] == [t(survey, "declined")]
    assert response.origin == Reply(t(survey, "welcome"))
    assert response.step is None
    await assert_all_tables_empty(database)

    # Talking on before consenting still stores nothing: the welcome comes back.
    response = await chat.text("hallo?", message_id=3, update_id=next_update_id())
    assert [reply.text for reply in response.replies] == [t(survey, "welcome")]
    response = await chat.send(NonText("sticker"), update_id=next_update_id())
    assert [reply.text for reply in response.replies] == [
        t(survey, "text_only"),
        t(survey, "welcome"),
    ]
    response = await chat.send(Command("stop"), update_id=next_update_id())
    assert [reply.text for reply in response.replies] == [t(survey, "nothing_to_stop")]
    response = await chat.send(Command("delete"), update_id=next_update_id())
    assert [reply.text for reply in response.replies] == [t(survey, "nothing_to_delete")]
    await chat.send(Edit("hallo!", message_id=3), update_id=next_update_id())
    await assert_all_tables_empty(database)


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_language_button_rerenders_the_welcome(
    engine: SurveyEngine, database: Database, survey: Survey, language: str
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start("quindo"))
    response = await press(chat, welcome, survey.language_names[language])
    assert response.replies == []
    assert response.origin is not None
    assert response.origin.text == t(survey, "welcome", language)
    assert button_labels(response) == welcome_labels(survey, language)
    await assert_all_tables_empty(database)

    # Consent from the re-rendered welcome: questions in that language, source kept.
    first = await press(chat, response, t(survey, "button_consent_yes", language))
    assert first.origin == Reply(t(survey, "welcome", language))
    assert_prompt(survey, first.replies[0], "age", language)
    response = await chat.press(band_label(survey, "22-25", language))
    assert_prompt(survey, response.replies[0], "area", language)
    response = await chat.press(option_label(survey, "area", "outside", language))
    assert_prompt(survey, response.replies[0], "free-time", language)
    response = await chat.press(t(survey, "button_skip", language))
    assert_prompt(survey, response.replies[0], "holds-back", language)

    [stored] = await participations(database)
    assert stored.language == language
    assert stored.source == "quindo"
    person = await participant(database)
    assert person is not None
    assert person.language == language


async def test_language_command_during_the_survey_switches_the_questions(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await answer_current(chat, survey)  # now at area
    menu = await chat.send(Command("language"))
    assert [reply.text for reply in menu.replies] == [t(survey, "language_prompt")]
    response = await press(chat, menu, survey.language_names["fr"])
    assert [reply.text for reply in response.replies[:1]] == [t(survey, "language_changed", "fr")]
    assert_prompt(survey, response.replies[1], "area", "fr")
    assert response.step == "q:area"
    assert (await latest_participation(database)).language == "fr"
    response = await chat.press(option_label(survey, "area", "centrum", "fr"))
    assert_prompt(survey, response.replies[0], "free-time", "fr")


# ---------------------------------------------------------------------------
# The age gate


async def test_under_age_button_erases_everything(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await chat.send(Start("bolwerk"), update_id=next_update_id())
    first = await chat.press(t(survey, "button_consent_yes"), update_id=next_update_id())
    assert (await table_counts(database))["answers"] == 0
    asked = await press(chat, first, band_label(survey, "under-13"), update_id=next_update_id())
    minimum_age = survey.privacy.minimum_age
    # Asked once first: a slip of the thumb must not erase anything.
    assert [reply.text for reply in asked.replies] == [
        t(survey, "age_gate_confirm", minimum_age=minimum_age)
    ]
    assert (await table_counts(database))["participants"] == 1
    response = await chat.press(t(survey, "button_age_young_yes"), update_id=next_update_id())
    assert [reply.text for reply in response.replies] == [
        t(survey, "age_gate", minimum_age=minimum_age)
    ]
    assert button_labels(response) == []
    assert response.step is None
    await assert_all_tables_empty(database)


async def test_under_age_by_mistake_asks_the_age_again(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await chat.press(band_label(survey, "under-13"))
    response = await chat.press(t(survey, "button_age_young_no"))
    assert_prompt(survey, response.replies[0], "age")
    assert response.step == "q:age"
    assert (await table_counts(database))["answers"] == 0
    again = await chat.press(band_label(survey, "13-15"), response)
    assert again.step == "q:area"


async def test_a_typed_age_edited_under_the_minimum_is_confirmed_then_erased(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await chat.text("15", message_id=9)
    asked = await chat.send(Edit("11", 9))
    assert [reply.text for reply in asked.replies] == [
        t(survey, "age_gate_confirm", minimum_age=survey.privacy.minimum_age)
    ]
    await chat.press(t(survey, "button_age_young_yes"), asked)
    await assert_all_tables_empty(database)


@pytest.mark.parametrize(
    "typed", ["de bus rijdt nie meer na 8u", "wij trainen om 9 uur", "ik heb 2 broers", "top 10"]
)
async def test_a_sentence_with_a_number_at_the_age_question_is_no_age(
    engine: SurveyEngine, database: Database, survey: Survey, typed: str
) -> None:
    """Kept and explained like other words where a button was expected; nothing erased."""
    chat = Chat(engine)
    await consent(chat, survey)
    response = await chat.text(typed, message_id=8)
    assert response.replies[0].text == t(survey, "choose_a_button")
    assert_prompt(survey, response.replies[1], "age")
    assert (await answer_rows(database))[-1] == ("age", None, typed, False)


@pytest.mark.parametrize("typed", ["ik ben 11", "11", "12 jaar", "ik ben pas 9!"])
async def test_typed_under_age_erases_everything(
    engine: SurveyEngine, database: Database, survey: Survey, typed: str
) -> None:
    chat = Chat(engine)
    await chat.send(Start("ajko"), update_id=next_update_id())
    await chat.press(t(survey, "button_consent_yes"), update_id=next_update_id())
    await chat.send(Command("help"), update_id=next_update_id())
    asked = await chat.text(typed, message_id=5, update_id=next_update_id())
    assert [reply.text for reply in asked.replies] == [
        t(survey, "age_gate_confirm", minimum_age=survey.privacy.minimum_age)
    ]
    response = await chat.press(t(survey, "button_age_young_yes"), update_id=next_update_id())
    assert [reply.text for reply in response.replies] == [
        t(survey, "age_gate", minimum_age=survey.privacy.minimum_age)
    ]
    assert response.step is None
    await assert_all_tables_empty(database)
    # Coming back later starts from scratch: the welcome, nothing remembered.
    response = await chat.send(Start())
    assert [reply.text for reply in response.replies] == [t(survey, "welcome")]
    await assert_all_tables_empty(database)


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
async def test_typed_under_age_band_label_triggers_the_age_gate(
    engine: SurveyEngine, database: Database, survey: Survey, language: str
) -> None:
    """Typing the under-13 button's own label ("jonger dan 13") must not count as age 13."""
    chat = Chat(engine)
    await consent(chat, survey, language=language)
    typed = band_label(survey, "under-13", language)
    await chat.text(typed, message_id=6, update_id=next_update_id())
    response = await chat.press(t(survey, "button_age_young_yes", language))
    assert [reply.text for reply in response.replies] == [
        t(survey, "age_gate", language, minimum_age=survey.privacy.minimum_age)
    ]
    await assert_all_tables_empty(database)


@pytest.mark.parametrize(
    ("typed", "band"),
    [("15", "13-15"), ("ik ben 13", "13-15"), ("17 jaar", "16-18"), ("26", "over-25")],
)
async def test_typed_age_picks_the_band(
    engine: SurveyEngine, database: Database, survey: Survey, typed: str, band: str
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    response = await chat.text(typed, message_id=7)
    assert response.step == "q:area"
    assert_prompt(survey, response.replies[0], "area")
    assert await answer_rows(database) == [("age", band, typed, False)]
    assert (await latest_participation(database)).age_band == band


# ---------------------------------------------------------------------------
# Skipping and multiple choice


async def test_skip_on_every_question_type(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    assert {q.type for q in survey.questions} == {
        "age_band",
        "single_choice",
        "multi_choice",
        "open",
    }
    chat = Chat(engine)
    await consent(chat, survey)
    for question in survey.questions:
        assert chat.last.step == f"q:{question.id}"
        asked = chat.last
        response = await chat.press(t(survey, "button_skip"))
        assert response.origin is not None
        assert (
            response.origin.text
            == f"{prompt_text(survey, question.id)}\n→ {t(survey, 'button_skip')}"
        )
        assert response.origin.buttons == ()
        assert response.step != asked.step
    assert chat.last.step == OPT_IN
    assert await answer_rows(database) == [(q.id, None, None, True) for q in survey.questions]
    stored = await latest_participation(database)
    assert stored.age_band is None
    assert stored.area is None
    assert stored.finished_at is not None


async def test_multi_choice_toggle_untoggle_and_done(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:free-time")
    gaming = option_label(survey, "free-time", "gaming")
    sport = option_label(survey, "free-time", "sport")
    friends = option_label(survey, "free-time", "friends")

    response = await chat.press(gaming)
    assert response.replies == []
    assert response.origin is not None
    assert_prompt(survey, response.origin, "free-time")
    assert f"✅ {gaming}" in button_labels(response)
    assert (await conversation(database)).pending == ["gaming"]

    response = await chat.press(sport)
    response = await chat.press(friends)
    assert (await conversation(database)).pending == ["gaming", "sport", "friends"]
    response = await chat.press(f"✅ {sport}")  # untick
    labels = button_labels(response)
    assert sport in labels
    assert f"✅ {sport}" not in labels
    assert f"✅ {gaming}" in labels
    assert f"✅ {friends}" in labels
    assert (await conversation(database)).pending == ["gaming", "friends"]
    assert await answer_rows(database) == [
        ("age", "16-18", None, False),
        ("area", "overleie", None, False),
    ]  # nothing stored until Done

    response = await chat.press(t(survey, "button_done"))
    assert response.step == "q:holds-back"
    assert response.origin is not None
    assert response.origin.text == f"{prompt_text(survey, 'free-time')}\n→ {gaming}, {friends}"
    assert (await answer_rows(database))[-1] == ("free-time", "gaming,friends", None, False)
    assert (await conversation(database)).pending == []


async def test_multi_choice_done_without_ticks_counts_as_skipped(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:free-time")
    sport = option_label(survey, "free-time", "sport")
    await chat.press(sport)
    await chat.press(f"✅ {sport}")
    response = await chat.press(t(survey, "button_done"))
    assert response.step == "q:holds-back"
    assert (await answer_rows(database))[-1] == ("free-time", None, None, True)


async def test_free_text_on_multi_choice_is_stored_with_the_ticked_options(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:free-time")
    await chat.press(option_label(survey, "free-time", "sport"))
    await chat.press(option_label(survey, "free-time", "music-dance"))
    response = await chat.text("ik teken ook veel", message_id=30)
    assert response.step == "q:holds-back"
    assert_prompt(survey, response.replies[0], "holds-back")
    assert (await answer_rows(database))[-1] == (
        "free-time",
        "sport,music-dance",
        "ik teken ook veel",
        False,
    )
    assert (await conversation(database)).pending == []


async def test_free_text_on_multi_choice_without_ticks(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:free-time")
    response = await chat.text("skaten")
    assert response.step == "q:holds-back"
    assert (await answer_rows(database))[-1] == ("free-time", None, "skaten", False)


# ---------------------------------------------------------------------------
# Free text where a button was expected


async def test_unmatched_text_on_area_is_kept_and_the_question_asked_again(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:area")
    response = await chat.text("in een dorp bij Menen", message_id=40)
    assert response.step == "q:area"
    assert [reply.text for reply in response.replies][:1] == [t(survey, "choose_a_button")]
    assert len(response.replies) == 2
    assert_prompt(survey, response.replies[1], "area")
    assert (await answer_rows(database))[-1] == ("area", None, "in een dorp bij Menen", False)
    assert (await latest_participation(database)).area is None

    # The button still works afterwards; both answers are kept, in order.
    response = await press(chat, response, option_label(survey, "area", "outside"))
    assert response.step == "q:free-time"
    assert (await answer_rows(database))[-2:] == [
        ("area", None, "in een dorp bij Menen", False),
        ("area", "outside", None, False),
    ]
    assert (await latest_participation(database)).area == "outside"


@pytest.mark.parametrize(
    ("typed", "option"),
    [
        ("heule", "heule"),
        ("Heule", "heule"),
        ("  HEULE!! ", "heule"),
        ("kortrijk centrum", "centrum"),
        ("Courtrai centre", "centrum"),  # a label in another language
        ("sint jan", "sint-jan"),
    ],
)
async def test_typed_label_is_accepted_as_that_option(
    engine: SurveyEngine, database: Database, survey: Survey, typed: str, option: str
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:area")
    response = await chat.text(typed, message_id=41)
    assert response.step == "q:free-time"
    assert [reply.text for reply in response.replies] == [prompt_text(survey, "free-time")]
    assert (await answer_rows(database))[-1] == ("area", option, typed, False)
    assert (await latest_participation(database)).area == option


async def test_open_question_option_button(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:holds-back")
    label = option_label(survey, "holds-back", "nothing")
    response = await chat.press(label)
    assert response.step == "q:not-welcome"
    assert (await answer_rows(database))[-1] == ("holds-back", "nothing", None, False)


# ---------------------------------------------------------------------------
# The end


@pytest.mark.parametrize(("choice", "opted_in"), [("yes", True), ("no", False)])
async def test_opt_in_sets_the_flag_and_finishes(
    engine: SurveyEngine, database: Database, survey: Survey, choice: str, opted_in: bool
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    thanks = await advance_to(chat, survey, OPT_IN)
    assert (await latest_participation(database)).finished_at is not None
    assert (await conversation(database)).step == OPT_IN
    response = await press(chat, thanks, t(survey, f"button_opt_in_{choice}"))
    assert [reply.text for reply in response.replies] == [t(survey, f"opt_in_{choice}")]
    assert response.origin == Reply(t(survey, "thanks"))
    assert response.step == DONE
    person = await participant(database)
    assert person is not None
    assert person.notify_opt_in is opted_in
    assert (await latest_participation(database)).finished_at is not None
    assert (await conversation(database)).step == DONE

    # The opt-in buttons only work once.
    again = await press(chat, thanks, t(survey, "button_opt_in_yes"))
    assert again.notice == t(survey, "stale_button")
    person = await participant(database)
    assert person is not None
    assert person.notify_opt_in is opted_in


async def test_text_after_the_end_is_stored_as_extra(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, OPT_IN)
    # Typed instead of pressing an opt-in button: kept, and the choice is asked again.
    response = await chat.text("mag ik nog iets zeggen?", message_id=50)
    assert response.step == OPT_IN
    assert [reply.text for reply in response.replies] == [t(survey, "thanks")]
    assert button_labels(response) == [
        t(survey, "button_opt_in_yes"),
        t(survey, "button_opt_in_no"),
    ]
    await chat.press(t(survey, "button_opt_in_no"))
    response = await chat.text("de skatepark is altijd vol", message_id=51)
    assert response.step == DONE
    assert [reply.text for reply in response.replies] == [t(survey, "noted_extra")]
    assert (await answer_rows(database))[-2:] == [
        (EXTRA, None, "mag ik nog iets zeggen?", False),
        (EXTRA, None, "de skatepark is altijd vol", False),
    ]


async def test_language_chosen_after_the_end_is_kept(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, OPT_IN)
    await chat.press(t(survey, "button_opt_in_no"))
    menu = await chat.send(Command("language"))
    response = await press(chat, menu, survey.language_names["en"])
    assert response.origin is not None
    assert response.origin.text == t(survey, "welcome", "en")
    person = await participant(database)
    assert person is not None
    assert person.language == "en"
    # Everything after the choice is in English.
    response = await chat.send(Command("help"))
    assert [reply.text for reply in response.replies] == [t(survey, "help", "en")]
    response = await chat.text("one more thing")
    assert [reply.text for reply in response.replies] == [t(survey, "noted_extra", "en")]
    response = await chat.send(Start())
    assert [reply.text for reply in response.replies] == [t(survey, "welcome", "en")]


async def test_start_after_the_end_begins_a_new_participation(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey, code="bolwerk")
    await advance_to(chat, survey, OPT_IN)
    await chat.press(t(survey, "button_opt_in_yes"))
    welcome = await chat.send(Start("instagram"))
    assert [reply.text for reply in welcome.replies] == [t(survey, "welcome")]
    response = await press(chat, welcome, t(survey, "button_consent_yes"))
    assert response.step == "q:age"
    first, second = await participations(database)
    assert (first.source, second.source) == ("bolwerk", "instagram")
    assert first.finished_at is not None
    assert second.finished_at is None
    assert (await conversation(database)).participation_id == second.id
    counts = await table_counts(database)
    assert counts["participants"] == 1
    assert counts["conversations"] == 1


# ---------------------------------------------------------------------------
# Pausing


async def test_stop_pauses_and_start_resumes_at_the_same_question(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    asked = await advance_to(chat, survey, "q:area")
    before = await answer_rows(database)

    response = await chat.send(Command("stop"))
    assert [reply.text for reply in response.replies] == [t(survey, "paused")]
    assert response.step == "q:area"
    assert (await conversation(database)).paused is True

    response = await chat.text("Heule", message_id=60)
    assert [reply.text for reply in response.replies] == [t(survey, "paused_reminder")]
    assert button_labels(response) == [t(survey, "button_resume")]
    response = await chat.send(NonText("voice"))
    assert [reply.text for reply in response.replies] == [t(survey, "text_only")]
    # The question's buttons do nothing while paused.
    response = await press(chat, asked, option_label(survey, "area", "heule"))
    assert response.notice == t(survey, "stale_button")
    assert await answer_rows(database) == before
    assert (await conversation(database)).step == "q:area"

    response = await chat.send(Start("bolwerk"))
    assert [reply.text for reply in response.replies][:1] == [t(survey, "resumed")]
    assert len(response.replies) == 2
    assert_prompt(survey, response.replies[1], "area")
    assert response.step == "q:area"
    assert (await conversation(database)).paused is False
    response = await chat.press(option_label(survey, "area", "heule"))
    assert response.step == "q:free-time"
    assert await answer_rows(database) == [*before, ("area", "heule", None, False)]
    assert (await latest_participation(database)).source is None  # resuming keeps the source


async def test_resume_button_continues(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:holds-back")
    await chat.send(Command("stop"))
    reminder = await chat.text("ben ik er nog?")
    response = await press(chat, reminder, t(survey, "button_resume"))
    assert [reply.text for reply in response.replies][:1] == [t(survey, "resumed")]
    assert_prompt(survey, response.replies[1], "holds-back")
    assert (await conversation(database)).paused is False
    assert all(row[0] != "holds-back" for row in await answer_rows(database))

    # A second press of the same resume button is stale.
    response = await press(chat, reminder, t(survey, "button_resume"))
    assert response.notice == t(survey, "stale_button")
    response = await chat.text("nu wel", message_id=61)
    assert response.step == "q:not-welcome"
    assert (await answer_rows(database))[-1] == ("holds-back", None, "nu wel", False)


async def test_stop_without_a_survey_has_nothing_to_pause(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, OPT_IN)
    await chat.press(t(survey, "button_opt_in_no"))
    response = await chat.send(Command("stop"))
    assert [reply.text for reply in response.replies] == [t(survey, "nothing_to_stop")]
    assert (await conversation(database)).paused is False


# ---------------------------------------------------------------------------
# Redelivered and edited messages


async def test_duplicate_update_is_stored_once(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start(), update_id=next_update_id())
    consent_id = next_update_id()
    consent_press = Press(find_button(welcome, t(survey, "button_consent_yes")).data)
    first = await chat.send(consent_press, update_id=consent_id)
    again = await chat.send(consent_press, update_id=consent_id)
    assert first.duplicate is False
    assert again.duplicate is True
    assert again.replies == []
    assert again.notice is None
    assert again.origin is None
    assert len(await participations(database)) == 1

    age_press = Press(find_button(first, band_label(survey, "19-21")).data)
    age_id = next_update_id()
    await chat.send(age_press, update_id=age_id)
    assert (await chat.send(age_press, update_id=age_id)).duplicate is True

    update_id = next_update_id()
    incoming = Incoming(PSEUDONYM, Text("walle", 70), chat_id=CHAT_ID, update_id=update_id)
    response = await engine.handle(incoming)
    assert response.duplicate is False
    duplicate = await engine.handle(incoming)
    assert duplicate.duplicate is True
    assert duplicate.replies == []

    assert await answer_rows(database) == [
        ("age", "19-21", None, False),
        ("area", "walle", "walle", False),
    ]
    assert (await table_counts(database))["processed_updates"] == 3
    assert (await conversation(database)).step == "q:free-time"


async def test_chat_link_follows_the_participant(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine, chat_id=111)
    await consent(chat, survey)
    chat.chat_id = 222  # the same person, now on another device
    await chat.send(Command("help"))
    with database.transaction() as session:
        person = repo.find_participant(session, PSEUDONYM)
        assert person is not None
        link = session.get(ChatLink, person.id)
        assert link is not None
        assert link.chat_id == 222
    assert (await table_counts(database))["chat_links"] == 1


async def test_concurrent_deliveries_of_the_first_press_create_one_participant(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start("de-stroom"))
    data = find_button(welcome, t(survey, "button_consent_yes")).data
    update_id = next_update_id()
    incoming = Incoming(PSEUDONYM, Press(data), chat_id=CHAT_ID, update_id=update_id)
    responses = await asyncio.gather(engine.handle(incoming), engine.handle(incoming))
    assert sorted(r.duplicate for r in responses) == [False, True]
    counts = await table_counts(database)
    assert counts["participants"] == 1
    assert counts["participations"] == 1
    assert counts["conversations"] == 1
    assert counts["processed_updates"] == 1


async def test_edit_of_the_latest_answer_updates_it(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:holds-back")
    await chat.text("geen tijd", message_id=80)
    response = await chat.send(Edit("geen tijd door school", message_id=80))
    assert response.replies == []
    assert response.duplicate is False
    with database.transaction() as session:
        latest = (repo.answers_of(session, PSEUDONYM))[-1]
    assert latest.question_id == "holds-back"
    assert latest.text == "geen tijd door school"
    assert latest.edited_at is not None
    assert latest.message_id == 80
    assert (await table_counts(database))["answers"] == 4  # age, area, free-time, holds-back
    assert (await conversation(database)).step == "q:not-welcome"


async def test_edit_of_an_older_message_is_ignored(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:holds-back")
    await chat.text("geen tijd", message_id=81)
    await chat.text("nee", message_id=82)
    before = await snapshot(database)
    response = await chat.send(Edit("veranderd", message_id=81))
    assert response.replies == []
    assert await snapshot(database) == before
    with database.transaction() as session:
        answers = repo.answers_of(session, PSEUDONYM)
    assert [(a.text, a.edited_at) for a in answers[-2:]] == [("geen tijd", None), ("nee", None)]
    # An edit of a message that was never an answer is ignored too.
    await chat.send(Edit("???", message_id=999))
    assert await snapshot(database) == before


# ---------------------------------------------------------------------------
# Buttons that must not work


async def test_stale_button_changes_nothing(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start())
    first = await press(chat, welcome, t(survey, "button_consent_yes"))
    area = await press(chat, first, band_label(survey, "16-18"))
    await press(chat, area, option_label(survey, "area", "marke"))
    before = await snapshot(database)

    for old, label in [
        (first, band_label(survey, "13-15")),
        (first, band_label(survey, "under-13")),  # must not trigger the age gate
        (first, t(survey, "button_skip")),
        (area, option_label(survey, "area", "heule")),
        (area, t(survey, "button_skip")),
        (welcome, t(survey, "button_consent_yes")),
        (welcome, t(survey, "button_consent_no")),
    ]:
        response = await press(chat, old, label)
        assert response.notice == t(survey, "stale_button"), label
        assert response.replies == []
        assert response.origin is None
        assert response.step == "q:free-time"
        assert await snapshot(database) == before
    assert (await latest_participation(database)).age_band == "16-18"
    assert (await latest_participation(database)).area == "marke"


def _other_codec(kind: str, *args: str) -> Callable[[CallbackCodec], str]:
    return lambda _codec: CallbackCodec(b"another-secret").encode(kind, *args)


def _signed(kind: str, *args: str) -> Callable[[CallbackCodec], str]:
    return lambda codec: codec.encode(kind, *args)


def _raw(data: str) -> Callable[[CallbackCodec], str]:
    return lambda _codec: data


FORGED: dict[str, Callable[[CallbackCodec], str]] = {
    "made-up tag": _raw("a|age|13-15|AAAAAAAA"),
    "no tag": _raw("a|age|13-15"),
    "empty": _raw(""),
    "bar only": _raw("|"),
    "random": _raw("hallo wereld"),
    "random bars": _raw("x|yes|0000000000"),
    "emoji": _raw("💥" * 16),
    "too long": _raw("a|age|13-15|" + "A" * 200),
    "other secret answer": _other_codec("a", "age", "13-15"),
    "other secret under-13": _other_codec("a", "age", "under-13"),
    "other secret delete": _other_codec("x", "yes"),
    "other secret skip": _other_codec("s", "age"),
    "tag of other payload": lambda codec: (
        "a|age|22-25|" + codec.encode("a", "age", "13-15").rpartition("|")[2]
    ),
    "unknown kind": _signed("z", "age"),
    "too few parts": _signed("a", "age"),
    "too many parts": _signed("a", "age", "13-15", "extra"),
    "unknown band": _signed("a", "age", "twelve"),
    "toggle on a single choice": _signed("t", "age", "13-15"),
    "done on a single choice": _signed("d", "age"),
    "unknown language": _signed("l", "de", "-"),
    "unknown delete choice": _signed("x", "maybe"),
}


@pytest.mark.parametrize("make_data", FORGED.values(), ids=FORGED.keys())
async def test_forged_button_data_is_invalid_and_changes_nothing(
    engine: SurveyEngine,
    database: Database,
    survey: Survey,
    codec: CallbackCodec,
    make_data: Callable[[CallbackCodec], str],
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    before = await snapshot(database)
    response = await chat.send(Press(make_data(codec)))
    assert response.notice == t(survey, "invalid_button")
    assert response.replies == []
    assert response.origin is None
    assert response.step == "q:age"
    assert await snapshot(database) == before


@pytest.mark.parametrize(
    "make_data",
    [
        _other_codec("c", "yes", "nl", "bolwerk", "2026-11"),
        _raw("c|yes|nl|-|2026-11|AAAAAAAA"),
        _signed("c", "yes", "de", "-", "2026-11"),
        _signed("c", "yes", "nl", "-"),
        _signed("c", "maybe", "nl", "-", "2026-11"),
        _signed("l", "de", "-"),
    ],
    ids=[
        "other secret",
        "made-up tag",
        "unknown language",
        "too few parts",
        "unknown choice",
        "unknown language button",
    ],
)
async def test_forged_consent_creates_nobody(
    engine: SurveyEngine,
    database: Database,
    survey: Survey,
    codec: CallbackCodec,
    make_data: Callable[[CallbackCodec], str],
) -> None:
    chat = Chat(engine)
    response = await chat.send(Press(make_data(codec)), update_id=next_update_id())
    assert response.notice == t(survey, "invalid_button")
    assert response.replies == []
    await assert_all_tables_empty(database)


async def test_consent_from_a_welcome_with_an_older_privacy_text_asks_again(
    engine: SurveyEngine, database: Database, survey: Survey, codec: CallbackCodec
) -> None:
    chat = Chat(engine)
    response = await chat.send(Press(codec.encode("c", "yes", "nl", "-", "an-older-version")))
    assert [r.text for r in response.replies] == [
        t(survey, "consent_again"),
        t(survey, "welcome"),
    ]
    await assert_all_tables_empty(database)
    agreed = await chat.press(t(survey, "button_consent_yes"), response)
    assert agreed.step == f"q:{survey.questions[0].id}"
    stored = await participant(database)
    assert stored is not None and stored.consent_version == survey.privacy.version


async def test_signed_buttons_for_another_question_are_stale(
    engine: SurveyEngine, database: Database, survey: Survey, codec: CallbackCodec
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    before = await snapshot(database)
    for data in [
        codec.encode("a", "area", "heule"),
        codec.encode("s", "would-help"),
        codec.encode("t", "free-time", "sport"),
        codec.encode("d", "free-time"),
        codec.encode("o", "yes"),
        codec.encode("r"),
    ]:
        response = await chat.send(Press(data))
        assert response.notice == t(survey, "stale_button"), data
        assert await snapshot(database) == before


async def test_non_text_gets_text_only_and_the_question_again(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:area")
    before = await snapshot(database)
    for kind in ["voice", "photo", "sticker", "location", "document"]:
        response = await chat.send(NonText(kind))
        assert [reply.text for reply in response.replies][:1] == [t(survey, "text_only")]
        assert len(response.replies) == 2
        assert_prompt(survey, response.replies[1], "area")
        assert response.step == "q:area"
    assert await snapshot(database) == before
    await advance_to(chat, survey, OPT_IN)
    response = await chat.send(NonText("video"))
    assert [reply.text for reply in response.replies] == [
        t(survey, "text_only"),
        t(survey, "thanks"),
    ]


async def test_commands(engine: SurveyEngine, database: Database, survey: Survey) -> None:
    chat = Chat(engine)
    for name, key in [("help", "help"), ("privacy", "privacy"), ("bestaatniet", "unknown_command")]:
        response = await chat.send(Command(name))
        assert [reply.text for reply in response.replies] == [t(survey, key)]
    await assert_all_tables_empty(database)
    await consent(chat, survey, language="en")
    response = await chat.send(Command("help"))
    assert [reply.text for reply in response.replies] == [t(survey, "help", "en")]


# ---------------------------------------------------------------------------
# Deleting


async def test_delete_yes_removes_every_row_in_every_table(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey, code="stad-kortrijk")
    for _ in survey.questions:
        await answer_current(chat, survey)
    await chat.press(t(survey, "button_opt_in_yes"), update_id=next_update_id())
    await chat.text("nog iets", message_id=90, update_id=next_update_id())
    await consent(chat, survey, code="quindo")  # a second participation
    await chat.press(band_label(survey, "19-21"), update_id=next_update_id())
    await give_a_case(database)
    await give_an_offer(database)
    await give_a_sent_message(database)
    counts = await table_counts(database)
    assert all(counts[name] > 0 for name in counts), counts

    confirm = await chat.send(Command("delete"), update_id=next_update_id())
    assert [reply.text for reply in confirm.replies] == [t(survey, "delete_confirm")]
    assert button_labels(confirm) == [
        t(survey, "button_delete_yes"),
        t(survey, "button_delete_no"),
    ]
    response = await press(
        chat, confirm, t(survey, "button_delete_yes"), update_id=next_update_id()
    )
    assert [reply.text for reply in response.replies] == [t(survey, "deleted")]
    assert response.origin == Reply(t(survey, "delete_confirm"))
    assert response.step is None
    await assert_all_tables_empty(database)

    # Pressing it again finds nothing, and still stores nothing.
    response = await press(
        chat, confirm, t(survey, "button_delete_yes"), update_id=next_update_id()
    )
    assert [reply.text for reply in response.replies] == [t(survey, "nothing_to_delete")]
    await assert_all_tables_empty(database)


async def test_delete_in_english_answers_in_english(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey, language="en")
    confirm = await chat.send(Command("delete"))
    assert [reply.text for reply in confirm.replies] == [t(survey, "delete_confirm", "en")]
    response = await press(chat, confirm, t(survey, "button_delete_yes", "en"))
    assert [reply.text for reply in response.replies] == [t(survey, "deleted", "en")]
    await assert_all_tables_empty(database)


async def test_delete_leaves_other_participants_alone(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    other = Chat(engine, pseudonym=OTHER, chat_id=777)
    await consent(other, survey, code="bolwerk")
    await answer_current(other, survey)
    await other.text("Bissegem", message_id=1, update_id=next_update_id())
    before = await snapshot(database)

    chat = Chat(engine)
    await consent(chat, survey)
    await answer_current(chat, survey)
    await chat.text("iets", message_id=1, update_id=next_update_id())
    confirm = await chat.send(Command("delete"))
    await press(chat, confirm, t(survey, "button_delete_yes"))
    assert await participant(database) is None
    assert await snapshot(database) == before
    assert await answer_rows(database, OTHER) == [
        ("age", "16-18", None, False),
        ("area", "bissegem", "Bissegem", False),
    ]


async def test_delete_no_keeps_everything(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    asked = await advance_to(chat, survey, "q:holds-back")
    confirm = await chat.send(Command("delete"))
    before = await snapshot(database)
    response = await press(chat, confirm, t(survey, "button_delete_no"))
    assert [reply.text for reply in response.replies] == [t(survey, "delete_cancelled")]
    assert response.origin == Reply(t(survey, "delete_confirm"))
    assert await snapshot(database) == before
    assert len(await answer_rows(database)) == 3
    # The survey goes on where it was.
    response = await press(chat, asked, option_label(survey, "holds-back", "nothing"))
    assert response.step == "q:not-welcome"


# ---------------------------------------------------------------------------
# Restarts


async def test_state_survives_a_restart(
    engine: SurveyEngine,
    database: Database,
    database_url: str,
    survey: Survey,
    codec: CallbackCodec,
) -> None:
    chat = Chat(engine)
    await consent(chat, survey, code="groep-intro")
    free_time = await advance_to(chat, survey, "q:free-time")
    await chat.press(option_label(survey, "free-time", "youth-centre"))
    repeated = next_update_id()
    await chat.press(option_label(survey, "free-time", "creative"), update_id=repeated)
    await chat.send(Command("stop"))
    database.dispose()

    # A brand-new process: new Database, new engine, same URL and secret.
    restarted_database = Database(database_url)
    try:
        restarted = SurveyEngine(survey, restarted_database, CallbackCodec(TEST_SECRET))
        assert restarted.codec.encode("r") == codec.encode("r")
        chat.engine = restarted

        # A redelivery from before the restart is still recognised.
        creative = option_label(survey, "free-time", "creative")
        response = await restarted.handle(
            Incoming(
                PSEUDONYM,
                Press(find_button(free_time, creative).data),
                chat_id=CHAT_ID,
                update_id=repeated,
            )
        )
        assert response.duplicate is True

        response = await chat.text("hallo?")
        assert [reply.text for reply in response.replies] == [t(survey, "paused_reminder")]
        response = await chat.send(Start())
        assert [reply.text for reply in response.replies][:1] == [t(survey, "resumed")]
        assert response.step == "q:free-time"
        labels = button_labels(response)
        assert f"✅ {option_label(survey, 'free-time', 'youth-centre')}" in labels
        assert f"✅ {creative}" in labels

        # Buttons sent before the restart still work.
        response = await press(chat, free_time, t(survey, "button_done"))
        assert response.step == "q:holds-back"
        assert (await answer_rows(restarted_database))[-1] == (
            "free-time",
            "youth-centre,creative",
            None,
            False,
        )
        [stored] = await participations(restarted_database)
        assert stored.source == "groep-intro"
        assert stored.age_band == "16-18"
    finally:
        restarted_database.dispose()


# ---------------------------------------------------------------------------
# Telegram's limits over whole runs


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
async def test_every_reply_fits_telegram_limits(
    engine: SurveyEngine, survey: Survey, language: str
) -> None:
    longest_source = max((s.id for s in survey.sources), key=len)
    chat = Chat(engine)
    await chat.send(Command("help"))
    await chat.send(Command("privacy"))
    await chat.send(Command("language"))
    await consent(chat, survey, code=longest_source, language=language)
    await chat.text("x" * TELEGRAM_TEXT_LIMIT, message_id=1)  # a very long reply to age
    question = survey.question("free-time")
    assert question is not None
    await advance_to(chat, survey, "q:free-time", language)
    for option in question.options:
        await chat.press(option.label[language])  # tick everything
    await chat.press(t(survey, "button_done", language))
    await chat.send(Command("stop"))
    await chat.text("?")
    await chat.send(Start())
    await chat.send(NonText("photo"))
    await advance_to(chat, survey, OPT_IN, language)
    await chat.press(t(survey, "button_opt_in_yes", language))
    await chat.text("y" * TELEGRAM_TEXT_LIMIT)
    confirm = await chat.send(Command("delete"))
    await press(chat, confirm, t(survey, "button_delete_no", language))

    # Every response was checked by Chat.send; make sure there were buttons to check.
    all_data = [
        button.data
        for response in chat.seen
        for keyboard in keyboards(response)
        for row in keyboard
        for button in row
    ]
    assert len(all_data) > 50
    assert max(len(data.encode("utf-8")) for data in all_data) <= TELEGRAM_DATA_LIMIT
    texts = [reply.text for response in chat.seen for reply in response.replies]
    assert max(utf16_length(text) for text in texts) <= TELEGRAM_TEXT_LIMIT
