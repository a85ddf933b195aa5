"""End to end follow-up rounds: the real `jeugdstem send` and `jeugdstem run`, fake Bot API.

The fake server enforces Telegram's overall limit here (30 messages/s, then 429 with
retry_after). Participants who took the first round are stored directly, with the
pseudonyms the bot process gives their Telegram ids, so the real bot knows them when
they press a button. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from storage import Answer, Database, FeedbackReaction, OutboxMessage, Participant
from storage import outbox as outbox_rows
from storage.models import OutboxKind, OutboxStatus
from survey.clock import LOCAL_TIME
from survey.config import Survey
from tests.support.audience import Person, add_people, give_themes
from tests.support.bot_process import BotProcess, bot_environment, frozen_clock
from tests.support.crowd import crowd_config
from tests.support.fake_bot_api import FakeBotApi, Fault
from tests.support.paths import REPO
from tests.support.secrets import E2E_SECRET
from tests.support.youngster import PSEUDONYMS, Youngster

pytestmark = pytest.mark.e2e

_runs = itertools.count(1)
TITLE = "Jeugdstem: hoe gaat het nu?"  # opvolging's Dutch title, the invitation's first line


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The shipped config with a second follow-up round, to send twice."""
    path = crowd_config(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    second = dict(data["rounds"][0])
    second["id"] = "nog-eens"
    second["questions"] = [{**q, "id": f"{q['id']}-2"} for q in second["questions"]]
    data["rounds"].append(second)
    # The wall clock must not decide these tests: the rounds stay open and quiet hours are
    # off (a run after 21:00 held every invitation till morning). The quiet-hours test
    # turns them on again, under a frozen clock.
    for round_ in data["rounds"]:
        round_["opens"], round_["closes"] = date(2026, 1, 1), date(2099, 12, 31)
    data["send"]["quiet_hours"] = None
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def quiet_config(config: Path) -> Path:
    """The same config with the shipped quiet hours (21:00-08:00 Kortrijk time)."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    shipped = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    data["send"]["quiet_hours"] = shipped["send"]["quiet_hours"]
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config


@pytest.fixture
async def limited(api: FakeBotApi) -> FakeBotApi:
    """The fake server with Telegram's overall flood control on."""
    api.limit_rate(30)
    return api


def people(database: Database, chat_ids: range | list[int], **options: object) -> list[Person]:
    """Opted-in participants the bot process recognises by their Telegram ids."""
    return add_people(database, chat_ids, pseudonym=PSEUDONYMS.telegram, **options)  # type: ignore[arg-type]


def command_process(
    api: FakeBotApi, database_url: str, config: Path, log: Path, *args: str, **extra: str
) -> BotProcess:
    environment = bot_environment(
        api, database_url, E2E_SECRET, JEUGDSTEM_CONFIG=str(config), COLUMNS="200", **extra
    )
    return BotProcess(environment, log, *args)


async def jeugdstem(
    api: FakeBotApi, database_url: str, config: Path, tmp_path: Path, *args: str, **extra: str
) -> str:
    """Run `jeugdstem ARGS` (send, feedback send) to the end; its output."""
    log = tmp_path / f"send-{next(_runs)}.log"
    process = command_process(api, database_url, config, log, *args, **extra)
    await process.start()
    assert process.process is not None
    code = await asyncio.wait_for(process.process.wait(), 120)
    assert code == 0, process.logs()
    return process.logs()


def invitations(api: FakeBotApi, chat_id: int) -> int:
    return sum(message.text.startswith(TITLE) for message in api.sent[chat_id])


def outbox(db: Database, round_id: str = "opvolging") -> dict[OutboxStatus, list[int]]:
    with db.transaction() as session:
        return outbox_rows.participants_by_status(session, OutboxKind.ROUND, round_id)


@pytest.fixture
async def bot(
    api: FakeBotApi, database_url: str, config: Path, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    environment = bot_environment(api, database_url, E2E_SECRET, JEUGDSTEM_CONFIG=str(config))
    process = BotProcess(environment, tmp_path / "bot.log")
    await process.start()
    await api.wait_for_polling()
    yield process
    assert await process.stop() == 0, process.logs()


async def test_a_send_killed_midway_and_started_again_reaches_each_person_once(
    limited: FakeBotApi, database_url: str, config: Path, tmp_path: Path, db: Database
) -> None:
    everyone = people(db, range(500_000, 500_300))
    first = command_process(
        limited, database_url, config, tmp_path / "first.log", "send", "opvolging", "--yes"
    )
    await first.start()
    await limited.wait_until(lambda: len(limited.send_times) >= 120, 60)
    await first.kill()  # SIGKILL: no chance to store what it was doing

    resumed = await jeugdstem(limited, database_url, config, tmp_path, "send", "opvolging", "--yes")

    received = {p.chat_id: invitations(limited, p.chat_id) for p in everyone}
    assert max(received.values()) == 1, "someone got the invitation twice"
    rows = outbox(db)
    uncertain = {p.chat_id for p in everyone if p.id in rows.get(OutboxStatus.UNCERTAIN, [])}
    # At most the one message in flight at the kill is uncertain; it may or may not have
    # arrived, and it is never sent again. Everyone else got exactly one.
    assert len(uncertain) <= 1, uncertain
    assert all(count == 1 for chat, count in received.items() if chat not in uncertain)
    assert len(rows[OutboxStatus.SENT]) == 300 - len(uncertain)
    assert "Queued 0 new" in resumed, resumed  # the second run queued nobody again
    assert limited.rate_limited == 0, "20 messages/s stays under Telegram's 30"


async def test_quiet_hours_hold_minors_until_eight_and_adults_go_at_once(
    limited: FakeBotApi, database_url: str, quiet_config: Path, tmp_path: Path, db: Database
) -> None:
    minors = people(db, [600_001, 600_002], age_band="16-18")
    (adult,) = people(db, [600_003], age_band="19-21")
    just_before_eight = datetime(2026, 12, 8, 7, 59, 52, tzinfo=LOCAL_TIME)
    started = asyncio.get_running_loop().time()

    output = await jeugdstem(
        limited,
        database_url,
        quiet_config,
        tmp_path,
        "send",
        "opvolging",
        "--yes",
        **frozen_clock(just_before_eight),
    )

    times = {p.chat_id: limited.sent[p.chat_id][0].sent_at for p in (adult, *minors)}
    assert times[adult.chat_id] - started < 6  # at once
    assert all(times[m.chat_id] - started >= 7 for m in minors)  # after 08:00, not dropped
    assert sorted(outbox(db)[OutboxStatus.SENT]) == sorted(p.id for p in (*minors, adult))
    assert "Sent 3" in output, output


async def test_telegram_answers_403_and_429(
    limited: FakeBotApi, database_url: str, config: Path, tmp_path: Path, db: Database
) -> None:
    blocked, flooded, fine = people(db, [700_001, 700_002, 700_003])
    limited.block(blocked.chat_id)
    limited.plan_faults("sendMessage", Fault.flood(1), chat_id=flooded.chat_id)

    output = await jeugdstem(limited, database_url, config, tmp_path, "send", "opvolging", "--yes")

    assert [invitations(limited, p.chat_id) for p in (blocked, flooded, fine)] == [0, 1, 1]
    flood = limited.attempts_of("sendMessage", flooded.chat_id)
    assert [a.status for a in flood] == [429, 200]
    assert flood[1].at - flood[0].at >= 1.0  # retry_after obeyed
    with db.transaction() as session:
        assert session.get_one(Participant, blocked.id).unreachable
    assert outbox(db)[OutboxStatus.UNREACHABLE] == [blocked.id]
    assert "unreachable 1" in output, output


async def test_an_opt_out_between_two_sends_is_never_reached_again(
    api: FakeBotApi,
    bot: BotProcess,
    database_url: str,
    config: Path,
    tmp_path: Path,
    db: Database,
    survey: Survey,
) -> None:
    leaving, staying = people(db, [800_001, 800_002])
    await jeugdstem(api, database_url, config, tmp_path, "send", "opvolging", "--yes")
    invitation = await api.next_message(leaving.chat_id)
    await api.press(leaving.chat_id, invitation, survey.text("button_no_more_messages", "nl"))
    reply = await api.next_message(leaving.chat_id)
    assert reply.text == survey.text("no_more_messages", "nl")

    dry_run = await jeugdstem(api, database_url, config, tmp_path, "send", "nog-eens")
    await jeugdstem(api, database_url, config, tmp_path, "send", "nog-eens", "--yes")

    assert "opted out                     1" in dry_run, dry_run
    assert len(api.sent[leaving.chat_id]) == 2  # the first invitation and the goodbye
    assert invitations(api, staying.chat_id) == 2


async def test_someone_mid_survey_gets_it_when_they_finish(
    api: FakeBotApi,
    bot: BotProcess,
    database_url: str,
    config: Path,
    tmp_path: Path,
    db: Database,
    survey: Survey,
) -> None:
    (busy,) = people(db, [900_001], step="q:would-help")
    await jeugdstem(api, database_url, config, tmp_path, "send", "opvolging", "--yes")
    assert api.sent[busy.chat_id] == []  # not in the middle of their questions
    assert outbox(db)[OutboxStatus.WAITING] == [busy.id]

    person = Youngster(api, busy.chat_id)
    opt_in = await person.say("een fietsenstalling aan het jeugdhuis")
    assert opt_in.text.startswith(survey.text("thanks", "nl").split("\n")[0])
    await person.tap(survey.text("button_opt_in_yes", "nl"))
    invitation = await person.read()

    assert invitation.text.startswith(TITLE)
    assert outbox(db)[OutboxStatus.SENT] == [busy.id]
    first_question = await person.tap(survey.text("button_join_round", "nl"), invitation)
    assert first_question.text.startswith(survey.text("round_joined_known", "nl", title=TITLE))


async def test_erased_participants_are_never_reached(
    api: FakeBotApi,
    bot: BotProcess,
    database_url: str,
    config: Path,
    tmp_path: Path,
    db: Database,
    survey: Survey,
) -> None:
    erased, kept = people(db, [950_001, 950_002])
    # Queued, as `send --yes` does before it sends, then /delete before it went.
    with db.transaction() as session:
        outbox_rows.enqueue(
            session,
            OutboxKind.ROUND,
            "opvolging",
            [(p.id, datetime.now(UTC)) for p in (erased, kept)],
        )
    person = Youngster(api, erased.chat_id)
    confirm = await person.command("/delete")
    done = await person.tap(survey.text("button_delete_yes", "nl"), confirm)
    assert done.text == survey.text("deleted", "nl")

    await jeugdstem(api, database_url, config, tmp_path, "send", "opvolging", "--yes")

    assert invitations(api, erased.chat_id) == 0
    assert invitations(api, kept.chat_id) == 1
    with db.transaction() as session:
        rows = session.execute(select(OutboxMessage.participant_id)).scalars().all()
    assert rows == [kept.id]


async def test_feedback_reaches_who_raised_it_and_their_reactions_are_stored(
    api: FakeBotApi,
    bot: BotProcess,
    database_url: str,
    config: Path,
    tmp_path: Path,
    db: Database,
    survey: Survey,
) -> None:
    shipped = (REPO / "feedback.yml").read_text(encoding="utf-8")
    (tmp_path / "feedback.yml").write_text(shipped.replace("    example: true\n", ""), "utf-8")
    pleased, talkative, elsewhere = people(db, [990_001, 990_002, 990_003])
    give_themes(db, pleased, ["transport"])
    give_themes(db, talkative, ["transport"])
    give_themes(db, elsewhere, ["cost"])

    output = await jeugdstem(
        api, database_url, config, tmp_path, "feedback", "send", "transport", "--yes"
    )

    assert "Sent 2" in output, output
    assert api.sent[elsewhere.chat_id] == []
    message = await api.next_message(pleased.chat_id)
    assert survey.text("feedback_status_on_the_agenda", "nl") in message.text
    tap = await api.press(pleased.chat_id, message, survey.text("button_feedback_helps", "nl"))
    assert await api.answer_to(tap) == survey.text("feedback_noted", "nl")

    person = Youngster(api, talkative.chat_id)
    message = await person.read()
    asked = await person.tap(survey.text("button_feedback_more", "nl"), message)
    assert asked.text == survey.text("feedback_say_more", "nl")
    thanks = await person.say("een bus om tien uur zou echt helpen")
    assert thanks.text == survey.text("feedback_said_more", "nl")

    with db.transaction() as session:
        rows = session.execute(select(FeedbackReaction.participant_id, FeedbackReaction.reaction))
        assert sorted((pid, reaction) for pid, reaction in rows) == sorted(
            [(pleased.id, "helps"), (talkative.id, "more")]
        )
        said = session.execute(
            select(Answer.text).where(Answer.question_id == "fb-transport")
        ).scalar_one()
    assert said == "een bus om tien uur zou echt helpen"
    assert "een bus om tien uur" not in bot.logs()  # never a young person's words in a log
