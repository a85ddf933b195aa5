"""Known data stored in a test database: the rows a test then looks for in what comes out.

- ``seed_answers``: three participants, for the export and label tests;
- ``seed_meeting``: forty participants over two months, for the findings report;
- ``seed_demo``: the synthetic demo data (reports/demo), in bulk, for the benchmarks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from reports.demo.generator import fill_demo
from storage import Answer, ChatLink, Database, OfferShown, Participant, Participation
from survey.config import load_survey
from tests.support.paths import CONFIG
from tests.support.rows import theme_scores

PHONE = "0470 12 34 56"
EMAIL = "lisa.peeters@gmail.com"
PHONE_TEXT = f"bel me op {PHONE}"
EMAIL_TEXT = f"mail naar {EMAIL}"
TELEGRAM_ID = 7_700_123_456
FORMULA = "=cmd|' /C calc'!A0"
DISTRESS_TEXT = "ik wil er niet meer zijn, niemand mag dit weten xq7"
LIBRARY_TEXTS = (
    "de bibliotheek sluit te vroeg om er te studeren",
    "ik kan nergens studeren want de bibliotheek is dicht na vijf uur",
    "bibliotheek dicht op zaterdag dus geen rustige studieplek",
    "thuis is het te druk om te studeren en de bibliotheek sluit vroeg",
    "een studieplek in de bibliotheek is er nooit na school",
    "de bibliotheek gaat dicht net als ik wil studeren",
    "geen studieplek: de bibliotheek sluit altijd te vroeg",
)
NOISE_TEXTS = (
    "mijn hond is ziek en ik moet voor hem zorgen",
    "het regent altijd in het weekend, dan heb ik geen zin",
    "mijn fiets is gestolen vorige week aan het station",
    "ik speel liever gitaar op mijn kamer dan buiten",
    "de muziek in de sporthal staat veel te luid voor mij",
)


# ---------------------------------------------------------------------------
# seed_answers


@dataclass
class Seeded:
    """Ids and pseudonyms of what ``seed_answers`` stored."""

    pseudonyms: list[str] = field(default_factory=list)
    answer_ids: dict[str, int] = field(default_factory=dict)  # label -> id


def _pseudonym(number: int) -> str:
    return f"{number:02x}" * 32


def seed_answers(database: Database) -> Seeded:
    """Three participants: two finished (bolwerk, quindo), one still busy (no source)."""
    seeded = Seeded()
    scores = {"cost": 0.82, "transport": 0.41, "time": 0.05}
    with database.transaction() as session:
        people = []
        for number, (source, finished) in enumerate(
            [("bolwerk", True), ("quindo", True), (None, False)], start=1
        ):
            participant = Participant(
                pseudonym=_pseudonym(0xA0 + number), language="nl", consent_version="2026-11"
            )
            session.add(participant)
            session.flush()
            session.add(ChatLink(participant_id=participant.id, chat_id=TELEGRAM_ID + number))
            participation = Participation(
                participant_id=participant.id,
                source=source,
                language="nl",
                age_band="16-18",
                area="heule",
                started_at=datetime(2026, 10, number, 9, 0, tzinfo=UTC),
                finished_at=datetime(2026, 10, number, 9, 30, tzinfo=UTC) if finished else None,
            )
            session.add(participation)
            session.flush()
            people.append(participation)
            seeded.pseudonyms.append(participant.pseudonym)

        def answer(label: str, participation: Participation, **values: object) -> None:
            day = participation.started_at
            row = Answer(
                participation_id=participation.id,
                created_at=day.replace(minute=5 + len(seeded.answer_ids)),
                **values,
            )
            session.add(row)
            session.flush()
            seeded.answer_ids[label] = row.id

        first, second, third = people
        answer("age", first, question_id="age", button_value="16-18")
        answer(
            "cost",
            first,
            question_id="holds-back",
            text="te duur en de bus rijdt niet",
            themes=["cost", "transport"],
            theme_scores=scores,
            model_version="builtin-test",
            confirmed_themes=["cost", "transport"],
        )
        answer("formula", first, question_id="would-help", text=FORMULA)
        answer(
            "phone",
            second,
            question_id="holds-back",
            text=PHONE_TEXT,
            themes=["information"],
            theme_scores={"information": 0.3},
            model_version="builtin-test",
            staff_themes=["registration"],
        )
        answer("email", second, question_id="not-welcome", text=EMAIL_TEXT, distress=True)
        answer("skipped", third, question_id="free-time", skipped=True)
        answer(
            "time",
            third,
            question_id="holds-back",
            text="geen tijd door school",
            themes=["time"],
            theme_scores={"time": 0.9},
            model_version="builtin-test",
            confirmed_themes=[],
        )
    return seeded


# ---------------------------------------------------------------------------
# seed_meeting


@dataclass
class Planted:
    """What ``seed_meeting`` stored, to check the report against."""

    participants: int = 0
    pii_answer_ids: list[int] = field(default_factory=list)
    distress_answer_id: int = 0
    library_answer_ids: list[int] = field(default_factory=list)


def seed_meeting(database: Database) -> Planted:
    """40 participants over two months with known themes, PII, distress and a new signal.

    - 37 live in the centre, 3 in Kooigem (a small area, so its every count is hidden);
    - everybody names ``cost``; the even ones also ``transport``; participant 0 says
      "te duur" five times (it must still count once);
    - participants 0-5 mention space with a phone number or an e-mail address;
    - participants 10-16 say something about the library that no theme covers (``other``);
    - participant 39 wrote a distress message, which must never be quoted.
    """
    planted = Planted()
    start = datetime(2026, 10, 6, 16, 0, tzinfo=UTC)
    with database.transaction() as session:
        for number in range(40):
            moment = start + timedelta(days=number)  # 6 October to 14 November
            participant = Participant(pseudonym=f"{number:064x}", language="nl")
            session.add(participant)
            session.flush()
            participation = Participation(
                participant_id=participant.id,
                source="bolwerk" if number < 24 else "quindo",
                language="nl",
                age_band="13-15" if number % 2 else "16-18",
                area="kooigem" if number >= 37 else "centrum",
                started_at=moment,
                finished_at=moment + timedelta(minutes=9),
            )
            session.add(participation)
            session.flush()
            minute = iter(range(60))

            def answer(question: str, text: str | None, **values: Any) -> Answer:
                row = Answer(
                    participation_id=participation.id,  # noqa: B023 - used at once
                    question_id=question,
                    text=text,
                    created_at=moment + timedelta(minutes=next(minute)),  # noqa: B023
                    **values,
                )
                session.add(row)
                session.flush()
                return row

            def predicted(themes: tuple[str, ...], best: float = 0.9) -> dict[str, Any]:
                return {
                    "themes": list(themes),
                    "theme_scores": theme_scores(themes, best),
                    "model_version": "test",
                }

            answer("age", None, button_value=participation.age_band)
            answer("area", None, button_value=participation.area)
            themes = ("cost", "transport") if number % 2 == 0 else ("cost",)
            answer(
                "holds-back",
                "het lidgeld is te duur en de bus rijdt niet" if number % 2 == 0 else "te duur",
                **predicted(themes),
                confirmed_themes=list(themes),
            )
            if number == 0:
                for _ in range(4):
                    answer("not-welcome", "te duur, echt te duur", **predicted(("cost",)))
            if number < 6:
                contact = f"bel me op {PHONE}" if number % 2 else f"mail naar {EMAIL}"
                row = answer(
                    "not-welcome",
                    f"er is geen plek om te chillen in de buurt, {contact}",
                    **predicted(("space",)),
                )
                planted.pii_answer_ids.append(row.id)
            if 10 <= number < 17:
                row = answer(
                    "not-welcome", LIBRARY_TEXTS[number - 10], **predicted(("other",), 0.3)
                )
                planted.library_answer_ids.append(row.id)
            if 20 <= number < 25:
                answer("not-welcome", NOISE_TEXTS[number - 20], **predicted(("time",), 0.2))
            if number == 39:
                row = answer("not-welcome", DISTRESS_TEXT, **predicted(("space",)), distress=True)
                planted.distress_answer_id = row.id
            if number < 8:
                answer(
                    "would-help",
                    "goedkoper lidgeld en een busje naar de sporthal",
                    **predicted(("cost", "transport")),
                )
            # Offers (the shipped examples of offers.yml): 20 shown the UiTPAS rate for cost,
            # 8 of them tapped it; 3 shown the buddy for social (too few to show).
            if number < 20:
                session.add(
                    OfferShown(
                        participant_id=participant.id,
                        offer_id="voorbeeld-kansentarief",
                        themes=["cost"],
                        shown_at=moment + timedelta(minutes=2),
                        tapped_at=moment + timedelta(minutes=3) if number < 8 else None,
                    )
                )
            if number < 3:
                session.add(
                    OfferShown(
                        participant_id=participant.id,
                        offer_id="voorbeeld-buddy",
                        themes=["social"],
                        shown_at=moment + timedelta(minutes=2),
                    )
                )
            planted.participants += 1
    return planted


# ---------------------------------------------------------------------------
# seed_demo


def seed_demo(url: str, participants: int, answers: int) -> float:
    """Migrate a fresh database and fill it with demo data; the seconds the filling took."""
    database = Database(url)
    try:
        database.migrate()
        started = time.perf_counter()
        fill_demo(database, load_survey(CONFIG), participants=participants, answers=answers)
        return time.perf_counter() - started
    finally:
        database.dispose()
