"""rounds: the round of a participation, the outbox of messages sent first, reactions to feedback

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Null for earlier participations: they took the first round.
    with op.batch_alter_table("participations") as batch:
        batch.add_column(sa.Column("round_id", sa.String(length=24), nullable=True))
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=48), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "kind", "subject"),
    )
    op.create_index("ix_outbox_participant_id", "outbox", ["participant_id"])
    op.create_index("ix_outbox_status_due_at", "outbox", ["status", "due_at"])
    op.create_table(
        "feedback_reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reaction", sa.String(length=8), nullable=False),
        sa.Column("reacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "theme", "status"),
    )
    op.create_index(
        "ix_feedback_reactions_participant_id", "feedback_reactions", ["participant_id"]
    )


def downgrade() -> None:
    op.drop_table("feedback_reactions")
    op.drop_table("outbox")
    with op.batch_alter_table("participations") as batch:
        batch.drop_column("round_id")
