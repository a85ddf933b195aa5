"""`jeugdstem links`: the partners' kit, a deep link, QR code and A4 poster per source."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.logs import configure_logging
from bot.settings import Settings
from cli.support import load_config, load_settings, progress_bar
from survey.config import Survey

err = Console(stderr=True)

GET_ME_TIMEOUT_SECONDS = 15

NO_USERNAME = """\
The links need the bot's Telegram username, and none is known. Give it in one of three ways:
  jeugdstem links -o FOLDER --bot JeugdstemBot
  in {config}, under telegram:  bot_username: JeugdstemBot
  or set TELEGRAM_BOT_TOKEN: the username is then asked from Telegram (getMe)."""


class GetMeError(Exception):
    """Telegram's getMe gave no username; the message never holds the token."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def get_me_username(api_url: str, token: str) -> str:
    """The bot's username from the Bot API's getMe (the base URL as bot/telegram builds it)."""
    api = api_url.rstrip("/")
    if not api.startswith(("https://", "http://")):
        raise GetMeError(f"TELEGRAM_API_URL {api_url!r} is not an http(s) URL", 2)
    # The scheme is checked above, so urllib opens nothing but http(s) (S310).
    request = urllib.request.Request(f"{api}/bot{token}/getMe", method="GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=GET_ME_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        # 401 and 404 are what Telegram answers to a wrong token.
        code = 2 if error.code in (401, 404) else 1
        raise GetMeError(
            f"Telegram refused getMe at {api} ({error.code} {error.reason}): "
            "check TELEGRAM_BOT_TOKEN",
            code,
        ) from error
    except OSError as error:  # refused, unknown host, timeout: URLError is one too
        # The reason, never the error itself: a URL in it would carry the token.
        reason = getattr(error, "reason", error)
        raise GetMeError(f"cannot reach the Bot API at {api}: {reason}", 1) from error
    except ValueError as error:
        raise GetMeError(f"the Bot API at {api} did not answer getMe with JSON", 1) from error
    result = answer.get("result") if isinstance(answer, dict) else None
    username = result.get("username") if isinstance(result, dict) else None
    if not isinstance(username, str) or not username:
        raise GetMeError(f"the Bot API at {api} answered getMe without a username", 1)
    return username


def _username(given: str | None, survey: Survey, settings: Settings) -> str:
    """--bot, else telegram.bot_username in config.yml, else Telegram's getMe; or exit."""
    from reports.links import bot_username

    name = given or survey.telegram.bot_username
    if not name:
        token = settings.telegram_bot_token
        if token is None or not token.get_secret_value():
            typer.echo(NO_USERNAME.format(config=settings.jeugdstem_config), err=True)
            raise typer.Exit(2)
        try:
            name = get_me_username(settings.telegram_api_url, token.get_secret_value())
        except GetMeError as error:
            typer.echo(f"Cannot ask Telegram for the bot's username: {error}", err=True)
            typer.echo("Give it instead with --bot USERNAME or telegram.bot_username.", err=True)
            raise typer.Exit(error.exit_code) from error
    try:
        return bot_username(name)
    except ValueError as error:
        if given:
            raise typer.BadParameter(str(error), param_hint="--bot") from error
        typer.echo(f"Telegram's getMe gave an unusable username: {error}", err=True)
        raise typer.Exit(1) from error


def links(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FOLDER",
            help="The kit's folder: FOLDER/<source>/ per source, and FOLDER/index.html.",
        ),
    ],
    bot: Annotated[
        str | None,
        typer.Option(
            "--bot",
            metavar="USERNAME",
            help="The bot's Telegram username; else telegram.bot_username in config.yml, "
            "else asked from Telegram with TELEGRAM_BOT_TOKEN.",
        ),
    ] = None,
    no_pdf: Annotated[
        bool,
        typer.Option("--no-pdf", help="Skip the posters' PDFs (no Chromium needed)."),
    ] = False,
    source: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID", help="Only this source (a partner or campaign code); repeat for several."
        ),
    ] = None,
) -> None:
    """Per source: the deep link, its QR code (SVG, PNG) and an A4 poster (HTML, PDF)."""
    # Imported here: segno and Jinja2 would otherwise load with every jeugdstem command.
    from reports.links import print_posters, write_index, write_kits

    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    known = [s.id for s in survey.sources]
    unknown = [code for code in source or [] if code not in known]
    if unknown:
        raise typer.BadParameter(
            f"unknown source {', '.join(unknown)} (known: {', '.join(known)})",
            param_hint="--source",
        )
    chosen = [s for s in survey.sources if not source or s.id in source]
    username = _username(bot, survey, settings)
    try:
        kits = write_kits(output, username, chosen, minimum_age=survey.privacy.minimum_age)
    except ValueError as error:
        typer.echo(f"Configuration error:\n{error}", err=True)
        raise typer.Exit(2) from error
    if not no_pdf:
        from reports.findings.render import PdfError  # loads matplotlib: only when printing

        with progress_bar(transient=True) as progress:
            printing = progress.add_task("posters (PDF)", total=len(kits))
            try:
                print_posters(kits, lambda: progress.advance(printing))
            except PdfError as error:
                write_index(output, survey.sources)  # what is there, without the missing PDFs
                err.print(f"[red]No PDF:[/red] {error}")
                err.print("Run again with --no-pdf to make everything but the PDFs.")
                raise typer.Exit(1) from error
    index = write_index(output, survey.sources)
    made = "links, QR codes and posters" + ("" if no_pdf else " (HTML and PDF)")
    typer.echo(f"{len(kits)} sources for @{username}: {made} in {output}/")
    typer.echo(f"Open {index} to see them all.")
