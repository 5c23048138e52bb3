"""The migrations build exactly the schema the models describe, on either backend.

A column added to a model without its migration works in tests that create tables from
the models, and then fails on every database deployed before it: this compares the two.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.db import create_engine, current_revision, upgrade
from storage.schema import metadata


def _differences(url: str) -> list[Any]:
    async def go() -> list[Any]:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
                )
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_migrated_database_matches_the_models(database_url: str) -> None:
    assert _differences(database_url) == []


def test_an_up_to_date_database_is_not_migrated_again_and_an_old_one_is(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every start migrates first: at head that is one read, without Alembic's environment."""
    import storage.db

    ran: list[str] = []
    real = storage.db.command.upgrade

    def counted(cfg: Any, rev: str) -> None:
        ran.append(rev)
        real(cfg, rev)

    monkeypatch.setattr(storage.db.command, "upgrade", counted)

    async def go() -> str | None:
        engine = create_engine(database_url)
        try:
            await upgrade(engine)
            assert ran == []
            async with engine.begin() as conn:
                await conn.run_sync(lambda sync: storage.db.command.downgrade(storage.db._alembic_config(sync), "0002"))
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    assert asyncio.run(go()) == storage.db._head() and ran == ["head"]
