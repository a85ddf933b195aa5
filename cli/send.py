"""`jeugdstem send ROUND`: a follow-up round to opted-in participants (a dry run without --yes)."""

from __future__ import annotations

import asyncio
import re
import signal
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from bot.logs import configure_logging
from cli.support import load_config, load_settings, open_database, progress_bar
from survey.clock import local
from survey.config import Round, Survey

if TYPE_CHECKING:
    from bot.engine.buttons import ButtonCodec
    from bot.sending import Campaign, Filters, Plan, Tally
    from bot.settings import Settings
    from storage import Database

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


def parse_spread(value: str | None) -> timedelta:
    """'6h', '90m', '1d', '1h30m' as a duration; BadParameter otherwise."""
    if not value:
        return timedelta(0)
    found = _DURATION.match(value.strip().lower())
    if found is None or not any(found.groups()):
        raise typer.BadParameter(
            f"{value!r} is not a duration: write for example 6h, 90m, 1d or 1h30m",
            param_hint="--spread",
        )
    days, hours, minutes = (int(part or 0) for part in found.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def _round(survey: Survey, round_id: str) -> Round:
    """The follow-up round with this id, or a clear message and exit code 2."""
    found = survey.round(round_id)
    if found is not None:
        return found
    known = ", ".join(r.id for r in survey.rounds) or "none in config.yml"
    if round_id == survey.first_round.id:
        typer.echo(
            f"{round_id!r} is the first round, the survey itself: it is not sent. "
            f"Follow-up rounds: {known}.",
            err=True,
        )
    else:
        typer.echo(f"No round {round_id!r} in config.yml. Follow-up rounds: {known}.", err=True)
    raise typer.Exit(2)


def _check_filters(survey: Survey, filters: Filters) -> None:
    """Unknown filter values are a mistake, not an empty audience."""
    for values, known, option in (
        (filters.sources, [s.id for s in survey.sources], "--source"),
        (filters.age_bands, [b.id for b in survey.age_bands], "--age-band"),
        (filters.themes, survey.theme_ids, "--theme"),
    ):
        unknown = [value for value in values if value not in known]
        if unknown:
            raise typer.BadParameter(
                f"unknown {', '.join(unknown)} (known: {', '.join(known)})", param_hint=option
            )


def describe_plan(survey: Survey, plan: Plan, campaign: Campaign, spread: timedelta) -> None:
    """The dry run's report after the heading: counts, reasons, timing, a preview per language."""
    from bot.sending import Exclusion

    typer.echo(f"Will receive it: {len(plan.recipients)}")
    if plan.mid_survey:
        typer.echo(f"  of whom {plan.mid_survey} mid-survey: they get it when they finish")
    typer.echo("Not sent to:")
    for reason in Exclusion:
        typer.echo(f"  {reason.value:<24} {plan.excluded[reason]:>6}")
    if plan.not_targeted:
        typer.echo(f"Not meant for them (filters, sources or themes): {plan.not_targeted}")
    if plan.recipients:
        languages = ", ".join(f"{lang} {n}" for lang, n in sorted(plan.languages().items()))
        typer.echo(f"Languages: {languages}")
    quiet = survey.send.quiet_hours
    rate = survey.send.rate
    typer.echo(
        f"Rate: {rate:g} messages/s (about {len(plan.recipients) / rate:.0f} s)"
        + (f", spread over {spread}" if spread else "")
    )
    if quiet is not None:
        typer.echo(
            f"Quiet hours: {quiet.start}-{quiet.end} Kortrijk time for anyone under "
            f"{survey.send.adult_age}: held until {quiet.end}, never dropped"
        )
    for language in survey.languages:
        reply = campaign.message(language)
        buttons = "  ".join(f"[{button.label}]" for row in reply.buttons for button in row)
        typer.echo(f"\nPreview ({language}):")
        for line in reply.text.splitlines():
            typer.echo(f"  | {line}")
        typer.echo(f"  | {buttons}")


def summary(tally: Tally, counts: dict[str, int]) -> None:
    """What this run did, and where every message of the campaign stands."""
    typer.echo(
        f"Sent {tally.sent}; mid-survey, sent when they finish {tally.waiting}; "
        f"unreachable {tally.unreachable}; no longer for them {tally.cancelled}."
    )
    if tally.uncertain or tally.recovered_uncertain:
        in_flight = tally.uncertain + tally.recovered_uncertain
        typer.echo(
            f"In flight when a send stopped or timed out: {in_flight} "
            "(maybe delivered, so not sent again)."
        )
    if tally.failed:
        typer.echo(f"Refused by Telegram (see the log): {tally.failed}.")
    totals = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
    typer.echo(f"In the outbox for this message: {totals}")


def send(
    round_id: Annotated[str, typer.Argument(metavar="ROUND", help="A follow-up round's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Send for real (without: a dry run).")] = False,
    source: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="Only people who came through this source; repeatable."),
    ] = None,
    age_band: Annotated[
        list[str] | None,
        typer.Option("--age-band", metavar="ID", help="Only this age band; repeatable."),
    ] = None,
    theme: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="Only people who raised this barrier; repeatable."),
    ] = None,
    spread: Annotated[
        str | None,
        typer.Option(
            metavar="DURATION",
            help="Spread the messages evenly over this long (6h, 90m, 1d), so replies "
            "do not all come at once.",
        ),
    ] = None,
) -> None:
    """Send a follow-up round to opted-in participants; without --yes only say what would go."""
    from bot.engine.rounds import Rounds
    from bot.sending import Filters, RoundCampaign

    settings = load_settings()
    configure_logging(settings.jeugdstem_log_level)
    survey = load_config(settings)
    round_ = _round(survey, round_id)
    filters = Filters(tuple(source or ()), tuple(age_band or ()), tuple(theme or ()))
    _check_filters(survey, filters)
    duration = parse_spread(spread)
    require_token(settings, yes)
    today = local(datetime.now(UTC)).date()
    if not round_.open_on(today):
        when = f"opens {round_.opens}" if round_.opens and today < round_.opens else "has closed"
        typer.echo(
            f"Round {round_.id} {when} ({today} in Kortrijk): nothing can be sent.", err=True
        )
        raise typer.Exit(2)
    campaign = RoundCampaign(round_, Rounds(survey, signing(settings)))
    title = round_.title[survey.default_language]
    opens = round_.opens.isoformat() if round_.opens else "now"
    closes = round_.closes.isoformat() if round_.closes else "no end"
    heading = f"Round {round_.id}: {title} (open {opens} to {closes})"
    run_campaign(settings, survey, campaign, filters, duration, heading, yes=yes)


def require_token(settings: Settings, yes: bool) -> None:
    """Sending for real needs the bot's token; a dry run does not."""
    token = settings.telegram_bot_token
    if yes and (token is None or not token.get_secret_value()):
        typer.echo("TELEGRAM_BOT_TOKEN is not set: the bot's token is needed to send.", err=True)
        raise typer.Exit(2)


def signing(settings: Settings) -> ButtonCodec:
    """The button signer the bot uses, so the bot accepts the buttons of what is sent."""
    from bot.engine.buttons import ButtonCodec
    from privacy.identity import CallbackCodec, load_or_create_secret

    configured = settings.jeugdstem_secret.get_secret_value() if settings.jeugdstem_secret else None
    return ButtonCodec(CallbackCodec(load_or_create_secret(configured, settings.database_url)))


def run_campaign(
    settings: Settings,
    survey: Survey,
    campaign: Campaign,
    filters: Filters,
    spread: timedelta,
    heading: str,
    *,
    yes: bool,
) -> None:
    """Plan and describe a send; with ``yes`` queue it and drain the outbox."""
    from bot.sending import plan_send
    from storage import outbox

    database = open_database(settings)
    try:
        with database.snapshot() as session:
            people = outbox.audience(
                session, campaign.kind, campaign.subject, confident=survey.nlu.confident
            )
        plan = plan_send(people, campaign, filters)
        typer.echo(heading)
        describe_plan(survey, plan, campaign, spread)
        if not yes:
            typer.echo("\nDry run: nothing was sent. Add --yes to send.")
            return
        token = settings.telegram_bot_token
        assert token is not None
        api = (settings.telegram_api_url, token.get_secret_value())
        asyncio.run(_send(survey, database, campaign, plan, spread, api))
    finally:
        database.dispose()


async def _send(
    survey: Survey,
    database: Database,
    campaign: Campaign,
    plan: Plan,
    spread: timedelta,
    api: tuple[str, str],
) -> None:
    """Queue the plan, then drain the outbox with a progress bar until nothing is left."""
    from bot.sending import OutboxSender
    from bot.telegram.sender import TelegramDelivery
    from storage import outbox
    from storage.models import OutboxStatus

    name = f"{campaign.kind.value} {campaign.subject}"
    async with TelegramDelivery(*api) as deliver:
        with progress_bar() as progress:
            task = progress.add_task(name, total=None)

            def held(until: datetime, count: int) -> None:
                progress.update(
                    task,
                    description=f"{name}: {count} held until "
                    f"{local(until):%Y-%m-%d %H:%M} (quiet hours or spread)",
                )

            sender = OutboxSender(
                survey,
                database,
                campaign,
                deliver,
                on_progress=lambda: progress.advance(task),
                on_hold=held,
            )
            new = sender.enqueue(plan, spread)
            with database.transaction() as session:
                counts = outbox.counts(session, campaign.kind, campaign.subject)
            open_rows = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)
            progress.update(task, total=open_rows)
            typer.echo(f"\nQueued {new} new; {open_rows} to send now or when due.")
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, sender.stop)
            tally = await sender.run()
    with database.transaction() as session:
        counts = outbox.counts(session, campaign.kind, campaign.subject)
    summary(tally, {str(status): count for status, count in counts.items()})
    if sender.stopped:
        typer.echo("Stopped before the end: run the same command again to go on.")
