"""`jeugdstem demo`: synthetic participants in an empty database, to try exports and reports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.logs import configure_logging
from cli.support import load_config, load_settings, open_database

if TYPE_CHECKING:
    from reports.demo.generator import DemoStats

err = Console(stderr=True)

# Below this a fill takes well under a second: a bar would only flash.
_PROGRESS_FROM = 2000


@contextmanager
def _progress(participants: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal for big fills; nothing otherwise (stderr stays one line)."""
    if participants < _PROGRESS_FROM or not err.is_terminal:
        yield None
        return
    columns = (TextColumn("demo"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("participants", total=participants)
        yield lambda stored: bar.update(task, completed=stored)


def summary(stats: DemoStats, where: str, seed: int) -> str:
    """One line about what was stored."""
    signals = ", ".join(f"{name} {count}" for name, count in stats.new_signals)
    return (
        f"demo (seed {seed}): {stats.participants} participants, {stats.participations} "
        f"participations ({stats.finished} finished), {stats.answers} answers "
        f"({stats.texts} typed, {stats.confirmed} confirmed, {stats.staff_labelled} "
        f"staff-labelled, {stats.distress} distress, {stats.pii} with PII, {stats.formula} "
        f"formula-like; new signals: {signals}) in {where}"
    )


def demo(
    participants: Annotated[
        int, typer.Option("--participants", min=1, help="How many young people.")
    ] = 200,
    answers: Annotated[
        int | None,
        typer.Option(
            "--answers",
            min=0,
            help="Answers in all, spread over the participants (some stop early). "
            "Default: the whole survey for each.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 7,
    months: Annotated[
        int, typer.Option(min=1, help="Months over which participations are spread.")
    ] = 4,
    add: Annotated[
        bool,
        typer.Option(
            "--add", help="Add to a database that already holds participants (demo data only)."
        ),
    ] = False,
) -> None:
    """Fill the database (DATABASE_URL) with synthetic demo data; refuses a non-empty one."""
    # Imported here: every other command would otherwise pay for the training data it loads.
    from reports.demo.data import DemoError
    from reports.demo.generator import count_participants, fill_demo

    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    database = open_database(settings)
    where = database.url.render_as_string(hide_password=True)
    try:
        existing = count_participants(database)
        if existing and not add:
            err.print(
                f"{where} already holds {existing} participants. Demo data never goes into a "
                "database with answers in it, so it cannot mix with real ones: point "
                "DATABASE_URL at an empty database, or add --add if it holds demo data only.",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(1)
        with _progress(participants) as progress:
            stats = fill_demo(
                database,
                survey,
                participants=participants,
                answers=answers,
                seed=seed,
                months=months,
                progress=progress,
            )
    except DemoError as error:
        err.print(f"Not filled: {error}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from error
    finally:
        database.dispose()
    err.print(summary(stats, where, seed), markup=False, highlight=False, soft_wrap=True)
