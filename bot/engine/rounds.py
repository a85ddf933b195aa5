"""Follow-up rounds from the engine's side: the invitation, and who may join which round.

A round is joined from the invitation's **Doe mee** button or from a deep link that
names it (``?start=bolwerk__opvolging``). Newcomers always begin with the first
round: it asks the age (and so applies the age gate) and the profile.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.buttons import ButtonCodec, ButtonKind
from bot.engine.events import Button, Reply
from survey.clock import local
from survey.config import Round, Survey


class Rounds:
    """Builds a round's invitation and says whether a round takes answers now."""

    def __init__(self, survey: Survey, buttons: ButtonCodec) -> None:
        self.survey = survey
        self.buttons = buttons

    def open_round(self, round_id: str | None, moment: datetime) -> Round | None:
        """The follow-up round with this id if it takes answers at this moment, else None."""
        found = self.survey.round(round_id) if round_id else None
        if found is None or not found.open_on(local(moment).date()):
            return None
        return found

    def invitation(self, round_: Round, language: str) -> Reply:
        """The message a send delivers: title, invitation, Doe mee and Geen berichten meer."""
        join = Button(
            self.survey.text("button_join_round", language),
            self.buttons.encode(ButtonKind.JOIN_ROUND, round_.id),
        )
        stop = Button(
            self.survey.text("button_no_more_messages", language),
            self.buttons.encode(ButtonKind.NO_MORE_MESSAGES),
        )
        text = f"{round_.title[language]}\n\n{round_.invitation[language]}"
        return Reply(text, ((join,), (stop,)))
