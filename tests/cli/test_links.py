"""`jeugdstem links`, run as the real command: every QR code read back, the PDFs checked.

The username comes from --bot, from config.yml, or from Telegram's getMe (here the
fake Bot API server); the PDFs are printed by the real headless Chromium.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pypdf
import pytest
import yaml

from survey.config import Source, Survey
from tests.support.cli import Result, run_jeugdstem
from tests.support.fake_bot_api import BOT_USER, FakeBotApi
from tests.support.paths import REPO
from tests.support.qr import check_png, check_svg_file, decode_svg

BOT = "JeugdstemTestBot"
CONFIG_TEXT = (REPO / "config.yml").read_text(encoding="utf-8")
# A4 in PostScript points.
A4 = (595.28, 841.89)
PDF_SOURCES = ("bolwerk", "begeleide-sessie")


@pytest.fixture
def chromium() -> None:
    """`make test` installs Chromium; a missing browser is a failure, never a quiet skip."""
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run scripts/ensure-chromium.sh (make test does)")


def links(
    tmp_path: Path, *args: str, config: Path = REPO / "config.yml", **environment: str
) -> Result:
    """The real command; it needs no database, so the URL's file must never appear."""
    result = run_jeugdstem(
        f"sqlite:///{tmp_path / 'j.db'}", "links", *args, config=config, extra_env=environment
    )
    assert not (tmp_path / "j.db").exists()
    return result


def config_with(tmp_path: Path, find: str, replace: str) -> Path:
    """config.yml with one text changed, so line numbers stay those of the shipped file."""
    assert CONFIG_TEXT.count(find) == 1, find
    path = tmp_path / "config.yml"
    path.write_text(CONFIG_TEXT.replace(find, replace), encoding="utf-8")
    return path


def check_kit(folder: Path, source: Source, username: str) -> None:
    """One source's files: the link, both QR codes decoded, the poster's inline code too."""
    link = f"https://t.me/{username}?start={source.id}"
    assert (folder / source.id / "link.txt").read_text(encoding="utf-8").strip() == link
    check_png(folder / source.id / "qr.png", link)
    check_svg_file(folder / source.id / "qr.svg", link)
    poster = (folder / source.id / "poster.html").read_text(encoding="utf-8")
    assert decode_svg(re.findall(r"<svg\b.*?</svg>", poster, flags=re.DOTALL)[0]) == [link]


def check_pdf(path: Path, source: Source, username: str) -> None:
    """One A4 page printed by Chromium, with the partner's name and the link on it."""
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) <= 1 and abs(float(box.height) - A4[1]) <= 1, box
    metadata = reader.metadata
    assert metadata is not None
    assert "Skia" in str(metadata.producer), metadata
    assert "Chrome" in str(metadata.creator), metadata
    text = " ".join(reader.pages[0].extract_text().split())
    assert source.label in text, text
    assert f"t.me/{username}?start={source.id}" in text, text


def test_every_source_gets_a_kit_without_pdfs(survey: Survey, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = links(tmp_path, "-o", str(out), "--bot", f"@{BOT}", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert f"{len(survey.sources)} sources for @{BOT}" in result.stdout
    assert str(out / "index.html") in result.stdout
    for source in survey.sources:
        check_kit(out, source, BOT)
    assert not list(out.glob("*/poster.pdf"))
    assert not list(out.rglob("*partial*"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr id="([^"]+)">', index) == [s.id for s in survey.sources]


def test_posters_print_to_one_a4_page_each(chromium: None, survey: Survey, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    chosen = [s for s in survey.sources if s.id in PDF_SOURCES]
    assert any(s.supervised for s in chosen)
    options = [f"--source={s.id}" for s in chosen]
    result = links(tmp_path, "-o", str(out), "--bot", BOT, *options)
    assert result.returncode == 0, result.stderr
    assert f"{len(chosen)} sources for @{BOT}" in result.stdout
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(PDF_SOURCES)
    for source in chosen:
        check_kit(out, source, BOT)
        check_pdf(out / source.id / "poster.pdf", source, BOT)
    index = (out / "index.html").read_text(encoding="utf-8")
    for source in chosen:
        assert f'href="{source.id}/poster.pdf"' in index


def test_without_chromium_the_command_says_so(tmp_path: Path) -> None:
    out = tmp_path / "kit"
    # sys.executable is absolute, so the command runs; chromium is nowhere on this PATH.
    result = links(
        tmp_path, "-o", str(out), "--bot", BOT, "--source", "quindo", PATH="/nonexistent"
    )
    assert result.returncode == 1, result.stderr
    assert "chromium is not installed" in result.stderr
    assert "--no-pdf" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "quindo" / "poster.html").is_file()
    assert not (out / "quindo" / "poster.pdf").exists()
    assert 'id="quindo"' in (out / "index.html").read_text(encoding="utf-8")


def test_the_username_in_config_yml_is_used(survey: Survey, tmp_path: Path) -> None:
    config = config_with(tmp_path, "  bot_username:\n", "  bot_username: ConfigTestBot\n")
    ajko = survey.source("ajko")
    assert ajko is not None
    out = tmp_path / "kit"
    result = links(tmp_path, "-o", str(out), "--no-pdf", "--source", "ajko", config=config)
    assert result.returncode == 0, result.stderr
    check_kit(out, ajko, "ConfigTestBot")
    # --bot wins over config.yml.
    result = links(
        tmp_path, "-o", str(out), "--no-pdf", "--source", "ajko", "--bot", BOT, config=config
    )
    assert result.returncode == 0, result.stderr
    check_kit(out, ajko, BOT)


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API server on a free port."""
    server = FakeBotApi()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_without_a_username_telegram_is_asked(
    bot_api: FakeBotApi, survey: Survey, tmp_path: Path
) -> None:
    out = tmp_path / "kit"
    # A thread runs the command, so this event loop keeps serving the fake Bot API.
    result = await asyncio.to_thread(
        links,
        tmp_path,
        "-o",
        str(out),
        "--no-pdf",
        TELEGRAM_BOT_TOKEN=bot_api.token,
        TELEGRAM_API_URL=bot_api.url + "/",
    )
    assert result.returncode == 0, result.stderr
    assert bot_api.calls == ["getMe"]
    username = str(BOT_USER["username"])
    assert username != BOT
    for source in survey.sources:
        check_kit(out, source, username)
    assert bot_api.token not in result.stdout + result.stderr


async def test_a_refused_token_is_a_clear_error_without_the_token(
    bot_api: FakeBotApi, tmp_path: Path
) -> None:
    wrong = "999999:WRONG-secret-token"
    result = await asyncio.to_thread(
        links,
        tmp_path,
        "-o",
        str(tmp_path / "kit"),
        "--no-pdf",
        TELEGRAM_BOT_TOKEN=wrong,
        TELEGRAM_API_URL=bot_api.url,
    )
    assert result.returncode == 2, result.stderr
    assert "401" in result.stderr and "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "--bot" in result.stderr
    assert wrong not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "kit").exists()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound to find it, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_bot_api_is_a_clear_error(tmp_path: Path) -> None:
    port = closed_port()
    result = links(
        tmp_path,
        "-o",
        str(tmp_path / "kit"),
        "--no-pdf",
        TELEGRAM_BOT_TOKEN="123456:some-token",
        TELEGRAM_API_URL=f"http://127.0.0.1:{port}",
    )
    assert result.returncode == 1, result.stderr
    assert f"cannot reach the Bot API at http://127.0.0.1:{port}" in result.stderr
    assert "some-token" not in result.stdout + result.stderr


def test_no_username_anywhere_exits_2_and_says_how(tmp_path: Path) -> None:
    assert yaml.safe_load(CONFIG_TEXT)["telegram"].get("bot_username") is None
    result = links(tmp_path, "-o", str(tmp_path / "kit"), "--no-pdf")
    assert result.returncode == 2, result.stderr
    assert "bot's Telegram username" in result.stderr
    assert "--bot" in result.stderr and "bot_username" in result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert not (tmp_path / "kit").exists()


def test_an_unknown_source_exits_2_and_names_it(tmp_path: Path) -> None:
    result = links(
        tmp_path,
        "-o",
        str(tmp_path / "kit"),
        "--bot",
        BOT,
        "--source",
        "bolwerk",
        "--source",
        "no-such-partner",
        "--no-pdf",
    )
    assert result.returncode == 2, result.stderr
    assert "unknown source no-such-partner" in result.stderr
    assert "bolwerk" in result.stderr  # the known ones are listed
    assert not (tmp_path / "kit").exists()


def test_a_bad_username_exits_2(tmp_path: Path) -> None:
    result = links(tmp_path, "-o", str(tmp_path / "kit"), "--bot", "Jeugdstem Bot", "--no-pdf")
    assert result.returncode == 2, result.stderr
    assert "'Jeugdstem Bot' is not a Telegram username" in result.stderr
    assert not (tmp_path / "kit").exists()


@pytest.mark.parametrize(
    "bad_id",
    ["bolwerk-oost-west-noord-zuid", "bolwerk oost", "bolwerk?x=1"],
)
def test_a_source_id_telegram_or_config_refuses_names_file_and_line(
    bad_id: str, tmp_path: Path
) -> None:
    find = "  - {id: bolwerk, label: Bolwerk}\n"
    config = config_with(tmp_path, find, f'  - {{id: "{bad_id}", label: Bolwerk}}\n')
    line = CONFIG_TEXT[: CONFIG_TEXT.index(find)].count("\n") + 1
    result = links(tmp_path, "-o", str(tmp_path / "kit"), "--bot", BOT, "--no-pdf", config=config)
    assert result.returncode == 2, result.stderr
    assert "Configuration error" in result.stderr
    assert f"{config}:{line}: sources.1.id" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "kit").exists()
