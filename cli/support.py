"""What every `jeugdstem` command needs: settings, survey and database, or a clear exit."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.settings import Settings
from nlu.data import TrainingDataError
from storage import Database, DatabaseError
from survey.clock import LOCAL_TIME
from survey.config import ConfigError, Survey, load_survey


def load_settings() -> Settings:
    """Settings from the environment, or a clear message and exit code 2."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "\n".join(
            f"  {'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        typer.echo(f"Invalid environment variable:\n{problems}", err=True)
        raise typer.Exit(2) from error


def load_config(settings: Settings) -> Survey:
    """config.yml, or its problems (file:line: key: message) and exit code 2."""
    try:
        return load_survey(settings.jeugdstem_config)
    except ConfigError as error:
        fail_config(error)


def fail_config(error: ConfigError | TrainingDataError | ValueError) -> NoReturn:
    """Print a configuration or training-data problem and exit with code 2."""
    typer.echo(f"Configuration error:\n{error}", err=True)
    raise typer.Exit(2) from error


def open_database(settings: Settings) -> Database:
    """The database with its schema up to date, or a clear message and exit code 1 or 2."""
    try:
        database = Database(settings.database_url)
    except ValueError as error:
        fail_config(error)
    try:
        database.migrate()
    except DatabaseError as error:
        where = database.url.render_as_string(hide_password=True)
        # The error text names host and cause; it never holds survey data at this point.
        typer.echo(
            f"Cannot open the database {where}:\n  {error.__class__.__name__}: "
            f"{getattr(error, 'orig', error)}",
            err=True,
        )
        raise typer.Exit(1) from error
    return database


def progress_bar(*, transient: bool = False) -> Progress:
    """A progress bar on stderr (stdout may carry a command's JSONL), drawn only on a terminal."""
    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
        disable=not console.is_terminal,
    )


def parse_moment(
    value: str | None, *, end: bool = False, with_time: bool = True, option: str | None = None
) -> datetime | None:
    """A date option on Kortrijk's clock: 'YYYY-MM-DD', or with ``with_time`` also
    'YYYY-MM-DDTHH:MM'. A bare day means its midnight, or with ``end`` the next one, so the
    day itself is included."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10 or not with_time:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=1) if end else day, time())
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as error:
        forms = "YYYY-MM-DD or YYYY-MM-DDTHH:MM" if with_time else "YYYY-MM-DD"
        raise typer.BadParameter(
            f"{value!r} is not a date: use {forms}", param_hint=option
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TIME)
