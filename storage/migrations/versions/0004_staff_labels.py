"""staff labels on answers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An edit used to store JSON 'null' where SQL NULL was meant; make "IS NULL" mean "not set".
    cast = "::text" if op.get_bind().dialect.name == "postgresql" else ""
    for column in ("themes", "theme_scores", "confirmed_themes"):
        op.execute(f"UPDATE answers SET {column} = NULL WHERE {column}{cast} = 'null'")  # noqa: S608
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("staff_themes", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("staff_labelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("staff_labelled_by", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("staff_labelled_by")
        batch.drop_column("staff_labelled_at")
        batch.drop_column("staff_themes")
