"""Stored answers as export rows: pseudonymised, redacted, with questions in Dutch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from nlu.classifier import certainty
from privacy.identity import short_pseudonym
from privacy.redact import redact
from storage.repository import TranscriptRecord
from survey.clock import local

STAFF_LANGUAGE = "nl"


class TranscriptRow(NamedTuple):
    """One answer, ready for a staff member's eyes.

    A named tuple rather than a frozen dataclass: an export builds 100,000 of
    them, and a frozen dataclass's ``__init__`` costs a third more.
    """

    pseudonym: str
    participation: int
    answer_id: int
    answered_at: datetime  # Europe/Brussels
    question_id: str
    question: str
    answer: str  # redacted; "" for a button or a skip
    button: str
    skipped: bool
    language: str
    source: str
    age_band: str
    area: str
    finished: bool
    predicted_themes: tuple[str, ...]
    # The predicted themes' scores, best first; `confidence` is the best of them.
    predicted_scores: Mapping[str, float]
    model_version: str
    confirmed_themes: tuple[str, ...] | None
    staff_themes: tuple[str, ...] | None
    distress: bool
    # How sure the classifier was over all its scores (nlu.classifier.certainty);
    # None when the answer was not classified.
    certainty: float | None = None
    # The round the answer belongs to (config.yml's first_round or rounds).
    round: str = ""

    @property
    def needs_label(self) -> bool:
        """A classified answer that neither staff nor the young person has labelled."""
        return (
            self.certainty is not None
            and self.staff_themes is None
            and self.confirmed_themes is None
        )

    @property
    def confidence(self) -> float | None:
        """The classifier's confidence in its best theme, or None when unclassified."""
        return max(self.predicted_scores.values()) if self.predicted_scores else None

    @property
    def themes(self) -> tuple[str, ...]:
        """The themes that count: staff's, else the young person's, else the classifier's."""
        if self.staff_themes is not None:
            return self.staff_themes
        if self.confirmed_themes is not None:
            return self.confirmed_themes
        return self.predicted_themes

    @property
    def predicted_text(self) -> str:
        """The predicted themes as one cell."""
        return join_themes(self.predicted_themes)

    @property
    def confirmed_text(self) -> str:
        """The young person's themes as one cell."""
        return join_themes(self.confirmed_themes)

    @property
    def staff_text(self) -> str:
        """Staff's themes as one cell."""
        return join_themes(self.staff_themes)


@dataclass
class ParticipantSummary:
    """One participant across the exported answers: the participants sheet."""

    pseudonym: str
    language: str = ""
    participations: set[int] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    age_band: str = ""
    area: str = ""
    answers: int = 0
    finished: int = 0
    first_answer: datetime | None = None
    last_answer: datetime | None = None
    themes: dict[str, int] = field(default_factory=dict)

    def add(self, row: TranscriptRow) -> None:
        """Count one more answer of this participant, in whatever order rows come."""
        if row.participation not in self.participations and row.finished:
            self.finished += 1
        self.participations.add(row.participation)
        if row.source:
            self.sources.add(row.source)
        self.answers += 1
        if self.first_answer is None or row.answered_at < self.first_answer:
            self.first_answer = row.answered_at
        if self.last_answer is None or row.answered_at >= self.last_answer:
            # The newest answer has the newest profile.
            self.last_answer = row.answered_at
            self.language = row.language
            self.age_band = row.age_band or self.age_band
            self.area = row.area or self.area
        else:
            self.age_band = self.age_band or row.age_band
            self.area = self.area or row.area
        for theme in row.themes:
            self.themes[theme] = self.themes.get(theme, 0) + 1

    @property
    def theme_list(self) -> str:
        """Their themes, most often named first."""
        ranked = sorted(self.themes.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(theme for theme, _ in ranked)


class TranscriptBuilder:
    """Turns stored records into rows: redacts, names questions, filters on themes."""

    def __init__(
        self,
        question_texts: Mapping[str, str],
        themes: Iterable[str] = (),
        *,
        first_round: str = "start",
    ) -> None:
        self.question_texts = dict(question_texts)
        # Participations from before rounds were stored took the first round.
        self.first_round = first_round
        self.wanted_themes = frozenset(themes)

    def rows(self, records: Iterable[TranscriptRecord]) -> Iterator[TranscriptRow]:
        """The rows to export, in the records' order."""
        for record in records:
            row = self.row(record)
            if self.wanted_themes and not self.wanted_themes.intersection(row.themes):
                continue
            yield row

    def row(self, record: TranscriptRecord) -> TranscriptRow:
        """One record as a row."""
        predicted = tuple(record.themes or ())
        scores = _scores_of(predicted, record.theme_scores)
        return TranscriptRow(
            pseudonym=short_pseudonym(record.pseudonym),
            participation=record.participation_id,
            answer_id=record.answer_id,
            answered_at=local(record.created_at),
            question_id=record.question_id,
            question=self.question_texts.get(record.question_id, record.question_id),
            answer=redact(record.text) if record.text else "",
            button=record.button_value or "",
            skipped=record.skipped,
            language=record.language,
            source=record.source or "",
            age_band=record.age_band or "",
            area=record.area or "",
            finished=record.finished_at is not None,
            predicted_themes=predicted,
            predicted_scores=scores,
            model_version=record.model_version or "",
            confirmed_themes=_maybe_tuple(record.confirmed_themes),
            staff_themes=_maybe_tuple(record.staff_themes),
            distress=bool(record.distress),
            certainty=certainty(_floats(record.theme_scores)) if record.theme_scores else None,
            round=record.round_id or self.first_round,
        )


class ExportOrder(StrEnum):
    """The order of an export's rows."""

    conversation = "conversation"  # each participant's answers together, as they came
    uncertain = "uncertain"  # unlabelled answers the classifier is least sure of first


def uncertain_first(rows: Iterable[TranscriptRow]) -> list[TranscriptRow]:
    """Unlabelled answers, least certain first; then the rest in their order.

    Staff labelling a few minutes a week fix the most this way: a label where
    the classifier already agrees with itself teaches it little.
    """
    rows = list(rows)
    to_label = sorted(
        (row for row in rows if row.needs_label),
        key=lambda row: (row.certainty, row.answer_id),
    )
    return to_label + [row for row in rows if not row.needs_label]


def _floats(scores: Mapping[str, Any]) -> dict[str, float]:
    return {theme: float(score) for theme, score in scores.items()}


def _maybe_tuple(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values is not None else None


def _scores_of(predicted: Sequence[str], scores: Mapping[str, Any] | None) -> dict[str, float]:
    """The predicted themes' scores, best first, rounded for people."""
    if not scores:
        return {}
    pairs = [(theme, round(float(scores.get(theme, 0.0)), 3)) for theme in predicted]
    return dict(sorted(pairs, key=lambda pair: (-pair[1], pair[0])))


def join_themes(themes: Sequence[str] | None) -> str:
    """Themes as one cell: "cost, transport"."""
    return ", ".join(themes) if themes else ""
