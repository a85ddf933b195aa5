"""`jeugdstem feedback send THEME`: "jullie zeiden, wij deden" to those who raised a barrier."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.logs import configure_logging
from bot.settings import feedback_path
from cli.send import parse_spread, require_token, run_campaign, signing
from cli.support import fail_config, load_config, load_settings
from survey.config import ConfigError

feedback_app = typer.Typer(
    help='"Jullie zeiden, wij deden": what the network did with a barrier (feedback.yml).',
    no_args_is_help=True,
)


@feedback_app.command("send")
def send_feedback(
    theme: Annotated[str, typer.Argument(metavar="THEME", help="A barrier theme's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Send for real (without: a dry run).")] = False,
    spread: Annotated[
        str | None,
        typer.Option(metavar="DURATION", help="Spread the messages evenly over this long (6h)."),
    ] = None,
) -> None:
    """Send the theme's feedback to opted-in people who raised it; without --yes a dry run."""
    from bot.engine.feedback import FeedbackMessages
    from bot.sending import FeedbackCampaign, Filters
    from survey.feedback import load_feedback

    settings = load_settings()
    configure_logging(settings.jeugdstem_log_level)
    survey = load_config(settings)
    path = feedback_path(settings)
    try:
        feedback = load_feedback(path, survey)
    except ConfigError as error:
        fail_config(error)  # file, line and key; nothing is sent
    if theme not in survey.theme_ids:
        raise typer.BadParameter(
            f"unknown theme {theme!r} (known: {', '.join(survey.theme_ids)})", param_hint="THEME"
        )
    item = feedback.of(theme)
    if item is None:
        typer.echo(f"{path} has no feedback on {theme!r}: write it there first.", err=True)
        raise typer.Exit(2)
    duration = parse_spread(spread)
    require_token(settings, yes)
    if yes and item.example:
        typer.echo(
            f"The feedback on {theme!r} in {path} is a shipped example (example: true): "
            "write the network's own and remove that line before sending.",
            err=True,
        )
        raise typer.Exit(2)
    campaign = FeedbackCampaign(theme, item, FeedbackMessages(survey, signing(settings)))
    label = survey.theme(theme)
    heading = f"Feedback on {theme} ({label.label if label else theme}): {item.status.value}" + (
        " [example]" if item.example else ""
    )
    run_campaign(settings, survey, campaign, Filters(), duration, heading, yes=yes)
