"""The partners' kit: per source a deep link, its QR code and an A4 poster to print."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from markupsafe import Markup

from reports.files import private_output
from reports.templating import environment
from survey.config import Source

# Telegram's rule for the `start` parameter of a deep link.
START_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Telegram's rule for usernames (the same as telegram.bot_username in config.yml).
BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
# Level M survives a scuffed or partly covered poster and keeps the code small enough.
QR_ERROR = "m"
# The quiet zone the QR standard asks for, in modules: scanners need it to find the code.
QUIET_ZONE = 4
# 10 px per module (about 400 px in all): sharp on a flyer; the SVG scales to any size.
PNG_SCALE = 10
SVG_SCALE = 10
# The upper end of the network's target group (12–25); the lower one is privacy.minimum_age.
TARGET_MAX_AGE = 25

LINK_FILE = "link.txt"
SVG_FILE = "qr.svg"
PNG_FILE = "qr.png"
POSTER_FILE = "poster.html"
PDF_FILE = "poster.pdf"
INDEX_FILE = "index.html"


def start_code(code: str) -> str:
    """``code`` if Telegram accepts it as a deep link's start parameter, else a ValueError."""
    if not START_CODE.fullmatch(code):
        raise ValueError(
            f"start code {code!r} cannot be used in a Telegram link: use 1 to 64 characters "
            "from A-Z, a-z, 0-9, _ and -"
        )
    return code


def bot_username(name: str) -> str:
    """The bot's username without a leading @, or a ValueError naming what was given."""
    bare = name.strip().removeprefix("@")
    if not BOT_USERNAME.fullmatch(bare):
        raise ValueError(
            f"{name!r} is not a Telegram username: 5 to 32 characters from A-Z, a-z, 0-9 and _, "
            "starting with a letter"
        )
    return bare


def deep_link(username: str, code: str) -> str:
    """The link that opens the bot and starts the survey with ``code`` as its source."""
    return f"https://t.me/{bot_username(username)}?start={start_code(code)}"


def qr_code(link: str) -> segno.QRCode:
    """The QR code of a link, always made with the same settings."""
    return segno.make(link, error=QR_ERROR)


@dataclass(frozen=True)
class Kit:
    """One source's files in the kit folder: ``<folder>/<source id>/``."""

    source: Source
    link: str
    folder: Path

    @property
    def shown_link(self) -> str:
        """The link as printed under the code: short enough to type over."""
        return self.link.removeprefix("https://")

    def path(self, name: str) -> Path:
        """One of this kit's files."""
        return self.folder / self.source.id / name


@dataclass(frozen=True)
class _IndexEntry:
    """One row of index.html."""

    kit: Kit
    qr: Markup
    has_pdf: bool


def _inline_svg(link: str, css_class: str) -> Markup:
    """The QR code as an <svg> element for an HTML page, sized by CSS."""
    svg = qr_code(link).svg_inline(
        border=QUIET_ZONE, omitsize=True, svgclass=css_class, lineclass=None, title=link
    )
    # segno writes this markup and escapes the title (the link): nothing from outside is markup.
    return Markup(svg)  # noqa: S704


def _write_text(path: Path, text: str) -> bool:
    """Write ``text`` unless the file already holds it; whether it changed."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    with private_output(path) as partial:
        partial.write_text(text, encoding="utf-8", newline="\n")
    return True


def write_kit(folder: Path, username: str, source: Source, minimum_age: int) -> Kit:
    """link.txt, qr.svg, qr.png and poster.html for one source (the PDF is printed apart)."""
    kit = Kit(source=source, link=deep_link(username, source.id), folder=folder)
    code = qr_code(kit.link)
    _write_text(kit.path(LINK_FILE), kit.link + "\n")
    with private_output(kit.path(SVG_FILE)) as partial:
        code.save(str(partial), kind="svg", border=QUIET_ZONE, scale=SVG_SCALE, light="#fff")
    with private_output(kit.path(PNG_FILE)) as partial:
        code.save(str(partial), kind="png", border=QUIET_ZONE, scale=PNG_SCALE)
    poster = (
        environment()
        .get_template("poster.html")
        .render(
            kit=kit,
            qr=_inline_svg(kit.link, "qr"),
            minimum_age=minimum_age,
            maximum_age=TARGET_MAX_AGE,
        )
    )
    if _write_text(kit.path(POSTER_FILE), poster):
        # A PDF of an earlier poster may carry an old link: it must not be printed by mistake.
        kit.path(PDF_FILE).unlink(missing_ok=True)
    return kit


def write_index(folder: Path, sources: Sequence[Source]) -> Path:
    """index.html: every source whose kit is in ``folder``, in config.yml's order."""
    entries: list[_IndexEntry] = []
    for source in sources:
        link_file = folder / source.id / LINK_FILE
        if not link_file.is_file():
            continue
        # The link as written in the folder, which may come from an earlier run.
        link = link_file.read_text(encoding="utf-8").strip()
        kit = Kit(source=source, link=link, folder=folder)
        entries.append(
            _IndexEntry(kit, _inline_svg(link, "thumbnail"), kit.path(PDF_FILE).is_file())
        )
    index = folder / INDEX_FILE
    _write_text(index, environment().get_template("poster_index.html").render(entries=entries))
    return index


def write_kits(
    folder: Path, username: str, sources: Sequence[Source], *, minimum_age: int
) -> list[Kit]:
    """Every source's kit without PDFs; all links are checked before a file is written."""
    for source in sources:
        deep_link(username, source.id)
    return [write_kit(folder, username, source, minimum_age) for source in sources]


def print_posters(
    kits: Sequence[Kit], progress: Callable[[], None] | None = None, *, chromium: str = "chromium"
) -> None:
    """Print every poster.html to poster.pdf with headless Chromium; PdfError if it cannot."""
    # Loaded only here: the findings renderer brings matplotlib and scikit-learn along.
    from reports.findings.render import print_pdf

    # One after the other: Chromium's start-up is CPU-bound, and on two cores printing
    # in parallel was no faster.
    for kit in kits:
        print_pdf(kit.path(POSTER_FILE), kit.path(PDF_FILE), chromium=chromium)
        if progress is not None:
            progress()
