""" "Jullie zeiden, wij deden" from the engine's side: the message and its three reactions.

Staff write the feedback per barrier theme in feedback.yml (survey/feedback.py);
`jeugdstem feedback send THEME` sends this message to the opted-in young people who
raised the theme. Each ends with one tap: **👍 Dit helpt**, **👎 Dit helpt niet** or
**Ik wil er meer over zeggen**, which asks for their own words (an answer like any
other: classified, and checked for distress).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.buttons import ButtonCodec, ButtonKind
from bot.engine.events import Button, Reply
from storage.models import Reaction
from survey.config import Survey
from survey.feedback import FeedbackStatus, ThemeFeedback

# The question id their own words are stored under: "fb-transport".
SAY_MORE_PREFIX = "fb-"

_REACTION_LABELS = {
    Reaction.HELPS: "button_feedback_helps",
    Reaction.DOES_NOT_HELP: "button_feedback_not",
    Reaction.SAY_MORE: "button_feedback_more",
}


@dataclass(frozen=True)
class FeedbackSubject:
    """Which feedback an outbox row carries: a theme at a status (a new status, a new message)."""

    theme: str
    status: FeedbackStatus

    @classmethod
    def parse(cls, subject: str) -> FeedbackSubject | None:
        """The stored ``<theme>:<status key>``, or None for one this version does not know."""
        theme, _, key = subject.partition(":")
        status = status_of_key(key)
        return cls(theme, status) if theme and status is not None else None

    def __str__(self) -> str:
        return f"{self.theme}:{self.status.key}"


class FeedbackMessages:
    """Builds the feedback message on a theme in a young person's language."""

    def __init__(self, survey: Survey, buttons: ButtonCodec) -> None:
        self.survey = survey
        self.buttons = buttons

    def message(self, theme_id: str, feedback: ThemeFeedback, language: str) -> Reply:
        """What they said, what the network did, and the reactions (and Geen berichten meer)."""
        theme = self.survey.theme(theme_id)
        said = theme.words[language] if theme is not None else theme_id
        lines = [
            self.survey.text("feedback_you_said", language, barrier=said),
            self.survey.text(f"feedback_status_{feedback.status.name.lower()}", language),
            feedback.message[language],
        ]
        if feedback.reason is not None:
            lines.append(feedback.reason[language])
        if feedback.partner:
            lines.append(self.survey.text("feedback_partner", language, partner=feedback.partner))
        rows = tuple(
            (
                Button(
                    self.survey.text(label, language),
                    self.buttons.encode(
                        ButtonKind.FEEDBACK, theme_id, feedback.status.key, reaction.value
                    ),
                ),
            )
            for reaction, label in _REACTION_LABELS.items()
        )
        stop = Button(
            self.survey.text("button_no_more_messages", language),
            self.buttons.encode(ButtonKind.NO_MORE_MESSAGES),
        )
        return Reply("\n\n".join(lines), (*rows, (stop,)))


def status_of_key(key: str) -> FeedbackStatus | None:
    """The status whose short key a button carries, or None."""
    return next((status for status in FeedbackStatus if status.key == key), None)
