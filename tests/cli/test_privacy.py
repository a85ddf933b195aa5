"""`jeugdstem privacy redact | forget | retention`, run as the real command on a SQLite file."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.engine import Start, SurveyEngine
from privacy.identity import CallbackCodec, Pseudonymizer
from storage import Answer, ChatLink, Database
from storage import repository as repo
from storage.models import utcnow
from survey.config import Survey
from tests.support.chat import (
    Chat,
    advance_to,
    give_a_case,
    give_a_sent_message,
    give_an_offer,
    next_update_id,
    rows_about,
    snapshot,
    t,
    table_counts,
)
from tests.support.paths import REPO
from tests.support.secrets import TEST_SECRET

SECRET = "privacy-cli-secret"
PSEUDONYMS = Pseudonymizer(SECRET.encode())
ANNA = PSEUDONYMS.telegram(6_100_001)
BILAL = PSEUDONYMS.telegram(6_100_002)


@dataclass(frozen=True)
class Result:
    """What the command did."""

    returncode: int
    stdout: str
    stderr: str


async def jeugdstem(database_url: str, *args: str, stdin: str = "") -> Result:
    """`python -m cli <args>` with only the settings a deployment would give it."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "JEUGDSTEM_", "DATABASE_"))
    }
    environment.update(
        JEUGDSTEM_CONFIG=str(REPO / "config.yml"),
        JEUGDSTEM_SECRET=SECRET,
        DATABASE_URL=database_url,
        PYTHONIOENCODING="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cli",
        *args,
        cwd=str(REPO),
        env=environment,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode("utf-8")), 120)
    assert process.returncode is not None
    return Result(process.returncode, out.decode("utf-8"), err.decode("utf-8"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'jeugdstem.db'}"


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    """The migrated SQLite file the command will open too."""
    database = Database(sqlite_url)
    database.migrate()
    yield database
    database.dispose()


async def take_part(
    db: Database, survey: Survey, pseudonym: str, chat_id: int, words: list[str]
) -> Chat:
    """Consent and answer the open questions in these words, with update ids."""
    chat = Chat(SurveyEngine(survey, db, CallbackCodec(TEST_SECRET)), pseudonym, chat_id)
    welcome = await chat.send(Start("bolwerk"), update_id=next_update_id())
    await chat.press(t(survey, "button_consent_yes"), welcome, update_id=next_update_id())
    await advance_to(chat, survey, "q:holds-back")
    for text in words:
        await chat.text(text, update_id=next_update_id())
    return chat


async def ids_of(db: Database, pseudonym: str) -> tuple[int, set[int]]:
    """A participant's id and participation ids, to scan the tables for after erasure."""
    with db.transaction() as session:
        found = repo.find_participant(session, pseudonym)
        assert found is not None, "no such participant"
        return found.id, {run.id for run in repo.participations_of(session, pseudonym)}


# ---------------------------------------------------------------------------
# redact


async def test_redact_answers_every_line_with_its_id_and_placeholders(sqlite_url: str) -> None:
    """Ids come back unchanged (any JSON type); PII becomes typed placeholders."""
    lines = [
        {"id": 1, "text": "bel me op 0470 12 34 56"},
        {"id": "a-2", "text": "mail lisa.peeters@gmail.com"},
        {"id": [3, "x"], "text": "te duur en geen fiets"},
        {"text": "geen id"},
    ]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    result = await jeugdstem(sqlite_url, "privacy", "redact", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"id": 1, "text": "bel me op [telefoon]"},
        {"id": "a-2", "text": "mail [e-mail]"},
        {"id": [3, "x"], "text": "te duur en geen fiets"},
        {"id": None, "text": "geen id"},
    ]


async def test_redact_reports_bad_lines_by_number_and_answers_the_others(
    sqlite_url: str,
) -> None:
    """A bad line: "line N:" on stderr, never its text; the rest answered; exit code 1."""
    stdin = "\n".join(
        [
            '{"id": 1, "text": "bel me op 0470 12 34 56"}',
            '{"id": 2, "text": "mail lisa.peeters@gmail.com"',  # cut off: not JSON
            '{"id": 3, "text": "ik heet Lisa Peeters"}',
            "",  # blank lines are skipped, but still counted
            '{"id": 5, "text": 47012345}',  # text is not a string
            '["mijn snap is lisa_peeters04"]',  # not an object
            "bel me op 0470 65 43 21 of mail lisa@peeters.be",  # plain text
            '{"id": 8, "text": "Marke"}',
        ]
    )
    result = await jeugdstem(sqlite_url, "privacy", "redact", stdin=stdin + "\n")
    assert result.returncode == 1
    answered = [json.loads(line) for line in result.stdout.splitlines()]
    assert answered == [
        {"id": 1, "text": "bel me op [telefoon]"},
        {"id": 3, "text": "ik heet [naam]"},
        {"id": 8, "text": "Marke"},
    ]
    problems = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in problems] == ["line 2", "line 5", "line 6", "line 7"]
    for secret in ("lisa", "Lisa", "Peeters", "0470", "47012345", "65 43", "snap", "gmail"):
        assert secret not in result.stderr, f"{secret!r} of a bad line was echoed on stderr"


# ---------------------------------------------------------------------------
# forget


@pytest.mark.parametrize("length", [12, 64])
async def test_forget_erases_one_participant_from_every_table(
    db: Database, sqlite_url: str, survey: Survey, length: int
) -> None:
    """The exported 12-character prefix (or the whole pseudonym) erases every row about them."""
    await take_part(db, survey, BILAL, 6_100_002, ["geen tijd"])
    bilal_only = await snapshot(db)
    await take_part(db, survey, ANNA, 6_100_001, ["te duur", "mijn trainer Jan"])
    await give_a_case(db, ANNA)
    await give_an_offer(db, ANNA)
    await give_a_sent_message(db, ANNA)
    anna = await ids_of(db, ANNA)
    before = await rows_about(db, *anna)
    assert all(count > 0 for count in before.values()), before

    result = await jeugdstem(sqlite_url, "privacy", "forget", ANNA[:length], "--yes")

    assert result.returncode == 0, result.stderr
    assert f"Erased participant {ANNA[:12]}" in result.stderr
    assert ANNA[12:] not in result.stderr + result.stdout  # only the short form is shown
    assert await rows_about(db, *anna) == dict.fromkeys(before, 0)
    assert await snapshot(db) == bilal_only


async def test_forget_asks_first_and_no_keeps_everything(
    db: Database, sqlite_url: str, survey: Survey
) -> None:
    """Without --yes it asks; answering no erases nothing and exits 1."""
    await take_part(db, survey, ANNA, 6_100_001, ["te duur"])
    anna = await ids_of(db, ANNA)
    before = await snapshot(db)
    result = await jeugdstem(sqlite_url, "privacy", "forget", ANNA[:12], stdin="n\n")
    assert result.returncode == 1
    assert ANNA[:12] in result.stderr  # the question names who would be erased
    assert await snapshot(db) == before

    result = await jeugdstem(sqlite_url, "privacy", "forget", ANNA[:12], stdin="y\n")
    assert result.returncode == 0, result.stderr
    assert await rows_about(db, *anna) == dict.fromkeys(await table_counts(db), 0)


async def test_forget_an_unknown_pseudonym_fails_clearly(
    db: Database, sqlite_url: str, survey: Survey
) -> None:
    """A prefix that matches nobody: exit 1, a message naming it, nothing erased."""
    await take_part(db, survey, ANNA, 6_100_001, ["te duur"])
    before = await snapshot(db)
    unknown = next(p for p in ("000000000000", "ffffffffffff") if not ANNA.startswith(p))
    result = await jeugdstem(sqlite_url, "privacy", "forget", unknown, "--yes")
    assert result.returncode == 1
    assert "No participant" in result.stderr and unknown in result.stderr
    assert "Traceback" not in result.stderr
    assert await snapshot(db) == before


async def test_forget_a_too_short_prefix_erases_nothing(
    db: Database, sqlite_url: str, survey: Survey
) -> None:
    """Six characters of a real pseudonym are refused: exit 1, nobody erased."""
    await take_part(db, survey, ANNA, 6_100_001, ["te duur"])
    before = await snapshot(db)
    result = await jeugdstem(sqlite_url, "privacy", "forget", ANNA[:6], "--yes")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert await snapshot(db) == before


async def test_forget_a_too_short_prefix_says_it_is_too_short(
    db: Database, sqlite_url: str, survey: Survey
) -> None:
    """The refusal of a short prefix says 12 characters are needed, not "no participant"."""
    await take_part(db, survey, ANNA, 6_100_001, ["te duur"])
    result = await jeugdstem(sqlite_url, "privacy", "forget", ANNA[:6], "--yes")
    assert result.returncode == 1
    assert "12" in result.stderr, (
        f"a 6-character prefix of an existing participant got {result.stderr.strip()!r}"
    )


# ---------------------------------------------------------------------------
# retention


async def test_retention_command_redacts_drops_and_prints_its_counts(
    db: Database, sqlite_url: str, survey: Survey
) -> None:
    """Old texts get placeholders, a dormant chat link goes; a second run finds nothing."""
    await take_part(db, survey, ANNA, 6_100_001, ["bel me op 0470 12 34 56", "te duur"])
    await take_part(db, survey, BILAL, 6_100_002, ["mail bilal@example.org"])
    privacy = survey.privacy
    with db.transaction() as session:
        anna = repo.find_participant(session, ANNA)
        assert anna is not None
        runs = [run.id for run in repo.participations_of(session, ANNA)]
        session.execute(
            update(Answer)
            .where(Answer.participation_id.in_(runs))
            .values(created_at=utcnow() - timedelta(days=privacy.retention_days + 1))
        )
        session.execute(
            update(ChatLink)
            .where(ChatLink.participant_id == anna.id)
            .values(last_seen_at=utcnow() - timedelta(days=privacy.chat_link_days + 1))
        )

    result = await jeugdstem(sqlite_url, "privacy", "retention")

    assert result.returncode == 0, result.stderr
    assert (
        f"Redacted 1 answer texts older than {privacy.retention_days} days; "
        f"forgot 1 chat ids not seen for {privacy.chat_link_days} days; deleted 0 messages"
    ) in result.stderr
    with db.transaction() as session:
        texts = {
            (a.text, a.redacted_at is not None)
            for pseudonym in (ANNA, BILAL)
            for a in repo.answers_of(session, pseudonym)
            if a.text is not None
        }
        links = set(session.execute(select(ChatLink.chat_id)).scalars())
    assert texts == {
        ("bel me op [telefoon]", True),
        ("te duur", True),
        ("mail bilal@example.org", False),
    }
    assert links == {6_100_002}

    again = await jeugdstem(sqlite_url, "privacy", "retention")
    assert again.returncode == 0, again.stderr
    assert "Redacted 0 answer texts" in again.stderr
    assert "forgot 0 chat ids" in again.stderr
