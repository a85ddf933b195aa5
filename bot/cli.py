"""The `jeugdstem` command line."""

from __future__ import annotations

import asyncio

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.logs import configure_logging
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.survey import ConfigError

app = typer.Typer(
    help="Jeugdstem: a survey bot that asks young people in Kortrijk what holds them back.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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


def _settings() -> Settings:
    """Settings from the environment, or a clear message and exit code 2."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "\n".join(
            f"  {'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        typer.echo(f"Invalid environment variable:\n{problems}", err=True)
        raise typer.Exit(2) from error


def _runtime(settings: Settings) -> Runtime:
    """Survey and database ready to use (schema migrated), or a clear message and exit code."""
    configure_logging(settings.jeugdstem_log_level)
    try:
        runtime = build_runtime(settings)
    except (ConfigError, ValueError) as error:
        typer.echo(f"Configuration error:\n{error}", err=True)
        raise typer.Exit(2) from error
    try:
        runtime.database.migrate()
    except SQLAlchemyError as error:
        where = runtime.database.url.render_as_string(hide_password=True)
        # The error text names host and cause; it never holds survey data at this point.
        typer.echo(
            f"Cannot open the database {where}:\n  {error.__class__.__name__}: "
            f"{getattr(error, 'orig', error)}",
            err=True,
        )
        raise typer.Exit(1) from error
    return runtime


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
    settings = _settings()
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
    from bot.telegram import run_telegram  # imported here: `chat` should not need Telegram

    run_telegram(runtime, webhook=webhook)


@app.command()
def chat(
    user: str = typer.Option(
        "console", help="Who you are in the terminal; the same name continues the same survey."
    ),
) -> None:
    """Take the survey in this terminal (SQLite by default, no Telegram token needed)."""
    runtime = _runtime(_settings())
    from bot.console import ConsoleChat

    async def main() -> None:
        try:
            await ConsoleChat(runtime, user).run()
        finally:
            runtime.database.dispose()

    asyncio.run(main())
