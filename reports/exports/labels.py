"""Staff labels: read back from a reviewed XLSX export, and gold labels for training.

The round trip: ``jeugdstem export --format xlsx`` → staff fill in the
``staff_themes`` column in Excel → ``jeugdstem labels import`` stores them →
``jeugdstem nlu train`` learns from them (staff labels win over the young
person's own confirmation, which wins over nothing).

Import is all or nothing: every problem is reported with sheet and row, and
nothing is stored until there are none. It is idempotent: importing the same
file twice changes nothing the second time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu.data import Example
from privacy.identity import short_pseudonym
from privacy.redact import redact
from reports.exports.writers import STAFF_THEMES_AT_EXPORT, TRANSCRIPTS_SHEET
from storage.repository import GoldRecord, StaffLabel

# Staff separate themes with commas, semicolons, slashes or spaces; all are fine.
_THEME_SEPARATORS = re.compile(r"[,;/\s]+")
REQUIRED_COLUMNS = ("answer_id", "staff_themes")


class LabelFileError(Exception):
    """A file that cannot be read as a reviewed export at all."""


@dataclass(frozen=True)
class Problem:
    """Something wrong in one row of the sheet."""

    row: int
    message: str
    sheet: str = TRANSCRIPTS_SHEET

    def __str__(self) -> str:
        return f"{self.sheet}, row {self.row}: {self.message}"


@dataclass(frozen=True)
class SheetLabel:
    """One row of the reviewed sheet."""

    row: int
    answer_id: int
    pseudonym: str | None
    question_id: str | None
    themes: tuple[str, ...] | None  # None: the cell is empty
    # What the cell held when exported (None: empty); absent when the column is missing.
    exported: tuple[str, ...] | None


@dataclass
class SheetReading:
    """Everything read from one file."""

    labels: list[SheetLabel] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Whether the hidden staff_themes_at_export column was there (exports since v1 have it).
    knows_exported: bool = False


def parse_themes(
    cell: Any, known: Sequence[str], no_barrier: str
) -> tuple[tuple[str, ...] | None, str | None]:
    """(themes, problem) for one staff_themes cell; empty cells give (None, None)."""
    if cell is None:
        return None, None
    text = str(cell).strip().lstrip("'")
    if not text:
        return None, None
    wanted = [part.casefold() for part in _THEME_SEPARATORS.split(text) if part]
    unknown = [theme for theme in wanted if theme not in known]
    if unknown:
        return None, (
            f"unknown theme {', '.join(repr(t) for t in unknown)} in staff_themes "
            f"(valid: {', '.join(known)})"
        )
    if no_barrier in wanted and len(set(wanted)) > 1:
        return None, f"{no_barrier!r} means no barrier, so it cannot go with other themes"
    # config.yml's order, once each: the same choice always reads the same.
    return tuple(theme for theme in known if theme in wanted), None


def read_label_sheet(path: Path, known_themes: Sequence[str], no_barrier: str) -> SheetReading:
    """The labels and problems of a reviewed export's transcripts sheet."""
    # Imported here: openpyxl (and numpy under it) is a tenth of a second every other
    # jeugdstem command would pay at start-up.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError) as error:
        raise LabelFileError(f"{path}: not a readable XLSX file ({error})") from error
    try:
        if TRANSCRIPTS_SHEET not in workbook.sheetnames:
            raise LabelFileError(
                f"{path}: no sheet named {TRANSCRIPTS_SHEET!r} "
                f"(sheets: {', '.join(workbook.sheetnames)}); was it made by jeugdstem export?"
            )
        rows = workbook[TRANSCRIPTS_SHEET].iter_rows(values_only=True)
        header = next(rows, None)
        columns = {str(name).strip(): index for index, name in enumerate(header or ()) if name}
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise LabelFileError(
                f"{path}: sheet {TRANSCRIPTS_SHEET!r} has no column {', '.join(missing)} in row 1"
            )
        reading = SheetReading(knows_exported=STAFF_THEMES_AT_EXPORT in columns)
        seen: dict[int, int] = {}
        for number, values in enumerate(rows, start=2):
            _read_row(number, values, columns, (known_themes, no_barrier), reading, seen)
        return reading
    finally:
        workbook.close()


def _cell(values: Sequence[Any], columns: Mapping[str, int], name: str) -> Any:
    index = columns.get(name)
    return values[index] if index is not None and index < len(values) else None


def _read_row(
    number: int,
    values: Sequence[Any],
    columns: Mapping[str, int],
    vocabulary: tuple[Sequence[str], str],
    reading: SheetReading,
    seen: dict[int, int],
) -> None:
    if all(value is None or str(value).strip() == "" for value in values):
        return
    raw_id = _cell(values, columns, "answer_id")
    answer_id = _as_id(raw_id)
    if answer_id is None:
        reading.problems.append(Problem(number, f"answer_id {raw_id!r} is not an answer number"))
        return
    if answer_id in seen:
        reading.problems.append(
            Problem(number, f"answer {answer_id} appears twice (also in row {seen[answer_id]})")
        )
        return
    seen[answer_id] = number
    themes, problem = parse_themes(_cell(values, columns, "staff_themes"), *vocabulary)
    if problem:
        reading.problems.append(Problem(number, problem))
        return
    exported: tuple[str, ...] | None = None
    if reading.knows_exported:
        exported, _ = parse_themes(_cell(values, columns, STAFF_THEMES_AT_EXPORT), *vocabulary)
    pseudonym = _cell(values, columns, "pseudonym")
    question = _cell(values, columns, "question_id")
    reading.labels.append(
        SheetLabel(
            row=number,
            answer_id=answer_id,
            pseudonym=str(pseudonym).strip() if pseudonym is not None else None,
            question_id=str(question).strip() if question is not None else None,
            themes=themes,
            exported=exported,
        )
    )


def _as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@dataclass
class ImportPlan:
    """What an import would do, decided before anything is stored."""

    changes: list[StaffLabel] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Rows whose label someone else changed after this file was exported; the file wins.
    overwritten: list[int] = field(default_factory=list)

    @property
    def cleared(self) -> int:
        """How many staff labels the import removes."""
        return sum(1 for change in self.changes if change.themes is None)


def plan_import(
    reading: SheetReading,
    owners: Mapping[int, tuple[str, str]],
    current: Mapping[int, Sequence[str] | None],
) -> ImportPlan:
    """Compare the sheet with the database: what to set, clear, or leave alone.

    With the hidden ``staff_themes_at_export`` column, only cells staff changed
    in this file are applied, so two colleagues reviewing different rows of
    their own exports never undo each other's work; emptying a cell removes the
    label. Without it (a hand-made sheet), filled cells are applied and empty
    cells are ignored.
    """
    plan = ImportPlan(problems=list(reading.problems))
    for label in reading.labels:
        owner = owners.get(label.answer_id)
        if owner is None:
            plan.problems.append(
                Problem(label.row, f"answer {label.answer_id} does not exist in this database")
            )
            continue
        pseudonym, question_id = owner
        if label.pseudonym and label.pseudonym != short_pseudonym(pseudonym):
            plan.problems.append(
                Problem(
                    label.row,
                    f"answer {label.answer_id} belongs to another participant than "
                    f"{label.pseudonym} (was the sheet edited or from another database?)",
                )
            )
            continue
        if label.question_id and label.question_id != question_id:
            plan.problems.append(
                Problem(
                    label.row,
                    f"answer {label.answer_id} answers {question_id!r}, not {label.question_id!r}",
                )
            )
            continue
        stored = current.get(label.answer_id)
        stored_set = set(stored) if stored is not None else None
        wanted_set = set(label.themes) if label.themes is not None else None
        if reading.knows_exported:
            exported_set = set(label.exported) if label.exported is not None else None
            if wanted_set in (exported_set, stored_set):
                plan.unchanged += 1
                continue
            if stored_set != exported_set:
                plan.overwritten.append(label.row)
        elif label.themes is None or wanted_set == stored_set:
            plan.unchanged += 1
            continue
        plan.changes.append(StaffLabel(label.answer_id, label.themes))
    return plan


# --- Gold labels for training ---------------------------------------------------------


@dataclass
class GoldSet:
    """Answers labelled by people, as training examples (texts redacted)."""

    examples: list[Example] = field(default_factory=list)
    staff: int = 0
    confirmed: int = 0
    # Answers where staff and the young person disagreed (staff won).
    disagreements: int = 0


def gold_examples(records: Iterable[GoldRecord]) -> GoldSet:
    """The best human label of every labelled answer: staff's, else the young person's.

    A young person's empty confirmation ("none of these fit") says what the
    answer is not, not what it is, so it is left out. Texts are redacted: they
    end up in model files and, through ``labels export-training``, in review.
    """
    gold = GoldSet()
    by_text: dict[str, tuple[bool, Example]] = {}
    for record in records:
        text = " ".join(redact(record.text).split())
        if not text:
            continue
        if record.staff_themes is not None:
            themes = tuple(sorted(record.staff_themes))
            from_staff = True
            gold.staff += 1
            if record.confirmed_themes is not None and set(record.confirmed_themes) != set(themes):
                gold.disagreements += 1
        elif record.confirmed_themes:
            themes = tuple(sorted(record.confirmed_themes))
            from_staff = False
            gold.confirmed += 1
        else:
            continue
        key = text.casefold()
        previous = by_text.get(key)
        # The same words labelled twice: staff beat young people, later beats earlier.
        if previous is None or from_staff or not previous[0]:
            by_text[key] = (from_staff, Example(text, themes))
    gold.examples = [example for _, example in by_text.values()]
    return gold
