"""The `jeugdstem` command line."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import typer

from bot.logs import configure_logging
from bot.settings import Settings
from cli.cases import cases
from cli.demo import demo
from cli.export import export, labels_app
from cli.feedback import feedback_app
from cli.links import links
from cli.nlu import nlu_app
from cli.privacy import privacy_app
from cli.report import report
from cli.send import send
from cli.support import fail_config, load_config, load_settings, open_database
from nlu.data import TrainingDataError
from survey.config import ConfigError

if TYPE_CHECKING:
    from bot.runtime import Runtime

app = typer.Typer(
    help="Jeugdstem: a survey bot that asks young people in Kortrijk what holds them back.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(nlu_app, name="nlu")
app.add_typer(privacy_app, name="privacy")
app.add_typer(labels_app, name="labels")
app.add_typer(feedback_app, name="feedback")
app.command()(export)
app.command()(demo)
app.command()(report)
app.command()(cases)
app.command()(links)
app.command()(send)

NO_TOKEN = """\
TELEGRAM_BOT_TOKEN is not set, so the bot cannot log in to Telegram.

Get a token from BotFather:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a name and a username ending in 'bot'.
  3. BotFather answers with a token like 123456789:AAH...; then run
       export TELEGRAM_BOT_TOKEN='<the token>'
       jeugdstem run

To try the survey without Telegram, run:  jeugdstem chat
"""


def _runtime(settings: Settings, *, offer_examples: bool = False) -> Runtime:
    """Survey, database (schema migrated) and NLU ready to use, or a clear message and exit code.

    ``offer_examples``: offers.yml's shipped examples are shown (`chat`, never `run`).
    """
    from bot.runtime import build_runtime  # the engine and NLU: only `run` and `chat` need them

    configure_logging(settings.jeugdstem_log_level)
    survey = load_config(settings)  # reports config.yml's problems before anything else starts
    database = open_database(settings)
    try:
        return build_runtime(settings, database, survey, offer_examples=offer_examples)
    except (ConfigError, TrainingDataError, ValueError) as error:
        database.dispose()
        fail_config(error)


@app.command()
def run(
    webhook: bool = typer.Option(
        False,
        "--webhook",
        help="Receive updates as a webhook server (needs JEUGDSTEM_WEBHOOK_URL and "
        "JEUGDSTEM_WEBHOOK_SECRET) instead of long polling.",
    ),
) -> None:
    """Run the Telegram bot (long polling by default)."""
    settings = load_settings()
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        typer.echo(NO_TOKEN, err=True)
        raise typer.Exit(2)
    if webhook and (
        not settings.jeugdstem_webhook_url or settings.jeugdstem_webhook_secret is None
    ):
        typer.echo(
            "Webhook mode needs JEUGDSTEM_WEBHOOK_URL (the public https URL Telegram posts to)\n"
            "and JEUGDSTEM_WEBHOOK_SECRET (1-256 characters A-Z, a-z, 0-9, _ and -).",
            err=True,
        )
        raise typer.Exit(2)
    runtime = _runtime(settings)
    from bot.telegram.adapter import run_telegram  # imported here: `chat` should not need Telegram

    run_telegram(runtime, webhook=webhook)


@app.command()
def chat(
    user: str = typer.Option(
        "console", help="Who you are in the terminal; the same name continues the same survey."
    ),
) -> None:
    """Take the survey in this terminal (SQLite by default, no Telegram token needed)."""
    runtime = _runtime(load_settings(), offer_examples=True)
    from bot.console import ConsoleChat

    async def main() -> None:
        try:
            await ConsoleChat(runtime, user).run()
        finally:
            await runtime.aclose()

    asyncio.run(main())
