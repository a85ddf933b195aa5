"""consent version, chat-link activity and retention marks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("consent_version", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("chat_links") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    # Existing links count as seen at the upgrade, so retention does not drop them at once.
    op.execute("UPDATE chat_links SET last_seen_at = CURRENT_TIMESTAMP")
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_answers_created_at", "answers", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_answers_created_at", table_name="answers")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("redacted_at")
    with op.batch_alter_table("chat_links") as batch:
        batch.drop_column("last_seen_at")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("consented_at")
        batch.drop_column("consent_version")
