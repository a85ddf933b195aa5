"""HTML transcripts for staff: one chat-style page per participant, and an index.

``write_html`` streams: rows arrive grouped by participant (as
``storage.repository.transcript_rows`` yields them), and only the current
participant's rows are held while their page is written. Pages are
self-contained (inline CSS, no scripts, no external requests, a strict
Content-Security-Policy) and autoescaped, so whatever a young person typed
shows as text. The same rows always give byte-identical files.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from privacy.identity import SHORT_PSEUDONYM_LENGTH
from reports.exports.transcripts import TranscriptRow
from reports.exports.writers import ThemeInfo
from reports.files import private_directory, private_output
from reports.templating import environment
from survey.clock import local

INDEX_PAGE = "index.html"
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src data:"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "Engels", "fr": "Frans"}

# Pseudonyms become file names: only lowercase hex may, so no row can name a path.
_PSEUDONYM = re.compile(r"[0-9a-f]{1,64}")
# A page an earlier export into the same folder wrote for a participant.
_PARTICIPANT_PAGE = re.compile(rf"[0-9a-f]{{{SHORT_PSEUDONYM_LENGTH}}}\.html")


@dataclass(frozen=True)
class Chip:
    """A theme as a small label: Dutch label, theme id as tooltip, optional figure."""

    label: str
    title: str
    score: str = ""


@dataclass(frozen=True)
class ThemeGroup:
    """One kind of themes under an answer: predicted, confirmed or staff's."""

    heading: str
    chips: tuple[Chip, ...]
    empty: str  # shown when there are no chips
    counts: bool  # these are the themes that count (TranscriptRow.themes)


@dataclass(frozen=True)
class Turn:
    """A question and its answer as two bubbles, with labels underneath."""

    answer_id: int
    question_id: str
    question: str
    show_question: bool  # False when the same question got another answer just before
    answer: str
    buttons: tuple[str, ...]
    skipped: bool
    local_time: str
    iso_time: str
    groups: tuple[ThemeGroup, ...]
    distress: bool

    @property
    def empty(self) -> bool:
        """Nothing typed, chosen or skipped (should not happen, but say so if it does)."""
        return not (self.answer or self.buttons or self.skipped)


@dataclass(frozen=True)
class ParticipationView:
    """One run through the survey: its own source and profile, and its turns."""

    id: int
    summary: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class ParticipantPage:
    """Everything one participant's page shows."""

    pseudonym: str
    facts: tuple[tuple[str, str], ...]
    participations: tuple[ParticipationView, ...]
    distress_count: int


@dataclass(frozen=True)
class IndexEntry:
    """One participant's line in the index."""

    pseudonym: str
    page: str
    sources: str
    age_band: str
    area: str
    answers: int
    finished: str
    themes: tuple[Chip, ...]
    distress_count: int


def write_html(
    rows: Iterable[TranscriptRow],
    folder: Path,
    themes: Sequence[ThemeInfo],
    *,
    source_labels: Mapping[str, str] | None = None,
    generated_at: datetime | None = None,
) -> int:
    """One page per participant plus ``index.html`` in ``folder``; returns the number of answers.

    ``rows`` must keep each participant's answers together. Pages that an
    earlier export left in ``folder`` for participants no longer in the
    export (erased, or filtered out) are removed once the new export is
    complete, so the folder holds exactly what the index lists.
    """
    private_directory(folder)
    labels = _Labels(themes, source_labels or {})
    entries: list[IndexEntry] = []
    written: set[str] = set()
    answers = 0
    for pseudonym, group in itertools.groupby(rows, key=lambda row: row.pseudonym):
        _check_pseudonym(pseudonym, written)
        entry = _write_participant(group, folder, labels)
        written.add(pseudonym)
        entries.append(entry)
        answers += entry.answers
    _write_index(folder, entries, answers, labels, generated_at)
    _remove_stale_pages(folder, {entry.page for entry in entries})
    return answers


def _check_pseudonym(pseudonym: str, written: set[str]) -> None:
    """Refuse a pseudonym that is not a safe file name, or rows that are not grouped."""
    if not _PSEUDONYM.fullmatch(pseudonym):
        raise ValueError("a transcript row's pseudonym is not lowercase hex")
    if pseudonym in written:
        # Writing the page again would drop the answers already on it.
        raise ValueError("transcript rows are not grouped by participant")


def _write_participant(group: Iterable[TranscriptRow], folder: Path, labels: _Labels) -> IndexEntry:
    """Write one participant's page; their rows live only as long as this call."""
    rows = list(group)
    page = _participant_page(rows, labels)
    name = f"{page.pseudonym}.html"
    _write_page(folder / name, "transcript.html", page=page, index_page=INDEX_PAGE)
    return _index_entry(rows, name, labels)


def _write_index(
    folder: Path,
    entries: Sequence[IndexEntry],
    answers: int,
    labels: _Labels,
    generated_at: datetime | None,
) -> None:
    """The table of all participants, with totals and the theme legend."""
    moment = None
    if generated_at is not None:
        made = local(generated_at)
        moment = {"iso": made.isoformat(timespec="seconds"), "local": _dutch_time(made)}
    _write_page(
        folder / INDEX_PAGE,
        "transcript_index.html",
        entries=entries,
        answers=answers,
        themes=labels.themes,
        generated_at=moment,
    )


def _write_page(path: Path, template: str, **context: object) -> None:
    """Render a template into ``path``, mode 0600, atomically."""
    html = (
        environment()
        .get_template(template)
        .render(content_security_policy=CONTENT_SECURITY_POLICY, **context)
    )
    with private_output(path) as partial:
        # "replace": a lone surrogate in someone's text must not sink the whole export.
        partial.write_text(html, encoding="utf-8", errors="replace", newline="\n")


def _remove_stale_pages(folder: Path, current: set[str]) -> None:
    """Delete participant pages of an earlier export that this one did not write."""
    for path in folder.iterdir():
        if _PARTICIPANT_PAGE.fullmatch(path.name) and path.name not in current:
            path.unlink()


class _Labels:
    """Dutch names for theme and source ids; an unknown id shows as itself."""

    def __init__(self, themes: Sequence[ThemeInfo], sources: Mapping[str, str]) -> None:
        self.themes = tuple(themes)
        self.theme_labels = {theme.id: theme.label for theme in themes}
        self.sources = dict(sources)

    def chip(self, theme: str, score: str = "") -> Chip:
        """A theme id as a chip."""
        return Chip(label=self.theme_labels.get(theme, theme), title=theme, score=score)

    def source(self, source: str) -> str:
        """A source id as staff know it."""
        return self.sources.get(source, source)


# --- building the page ------------------------------------------------------------------


def _participant_page(rows: Sequence[TranscriptRow], labels: _Labels) -> ParticipantPage:
    """One participant's rows as a page, a section per participation."""
    participations = tuple(
        _participation_view(list(part), labels)
        for _, part in itertools.groupby(rows, key=lambda row: row.participation)
    )
    return ParticipantPage(
        pseudonym=rows[0].pseudonym,
        facts=_facts(rows, labels),
        participations=participations,
        distress_count=sum(row.distress for row in rows),
    )


def _facts(rows: Sequence[TranscriptRow], labels: _Labels) -> tuple[tuple[str, str], ...]:
    """The header: the latest profile, every source, and how far they got."""
    latest = rows[-1]
    finished, total = _finished_of(rows)
    return (
        ("Bron", _joined(labels.source(row.source) for row in rows if row.source)),
        ("Leeftijd", _latest(row.age_band for row in rows)),
        ("Woonplaats", _latest(row.area for row in rows)),
        ("Taal", LANGUAGE_NAMES.get(latest.language, latest.language)),
        ("Afgewerkt", _finished_text(finished, total)),
        ("Antwoorden", str(len(rows))),
        ("Eerste antwoord", _dutch_time(rows[0].answered_at)),
        ("Laatste antwoord", _dutch_time(latest.answered_at)),
    )


def _participation_view(rows: Sequence[TranscriptRow], labels: _Labels) -> ParticipationView:
    """One participation: a line about where it came from, then its turns."""
    first = rows[0]
    parts = [f"gestart {_dutch_time(first.answered_at)}"]
    if first.source:
        parts.append(f"via {labels.source(first.source)}")
    if first.age_band:
        parts.append(f"leeftijd {first.age_band}")
    if first.area:
        parts.append(f"woont in {first.area}")
    parts.append(LANGUAGE_NAMES.get(first.language, first.language))
    parts.append("afgewerkt" if first.finished else "niet afgewerkt")
    turns = tuple(
        _turn(row, previous, labels) for previous, row in zip((None, *rows), rows, strict=False)
    )
    return ParticipationView(id=first.participation, summary=" · ".join(parts), turns=turns)


def _turn(row: TranscriptRow, previous: TranscriptRow | None, labels: _Labels) -> Turn:
    """One answer as a pair of bubbles."""
    return Turn(
        answer_id=row.answer_id,
        question_id=row.question_id,
        question=row.question,
        show_question=previous is None or previous.question_id != row.question_id,
        answer=row.answer,
        # A multiple choice stores its ticked options comma-separated.
        buttons=tuple(choice for choice in row.button.split(",") if choice),
        skipped=row.skipped,
        local_time=_dutch_time(row.answered_at),
        iso_time=row.answered_at.isoformat(timespec="seconds"),
        groups=_theme_groups(row, labels),
        distress=row.distress,
    )


def _theme_groups(row: TranscriptRow, labels: _Labels) -> tuple[ThemeGroup, ...]:
    """Predicted, confirmed and staff themes, marking the kind that counts."""
    groups: list[ThemeGroup] = []
    classified = bool(row.model_version or row.predicted_themes)
    if classified or row.answer:
        chips = tuple(
            labels.chip(theme, _score(row.predicted_scores.get(theme)))
            for theme in _best_first(row)
        )
        groups.append(
            ThemeGroup(
                heading="Voorspeld",
                chips=chips,
                empty="geen thema herkend" if classified else "nog niet geclassificeerd",
                counts=row.staff_themes is None and row.confirmed_themes is None and classified,
            )
        )
    if row.confirmed_themes is not None:
        groups.append(
            ThemeGroup(
                heading="Bevestigd door de jongere",
                chips=tuple(labels.chip(theme) for theme in row.confirmed_themes),
                empty="geen enkel thema past",
                counts=row.staff_themes is None,
            )
        )
    if row.staff_themes is not None:
        groups.append(
            ThemeGroup(
                heading="Team",
                chips=tuple(labels.chip(theme) for theme in row.staff_themes),
                empty="geen thema",
                counts=True,
            )
        )
    return tuple(groups)


def _best_first(row: TranscriptRow) -> list[str]:
    """Predicted themes in the order of their scores (the scores are already sorted)."""
    scored = [theme for theme in row.predicted_scores if theme in row.predicted_themes]
    return scored + [theme for theme in row.predicted_themes if theme not in scored]


# --- building the index -----------------------------------------------------------------


def _index_entry(rows: Sequence[TranscriptRow], page: str, labels: _Labels) -> IndexEntry:
    """One participant's index line: their themes that count, most often named first."""
    counted = Counter(theme for row in rows for theme in row.themes)
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    finished, total = _finished_of(rows)
    return IndexEntry(
        pseudonym=rows[0].pseudonym,
        page=page,
        sources=_joined(labels.source(row.source) for row in rows if row.source),
        age_band=_latest(row.age_band for row in rows),
        area=_latest(row.area for row in rows),
        answers=len(rows),
        finished=_finished_text(finished, total),
        themes=tuple(labels.chip(theme, str(count)) for theme, count in ranked),
        distress_count=sum(row.distress for row in rows),
    )


# --- small formatting helpers -----------------------------------------------------------


def _dutch_time(moment: datetime) -> str:
    """27-11-2026 14:05, as Flemish readers write it."""
    return moment.strftime("%d-%m-%Y %H:%M")


def _score(value: float | None) -> str:
    """A probability as Flemish readers write it: 0,83."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _finished_of(rows: Sequence[TranscriptRow]) -> tuple[int, int]:
    """(finished participations, participations)."""
    states = {row.participation: row.finished for row in rows}
    return sum(states.values()), len(states)


def _finished_text(finished: int, total: int) -> str:
    """Ja or nee; "1 van 2 deelnames" for someone who took part more than once."""
    if total == 1:
        return "ja" if finished else "nee"
    return f"{finished} van {total} deelnames"


def _joined(values: Iterable[str]) -> str:
    """Distinct values in order of appearance."""
    return ", ".join(dict.fromkeys(values))


def _latest(values: Iterable[str]) -> str:
    """The last non-empty value: the profile as it was last given."""
    found = ""
    for value in values:
        found = value or found
    return found
