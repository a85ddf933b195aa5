"""Offers that answer a confirmed barrier: which, when, never twice, never after distress.

A scripted theme backend (``ScriptedThemes``, a test double named as such) makes
the classifier's answer certain; the distress detector is the real one. The
catalogue is built here, so each test says which offers exist and when they run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.engine import Response, SurveyEngine
from nlu.distress import DistressDetector
from nlu.service import Analyser
from privacy.identity import CallbackCodec
from storage import Database, OfferShown
from survey.config import Survey
from survey.offers import Catalogue
from tests.support.chat import (
    Chat,
    advance_to,
    band_label,
    consent,
    option_label,
    prompt_text,
    t,
)
from tests.support.clock import Clock
from tests.support.themes import ScriptedThemes

TODAY = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
TOO_EXPENSIVE = "het lidgeld is te duur"
TOO_FAR = "het is te ver en er rijdt geen bus"
ALARM = "ik wil niet meer leven, niemand zou me missen"
UNSURE = "weet ik nie goed"


def offer(offer_id: str, themes: list[str], **extra: Any) -> dict[str, Any]:
    """An offer as offers.yml holds it, in the three languages."""
    return {
        "id": offer_id,
        "title": {lang: f"{offer_id} ({lang})" for lang in ("nl", "en", "fr")},
        "partner": "Bolwerk",
        "text": {lang: f"Over {offer_id}." for lang in ("nl", "en", "fr")},
        "themes": themes,
        "link": f"https://example.org/{offer_id}",
        **extra,
    }


CATALOGUE = Catalogue.model_validate(
    {
        "offers": [
            offer("kansentarief", ["cost"]),
            offer("voorbij", ["cost"], ends="2026-12-06"),  # ended yesterday
            offer("straks", ["cost"], starts="2026-12-08"),  # starts tomorrow
            offer("voor-kinderen", ["cost"], max_age=12),
            offer("heule-bus", ["transport"], areas=["heule"]),
            offer("gratis-eerst", ["cost", "confidence"], min_age=16, max_age=18),
            offer("uitpas", ["cost"]),
            offer("buddy", ["cost", "social"]),  # a fourth match for cost: one too many
        ]
    }
)


@pytest.fixture
def themes(survey: Survey) -> ScriptedThemes:
    scripted = ScriptedThemes(survey)
    scripted.says(TOO_EXPENSIVE, cost=0.93)
    scripted.says(TOO_FAR, transport=0.9)
    scripted.says(UNSURE, cost=0.3, time=0.2)
    return scripted


@pytest.fixture
def offering_engine(
    survey: Survey, database: Database, codec: CallbackCodec, themes: ScriptedThemes
) -> SurveyEngine:
    analyser = Analyser(themes, DistressDetector.default(), survey.nlu.timeout_seconds)
    return SurveyEngine(survey, database, codec, analyser, Clock(TODAY), catalogue=CATALOGUE)


def offers_in(response: Response, survey: Survey) -> list[str]:
    """The offer ids of the "Misschien helpt dit:" message in a response ([] when none)."""
    intro = t(survey, "offers_intro")
    shown = [reply for reply in response.replies if reply.text.startswith(intro)]
    if not shown:
        return []
    [message] = shown
    return [offer.id for offer in CATALOGUE.offers if f"⭐ {offer.title['nl']} " in message.text]


def interested(survey: Survey, offer_id: str) -> str:
    found = CATALOGUE.offer(offer_id)
    assert found is not None
    return t(survey, "button_offer", title=found.title["nl"])


def rows(database: Database) -> list[tuple[str, list[str], bool]]:
    with database.transaction() as session:
        found = session.execute(select(OfferShown).order_by(OfferShown.id)).scalars()
        return [(row.offer_id, row.themes, row.tapped_at is not None) for row in found]


async def to_the_end(chat: Chat, survey: Survey) -> Response:
    """Answer what is left (the last question in plain words) up to the opt-in."""
    await advance_to(chat, survey, "q:would-help")
    return await chat.text("een goedkopere bus")


async def say_and_confirm(chat: Chat, survey: Survey, text: str = TOO_EXPENSIVE) -> Response:
    """Answer the open question being asked and tap Klopt on the themes reflected back."""
    await chat.text(text)
    return await chat.press(t(survey, "button_themes_right"))


async def to_holds_back(chat: Chat, survey: Survey, area: str = "overleie") -> None:
    """Consent, age 16–18, the given area and sport: the first open question."""
    await consent(chat, survey)
    await chat.press(band_label(survey, "16-18"))
    await chat.press(option_label(survey, "area", area))
    await advance_to(chat, survey, "q:holds-back")


async def test_a_confirmed_barrier_brings_the_offers_that_fit_before_the_next_question(
    offering_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(offering_engine)
    await to_holds_back(chat, survey)
    check = await chat.text(TOO_EXPENSIVE)
    assert check.step == "check:holds-back"

    confirmed = await chat.press(t(survey, "button_themes_right"))
    # Ended, not yet started, for under-13s: never. Three at most, in catalogue order.
    assert offers_in(confirmed, survey) == ["kansentarief", "gratis-eerst", "uitpas"]
    assert confirmed.step == "q:not-welcome"
    assert confirmed.replies[-1].text.endswith(prompt_text(survey, "not-welcome"))
    message = confirmed.replies[0]
    assert "→ https://example.org/kansentarief" in message.text
    assert "(Bolwerk)" in message.text
    assert [row[0].label for row in message.buttons] == [
        interested(survey, "kansentarief"),
        interested(survey, "gratis-eerst"),
        interested(survey, "uitpas"),
    ]
    assert rows(database) == [
        ("kansentarief", ["cost"], False),
        ("gratis-eerst", ["cost"], False),
        ("uitpas", ["cost"], False),
    ]


async def test_interessant_is_stored_once_and_the_survey_goes_on(
    offering_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(offering_engine)
    await to_holds_back(chat, survey)
    confirmed = await say_and_confirm(chat, survey)

    tapped = await chat.press(interested(survey, "uitpas"), confirmed)
    assert tapped.notice == t(survey, "offer_tapped")
    assert tapped.replies == []
    again = await chat.press(interested(survey, "uitpas"), confirmed)
    assert again.notice == t(survey, "offer_tapped")
    assert [row for row in rows(database) if row[2]] == [("uitpas", ["cost"], True)]
    assert again.step == "q:not-welcome"  # a tap never moves the survey

    # /mydata shows what was shown to them and what they tapped.
    mydata = await chat.command("mydata")
    document = json.loads("".join(reply.text for reply in mydata.replies[1:]))
    assert [(o["offer"], o["tapped_at"] is not None) for o in document["offers"]] == [
        ("kansentarief", False),
        ("gratis-eerst", False),
        ("uitpas", True),
    ]


async def test_an_offer_is_never_shown_twice_and_the_next_ones_come_instead(
    offering_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(offering_engine)
    await to_holds_back(chat, survey)
    await say_and_confirm(chat, survey)

    # Cost again at the next open question: only the one left over.
    second = await say_and_confirm(chat, survey)
    assert offers_in(second, survey) == ["buddy"]
    finished = await to_the_end(chat, survey)
    end = await chat.press(t(survey, "button_opt_in_yes"), finished)
    assert offers_in(end, survey) == []

    # A new round by the same young person: nothing is left, so no message at all.
    await to_holds_back(chat, survey)
    third = await say_and_confirm(chat, survey)
    assert offers_in(third, survey) == []
    assert third.step == "q:not-welcome"
    assert [offer_id for offer_id, _, _ in rows(database)] == [
        "kansentarief",
        "gratis-eerst",
        "uitpas",
        "buddy",
    ]


async def test_an_offer_for_one_area_only_reaches_those_who_live_there(
    offering_engine: SurveyEngine, survey: Survey
) -> None:
    elsewhere = Chat(offering_engine, "pseudonym-from-overleie")
    await to_holds_back(elsewhere, survey, area="overleie")
    assert offers_in(await say_and_confirm(elsewhere, survey, TOO_FAR), survey) == []

    in_heule = Chat(offering_engine, "pseudonym-from-heule")
    await to_holds_back(in_heule, survey, area="heule")
    confirmed = await say_and_confirm(in_heule, survey, TOO_FAR)
    assert offers_in(confirmed, survey) == ["heule-bus"]


async def test_no_offer_in_a_round_where_distress_was_heard(
    offering_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(offering_engine)
    await to_holds_back(chat, survey)
    alarm = await chat.text(ALARM)
    assert alarm.distress_level is not None
    await chat.press(t(survey, "button_resume"))

    confirmed = await say_and_confirm(chat, survey)
    assert confirmed.step is not None and not confirmed.step.startswith("check:")
    assert offers_in(confirmed, survey) == []
    finished = await to_the_end(chat, survey)
    end = await chat.press(t(survey, "button_opt_in_yes"), finished)
    assert offers_in(end, survey) == []
    assert rows(database) == []


async def test_the_end_of_the_survey_offers_what_was_confirmed_and_not_yet_shown(
    offering_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(offering_engine, "pseudonym-who-picks")
    await to_holds_back(chat, survey)
    await chat.text(UNSURE)
    assert chat.last.step == "pick:holds-back"
    # Nothing ticked, Klaar: nothing confirmed, so nothing offered.
    picked = await chat.press(t(survey, "button_themes_done"))
    assert offers_in(picked, survey) == []
    finished = await to_the_end(chat, survey)
    end = await chat.press(t(survey, "button_opt_in_no"), finished)
    assert offers_in(end, survey) == []

    # Another young person confirms cost: the offers come at once, none are left at the end.
    other = Chat(offering_engine, "pseudonym-who-confirms")
    await to_holds_back(other, survey)
    await say_and_confirm(other, survey)
    finished = await to_the_end(other, survey)
    end = await other.press(t(survey, "button_opt_in_yes"), finished)
    assert offers_in(end, survey) == ["buddy"]
    assert end.replies[0].text == t(survey, "opt_in_yes")


async def test_a_tap_on_an_offer_taken_out_of_the_catalogue_is_stale(
    survey: Survey,
    database: Database,
    codec: CallbackCodec,
    themes: ScriptedThemes,
) -> None:
    analyser = Analyser(themes, DistressDetector.default(), survey.nlu.timeout_seconds)
    before = SurveyEngine(survey, database, codec, analyser, Clock(TODAY), catalogue=CATALOGUE)
    chat = Chat(before)
    await to_holds_back(chat, survey)
    confirmed = await say_and_confirm(chat, survey)

    shrunk = Catalogue(offers=tuple(o for o in CATALOGUE.offers if o.id != "uitpas"))
    after = SurveyEngine(survey, database, codec, analyser, Clock(TODAY), catalogue=shrunk)
    chat.engine = after
    gone = await chat.press(interested(survey, "uitpas"), confirmed)
    assert gone.notice == t(survey, "stale_button")
    assert not any(tapped for _, _, tapped in rows(database))


async def test_deleting_everything_deletes_the_offers_shown(
    offering_engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(offering_engine)
    await to_holds_back(chat, survey)
    await say_and_confirm(chat, survey)
    assert rows(database)
    confirm = await chat.command("delete")
    await chat.press(t(survey, "button_delete_yes"), confirm)
    assert rows(database) == []
