"""Transcript rows built by hand, without a database.

``record`` is a stored answer as ``storage.repository.transcript_rows`` yields it;
``make_row`` is a row as the exports write it (``reports.exports.transcripts``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reports.exports.transcripts import TranscriptRow
from storage.repository import TranscriptRecord
from survey.clock import LOCAL_TIME

# When make_row's answers were given: answer n at START + n minutes.
START = datetime(2026, 11, 27, 14, 0, tzinfo=LOCAL_TIME)


def theme_scores(themes: tuple[str, ...], best: float) -> dict[str, float]:
    """Scores that rank ``themes`` in the order given, the first at ``best``."""
    return {theme: round(best - 0.01 * index, 3) for index, theme in enumerate(themes)}


def record(
    pseudonym: str,
    answer_id: int,
    text: str | None,
    themes: tuple[str, ...] = (),
    *,
    question: str = "holds-back",
    confidence: float = 0.9,
    confirmed: list[str] | None = None,
    staff: list[str] | None = None,
    distress: bool = False,
    age_band: str | None = "16-18",
    area: str | None = "centrum",
    source: str | None = "bolwerk",
    moment: datetime | None = None,
    round_id: str | None = None,
) -> TranscriptRecord:
    """A stored answer as ``transcript_rows`` yields it, without a database."""
    return TranscriptRecord(
        pseudonym=pseudonym,
        participation_id=int(pseudonym[-4:], 16) + 1,
        answer_id=answer_id,
        created_at=moment or datetime(2026, 10, 1, 12, 0, tzinfo=UTC),
        question_id=question,
        text=text,
        button_value=None,
        skipped=False,
        language="nl",
        source=source,
        age_band=age_band,
        area=area,
        finished_at=None,
        themes=list(themes),
        theme_scores=theme_scores(themes, confidence) if themes else {},
        model_version="test",
        confirmed_themes=confirmed,
        staff_themes=staff,
        distress=distress,
        round_id=round_id,
    )


def make_row(
    pseudonym: str,
    answer_id: int,
    *,
    participation: int = 1,
    question_id: str = "holds-back",
    answer: str = "",
    button: str = "",
    skipped: bool = False,
    predicted: tuple[str, ...] = (),
    scores: dict[str, float] | None = None,
    confirmed: tuple[str, ...] | None = None,
    staff: tuple[str, ...] | None = None,
    distress: bool = False,
    source: str = "bolwerk",
    area: str = "heule",
    finished: bool = True,
) -> TranscriptRow:
    """A transcript row of one answer; what is not given is a plain finished answer."""
    return TranscriptRow(
        pseudonym=pseudonym,
        participation=participation,
        answer_id=answer_id,
        answered_at=START + timedelta(minutes=answer_id),
        question_id=question_id,
        question=f"Vraag {question_id}?",
        answer=answer,
        button=button,
        skipped=skipped,
        language="nl",
        source=source,
        age_band="16-18",
        area=area,
        finished=finished,
        predicted_themes=predicted,
        predicted_scores=scores or {},
        model_version="builtin-1" if predicted or scores else "",
        confirmed_themes=confirmed,
        staff_themes=staff,
        distress=distress,
    )
