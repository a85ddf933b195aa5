"""`jeugdstem report`: the summarised findings for a network meeting."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.logs import configure_logging
from bot.settings import feedback_path, offers_path
from cli.support import (
    fail_config,
    load_config,
    load_settings,
    open_database,
    parse_moment,
    progress_bar,
)
from reports.cases import case_figures
from reports.findings.wording import LANGUAGES
from storage import cases, offers, outbox
from storage import feedback as reactions
from storage import repository as repo
from storage.models import OutboxKind, utcnow
from survey.clock import local
from survey.config import ConfigError
from survey.feedback import load_feedback
from survey.offers import load_catalogue

err = Console(stderr=True)


class ReportFormat(StrEnum):
    """What the report is written as."""

    html = "html"
    md = "md"


def _day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option as a date."""
    moment = parse_moment(value, with_time=False, option=option)
    return moment.date() if moment else None


def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The report file (.html or .md). With --pdf and a name ending in .pdf only the "
            "PDF is written; otherwise the PDF goes next to it (report.html -> report.pdf).",
        ),
    ],
    format: Annotated[
        ReportFormat,
        typer.Option("--format", help="html (one self-contained file) or md (for minutes)."),
    ] = ReportFormat.html,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="From this day on (YYYY-MM-DD, Kortrijk).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Up to and including this day (YYYY-MM-DD)."),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            metavar="CODE",
            help="Only participants who came through this partner or campaign code; repeat for "
            "several.",
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the report's own texts: nl or en.")
    ] = "nl",
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Also print the HTML report to A4 PDF with headless Chromium "
            "(scripts/ensure-chromium.sh installs it).",
        ),
    ] = False,
    generated: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="The date printed as 'made on' (YYYY-MM-DD); left out when not given, so the "
            "same data always gives the same file.",
        ),
    ] = None,
) -> None:
    """Summarised findings for a network meeting: barriers, for whom, their words, what is new."""
    # scikit-learn and matplotlib load here, not when any other `jeugdstem` command starts.
    from reports.findings.builder import FindingsBuilder, ReportScope
    from reports.findings.render import ReportRenderer, write_text

    if lang not in LANGUAGES:
        raise typer.BadParameter(f"use one of {', '.join(LANGUAGES)}", param_hint="--lang")
    if pdf and format is not ReportFormat.html:
        raise typer.BadParameter("--pdf prints the HTML report; leave out --format md")
    first = parse_moment(since, with_time=False, option="--since")
    after_last = parse_moment(until, end=True, with_time=False, option="--until")
    settings = load_settings()
    configure_logging(settings.jeugdstem_log_level)
    survey = load_config(settings)
    known = [s.id for s in survey.sources]
    source = source or []
    unknown = [code for code in source if code not in known]
    if unknown:
        raise typer.BadParameter(
            f"unknown source {', '.join(unknown)} (known: {', '.join(known)})",
            param_hint="--source",
        )
    scope = ReportScope(
        since=first,
        until=after_last,
        sources=tuple(source),
        language=lang,
        generated=_day(generated, "--generated"),
    )
    filters = repo.TranscriptFilter(since=scope.since, until=scope.until, sources=scope.sources)
    try:
        catalogue = load_catalogue(offers_path(settings), survey)
        feedback = load_feedback(feedback_path(settings), survey)
    except ConfigError as error:
        fail_config(error)
    database = open_database(settings)
    try:
        with progress_bar(transient=True) as progress:
            builder = FindingsBuilder(survey, scope)
            with database.snapshot() as session:
                total = repo.count_transcript_rows(session, filters)
                reading = progress.add_task("answers", total=total)
                builder.read(
                    repo.transcript_rows(session, filters),
                    lambda _kind, amount: progress.advance(reading, amount),
                )
                if survey.handover.workers:
                    times = cases.case_times(
                        session, since=scope.since, until=scope.until, sources=scope.sources
                    )
                    builder.read_cases(case_figures(times, survey.handover))
                shown = offers.offer_counts(
                    session, since=scope.since, until=scope.until, sources=scope.sources
                )
                # Which offers count as running: those of the report's day, or of today.
                builder.read_offers(shown, catalogue, scope.generated or local(utcnow()).date())
                builder.read_feedback(
                    feedback,
                    outbox.sent_per_subject(session, OutboxKind.FEEDBACK),
                    reactions.reaction_counts(session),
                )
            analysing = progress.add_task("quotes, signals", total=None)
            findings = builder.findings(lambda _kind, amount: progress.advance(analysing, amount))
            renderer = ReportRenderer(findings)
            if format is ReportFormat.md:
                text = renderer.markdown()
            else:
                drawing = progress.add_task("charts", total=None)
                text = renderer.html(lambda: progress.advance(drawing, 1))
    finally:
        database.dispose()
    html_path = output.with_suffix(".html") if output.suffix == ".pdf" else output
    if not (pdf and output.suffix == ".pdf"):
        write_text(output, text)
        err.print(f"wrote the report to {output} (readable by you only)")
    if pdf:
        _write_pdf(text, html_path, output.with_suffix(".pdf"), keep_html=output.suffix != ".pdf")


def _write_pdf(html: str, html_path: Path, pdf_path: Path, *, keep_html: bool) -> None:
    """Print the HTML report to PDF; a temporary HTML file when only the PDF was asked for."""
    from reports.findings.render import PdfError, print_pdf, write_text

    source = html_path
    if not keep_html:
        source = pdf_path.with_name(f".{pdf_path.stem}.print.html")
        write_text(source, html)
    try:
        print_pdf(source, pdf_path)
    except PdfError as error:
        err.print(f"[red]No PDF:[/red] {error}")
        raise typer.Exit(1) from error
    finally:
        if not keep_html:
            source.unlink(missing_ok=True)
    err.print(f"wrote the PDF to {pdf_path} (readable by you only)")
