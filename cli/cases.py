"""`jeugdstem cases`: how handovers to youth workers went, in counts only."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from bot.logs import configure_logging
from cli.support import load_config, load_settings, open_database
from reports.cases import case_figures
from storage import cases as case_rows

_REASONS = {"alarm": "alarm", "concern": "zorg na een check-in", "request": "zelf gevraagd"}


def cases(
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object instead of the table.")
    ] = False,
) -> None:
    """Cases handed to a youth worker: how many and why, and how fast a first answer came."""
    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    database = open_database(settings)
    try:
        with database.snapshot() as session:
            times = case_rows.case_times(session)
    finally:
        database.dispose()
    figures = case_figures(times, survey.handover)
    if as_json:
        data = asdict(figures) | {"share_within_shift": figures.share_within_shift}
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    typer.echo(f"Cases: {figures.total} ({figures.out_of_hours} buiten de uren geopend)")
    for reason, count in figures.by_reason.items():
        typer.echo(f"  {_REASONS[reason]}: {count}")
    typer.echo(f"Beantwoord door een jeugdwerker: {figures.answered}")
    median = figures.median_minutes_to_answer
    typer.echo(
        "Mediaan tot het eerste antwoord: " + (f"{median:.0f} min" if median is not None else "-")
    )
    share = figures.share_within_shift
    typer.echo(
        "Beantwoord binnen de shift: "
        + (f"{figures.answered_within_shift} ({share:.0%})" if share is not None else "-")
    )
