"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL (production).

People write plain ``sqlite:///…`` or ``postgresql://…`` URLs; the async drivers are
picked here so nobody has to know that SQLAlchemy wants ``+aiosqlite``/``+psycopg``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every process of one deployment.
MIGRATION_LOCK_ID = 0x72656374  # "rect"


def async_url(url: str) -> str:
    """Map a plain database URL to its asyncio driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    elif backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    else:
        raise ValueError(f"unsupported database: {backend}")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the driver so SAVEPOINTs work and every
    # transaction starts with BEGIN IMMEDIATE (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Writers queue here instead of failing later with "database is locked" when a
    # read transaction tries to become a write one; it is also the audit chain's lock.
    # A connection opened only to read (execution option read_only) must not queue behind
    # a writer: it reads the last committed state (WAL) with a plain BEGIN.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    engine = create_async_engine(async_url(url), **kwargs)
    if is_sqlite(engine):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: everything inside commits together or not at all."""
    async with factory() as session, session.begin():
        yield session


def _alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def _head() -> str | None:
    """The newest revision of the migration scripts; they do not change while we run."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _upgrade(connection: Connection, revision: str) -> None:
    if revision == "head" and _current(connection) == _head():
        # Every start and every command migrates first; an up-to-date database needs only
        # this one read, not Alembic's environment (a tenth of a second each time).
        return
    if connection.dialect.name == "postgresql":
        # Two bots starting at once must not both run a migration.
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_ID})
        try:
            command.upgrade(_alembic_config(connection), revision)
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_ID})
    else:
        command.upgrade(_alembic_config(connection), revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade, revision)


async def migrate(url: str) -> None:
    """Bring the database at ``url`` to the newest schema, with an engine of its own."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)
