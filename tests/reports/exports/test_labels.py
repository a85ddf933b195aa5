"""The label round trip: export → staff edit in Excel → `labels import` → training."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from nlu.data import Example, load_file
from reports.exports.labels import GoldSet, gold_examples, parse_themes
from storage import Answer, Database
from storage.repository import GoldRecord
from survey.config import Survey
from tests.support.cli import Result, run_jeugdstem
from tests.support.config import write_test_config
from tests.support.seeding import Seeded, seed_answers


@pytest.fixture
def seeded(database: Database) -> Seeded:
    return seed_answers(database)


def export_xlsx(database_url: str, path: Path) -> Path:
    result = run_jeugdstem(database_url, "export", "-f", "xlsx", "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


def edit(path: Path, changes: dict[int, str | None]) -> None:
    """Type into the staff_themes column as a staff member would (answer id -> cell)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["transcripts"]
    header = [cell.value for cell in sheet[1]]
    id_column, staff_column = header.index("answer_id"), header.index("staff_themes")
    for row in sheet.iter_rows(2):
        if row[id_column].value in changes:
            row[staff_column].value = changes[row[id_column].value]
    workbook.save(path)


def import_labels(database_url: str, path: Path, *args: str) -> Result:
    return run_jeugdstem(database_url, "labels", "import", str(path), *args)


def staff_labels(database: Database) -> dict[int, tuple[list[str] | None, str | None]]:
    with database.transaction() as session:
        rows = session.execute(select(Answer.id, Answer.staff_themes, Answer.staff_labelled_by))
        return {row[0]: (row[1], row[2]) for row in rows}


def test_a_staff_edit_is_stored_once_and_a_repeat_changes_nothing(
    database_url: str, database: Database, seeded: Seeded, tmp_path: Path
) -> None:
    a = seeded.answer_ids
    path = export_xlsx(database_url, tmp_path / "review.xlsx")
    edit(path, {a["cost"]: "cost; time", a["phone"]: None, a["formula"]: "Other"})

    first = import_labels(database_url, path, "--by", "AB")
    assert first.returncode == 0, first.stderr
    assert "changed 3 label(s) (1 removed)" in first.stderr
    labels = staff_labels(database)
    assert labels[a["cost"]] == (["cost", "time"], "AB")  # config.yml's order
    assert labels[a["formula"]] == (["other"], "AB")
    assert labels[a["phone"]] == (None, None)  # emptied in the sheet: label removed
    assert labels[a["time"]] == (None, None)  # untouched rows stay as they were
    with database.transaction() as session:
        # Removed means SQL NULL, not JSON 'null': training and reports ask "IS NOT NULL".
        query = select(Answer.id).where(Answer.staff_themes.is_not(None))
        assert sorted(session.execute(query).scalars()) == sorted([a["cost"], a["formula"]])
    with database.transaction() as session:
        stamped = session.get(Answer, a["cost"])
        assert stamped is not None and stamped.staff_labelled_at is not None
        first_time = stamped.staff_labelled_at

    again = import_labels(database_url, path, "--by", "CD")
    assert again.returncode == 0, again.stderr
    assert "changed 0 label(s)" in again.stderr
    assert staff_labels(database) == labels
    with database.transaction() as session:
        stamped = session.get(Answer, a["cost"])
        assert stamped is not None and stamped.staff_labelled_at == first_time


def test_two_colleagues_reviewing_their_own_exports_keep_each_others_work(
    database_url: str, database: Database, seeded: Seeded, tmp_path: Path
) -> None:
    a = seeded.answer_ids
    mine = export_xlsx(database_url, tmp_path / "mine.xlsx")
    yours = export_xlsx(database_url, tmp_path / "yours.xlsx")
    edit(mine, {a["cost"]: "time"})
    edit(yours, {a["time"]: "family"})
    assert import_labels(database_url, mine).returncode == 0
    result = import_labels(database_url, yours)
    assert result.returncode == 0, result.stderr
    labels = staff_labels(database)
    assert labels[a["cost"]][0] == ["time"]  # not undone by the other file's empty cell
    assert labels[a["time"]][0] == ["family"]
    assert labels[a["phone"]][0] == ["registration"]


def test_problems_name_sheet_and_row_and_nothing_is_half_imported(
    database_url: str, database: Database, seeded: Seeded, tmp_path: Path
) -> None:
    a = seeded.answer_ids
    path = export_xlsx(database_url, tmp_path / "review.xlsx")
    edit(path, {a["cost"]: "time", a["formula"]: "duur", a["time"]: "none, cost"})
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["transcripts"]
    sheet.append([seeded.pseudonyms[0][:12], 1, 999_999, None, "age"])  # no such answer
    workbook.save(path)
    before = staff_labels(database)

    result = import_labels(database_url, path)
    assert result.returncode == 1
    rows = {row[2].value: row[0].row for row in sheet.iter_rows(2)}
    assert f"transcripts, row {rows[a['formula']]}: unknown theme 'duur'" in result.stderr
    assert f"transcripts, row {rows[a['time']]}: 'none' means no barrier" in result.stderr
    assert f"transcripts, row {sheet.max_row}: answer 999999 does not exist" in result.stderr
    assert "nothing was imported" in result.stderr
    assert staff_labels(database) == before  # the valid "time" row was not stored either


def test_a_file_that_is_not_an_export_is_refused_clearly(database_url: str, tmp_path: Path) -> None:
    other = tmp_path / "other.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Blad1"
    workbook.save(other)
    result = import_labels(database_url, other)
    assert result.returncode == 1
    assert "no sheet named 'transcripts'" in result.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a spreadsheet")
    result = import_labels(database_url, broken)
    assert result.returncode == 1 and "not a readable XLSX file" in result.stderr


def test_theme_cells_are_read_the_way_staff_type_them(survey: Survey) -> None:
    known = survey.theme_ids
    assert parse_themes(" Transport,cost ", known, "none") == (("cost", "transport"), None)
    assert parse_themes("cost / time;family", known, "none")[0] == ("cost", "time", "family")
    assert parse_themes("", known, "none") == (None, None)
    assert parse_themes(None, known, "none") == (None, None)
    themes, problem = parse_themes("kost", known, "none")
    assert themes is None and problem is not None and "'kost'" in problem


def test_gold_labels_prefer_staff_and_skip_none_fit() -> None:
    records = [
        GoldRecord(1, "te duur, bel 0470 12 34 56", ["cost"], None, ["cost"]),
        GoldRecord(2, "geen bus", ["transport"], ["time"], ["transport"]),
        GoldRecord(3, "weet niet", [], None, None),  # "none of these fit": not a label
        GoldRecord(4, "Geen  bus", ["transport"], None, None),  # same words, young person
    ]
    gold: GoldSet = gold_examples(records)
    assert gold.staff == 1 and gold.confirmed == 2 and gold.disagreements == 1
    assert gold.examples == [
        Example("te duur, bel [telefoon]", ("cost",)),
        Example("geen bus", ("time",)),  # staff beat the later young person's label
    ]


def test_staff_labels_round_trip_into_training(
    database_url: str, database: Database, seeded: Seeded, tmp_path: Path, survey: Survey
) -> None:
    a = seeded.answer_ids
    config = write_test_config(tmp_path)
    text = "mijn hamster vindt het niet oké"  # nothing in the shipped data says "family"
    with database.transaction() as session:
        answer = session.get(Answer, a["formula"])
        assert answer is not None
        answer.text = text

    def family_score() -> float:
        result = run_jeugdstem(
            database_url,
            "nlu",
            "predict",
            config=config,
            cwd=tmp_path,
            stdin=json.dumps({"id": 1, "text": text}) + "\n",
        )
        assert result.returncode == 0, result.stderr
        return float(json.loads(result.stdout)["scores"]["family"])

    before = family_score()
    path = export_xlsx(database_url, tmp_path / "review.xlsx")
    edit(path, {a["formula"]: "family"})
    assert import_labels(database_url, path).returncode == 0

    training = tmp_path / "gold.yml"
    result = run_jeugdstem(database_url, "labels", "export-training", "-o", str(training))
    assert result.returncode == 0, result.stderr
    examples = load_file(training, survey.theme_ids)
    assert Example(text, ("family",)) in examples
    assert Example("bel me op [telefoon]", ("registration",)) in examples  # redacted

    result = run_jeugdstem(database_url, "nlu", "train", config=config, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "3 labelled answers (2 by staff, 1 confirmed by young people" in result.stderr
    after = family_score()
    assert after > before + 0.2, (before, after)

    # A restart of the bot keeps the model that learned from staff.
    stamp = json.loads((tmp_path / "models" / "builtin.digest").read_text())
    assert stamp["labelled"] == 3
    result = run_jeugdstem(database_url, "nlu", "train", "--no-labels", config=config, cwd=tmp_path)
    assert "and 0 labelled answers" in result.stderr
    assert family_score() == pytest.approx(before)


def test_evaluate_gold_reports_agreement_with_staff(
    database_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    config = write_test_config(tmp_path)
    result = run_jeugdstem(
        database_url,
        "nlu",
        "evaluate",
        "--gold",
        "--chart",
        str(tmp_path / "c.png"),
        config=config,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "on 1 answers" in result.stdout
    assert "registration" in result.stdout
    assert "0470" not in result.stdout + result.stderr  # the mistake list is redacted
    assert (tmp_path / "c.png").stat().st_size > 1000
