"""Transcript exports for staff: CSV, XLSX and JSONL, streamed row by row.

Every exporter takes an iterator of ``TranscriptRow`` (already pseudonymised
and redacted) and writes it through ``private_output``: mode 0600, and a
crash never leaves half a file where the last good export was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reports.exports.cells import FORMULA_STARTS, is_formula_like
from reports.exports.transcripts import ParticipantSummary, TranscriptRow, join_themes
from reports.files import private_output

if TYPE_CHECKING:
    import xlsxwriter
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

TRANSCRIPTS_SHEET = "transcripts"
PARTICIPANTS_SHEET = "participants"
THEMES_SHEET = "themes"
# The hidden column that lets `labels import` see which staff_themes cells were edited.
STAFF_THEMES_AT_EXPORT = "staff_themes_at_export"


@dataclass(frozen=True)
class ThemeInfo:
    """A theme as staff see it."""

    id: str
    label: str
    description: str = ""


class Kind(StrEnum):
    """What a column holds, which decides how each format writes it."""

    text = "text"
    number = "number"  # whole numbers: ids
    score = "score"  # 0..1, or None
    flag = "flag"  # yes/no
    moment = "moment"  # a local datetime


@dataclass(frozen=True)
class Column:
    """One transcript column: its header, width in Excel, kind, and the row attribute it shows."""

    header: str
    width: float
    attribute: str
    kind: Kind = Kind.text
    wrap: bool = False

    @property
    def value(self) -> Callable[[TranscriptRow], Any]:
        """Reads this column's value from a row."""
        return attrgetter(self.attribute)


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


COLUMNS: tuple[Column, ...] = (
    Column("pseudonym", 14, "pseudonym"),
    Column("participation", 13, "participation", Kind.number),
    Column("answer_id", 11, "answer_id", Kind.number),
    Column("answered_at", 17, "answered_at", Kind.moment),
    Column("question_id", 14, "question_id"),
    Column("question", 40, "question", wrap=True),
    Column("answer", 60, "answer", wrap=True),
    Column("button", 16, "button"),
    Column("skipped", 9, "skipped", Kind.flag),
    Column("language", 9, "language"),
    Column("source", 16, "source"),
    Column("age_band", 10, "age_band"),
    Column("area", 14, "area"),
    Column("finished", 9, "finished", Kind.flag),
    Column("predicted_themes", 24, "predicted_text"),
    Column("confidence", 11, "confidence", Kind.score),
    Column("model_version", 16, "model_version"),
    Column("confirmed_themes", 24, "confirmed_text"),
    Column("staff_themes", 24, "staff_text"),
    Column("distress", 9, "distress", Kind.flag),
    # Last, so the columns staff already work with keep their place.
    Column("round", 12, "round"),
)
HEADERS = tuple(column.header for column in COLUMNS)


# --- CSV --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvStyle:
    """How the CSV is written.

    The default opens correctly when double-clicked in Excel with Belgian
    (Dutch or French) regional settings: those use ';' as list separator and
    ',' as decimal mark, and Excel only reads UTF-8 when the file starts with
    a byte-order mark. ``CsvStyle.standard()`` is RFC 4180 for other tools.
    """

    delimiter: str = ";"
    byte_order_mark: bool = True

    @classmethod
    def standard(cls) -> CsvStyle:
        """Comma-separated UTF-8 without BOM."""
        return cls(delimiter=",", byte_order_mark=False)

    @property
    def decimal_comma(self) -> bool:
        """A ';' file is for Excel in Belgium, which writes 0,83."""
        return self.delimiter == ";"


def _csv_formatters(style: CsvStyle) -> dict[int, Callable[[Any], str]]:
    """Formatters for the columns that are not text or whole numbers, by column index."""

    def score(value: Any) -> str:
        if value is None:
            return ""
        written = f"{value:.3f}"
        return written.replace(".", ",") if style.decimal_comma else written

    def moment(value: Any) -> str:
        # "YYYY-MM-DD HH:MM:SS" from str(), which is C; strftime took twice as long.
        return str(value)[:19]

    by_kind: dict[Kind, Callable[[Any], str]] = {
        Kind.score: score,
        Kind.flag: _yes_no,
        Kind.moment: moment,
    }
    return {i: by_kind[c.kind] for i, c in enumerate(COLUMNS) if c.kind in by_kind}


def write_csv(rows: Iterable[TranscriptRow], path: Path, style: CsvStyle = CsvStyle()) -> int:
    """One line per answer; returns how many."""
    count = 0
    # An export writes two million cells: all of a row's values come from one C-level
    # attrgetter, only five columns need formatting, and the formula check is inline.
    values_of = attrgetter(*(column.attribute for column in COLUMNS))
    formatters = list(_csv_formatters(style).items())
    with private_output(path) as partial:
        encoding = "utf-8-sig" if style.byte_order_mark else "utf-8"
        with partial.open("w", encoding=encoding, newline="") as stream:
            writer = csv.writer(stream, delimiter=style.delimiter, lineterminator="\r\n")
            writer.writerow(HEADERS)
            for row in rows:
                cells = list(values_of(row))
                for index, formatted in formatters:
                    cells[index] = formatted(cells[index])
                # csv writes whole numbers as they are and None as an empty cell.
                writer.writerow(
                    [
                        "'" + cell
                        if cell.__class__ is str and cell.startswith(FORMULA_STARTS)
                        else cell
                        for cell in cells
                    ]
                )
                count += 1
    return count


# --- JSONL ------------------------------------------------------------------------------


def jsonl_record(row: TranscriptRow) -> dict[str, Any]:
    """One answer as a JSON object (the export's JSONL contract)."""
    return {
        "pseudonym": row.pseudonym,
        "participation": row.participation,
        "answer_id": row.answer_id,
        "answered_at": row.answered_at.isoformat(timespec="seconds"),
        "question_id": row.question_id,
        "question": row.question,
        "answer": row.answer,
        "button": row.button or None,
        "skipped": row.skipped,
        "language": row.language,
        "source": row.source or None,
        "age_band": row.age_band or None,
        "area": row.area or None,
        "finished": row.finished,
        "predicted_themes": list(row.predicted_themes),
        "scores": dict(row.predicted_scores),
        "confidence": row.confidence,
        "model_version": row.model_version or None,
        "confirmed_themes": list(row.confirmed_themes)
        if row.confirmed_themes is not None
        else None,
        "staff_themes": list(row.staff_themes) if row.staff_themes is not None else None,
        "distress": row.distress,
        "round": row.round,
    }


# Valid inside JSON strings, but str.splitlines() and some JSONL readers break lines there.
_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps(...) builds one per call
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def write_jsonl(rows: Iterable[TranscriptRow], path: Path) -> int:
    """One JSON object per line, UTF-8; returns how many."""
    count = 0
    with private_output(path) as partial, partial.open("w", encoding="utf-8") as stream:
        for row in rows:
            line = _JSON.encode(jsonl_record(row))
            # translate() looks up every character in Python: only for the rare line that
            # needs it (three C-level scans cost a tenth of that).
            if "\u2028" in line or "\u2029" in line or "\x85" in line:
                line = line.translate(_LINE_BREAKS)
            stream.write(line)
            stream.write("\n")
            count += 1
    return count


# --- XLSX -------------------------------------------------------------------------------


class _Formats:
    """XlsxWriter formats, made once per workbook."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        self.when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.score = workbook.add_format({"num_format": "0.00"})
        self._text: dict[tuple[bool, bool], Format] = {}

    def text(self, *, wrap: bool, quote: bool) -> Format:
        """Text cells; ``quote`` marks a formula-like text as text (Excel's leading ')."""
        key = (wrap, quote)
        if key not in self._text:
            properties: dict[str, Any] = {"valign": "top"}
            if wrap:
                properties["text_wrap"] = True
            if quote:
                properties["quote_prefix"] = True
            self._text[key] = self.workbook.add_format(properties)
        return self._text[key]


def _write_cell(
    sheet: Worksheet, line: int, column: int, value: Any, formats: _Formats, *, wrap: bool
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(line, column, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(line, column, value.replace(tzinfo=None), formats.when)
    elif isinstance(value, float):
        sheet.write_number(line, column, value, formats.score)
    elif isinstance(value, int):
        sheet.write_number(line, column, value)
    else:
        text = str(value)
        # Written as a string, never a formula; the quote prefix keeps it text
        # even when a staff member edits the cell later.
        sheet.write_string(line, column, text, formats.text(wrap=wrap, quote=is_formula_like(text)))


CellWriter = Callable[["Worksheet", int, int, Any], None]


def _cell_writers(formats: _Formats) -> list[CellWriter]:
    """One writer per transcript column, chosen once (XlsxWriter's own work is most of the cost)."""

    def text(wrap: bool) -> CellWriter:
        plain, quoted = formats.text(wrap=wrap, quote=False), formats.text(wrap=wrap, quote=True)

        def write(sheet: Worksheet, line: int, column: int, value: Any) -> None:
            if value:
                # Written as a string, never a formula; the quote prefix keeps it text
                # even when a staff member edits the cell later.
                sheet.write_string(line, column, value, quoted if is_formula_like(value) else plain)

        return write

    def number(sheet: Worksheet, line: int, column: int, value: Any) -> None:
        sheet.write_number(line, column, value)

    def score(sheet: Worksheet, line: int, column: int, value: Any) -> None:
        if value is not None:
            sheet.write_number(line, column, value, formats.score)

    def flag(sheet: Worksheet, line: int, column: int, value: Any) -> None:
        sheet.write_boolean(line, column, value)

    def moment(sheet: Worksheet, line: int, column: int, value: Any) -> None:
        sheet.write_datetime(line, column, value.replace(tzinfo=None), formats.when)

    by_kind: dict[Kind, CellWriter] = {
        Kind.number: number,
        Kind.score: score,
        Kind.flag: flag,
        Kind.moment: moment,
    }
    return [
        text(column.wrap) if column.kind is Kind.text else by_kind[column.kind]
        for column in COLUMNS
    ]


def _header(sheet: Worksheet, headers: Sequence[str], formats: _Formats) -> None:
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, formats.header)
    sheet.freeze_panes(1, 0)


def write_xlsx(rows: Iterable[TranscriptRow], path: Path, themes: Sequence[ThemeInfo]) -> int:
    """Transcripts, participants and themes sheets; returns the number of answers."""
    import xlsxwriter  # here, not at the top: CSV and JSONL exports need not load it

    summaries: dict[str, ParticipantSummary] = {}
    with private_output(path) as partial:
        # constant_memory: each row goes to disk as soon as the next one starts.
        workbook = xlsxwriter.Workbook(
            str(partial),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        formats = _Formats(workbook)
        transcripts = workbook.add_worksheet(TRANSCRIPTS_SHEET)
        participants = workbook.add_worksheet(PARTICIPANTS_SHEET)
        theme_sheet = workbook.add_worksheet(THEMES_SHEET)

        headers = [*HEADERS, STAFF_THEMES_AT_EXPORT]
        for index, column in enumerate(COLUMNS):
            transcripts.set_column(index, index, column.width)
        hidden = len(COLUMNS)
        transcripts.set_column(hidden, hidden, 20, None, {"hidden": True})
        _header(transcripts, headers, formats)
        staff_column = HEADERS.index("staff_themes")
        cells = list(
            enumerate(zip((c.value for c in COLUMNS), _cell_writers(formats), strict=True))
        )
        write_hidden = _cell_writers(formats)[HEADERS.index("staff_themes")]
        line = 0
        for row in rows:
            line += 1
            for index, (value, write) in cells:
                write(transcripts, line, index, value(row))
            write_hidden(transcripts, line, hidden, join_themes(row.staff_themes))
            summaries.setdefault(row.pseudonym, ParticipantSummary(row.pseudonym)).add(row)
        last = max(line, 1)
        transcripts.autofilter(0, 0, last, len(COLUMNS) - 1)
        transcripts.data_validation(
            1,
            staff_column,
            max(line, 1000),
            staff_column,
            {
                "validate": "list",
                "source": f"={THEMES_SHEET}!$A$2:$A${len(themes) + 1}",
                # Several themes are allowed ("cost, transport"): warn, do not refuse.
                "error_type": "information",
                "input_title": "Thema's volgens het team",
                "input_message": "Kies een thema, of typ er meerdere met komma's.",
                "error_title": "Onbekend thema?",
                "error_message": "Gebruik thema-id's uit het blad 'themes', "
                "gescheiden door komma's. `jeugdstem labels import` controleert ze.",
            },
        )
        _write_participants(participants, summaries.values(), formats)
        _write_themes(theme_sheet, themes, formats)
        workbook.close()
    return line


PARTICIPANT_HEADERS = (
    "pseudonym",
    "language",
    "participations",
    "sources",
    "age_band",
    "area",
    "answers",
    "finished",
    "first_answer",
    "last_answer",
    "themes",
)
_PARTICIPANT_WIDTHS = (14, 9, 13, 20, 10, 14, 9, 9, 17, 17, 40)


def _write_participants(
    sheet: Worksheet, summaries: Iterable[ParticipantSummary], formats: _Formats
) -> None:
    for index, width in enumerate(_PARTICIPANT_WIDTHS):
        sheet.set_column(index, index, width)
    _header(sheet, PARTICIPANT_HEADERS, formats)
    line = 0
    for summary in summaries:
        line += 1
        values: list[Any] = [
            summary.pseudonym,
            summary.language,
            len(summary.participations),
            ", ".join(sorted(summary.sources)),
            summary.age_band,
            summary.area,
            summary.answers,
            summary.finished,
            summary.first_answer,
            summary.last_answer,
            summary.theme_list,
        ]
        for column, value in enumerate(values):
            _write_cell(sheet, line, column, value, formats, wrap=False)
    sheet.autofilter(0, 0, max(line, 1), len(PARTICIPANT_HEADERS) - 1)


def _write_themes(sheet: Worksheet, themes: Sequence[ThemeInfo], formats: _Formats) -> None:
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 2, 80)
    _header(sheet, ("id", "label", "description"), formats)
    for line, theme in enumerate(themes, start=1):
        for column, value in enumerate((theme.id, theme.label, theme.description)):
            _write_cell(sheet, line, column, value, formats, wrap=column == 2)
