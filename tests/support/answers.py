"""A small, known set of stored answers for export and label tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from storage import Answer, ChatLink, Database, Participant, Participation

TELEGRAM_ID = 7_700_123_456
FORMULA = "=cmd|' /C calc'!A0"
PHONE = "bel me op 0470 12 34 56"
EMAIL = "mail naar lisa.peeters@gmail.com"


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
            text=PHONE,
            themes=["information"],
            theme_scores={"information": 0.3},
            model_version="builtin-test",
            staff_themes=["registration"],
        )
        answer("email", second, question_id="not-welcome", text=EMAIL, distress=True)
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
