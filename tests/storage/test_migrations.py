"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from storage import Base, Database


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = _differences(connection)
    assert differences == []


def test_migrate_twice_is_harmless(database: Database) -> None:
    database.migrate()
    database.migrate()
    with database.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert {"participants", "chat_links", "participations", "answers", "conversations"} <= tables
