"""The migrations build exactly the schema the models describe, on either backend.

A column added to a model without its migration works in tests that create tables from
the models, and then fails on every database deployed before it: this compares the two.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.db import create_engine
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
