"""Themes in the conversation: reflect back, let the young person pick, never wait, never lose.

The branches depend on how sure the classifier is, so most tests put a
scripted theme backend (``ScriptedThemes``: a test double, named as such)
behind the real ``Analyser`` and the real distress detector. One test at the
end runs the real built-in classifier end to end.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.engine import Edit, Press, Start, SurveyEngine
from nlu.distress import DistressDetector
from nlu.service import Analyser, BuiltinService, builtin_classifier
from privacy.identity import CallbackCodec
from storage import Database
from storage import repository as repo
from survey.config import Survey
from tests.support.chat import (
    Chat,
    advance_to,
    assert_all_tables_empty,
    assert_prompt,
    consent,
    conversation,
    open_answers,
    prompt_text,
    t,
)
from tests.support.themes import SCRIPTED_VERSION, ScriptedThemes


@pytest.fixture(scope="session")
def detector() -> DistressDetector:
    return DistressDetector.default()


@pytest.fixture
def themes(survey: Survey) -> ScriptedThemes:
    return ScriptedThemes(survey)


@pytest.fixture
def nlu_engine(
    survey: Survey,
    database: Database,
    codec: CallbackCodec,
    themes: ScriptedThemes,
    detector: DistressDetector,
) -> SurveyEngine:
    analyser = Analyser(themes, detector, survey.nlu.timeout_seconds)
    return SurveyEngine(survey, database, codec, analyser)


def words(survey: Survey, theme: str, language: str = "nl") -> str:
    found = survey.theme(theme)
    assert found is not None
    return found.words[language]


def check_text(survey: Survey, *theme_ids: str, language: str = "nl") -> str:
    named = ", ".join(words(survey, theme, language) for theme in theme_ids)
    return t(survey, "themes_check", language, themes=named)


async def at_holds_back(chat: Chat, survey: Survey) -> None:
    await consent(chat, survey)
    await advance_to(chat, survey, "q:holds-back")


async def test_a_confident_answer_is_reflected_back_and_confirmed(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("te duur en te ver", cost=0.92, transport=0.71, time=0.1)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)

    check = await chat.text("te duur en te ver")
    assert check.step == "check:holds-back"
    assert [r.text for r in check.replies] == [check_text(survey, "cost", "transport")]
    [stored] = await open_answers(database, "holds-back")
    assert stored.themes == ["cost", "transport"]
    assert stored.theme_scores is not None and stored.theme_scores["cost"] == 0.92
    assert stored.model_version == SCRIPTED_VERSION and stored.classified_at is not None
    assert stored.confirmed_themes is None

    next_question = await chat.press(t(survey, "button_themes_right"))
    assert next_question.step == "q:not-welcome"
    assert_prompt(survey, next_question.replies[0], "not-welcome")
    assert next_question.origin is not None
    assert next_question.origin.text.endswith(f"→ {t(survey, 'button_themes_right')}")
    [stored] = await open_answers(database, "holds-back")
    assert stored.confirmed_themes == ["cost", "transport"]
    assert stored.confirmed_at is not None


async def test_not_quite_lets_them_pick_the_themes_that_fit(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("mijn ma wil nie", family=0.8, cost=0.2, time=0.15, social=0.1, language=0.05)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    await chat.text("mijn ma wil nie")

    pick = await chat.press(t(survey, "button_themes_wrong"))
    assert pick.step == "pick:holds-back"
    [prompt] = pick.replies
    assert prompt.text == t(survey, "themes_pick")
    labels = [b.label for row in prompt.buttons for b in row]
    # The best four barriers by score, then "Iets anders", then Klaar; nothing pre-ticked.
    assert labels == [
        words(survey, "family"),
        words(survey, "cost"),
        words(survey, "time"),
        words(survey, "social"),
        words(survey, "other"),
        t(survey, "button_themes_done"),
    ]

    ticked = await chat.press(words(survey, "time"), pick)
    assert ticked.origin is not None
    assert f"✅ {words(survey, 'time')}" in [b.label for row in ticked.origin.buttons for b in row]
    await chat.press(words(survey, "other"), pick)
    await chat.press(words(survey, "cost"), pick)
    await chat.press(words(survey, "cost"), pick)  # ticked, then unticked again
    assert (await conversation(database)).pending == ["time", "other"]

    done = await chat.press(t(survey, "button_themes_done"), pick)
    assert done.step == "q:not-welcome"
    assert done.origin is not None
    assert done.origin.text.endswith(f"→ {words(survey, 'time')}, {words(survey, 'other')}")
    [stored] = await open_answers(database, "holds-back")
    assert stored.themes == ["family"]  # the prediction is kept as it was
    assert stored.confirmed_themes == ["time", "other"]


async def test_an_unsure_answer_goes_straight_to_picking(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("pff weet ik veel, het is gewoon zo", belonging=0.28, social=0.2)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    pick = await chat.text("pff weet ik veel, het is gewoon zo")
    assert pick.step == "pick:holds-back"
    assert pick.replies[0].text == t(survey, "themes_pick")

    done = await chat.press(t(survey, "button_themes_done"))
    assert done.step == "q:not-welcome"
    [stored] = await open_answers(database, "holds-back")
    assert stored.confirmed_themes == []  # Klaar with nothing ticked: none of these fit


async def test_a_confident_but_low_best_score_asks_to_pick_not_to_confirm(
    nlu_engine: SurveyEngine, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("geen tijd denk ik", time=0.45)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    response = await chat.text("geen tijd denk ik")
    assert response.step == "pick:holds-back"


async def test_noise_gets_no_theme_step(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("idk 🤷", interest=0.05)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    response = await chat.text("idk 🤷")
    assert response.step == "q:not-welcome"
    [stored] = await open_answers(database, "holds-back")
    assert stored.themes == [] and stored.classified_at is not None


async def test_a_backend_that_is_down_never_blocks_the_conversation(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.fails("het lidgeld is te hoog")
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    response = await chat.text("het lidgeld is te hoog")
    assert response.step == "q:not-welcome"
    [stored] = await open_answers(database, "holds-back")
    assert stored.text == "het lidgeld is te hoog"
    assert stored.themes is None and stored.classified_at is None  # for `nlu reclassify`
    with database.transaction() as session:
        assert repo.count_to_classify(session) == 1


async def test_a_backend_slower_than_the_budget_is_not_waited_for(
    survey: Survey,
    database: Database,
    codec: CallbackCodec,
    themes: ScriptedThemes,
    detector: DistressDetector,
) -> None:
    themes.hangs("het lidgeld is te hoog", 30.0)
    engine = SurveyEngine(survey, database, codec, Analyser(themes, detector, 0.2))
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    # The guard only keeps a broken budget from hanging the suite; the budget is 0.2 s.
    response = await asyncio.wait_for(chat.text("het lidgeld is te hoog"), timeout=10)
    assert response.step == "q:not-welcome"
    [stored] = await open_answers(database, "holds-back")
    assert stored.classified_at is None


async def test_a_question_can_turn_the_theme_step_off(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    question = survey.question("would-help")
    assert question is not None and not question.confirm_themes
    themes.says("gratis lidgeld", cost=0.95)
    chat = Chat(nlu_engine)
    await consent(chat, survey)
    await advance_to(chat, survey, "q:would-help")
    response = await chat.text("gratis lidgeld")
    assert response.step == "opt_in"
    [stored] = await open_answers(database, "would-help")
    assert stored.themes == ["cost"] and stored.confirmed_themes is None


async def test_typed_yes_confirms_and_other_words_are_kept(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("te duur", cost=0.9)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    await chat.text("te duur")

    more = await chat.text("en mijn fiets is kapot")
    assert more.step == "check:holds-back"
    assert [r.text for r in more.replies] == [
        t(survey, "themes_pending"),
        check_text(survey, "cost"),
    ]
    yes = await chat.text("Ja!")
    assert yes.step == "q:not-welcome"
    answers = await open_answers(database, "holds-back")
    assert [a.text for a in answers] == ["te duur", "en mijn fiets is kapot"]
    assert answers[0].confirmed_themes == ["cost"]  # the answer the question was about
    assert answers[1].confirmed_themes is None


async def test_theme_buttons_are_stale_once_answered_and_forged_themes_are_invalid(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("te duur", cost=0.9)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    check = await chat.text("te duur")
    await chat.press(t(survey, "button_themes_right"), check)

    again = await chat.press(t(survey, "button_themes_wrong"), check)
    assert again.notice == t(survey, "stale_button") and again.replies == []

    themes.says("ik ken niemand", social=0.4)
    pick = await chat.text("ik ken niemand")
    assert pick.step == "pick:not-welcome"
    forged = await chat.send(Press(nlu_engine.codec.encode("g", "not-welcome", "discrimination")))
    assert forged.notice == t(survey, "invalid_button")
    unknown = await chat.send(Press(nlu_engine.codec.encode("g", "not-welcome", "astrology")))
    assert unknown.notice == t(survey, "invalid_button")
    assert (await conversation(database)).pending == []


async def test_start_resumes_at_the_theme_step_with_the_ticks(
    nlu_engine: SurveyEngine, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("ik ken niemand", social=0.4, belonging=0.3)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    pick = await chat.text("ik ken niemand")
    await chat.press(words(survey, "belonging"), pick)

    resumed = await chat.send(Start())
    assert [r.text for r in resumed.replies] == [t(survey, "resumed"), t(survey, "themes_pick")]
    labels = [b.label for row in resumed.replies[1].buttons for b in row]
    assert f"✅ {words(survey, 'belonging')}" in labels


async def test_the_theme_step_speaks_the_participants_language(
    nlu_engine: SurveyEngine, survey: Survey, themes: ScriptedThemes
) -> None:
    themes.says("it's too expensive", cost=0.9)
    chat = Chat(nlu_engine)
    await consent(chat, survey, language="fr")
    await advance_to(chat, survey, "q:holds-back", language="fr")
    check = await chat.text("it's too expensive")
    assert [r.text for r in check.replies] == [check_text(survey, "cost", language="fr")]
    labels = [b.label for row in check.replies[0].buttons for b in row]
    assert labels == [
        t(survey, "button_themes_right", "fr"),
        t(survey, "button_themes_wrong", "fr"),
    ]


# ---------------------------------------------------------------------------
# Distress: helplines at once, whatever the step


async def test_distress_is_answered_with_helplines_first_and_flagged(
    nlu_engine: SurveyEngine, database: Database, survey: Survey, themes: ScriptedThemes
) -> None:
    text = "ik zie het allemaal niet meer zitten, ik wil er niet meer zijn"
    themes.says(text, confidence=0.9)
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    response = await chat.text(text)
    assert response.distress and response.distress[0] == "suicide"
    assert response.replies[0].text.startswith(t(survey, "distress_alarm"))
    assert "102" in response.replies[0].text and "1813" in response.replies[0].text
    # Not the moment for a quiz about themes, nor for the next question: it waits.
    assert response.step == "q:not-welcome"
    assert response.replies[1].text == t(survey, "distress_paused")
    [stored] = await open_answers(database, "holds-back")
    assert stored.distress is True


async def test_editing_a_distress_message_away_keeps_the_flag(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    await chat.text("ik wil er niet meer zijn", message_id=71)
    await chat.send(Edit("laat maar, het lidgeld is te duur", 71))
    [stored] = await open_answers(database, "holds-back")
    assert stored.text == "laat maar, het lidgeld is te duur"
    assert stored.distress is True


async def test_abuse_gets_the_abuse_helplines(nlu_engine: SurveyEngine, survey: Survey) -> None:
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    response = await chat.text("mijn stiefvader slaat me als hij gedronken heeft")
    assert set(response.distress) >= {"abuse"}
    assert response.replies[0].text.startswith(t(survey, "distress_not_your_fault"))
    assert "1712" in response.replies[0].text


async def test_distress_before_consent_gets_helplines_and_stores_nothing(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(nlu_engine)
    response = await chat.text("ik wil dood")
    assert response.replies[0].text.startswith(t(survey, "distress_alarm"))
    assert response.replies[1].text == t(survey, "distress_later")
    await assert_all_tables_empty(database)


async def test_an_ordinary_answer_is_not_distress(
    nlu_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(nlu_engine)
    await at_holds_back(chat, survey)
    response = await chat.text("ik verveel me dood op die club, en mijn vader is streng")
    assert response.distress == ()
    assert not any(r.text.startswith(t(survey, "distress_alarm")) for r in response.replies)
    [stored] = await open_answers(database, "holds-back")
    assert stored.distress is False


# ---------------------------------------------------------------------------
# The real built-in classifier, end to end


@pytest.fixture(scope="session")
def builtin_service(survey: Survey, tmp_path_factory: pytest.TempPathFactory) -> BuiltinService:
    model_dir = tmp_path_factory.mktemp("models")
    return BuiltinService(builtin_classifier(model_dir, survey.theme_ids, survey.nlu.threshold))


async def test_the_builtin_classifier_drives_the_theme_step(
    survey: Survey,
    database: Database,
    codec: CallbackCodec,
    builtin_service: BuiltinService,
    detector: DistressDetector,
) -> None:
    engine = SurveyEngine(survey, database, codec, Analyser(builtin_service, detector, 5.0))
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    response = await chat.text("het lidgeld is veel te duur en mijn ouders hebben geen geld")
    assert response.step in ("check:holds-back", "pick:holds-back")
    [stored] = await open_answers(database, "holds-back")
    assert stored.model_version == builtin_service.version
    assert stored.theme_scores is not None and set(stored.theme_scores) == set(survey.theme_ids)
    assert "cost" in (stored.themes or [])
    if response.step == "check:holds-back":
        assert words(survey, "cost") in response.replies[0].text
        await chat.press(t(survey, "button_themes_right"))
    else:
        await chat.press(words(survey, "cost"))
        await chat.press(t(survey, "button_themes_done"))
    [stored] = await open_answers(database, "holds-back")
    assert stored.confirmed_themes is not None and "cost" in stored.confirmed_themes
    assert prompt_text(survey, "not-welcome") in [r.text for r in chat.last.replies]
