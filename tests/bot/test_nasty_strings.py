"""Nasty strings through the conversation, the exports and the report, on both databases.

The corpus (tests/data/nasty_strings.json) holds right-to-left text,
zero-width and combining characters, emoji ZWJ sequences, a NUL byte and
other control characters, SQL, HTML, Telegram-markup and template injection,
and spreadsheet formulas; 4096-character messages are made here. Each one is
typed by its own participant as an answer to an open question, through the
real engine with the real classifier and distress detector, and must be:

- stored exactly as typed, except the NUL byte: PostgreSQL text cannot hold
  it, so the engine stores U+FFFD (the replacement character) in its place, on
  both databases alike;
- shown back exactly by /mydata, in messages Telegram accepts;
- in every export format as staff should see it (redacted, formulas
  neutralised in CSV and marked as text in XLSX, escaped in HTML);
- harmless to the findings report.

Replies are sent without a parse mode (plain text), so nothing a young person
types can turn into markup; ``test_replies_are_plain_text`` holds the adapter
to that.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from bot.engine import Command, Event, Incoming, Press, Response, Start, SurveyEngine, Text
from bot.telegram.adapter import split_text
from nlu.distress import DistressDetector
from nlu.service import Analyser, BuiltinService, builtin_classifier
from privacy.identity import CallbackCodec
from privacy.redact import redact
from reports.exports.cells import FORMULA_STARTS
from storage import Database
from storage import repository as repo
from survey.config import Survey
from tests.support.cli import run_jeugdstem

CORPUS_FILE = Path(__file__).resolve().parents[1] / "data" / "nasty_strings.json"
OPEN_QUESTION = "holds-back"


@dataclass(frozen=True)
class Nasty:
    name: str
    text: str

    @property
    def stored(self) -> str:
        """What the database must hold: the text, with NUL replaced by U+FFFD."""
        return self.text.replace("\x00", "\ufffd")


def load_corpus() -> list[Nasty]:
    document = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))
    corpus = [Nasty(entry["name"], entry["text"]) for entry in document["strings"]]
    corpus += [
        Nasty("4096-latin", "x" * 4096),
        # Telegram counts UTF-16 units: 2048 emoji are a full message.
        Nasty("4096-units-emoji", "😀" * 2048),
        Nasty("4096-mixed-markup", ("<b>*a*</b> " * 410)[:4096]),
    ]
    return corpus


CORPUS = load_corpus()


def test_the_corpus_covers_what_the_issue_names() -> None:
    texts = "".join(n.text for n in CORPUS)
    for needle in ("\u202e", "\u200b", "\u0301", "\u200d", "\x00", "\x1b", "DROP TABLE"):
        assert needle in texts, repr(needle)
    for needle in ("<script>", "](http", "<a href", "=HYPERLINK", "\t=", "\r="):
        assert needle in texts, needle
    assert {n.text[:1] for n in CORPUS} >= set(FORMULA_STARTS)
    assert "" in {n.text for n in CORPUS}
    assert max(len(n.text) for n in CORPUS) == 4096


# ---------------------------------------------------------------------------
# The conversation


@pytest.fixture(scope="module")
def analyser(survey: Survey, tmp_path_factory: pytest.TempPathFactory) -> Analyser:
    """The real built-in classifier and distress detector, as the bot runs them."""
    model = builtin_classifier(
        tmp_path_factory.mktemp("models"), survey.theme_ids, survey.nlu.threshold
    )
    return Analyser(BuiltinService(model), DistressDetector.default(), 5.0)


def pseudonym_of(nasty: Nasty) -> str:
    """A 64-hex pseudonym, as the bot makes them (exports show its first 12 characters)."""
    return hashlib.sha256(nasty.name.encode()).hexdigest()


def by_short_pseudonym() -> dict[str, Nasty]:
    found = {pseudonym_of(nasty)[:12]: nasty for nasty in CORPUS}
    assert len(found) == len(CORPUS)
    return found


def assert_sendable(response: Response) -> None:
    """Every message the adapter would send for this response is one Telegram accepts."""
    replies = [*response.replies, *([response.origin] if response.origin else [])]
    for reply in replies:
        for piece in split_text(reply.text):
            assert piece.strip() and len(piece.encode("utf-16-le")) // 2 <= 4096


async def say(
    engine: SurveyEngine, pseudonym: str, event: Event, update_id: int | None = None
) -> Response:
    response = await engine.handle(Incoming(pseudonym, event, chat_id=1, update_id=update_id))
    assert_sendable(response)
    return response


async def type_everything(
    survey: Survey, database: Database, codec: CallbackCodec, analyser: Analyser
) -> None:
    """Every nasty string typed by its own participant as the answer to an open question."""
    engine = SurveyEngine(survey, database, codec, analyser)
    update_ids = iter(range(1, 1_000_000))
    for nasty in CORPUS:
        who = pseudonym_of(nasty)
        welcome = await say(engine, who, Start("bolwerk"), next(update_ids))
        consent = welcome.replies[0].buttons[0][0]
        await say(engine, who, Press(consent.data), next(update_ids))
        for question in survey.questions:
            if question.id == OPEN_QUESTION:
                break
            await say(engine, who, Press(codec.encode("s", question.id)), next(update_ids))
        response = await say(engine, who, Text(nasty.text, 7), next(update_ids))
        # The conversation goes on: a theme check or pick, or the next question.
        assert response.replies, nasty.name


async def test_nasty_strings_through_conversation_exports_and_report(
    survey: Survey,
    database: Database,
    database_url: str,
    codec: CallbackCodec,
    analyser: Analyser,
    tmp_path: Path,
) -> None:
    """One test per database: typing the corpus costs more than each check of it."""
    await type_everything(survey, database, codec, analyser)
    await check_stored_exactly_and_shown_back_by_mydata(database, survey, codec, analyser)
    check_exports(database_url, tmp_path)
    check_report(database_url, tmp_path)


async def check_stored_exactly_and_shown_back_by_mydata(
    typed: Database, survey: Survey, codec: CallbackCodec, analyser: Analyser
) -> None:
    engine = SurveyEngine(survey, typed, codec, analyser)
    for nasty in CORPUS:
        with typed.transaction() as session:
            answers = repo.answers_of(session, pseudonym_of(nasty))
        assert [(a.question_id, a.text) for a in answers if a.text is not None] == [
            (OPEN_QUESTION, nasty.stored)
        ], nasty.name

        mydata = await say(engine, pseudonym_of(nasty), Command("mydata"))
        document = "".join(reply.text for reply in mydata.replies[1:])
        shown = json.loads(document)
        answers_shown = [a for p in shown["participations"] for a in p["answers"]]
        texts = [a["text"] for a in answers_shown if a["text"] is not None]
        assert texts == [nasty.stored], nasty.name


# ---------------------------------------------------------------------------
# Exports and the report: the real `jeugdstem` commands on the typed database


def export(database_url: str, path: Path, fmt: str, *args: str) -> Path:
    result = run_jeugdstem(database_url, "export", "--format", fmt, "-o", str(path), *args)
    assert result.returncode == 0, result.stderr
    return path


def open_answers(rows: list[dict[str, object]]) -> dict[str, object]:
    """short pseudonym -> the answer cell of its open answer."""
    return {
        str(row["pseudonym"]): row["answer"] for row in rows if row["question_id"] == OPEN_QUESTION
    }


class Markup(HTMLParser):
    """The tags of an HTML page and the text it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(path: Path) -> Markup:
    parser = Markup()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# Tags and links the corpus tries to inject; the pages' own markup uses none of them.
INJECTED_TAGS = {"script", "img", "tg-spoiler"}
INJECTED_LINKS = ("tg:", "http://evil")


def check_exports(database_url: str, tmp_path: Path) -> None:
    """csv, jsonl, xlsx and html: each string as staff should see it, and harmless."""
    expected = {short: redact(nasty.stored) for short, nasty in by_short_pseudonym().items()}

    # CSV for Excel (semicolons, BOM): parses back, formulas neutralised.
    path = export(database_url, tmp_path / "t.csv", "csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        cells = open_answers(list(csv.DictReader(stream, delimiter=";")))
    assert set(cells) == set(expected)
    for short, text in expected.items():
        cell = str(cells[short])
        assert not cell.startswith(FORMULA_STARTS), cell
        assert cell == ("'" + text if text.startswith(FORMULA_STARTS) else text), short

    # JSONL: exactly the redacted text.
    path = export(database_url, tmp_path / "t.jsonl", "jsonl")
    # Lines end in "\n" only: str.splitlines() would also cut at U+2028 and U+0085 inside texts.
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert open_answers(records) == expected

    # XLSX: opens in openpyxl; strings, never formulas, formula-like ones marked as text.
    path = export(database_url, tmp_path / "t.xlsx", "xlsx")
    sheet = openpyxl.load_workbook(path)["transcripts"]
    header = [cell.value for cell in sheet[1]]
    rows_xlsx = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    cells_xlsx = {
        str(row["pseudonym"].value): row["answer"]
        for row in rows_xlsx
        if row["question_id"].value == OPEN_QUESTION
    }
    assert set(cells_xlsx) == set(expected)
    for short, text in expected.items():
        cell = cells_xlsx[short]
        assert cell.data_type in ("s", "n") and cell.data_type != "f", short
        assert (cell.value or "") == xlsx_text(text), short
        if text.startswith(FORMULA_STARTS):
            assert cell.quotePrefix, short

    # HTML: every page parses, shows the text as text, and holds no injected tag.
    folder = export(database_url, tmp_path / "html", "html")
    shown = ""
    for page in sorted(folder.glob("*.html")):
        markup = parse_html(page)
        assert not markup.tags & INJECTED_TAGS, (page.name, markup.tags & INJECTED_TAGS)
        assert not [name for name, _ in markup.attributes if name.startswith("on")]
        assert not [v for _, v in markup.attributes if v and v.startswith(INJECTED_LINKS)]
        shown += "\n".join(markup.text)
    for short, text in expected.items():
        visible = text.strip()
        if visible:
            assert html_text(visible) in shown, short


def xlsx_text(text: str) -> str:
    """How a cell holds a text: XML 1.0 has no place for most control characters, so the
    file spells them the OOXML way (_x001B_), which Excel shows as the character."""
    return CONTROL.sub(lambda found: f"_x{ord(found.group()):04X}_", text)


def html_text(text: str) -> str:
    """How a text reads in the page: the parser turns CR LF and CR into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_report(database_url: str, tmp_path: Path) -> None:
    """The findings report, as HTML and Markdown, is made and loads or runs nothing."""
    for fmt in ("html", "md"):
        output = tmp_path / f"report.{fmt}"
        result = run_jeugdstem(database_url, "report", "--format", fmt, "-o", str(output))
        assert result.returncode == 0, result.stderr
        assert output.stat().st_size > 0
        if fmt == "html":
            markup = parse_html(output)
            # Charts are images, inlined as data: URLs; nothing else may load or run.
            assert not markup.tags & {"script", "tg-spoiler"}
            sources = [v for name, v in markup.attributes if name == "src"]
            assert all(v and v.startswith("data:") for v in sources), sources
            assert not [name for name, _ in markup.attributes if name.startswith("on")]
            assert not [v for _, v in markup.attributes if v and v.startswith(INJECTED_LINKS)]
