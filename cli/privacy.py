"""`jeugdstem privacy ...`: the redactor for staff tools, and erasure on a participant's behalf."""

from __future__ import annotations

import asyncio
import json
import sys

import typer

from bot.logs import configure_logging
from cli.support import load_config, load_settings, open_database
from privacy.erasure import NoMatch, NotOneParticipant, erase_participant, find_participant
from privacy.identity import SHORT_PSEUDONYM_LENGTH, short_pseudonym
from privacy.redact import redact
from privacy.retention import apply_retention

privacy_app = typer.Typer(
    help="Privacy tools: redact text, erase a participant.", no_args_is_help=True
)


@privacy_app.command("redact")
def redact_command() -> None:
    """stdin JSONL {"id","text"} -> stdout JSONL {"id","text"} with PII as placeholders.

    A bad line gets an error on stderr with its number (never its text); the
    others are still answered, and the exit code is then 1.
    """
    failed = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            failed += 1
            typer.echo(f"line {number}: not valid JSON: {error.msg}", err=True)
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            failed += 1
            typer.echo(f'line {number}: expected an object {{"id": ..., "text": "..."}}', err=True)
            continue
        out = {"id": item.get("id"), "text": redact(item["text"])}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


_NO_MATCH = {
    NoMatch.too_short: f"Give at least the first {SHORT_PSEUDONYM_LENGTH} characters of the "
    "pseudonym.",
    NoMatch.unknown: "No participant with pseudonym {pseudonym!r}.",
    NoMatch.several: "{pseudonym!r} matches several participants: give more of it.",
}


@privacy_app.command()
def forget(
    pseudonym: str = typer.Argument(
        ...,
        help=f"The participant's pseudonym, or its first {SHORT_PSEUDONYM_LENGTH} characters as "
        "in exports.",
    ),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Erase every row about one participant, as /delete does for them."""
    settings = load_settings()
    configure_logging("WARNING")
    database = open_database(settings)
    try:
        try:
            participant = find_participant(database, pseudonym)
        except NotOneParticipant as error:
            typer.echo(_NO_MATCH[error.reason].format(pseudonym=pseudonym), err=True)
            raise typer.Exit(1) from error
        shown = short_pseudonym(participant.pseudonym)
        if not yes and not typer.confirm(f"Erase everything about participant {shown}?", err=True):
            raise typer.Exit(1)
        erase_participant(database, participant)
        typer.echo(f"Erased participant {shown} from every table.", err=True)
    finally:
        database.dispose()


@privacy_app.command()
def retention() -> None:
    """Redact old answer texts; drop dormant chat ids and the messages of long-closed cases."""
    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    database = open_database(settings)
    try:
        result = asyncio.run(apply_retention(database, survey.privacy, survey.handover))
    finally:
        database.dispose()
    typer.echo(
        f"Redacted {result.answers_redacted} answer texts older than "
        f"{survey.privacy.retention_days} days; forgot {result.chat_links_dropped} chat ids "
        f"not seen for {survey.privacy.chat_link_days} days; deleted "
        f"{result.case_messages_deleted} messages of cases closed over "
        f"{survey.handover.retention_days} days ago.",
        err=True,
    )
