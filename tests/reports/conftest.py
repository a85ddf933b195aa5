"""Report fixtures: a small, fully known group of participants for the findings report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from storage import Answer, Database, Participant, Participation
from storage.repository import TranscriptRecord

PHONE = "0470 12 34 56"
EMAIL = "lisa.peeters@gmail.com"
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


@dataclass
class Planted:
    """What ``seed_meeting`` stored, to check the report against."""

    participants: int = 0
    pii_answer_ids: list[int] = field(default_factory=list)
    distress_answer_id: int = 0
    library_answer_ids: list[int] = field(default_factory=list)


def _scores(themes: tuple[str, ...], best: float) -> dict[str, float]:
    return {theme: round(best - 0.01 * index, 3) for index, theme in enumerate(themes)}


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
                    "theme_scores": _scores(themes, best),
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
            planted.participants += 1
    return planted


def record(
    pseudonym: str,
    answer_id: int,
    text: str | None,
    themes: tuple[str, ...] = (),
    *,
    question: str = "holds-back",
    confidence: float = 0.9,
    confirmed: list[str] | None = None,
    staff: list[str] | None = None,
    distress: bool = False,
    age_band: str | None = "16-18",
    area: str | None = "centrum",
    source: str | None = "bolwerk",
    moment: datetime | None = None,
) -> TranscriptRecord:
    """A stored answer as ``transcript_rows`` yields it, without a database."""
    return TranscriptRecord(
        pseudonym=pseudonym,
        participation_id=int(pseudonym[-4:], 16) + 1,
        answer_id=answer_id,
        created_at=moment or datetime(2026, 10, 1, 12, 0, tzinfo=UTC),
        question_id=question,
        text=text,
        button_value=None,
        skipped=False,
        language="nl",
        source=source,
        age_band=age_band,
        area=area,
        finished_at=None,
        themes=list(themes),
        theme_scores=_scores(themes, confidence) if themes else {},
        model_version="test",
        confirmed_themes=confirmed,
        staff_themes=staff,
        distress=distress,
    )
