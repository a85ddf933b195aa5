"""Young people's reactions to the network's feedback ("jullie zeiden, wij deden")."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from storage.database import Session
from storage.models import FeedbackReaction, Reaction, utcnow


def record_reaction(
    session: Session, participant_id: int, theme: str, status: str, reaction: Reaction
) -> None:
    """Store a tap under the feedback on a theme; a later tap replaces the earlier one."""
    row = session.execute(
        select(FeedbackReaction).where(
            FeedbackReaction.participant_id == participant_id,
            FeedbackReaction.theme == theme,
            FeedbackReaction.status == status,
        )
    ).scalar_one_or_none()
    if row is None:
        row = FeedbackReaction(participant_id=participant_id, theme=theme, status=status)
        session.add(row)
    row.reaction = reaction.value
    row.reacted_at = utcnow()


def reaction_counts(session: Session) -> dict[tuple[str, str], Counter[Reaction]]:
    """Young people per reaction, per (theme, status key)."""
    rows = session.execute(
        select(
            FeedbackReaction.theme,
            FeedbackReaction.status,
            FeedbackReaction.reaction,
            func.count(),
        ).group_by(FeedbackReaction.theme, FeedbackReaction.status, FeedbackReaction.reaction)
    )
    counts: dict[tuple[str, str], Counter[Reaction]] = {}
    for theme, status, reaction, count in rows:
        counts.setdefault((theme, status), Counter())[Reaction(reaction)] += int(count)
    return counts
