"""Synthetic demo data (reports/demo/) and `jeugdstem demo`, run as the real command."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from reports.demo.data import DATA_FILE, DemoError, load_demo_data
from reports.demo.generator import DemoStats, fill_demo
from storage import Answer, Base, Database, Participant, Participation
from storage import state as turn_state
from survey.config import Survey
from tests.support.cli import run_jeugdstem

HEX64 = re.compile(r"^[0-9a-f]{64}$")
DEMO = load_demo_data()


def _plain(value: Any) -> Any:
    """A column value in a form that reads the same from SQLite and PostgreSQL."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite drops the zone
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def digest(database: Database) -> tuple[str, dict[str, int]]:
    """A hash of every demo row (ids included) and the row count of each table."""
    sha = hashlib.sha256()
    counts: dict[str, int] = {}
    with database.transaction() as session:
        for name in ("participants", "participations", "answers"):
            table = Base.metadata.tables[name]
            rows = session.execute(select(table).order_by(table.c.id)).all()
            counts[name] = len(rows)
            for row in rows:
                sha.update(repr([_plain(v) for v in row]).encode())
    return sha.hexdigest(), counts


def fresh_sqlite(path: Path) -> Database:
    database = Database(f"sqlite:///{path}")
    database.migrate()
    return database


@pytest.fixture
def reference(tmp_path: Path) -> Iterator[Database]:
    """A second, fresh SQLite database to fill beside the test's own."""
    database = fresh_sqlite(tmp_path / "reference.db")
    yield database
    database.dispose()


def test_the_same_seed_gives_the_same_rows_on_either_database(
    database: Database, reference: Database, survey: Survey, tmp_path: Path
) -> None:
    """PostgreSQL and SQLite hold byte-for-byte the same rows; another seed, other rows."""
    options: dict[str, Any] = {"participants": 60, "answers": 300, "seed": 7}
    stats = fill_demo(database, survey, **options)
    assert fill_demo(reference, survey, **options) == stats
    found, counts = digest(database)
    assert counts == {"participants": 60, "participations": stats.participations, "answers": 300}
    assert digest(reference) == (found, counts)

    other = fresh_sqlite(tmp_path / "other-seed.db")
    try:
        fill_demo(other, survey, **{**options, "seed": 8})
        assert digest(other)[0] != found
    finally:
        other.dispose()


def test_answers_are_spread_so_some_stop_early(database: Database, survey: Survey) -> None:
    """Exactly the answers asked for, in survey order; the unfinished lack the last questions."""
    stored: list[int] = []
    stats = fill_demo(database, survey, participants=50, answers=200, progress=stored.append)
    assert stored[-1] == 50
    order = [q.id for q in survey.questions]
    with database.transaction() as session:
        assert session.scalar(select(func.count(Participant.id))) == 50
        assert session.scalar(select(func.count(Answer.id))) == stats.answers == 200
        runs = session.execute(select(Participation.id, Participation.finished_at)).all()
        assert len(runs) == stats.participations
        asked: dict[int, list[str]] = {run: [] for run, _ in runs}
        for run, question in session.execute(
            select(Answer.participation_id, Answer.question_id).order_by(Answer.id)
        ):
            asked[run].append(question)
        # Ids come from sequences on PostgreSQL: the next ordinary insert must not collide.
        newcomer = turn_state.create_participant(session, "f" * 64, "nl", chat_id=None)
        assert newcomer.id > 50
    finished = [run for run, done in runs if done is not None]
    unfinished = [run for run, done in runs if done is None]
    assert finished and unfinished
    assert len(finished) == stats.finished
    for run in finished:
        assert asked[run] == order
    for run in unfinished:
        assert asked[run] == order[: len(asked[run])] and len(asked[run]) < len(order)


def test_by_default_everyone_answers_the_whole_survey(database: Database, survey: Survey) -> None:
    """No --answers: every question answered or skipped, once, in every participation."""
    stats = fill_demo(database, survey, participants=40)
    assert stats.answers == len(survey.questions) * stats.participations
    assert stats.finished == stats.participations >= 40
    with database.transaction() as session:
        per_run = session.execute(
            select(Answer.participation_id, func.count(Answer.id)).group_by(Answer.participation_id)
        ).all()
        unfinished = session.scalar(
            select(func.count(Participation.id)).where(Participation.finished_at.is_(None))
        )
    assert {count for _, count in per_run} == {len(survey.questions)}
    assert len(per_run) == stats.participations
    assert unfinished == 0


def _answers(database: Database) -> list[Answer]:
    with database.transaction() as session:
        return list(session.execute(select(Answer).order_by(Answer.id)).scalars())


def test_a_hundred_participants_have_everything_a_report_should_meet(
    database: Database, survey: Survey
) -> None:
    """PII, formula-like cells, two new signals, distress, labels; 64-hex pseudonyms only."""
    stats: DemoStats = fill_demo(database, survey, participants=100)
    answers = _answers(database)
    texts = [a.text for a in answers if a.text is not None]
    for special in (*DEMO.pii_texts, *DEMO.formula_texts):
        assert special.text in texts, special.text
    assert any(t.startswith("=") for t in texts) and any(t.startswith("-") for t in texts)

    confident = survey.nlu.confident
    for signal in DEMO.new_signals:
        about = [
            a
            for a in answers
            if a.text
            and any(word in a.text.lower() for word in signal.keywords)
            and a.themes == ["other"]
            and a.theme_scores
            and max(a.theme_scores.values()) < confident
        ]
        assert 20 <= len(about) <= 60, (signal.name, len(about))
        assert len({a.text for a in about}) >= 15, "the wording should vary"

    flagged = [a for a in answers if a.distress]
    assert 1 <= len(flagged) <= 0.015 * len(answers)
    assert stats.distress == len(flagged)
    staff = [a for a in answers if a.staff_themes is not None]
    assert staff and all(a.staff_labelled_by == "demo" for a in staff)
    assert any(a.staff_themes != a.themes for a in staff), "staff sometimes disagree"
    assert any(a.confirmed_themes for a in answers)
    theme_ids = set(survey.theme_ids)
    for answer in answers:
        if answer.text is None:
            # SQL NULL, not JSON 'null': "not classified" is read with IS NULL.
            assert answer.themes is None and answer.theme_scores is None
        elif answer.theme_scores is not None:
            assert set(answer.theme_scores) == theme_ids
            assert answer.model_version == "demo"

    with database.transaction() as session:
        unclassified = session.scalar(
            select(func.count(Answer.id)).where(Answer.text.is_(None), Answer.themes.is_(None))
        )
        pseudonyms = list(session.execute(select(Participant.pseudonym)).scalars())
    assert unclassified == sum(a.text is None for a in answers)
    assert len(pseudonyms) == 100 == len(set(pseudonyms))
    assert all(HEX64.match(p) for p in pseudonyms)


def test_the_data_file_steers_the_fill(database: Database, survey: Survey) -> None:
    """Weights and texts come from the data given: no opt-ins, only one free-time text."""
    data = DEMO.model_copy(
        update={
            "opt_in_share": 0.0,
            "multi_skip": 0.0,
            "multi_typed": 1.0,
            "free_time_texts": ("ik brei sokken",),
        }
    )
    fill_demo(database, survey, participants=40, data=data)
    with database.transaction() as session:
        opted_in = session.scalar(select(func.count()).where(Participant.notify_opt_in))
    free_time = [q.id for q in survey.questions if q.type == "multi_choice" and q.allow_text]
    typed = {a.text for a in _answers(database) if a.question_id in free_time}
    assert opted_in == 0
    assert typed == {"ik brei sokken"}


def broken(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of data.yml with one piece of text replaced."""
    text = DATA_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "data.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  nl: 88.0", "  nl: -1", "language_weights.nl: Input should be greater than"),
        ("opt_in_share: 0.35", "opt_in_share: 3.5", "opt_in_share: Input should be less than"),
        ("opt_in_share: 0.35", "opt_in_shares: 0.35", "opt_in_share: Field required"),
        ("        - \"moet op mijn broertjes letten\"", "        - \"moet thuis blijven\"",
         "new_signals.0: Value error, 'moet thuis blijven' contains none of the keywords"),
        ("free_time_texts:", "free_time_texts: [", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_broken_data_file_is_named_with_its_problem(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(DemoError) as raised:
        load_demo_data(path)
    message = str(raised.value)
    assert message.startswith(str(path)), message
    assert expected in message, message


# ---------------------------------------------------------------------------
# jeugdstem demo


def participant_count(url: str) -> int:
    database = Database(url)
    try:
        with database.transaction() as session:
            return int(session.scalar(select(func.count(Participant.id))) or 0)
    finally:
        database.dispose()


def test_demo_fills_an_empty_database_and_refuses_one_with_participants(tmp_path: Path) -> None:
    """Never mixed into real data by accident: --add is needed, and a repeated seed is refused."""
    url = f"sqlite:///{tmp_path / 'jeugdstem.db'}"
    first = run_jeugdstem(url, "demo", "--participants", "30", "--answers", "150")
    assert first.returncode == 0, first.stderr
    assert first.stderr.startswith("demo (seed 7): 30 participants")
    assert "150 answers" in first.stderr and len(first.stderr.strip().splitlines()) == 1
    assert participant_count(url) == 30

    again = run_jeugdstem(url, "demo", "--participants", "30")
    assert again.returncode == 1
    assert "already holds 30 participants" in again.stderr and "--add" in again.stderr
    assert participant_count(url) == 30

    same_seed = run_jeugdstem(url, "demo", "--participants", "30", "--answers", "150", "--add")
    assert same_seed.returncode == 1
    assert "another --seed" in same_seed.stderr
    assert participant_count(url) == 30, "a refused fill leaves nothing behind"

    added = run_jeugdstem(url, "demo", "--participants", "5", "--seed", "8", "--add")
    assert added.returncode == 0, added.stderr
    assert participant_count(url) == 35
