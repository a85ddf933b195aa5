"""`jeugdstem export` and `jeugdstem labels ...`: transcripts for staff, and their labels back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from bot.logs import configure_logging
from cli.support import load_config, load_settings, open_database, parse_moment, progress_bar
from nlu.data import to_rasa_yaml
from reports.exports.labels import LabelFileError, gold_examples, plan_import, read_label_sheet
from reports.exports.transcripts import (
    STAFF_LANGUAGE,
    ExportOrder,
    TranscriptBuilder,
    TranscriptRow,
    uncertain_first,
)
from reports.exports.writers import CsvStyle, ThemeInfo, write_csv, write_jsonl, write_xlsx
from reports.files import private_output
from storage import repository as repo
from survey.config import Survey

err = Console(stderr=True)

labels_app = typer.Typer(
    help="Staff labels: read them back from a reviewed XLSX export, export them for training.",
    no_args_is_help=True,
)


class ExportFormat(StrEnum):
    """The export formats."""

    csv = "csv"
    xlsx = "xlsx"
    jsonl = "jsonl"
    html = "html"


class Separator(StrEnum):
    """CSV field separators."""

    semicolon = "semicolon"
    comma = "comma"


def _check_ids(kind: str, wanted: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    known = list(known)
    unknown = [value for value in wanted if value not in known]
    if unknown:
        raise typer.BadParameter(
            f"unknown {kind} {', '.join(unknown)} (known: {', '.join(known)})",
            param_hint=f"--{kind}",
        )
    return tuple(wanted)


def theme_infos(survey: Survey) -> list[ThemeInfo]:
    """The configured themes as staff see them."""
    return [ThemeInfo(t.id, t.label, t.description) for t in survey.themes]


def question_texts(survey: Survey) -> dict[str, str]:
    """Question id -> its text in the staff's language."""
    return {
        q.id: q.text.get(STAFF_LANGUAGE) or next(iter(q.text.values()))
        for q in survey.all_questions()
    }


def _counted(
    rows: Iterable[TranscriptRow], progress: Progress, total: int
) -> Iterator[TranscriptRow]:
    """The rows, moving the progress bar every 500 of them (each update costs a redraw)."""
    task = progress.add_task("exporting answers", total=total)
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % 500 == 0:
            progress.update(task, completed=done)
    progress.update(task, completed=done, total=max(total, done))


def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv, xlsx, jsonl or html.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The file to write (a folder for html).")
    ],
    since: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="Answers from this day or moment on (YYYY-MM-DD[THH:MM])."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="Answers up to and including this day (or before this moment)."
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(metavar="CODE", help="Partner or campaign code; repeat for several."),
    ] = None,
    theme: Annotated[
        list[str] | None,
        typer.Option(
            metavar="THEME",
            help="Only answers with this theme (staff's, else confirmed, else predicted).",
        ),
    ] = None,
    question: Annotated[
        list[str] | None, typer.Option(metavar="QUESTION", help="Only answers to this question id.")
    ] = None,
    finished_only: Annotated[
        bool, typer.Option("--finished-only", help="Only participations that reached the end.")
    ] = False,
    separator: Annotated[
        Separator,
        typer.Option(
            help="CSV only. semicolon (default): opens in Excel with Belgian settings, UTF-8 with "
            "byte-order mark. comma: RFC 4180 without byte-order mark, for other tools."
        ),
    ] = Separator.semicolon,
    order: Annotated[
        ExportOrder,
        typer.Option(
            help="conversation (default): each participant's answers together. uncertain: the "
            "unlabelled answers the classifier is least sure of first, to label those first."
        ),
    ] = ExportOrder.conversation,
) -> None:
    """Transcripts for staff: one row per answer, pseudonymised and redacted, mode 0600."""
    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    filters = repo.TranscriptFilter(
        since=parse_moment(since, end=False),
        until=parse_moment(until, end=True),
        sources=_check_ids("source", source or (), (s.id for s in survey.sources)),
        questions=_check_ids("question", question or (), (q.id for q in survey.all_questions())),
        finished_only=finished_only,
    )
    wanted_themes = _check_ids("theme", theme or (), survey.theme_ids)
    if order is ExportOrder.uncertain and format is ExportFormat.html:
        raise typer.BadParameter(
            "the html export shows whole conversations; use csv, xlsx or jsonl to label by "
            "uncertainty",
            param_hint="--order",
        )
    if format is not ExportFormat.html and output.is_dir():
        raise typer.BadParameter(f"{output} is a folder; give a file name", param_hint="--output")
    database = open_database(settings)
    builder = TranscriptBuilder(
        question_texts(survey), wanted_themes, first_round=survey.first_round.id
    )
    themes = theme_infos(survey)
    try:
        with database.snapshot() as session, progress_bar() as progress:
            total = repo.count_transcript_rows(session, filters)
            records = repo.transcript_rows(session, filters)
            rows: Iterable[TranscriptRow] = _counted(builder.rows(records), progress, total)
            if order is ExportOrder.uncertain:
                rows = uncertain_first(rows)
            if format is ExportFormat.csv:
                style = CsvStyle() if separator is Separator.semicolon else CsvStyle.standard()
                count = write_csv(rows, output, style)
            elif format is ExportFormat.xlsx:
                count = write_xlsx(rows, output, themes)
            elif format is ExportFormat.jsonl:
                count = write_jsonl(rows, output)
            else:
                from reports.exports.html import write_html

                sources = {s.id: s.label for s in survey.sources}
                count = write_html(rows, output, themes, source_labels=sources)
    except OSError as error:
        typer.echo(f"Cannot write {output}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from error
    finally:
        database.dispose()
    err.print(f"exported {count} answers to {output} (readable by you only)")


@labels_app.command("import")
def import_labels(
    file: Annotated[
        Path, typer.Argument(help="A reviewed XLSX from `jeugdstem export --format xlsx`.")
    ],
    by: Annotated[
        str | None, typer.Option(help="Who reviewed (name or initials), stored with the labels.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report, store nothing.")
    ] = False,
) -> None:
    """Store the staff_themes column of a reviewed export; all or nothing, safe to repeat."""
    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    if not file.is_file():
        typer.echo(f"{file}: no such file", err=True)
        raise typer.Exit(1)
    try:
        reading = read_label_sheet(file, survey.theme_ids, survey.special_themes.no_barrier)
    except LabelFileError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    database = open_database(settings)
    ids = [label.answer_id for label in reading.labels]
    try:
        with database.transaction() as session:
            plan = plan_import(
                reading, repo.answer_owners(session, ids), repo.staff_themes_of(session, ids)
            )
            if plan.problems:
                for problem in plan.problems:
                    typer.echo(f"{file}: {problem}", err=True)
                typer.echo(
                    f"{len(plan.problems)} problem(s); nothing was imported. Fix them and run "
                    "this again.",
                    err=True,
                )
                raise typer.Exit(1)
            if not dry_run:
                repo.store_staff_labels(session, plan.changes, by=by)
    finally:
        database.dispose()
    verb = "would change" if dry_run else "changed"
    err.print(
        f"{verb} {len(plan.changes)} label(s) ({plan.cleared} removed), "
        f"{plan.unchanged} row(s) unchanged"
    )
    if plan.overwritten:
        rows = ", ".join(str(row) for row in plan.overwritten[:20])
        err.print(
            f"note: {len(plan.overwritten)} of them had been changed by someone else since this "
            f"file was exported (rows {rows}); this file's labels now apply."
        )


@labels_app.command("export-training")
def export_training(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The Rasa NLU YAML file to write.")
    ],
) -> None:
    """The human-labelled answers (staff's first, then young people's) as Rasa YAML, redacted."""
    settings = load_settings()
    configure_logging("WARNING")
    load_config(settings)
    database = open_database(settings)
    try:
        with database.snapshot() as session:
            gold = gold_examples(repo.gold_records(session))
    finally:
        database.dispose()
    header = (
        "Answers labelled by people, from jeugdstem labels export-training.\n"
        f"{gold.staff} labelled by staff, {gold.confirmed} confirmed by the young person; "
        f"{gold.disagreements} disagreements, where staff won.\n"
        "Texts are redacted. Review before committing to nlu/data/train."
    )
    try:
        with private_output(output) as partial:
            partial.write_text(to_rasa_yaml(gold.examples, header), encoding="utf-8")
    except OSError as error:
        typer.echo(f"Cannot write {output}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from error
    err.print(f"wrote {len(gold.examples)} examples to {output}")
