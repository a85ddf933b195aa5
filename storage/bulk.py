"""Bulk fills: many rows at once with SQLAlchemy Core, explicit ids, in the caller's transaction.

For synthetic data (``jeugdstem demo``), where building ORM objects one by one
would cost more than the rows are worth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Insert, Table, bindparam, func, insert, select

from storage.database import Session
from storage.models import Base

# Pseudonyms per IN (...) query: far below every database's limit on parameters.
_PSEUDONYM_CHUNK = 500


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _insert(name: str) -> Insert:
    """An executemany INSERT that stores None in JSON columns as SQL NULL, not JSON 'null'.

    The models' JSON columns would write 'null', and "not set" is read as IS NULL.
    """
    table = _table(name)
    as_null = {
        column.name: bindparam(column.name, type_=JSON(none_as_null=True))
        for column in table.columns
        if isinstance(column.type, JSON)
    }
    return insert(table).values(as_null) if as_null else insert(table)


def count_rows(session: Session, table: str) -> int:
    """How many rows a table holds."""
    return int(session.execute(select(func.count()).select_from(_table(table))).scalar_one())


def highest_ids(session: Session, tables: Sequence[str]) -> dict[str, int]:
    """The highest id in each table (0 when empty): explicit ids go on from there."""
    return {
        name: int(
            session.execute(select(func.coalesce(func.max(_table(name).c.id), 0))).scalar_one()
        )
        for name in tables
    }


def any_pseudonym_known(session: Session, pseudonyms: Sequence[str]) -> bool:
    """Whether any of these pseudonyms already belongs to a participant."""
    column = _table("participants").c.pseudonym
    for start in range(0, len(pseudonyms), _PSEUDONYM_CHUNK):
        chunk = pseudonyms[start : start + _PSEUDONYM_CHUNK]
        if session.execute(select(column).where(column.in_(chunk)).limit(1)).first():
            return True
    return False


def insert_rows(session: Session, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that all have the same keys (every column, ids included) in one executemany."""
    if rows:
        session.execute(_insert(table), list(rows))


def advance_sequences(session: Session, tables: Sequence[str]) -> None:
    """On PostgreSQL, move the id sequences past explicit ids (they do not move them)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in tables:
        highest = select(func.max(_table(name).c.id)).scalar_subquery()
        session.execute(select(func.setval(func.pg_get_serial_sequence(name, "id"), highest)))
