""" "Jullie zeiden, wij deden" as data: ``feedback.yml`` parsed and checked into typed models.

Per barrier theme, staff keep where the network stands (heard, on the agenda,
decided, done, or not possible, with the honest reason why) and a short message
for the young people who raised it. `jeugdstem feedback send THEME` sends it.
Errors name the file, the line and the key, as for config.yml.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from survey.config import Slug, Survey, Texts, check_texts, load_beside
from survey.yamlfile import Problem


class FeedbackStatus(StrEnum):
    """Where the network stands on a barrier; the value is how staff write it."""

    HEARD = "gehoord"
    ON_THE_AGENDA = "op de agenda"
    DECIDED = "beslist"
    DONE = "gedaan"
    NOT_POSSIBLE = "niet mogelijk"

    @property
    def key(self) -> str:
        """A short id for the status, for the outbox and button data (no spaces)."""
        return self.name.lower().replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThemeFeedback(_Model):
    """What the network did with one barrier, told to those who raised it."""

    status: FeedbackStatus
    message: Texts
    # Which partner acted, named in the message ("AjKo", "Stad Kortrijk").
    partner: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = None
    # Required for "niet mogelijk": saying honestly why is part of the practice.
    reason: Texts | None = None
    # Shipped as an example: `feedback send` refuses to send it.
    example: bool = False


class FeedbackFile(_Model):
    """The whole of feedback.yml: per theme id, its feedback."""

    themes: dict[Slug, ThemeFeedback] = {}

    def of(self, theme_id: str) -> ThemeFeedback | None:
        """The feedback on a theme, or None when staff have written none."""
        return self.themes.get(theme_id)


def _check_feedback(feedback: FeedbackFile, survey: Survey) -> list[Problem]:
    """Themes from config.yml, texts in every language, a reason exactly when not possible."""
    problems: list[Problem] = []
    special = {survey.special_themes.no_barrier, survey.special_themes.new_barrier}
    barriers = [theme for theme in survey.theme_ids if theme not in special]
    for theme_id, item in feedback.themes.items():
        where: tuple[str | int, ...] = ("themes", theme_id)
        if theme_id not in barriers:
            problems.append((where, f"{theme_id!r} is no barrier theme ({', '.join(barriers)})"))
        problems += check_texts((*where, "message"), item.message, survey)
        if item.status is FeedbackStatus.NOT_POSSIBLE and item.reason is None:
            problems.append(
                ((*where, "status"), "'niet mogelijk' needs a reason: say honestly why")
            )
        if item.reason is not None:
            problems += check_texts((*where, "reason"), item.reason, survey)
    return problems


def load_feedback(path: Path, survey: Survey) -> FeedbackFile:
    """Read and validate feedback.yml; an absent or empty file holds no feedback.

    Raises ConfigError naming file, line and key.
    """
    return load_beside(
        path,
        FeedbackFile,
        survey,
        _check_feedback,
        what="the feedback",
        expected="a mapping with the themes under 'themes'",
    )
