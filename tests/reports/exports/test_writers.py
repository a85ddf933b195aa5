"""`jeugdstem export`: the real command on SQLite and PostgreSQL, files opened as staff would."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from reports.exports.writers import write_jsonl
from storage import Database
from survey.config import Survey
from tests.support.cli import run_jeugdstem
from tests.support.rows import make_row
from tests.support.seeding import EMAIL, FORMULA, PHONE, TELEGRAM_ID, Seeded, seed_answers


@pytest.fixture
def seeded(database: Database) -> Seeded:
    return seed_answers(database)


def export(database_url: str, tmp_path: Path, name: str, *args: str) -> Path:
    output = tmp_path / name
    result = run_jeugdstem(database_url, "export", "-o", str(output), *args)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    return output


def assert_private(text: str, seeded: Seeded) -> None:
    """No Telegram id, no full pseudonym, no raw phone number or e-mail address."""
    for number in range(1, 4):
        assert str(TELEGRAM_ID + number) not in text
    for pseudonym in seeded.pseudonyms:
        assert pseudonym not in text
        assert pseudonym[:12] in text
    assert "0470 12 34 56" not in text
    assert "lisa.peeters@gmail.com" not in text


def test_xlsx_has_the_sheets_staff_work_in(
    database_url: str, seeded: Seeded, tmp_path: Path, survey: Survey
) -> None:
    path = export(database_url, tmp_path, "review.xlsx", "--format", "xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["transcripts", "participants", "themes"]

    sheet = workbook["transcripts"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["pseudonym", "participation", "answer_id"]
    assert "staff_themes" in header and header[-1] == "staff_themes_at_export"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["G"].width >= 50  # the answer
    assert sheet.column_dimensions[_letter(len(header))].hidden

    staff_letter = _letter(header.index("staff_themes") + 1)
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    validation = validations[0]
    assert validation.type == "list"
    assert validation.formula1 == f"themes!$A$2:$A${len(survey.themes) + 1}"
    assert str(validation.sqref).startswith(f"{staff_letter}2:")

    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    assert [row["answer_id"] for row in rows] == sorted(seeded.answer_ids.values())
    by_id = {row["answer_id"]: row for row in rows}

    formula_row = header.index("answer")
    formula_cell = next(
        row[formula_row]
        for row in sheet.iter_rows(2)
        if row[2].value == seeded.answer_ids["formula"]
    )
    # Kept verbatim for staff to read, but stored as text marked as text: never a formula.
    assert formula_cell.value == FORMULA
    assert formula_cell.data_type == "s"
    assert formula_cell.quotePrefix

    assert by_id[seeded.answer_ids["phone"]]["answer"] == "bel me op [telefoon]"
    assert by_id[seeded.answer_ids["phone"]]["staff_themes"] == "registration"
    assert by_id[seeded.answer_ids["phone"]]["staff_themes_at_export"] == "registration"
    cost = by_id[seeded.answer_ids["cost"]]
    assert cost["predicted_themes"] == "cost, transport"
    assert cost["confidence"] == pytest.approx(0.82)
    assert cost["confirmed_themes"] == "cost, transport"
    assert cost["question"].startswith(_question_text(survey, "holds-back")[:20])
    assert by_id[seeded.answer_ids["email"]]["distress"] is True
    assert by_id[seeded.answer_ids["skipped"]]["skipped"] is True

    everything = "\n".join(
        str(cell.value) for ws in workbook for row in ws.iter_rows() for cell in row
    )
    assert_private(everything, seeded)

    people = workbook["participants"]
    assert [c.value for c in people[1]][:3] == ["pseudonym", "language", "participations"]
    summaries = {row[0].value: row for row in people.iter_rows(2)}
    assert len(summaries) == 3
    first = summaries[seeded.pseudonyms[0][:12]]
    assert first[6].value == 3 and first[7].value == 1  # answers, finished

    themes = workbook["themes"]
    listed = {row[0].value: row[1].value for row in themes.iter_rows(2)}
    assert listed == {theme.id: theme.label for theme in survey.themes}


def _letter(column: int) -> str:
    return str(get_column_letter(column))


def test_csv_opens_in_belgian_excel_and_never_runs_a_formula(
    database_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    raw = export(database_url, tmp_path, "t.csv", "--format", "csv").read_bytes()
    # Excel reads UTF-8 only after a byte-order mark; Belgian settings split on ';'.
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    by_id = {int(row["answer_id"]): row for row in rows}
    assert by_id[seeded.answer_ids["formula"]]["answer"] == "'" + FORMULA
    assert by_id[seeded.answer_ids["cost"]]["confidence"] == "0,820"
    assert by_id[seeded.answer_ids["email"]]["distress"] == "ja"
    assert by_id[seeded.answer_ids["email"]]["answer"] == "mail naar [e-mail]"
    assert_private(text, seeded)
    assert EMAIL not in text and PHONE not in text


def test_csv_for_other_tools_is_plain_rfc4180(
    database_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    raw = export(
        database_url, tmp_path, "t.csv", "--format", "csv", "--separator", "comma"
    ).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    by_id = {int(row["answer_id"]): row for row in rows}
    assert by_id[seeded.answer_ids["cost"]]["confidence"] == "0.820"
    assert len(rows) == len(seeded.answer_ids)


def test_jsonl_keeps_types_and_the_difference_between_none_and_unset(
    database_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    lines = (
        export(database_url, tmp_path, "t.jsonl", "--format", "jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    records = {record["answer_id"]: record for record in map(json.loads, lines)}
    cost = records[seeded.answer_ids["cost"]]
    assert cost["predicted_themes"] == ["cost", "transport"]
    assert cost["scores"] == {"cost": 0.82, "transport": 0.41}
    assert cost["answered_at"] == "2026-10-01T11:06:00+02:00"  # Brussels summer time
    assert records[seeded.answer_ids["time"]]["confirmed_themes"] == []  # "none of these fit"
    assert records[seeded.answer_ids["formula"]]["confirmed_themes"] is None  # never asked
    assert records[seeded.answer_ids["formula"]]["answer"] == FORMULA  # JSON is not a spreadsheet
    assert records[seeded.answer_ids["phone"]]["staff_themes"] == ["registration"]
    assert_private("\n".join(lines), seeded)


def test_filters_narrow_the_rows(database_url: str, seeded: Seeded, tmp_path: Path) -> None:
    def ids(*args: str) -> set[int]:
        path = export(database_url, tmp_path, "f.jsonl", "--format", "jsonl", *args)
        return {json.loads(line)["answer_id"] for line in path.read_text().splitlines()}

    a = seeded.answer_ids
    assert ids("--source", "quindo") == {a["phone"], a["email"]}
    assert ids("--theme", "registration") == {a["phone"]}  # staff's theme counts, not predicted
    assert ids("--theme", "cost", "--theme", "time") == {a["cost"]}  # "none fit" overrules time
    assert ids("--question", "holds-back", "--finished-only") == {a["cost"], a["phone"]}
    assert ids("--since", "2026-10-02", "--until", "2026-10-02") == {a["phone"], a["email"]}


def test_bad_filters_get_a_clear_message(database_url: str, tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    result = run_jeugdstem(database_url, "export", "-f", "csv", "-o", out, "--source", "nope")
    assert result.returncode == 2
    assert "unknown source nope" in result.stderr and "bolwerk" in result.stderr
    result = run_jeugdstem(database_url, "export", "-f", "csv", "-o", out, "--since", "gisteren")
    assert result.returncode == 2
    assert "'gisteren' is not a date" in result.stderr
    assert not Path(out).exists()


def _question_text(survey: Survey, question_id: str) -> str:
    question = survey.question(question_id)
    assert question is not None
    return question.text["nl"]


def test_html_gives_one_readable_page_per_participant(
    database_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    result = run_jeugdstem(database_url, "export", "-f", "html", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    pages = sorted(p.name for p in folder.iterdir())
    assert pages == sorted([*(p[:12] + ".html" for p in seeded.pseudonyms), "index.html"])
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    second = (folder / f"{seeded.pseudonyms[1][:12]}.html").read_text(encoding="utf-8")
    assert "bel me op [telefoon]" in second and "Quindo" in second
    assert_private("\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir()), seeded)


def test_jsonl_lines_hold_whatever_line_breaks_the_text_has(tmp_path: Path) -> None:
    text = "eerste\u2028tweede\u2029derde\x85vierde\r\nvijfde"
    path = tmp_path / "breaks.jsonl"
    assert write_jsonl([make_row("ab" * 6, 1, answer=text), make_row("ab" * 6, 2)], path) == 2
    lines = path.read_text(encoding="utf-8").splitlines()  # splits on U+2028 and friends too
    assert len(lines) == 2
    assert json.loads(lines[0])["answer"] == text
