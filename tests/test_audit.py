"""The audit trail: rows altered, deleted or inserted behind the bot's back are named by `rectibot audit verify`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.audit import HEAD_FILE, Auditor, verify
from bot.cli import main
from bot.config import Settings
from storage import outbox as outbox_q
from storage.db import create_engine, session_factory, transaction, upgrade

T0 = datetime(2019, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


async def append(engine: AsyncEngine, settings: Settings, n: int, *, start: int = 0) -> None:
    auditor = Auditor(settings.audit_key, settings.data_dir)
    factory = session_factory(engine)
    for i in range(start, start + n):
        async with transaction(factory) as session:
            await auditor.append(
                session, actor="tg:1", action="report", subject=f"task:{i % 3 + 1}",
                payload={"text": f"第{i}次报送：已完成{i * 10}%", "percent": i * 10}, now=T0 + timedelta(minutes=i),
            )


async def broken(engine: AsyncEngine, settings: Settings) -> tuple[int | None, str] | None:
    async with transaction(session_factory(engine)) as session:
        result = await verify(session, settings.audit_key, settings.data_dir)
    return None if result is None else (result.event_id, result.reason)


def cli_verify(settings: Settings, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    code = main(["audit", "verify", "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


async def sql(engine: AsyncEngine, statement: str, **params: object) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(statement), params)


async def test_an_intact_chain_verifies(engine: AsyncEngine, settings: Settings, env: dict[str, str],
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    await append(engine, settings, 6)
    assert await broken(engine, settings) is None
    assert json.loads((settings.data_dir / HEAD_FILE).read_text())["last_id"] == 6
    code, report = await asyncio.to_thread(cli_verify, settings, env, monkeypatch, capsys)
    assert (code, report["ok"], report["events"]) == (0, True, 6)


async def test_an_altered_row_is_named(engine: AsyncEngine, settings: Settings, env: dict[str, str],
                                       monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    await append(engine, settings, 6)
    await sql(engine, "UPDATE audit_events SET actor = 'tg:666' WHERE id = 3")
    assert (await broken(engine, settings) or (None, ""))[0] == 3
    code, report = await asyncio.to_thread(cli_verify, settings, env, monkeypatch, capsys)
    assert (code, report["first_broken"]) == (1, 3)
    assert "altered" in str(report["reason"])


async def test_an_altered_payload_is_named(engine: AsyncEngine, settings: Settings) -> None:
    await append(engine, settings, 6)
    await sql(engine, "UPDATE audit_events SET payload = :p WHERE id = 5", p=json.dumps({"text": "已完成100%", "percent": 100}))
    assert (await broken(engine, settings) or (None, ""))[0] == 5


async def test_a_deleted_row_is_named(engine: AsyncEngine, settings: Settings, env: dict[str, str],
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    await append(engine, settings, 6)
    await sql(engine, "DELETE FROM audit_events WHERE id = 3")
    found = await broken(engine, settings)
    assert found is not None and found[0] == 4 and "link" in found[1]
    code, report = await asyncio.to_thread(cli_verify, settings, env, monkeypatch, capsys)
    assert (code, report["first_broken"]) == (1, 4)


async def test_an_inserted_row_is_named(engine: AsyncEngine, settings: Settings, env: dict[str, str],
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    await append(engine, settings, 6)
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT at, mac FROM audit_events WHERE id = 6"))).one()
    # A forger who knows the chain but not the key: right link, wrong MAC.
    await sql(
        engine,
        "INSERT INTO audit_events (id, at, actor, action, subject, payload, prev_mac, mac) "
        "VALUES (7, :at, 'tg:666', 'signoff', 'task:1', :payload, :prev, :mac)",
        at=row.at, payload=json.dumps({"state": "approved"}), prev=row.mac, mac="0" * 64,
    )
    found = await broken(engine, settings)
    assert found is not None and found[0] == 7
    code, report = await asyncio.to_thread(cli_verify, settings, env, monkeypatch, capsys)
    assert (code, report["first_broken"]) == (1, 7)


async def test_a_row_inserted_between_two_is_named(engine: AsyncEngine, settings: Settings) -> None:
    await append(engine, settings, 3)
    await sql(engine, "UPDATE audit_events SET id = id + 10 WHERE id = 3")
    # A copy of a genuine event (valid MAC) slipped in before the last one.
    await sql(
        engine,
        "INSERT INTO audit_events (id, at, actor, action, subject, payload, prev_mac, mac) "
        "SELECT 5, at, actor, action, subject, payload, prev_mac, mac FROM audit_events WHERE id = 2",
    )
    found = await broken(engine, settings)
    assert found is not None and found[0] == 5


async def test_deleting_the_newest_rows_is_detected(engine: AsyncEngine, settings: Settings, env: dict[str, str],
                                                    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    await append(engine, settings, 6)
    await sql(engine, "DELETE FROM audit_events WHERE id >= 5")
    found = await broken(engine, settings)
    assert found is not None and found[0] == 5 and "newest" in found[1]
    code, report = await asyncio.to_thread(cli_verify, settings, env, monkeypatch, capsys)
    assert (code, report["first_broken"]) == (1, 5)


async def test_deleting_the_newest_rows_and_fixing_the_head_row_is_detected_by_the_data_directory(
    engine: AsyncEngine, settings: Settings
) -> None:
    await append(engine, settings, 6)
    async with engine.connect() as conn:
        mac4 = (await conn.execute(text("SELECT mac FROM audit_events WHERE id = 4"))).scalar_one()
    await sql(engine, "DELETE FROM audit_events WHERE id >= 5")
    await sql(engine, "UPDATE audit_head SET last_id = 4, mac = :mac WHERE id = 1", mac=mac4)
    found = await broken(engine, settings)
    assert found is not None and found[0] == 5 and HEAD_FILE in found[1]


async def test_appending_after_a_deleted_tail_is_still_detected(engine: AsyncEngine, settings: Settings) -> None:
    await append(engine, settings, 4)
    await sql(engine, "DELETE FROM audit_events WHERE id = 4")
    await append(engine, settings, 2, start=4)
    found = await broken(engine, settings)
    assert found is not None and found[0] is not None and found[0] >= 4


async def test_the_wrong_key_breaks_the_first_event(engine: AsyncEngine, settings: Settings) -> None:
    await append(engine, settings, 2)
    async with transaction(session_factory(engine)) as session:
        result = await verify(session, b"another-key-0123456789", settings.data_dir)
    assert result is not None and result.event_id == 1


async def test_a_rolled_back_append_leaves_no_trace(engine: AsyncEngine, settings: Settings) -> None:
    """Neither the head row nor the data-directory head may run ahead of what committed."""
    await append(engine, settings, 2)
    auditor = Auditor(settings.audit_key, settings.data_dir)

    class Abort(Exception):
        pass

    with pytest.raises(Abort):
        async with transaction(session_factory(engine)) as session:
            await auditor.append(session, actor="tg:1", action="report", subject="task:1", payload={}, now=T0)
            # A savepoint inside the turn (as outbox.enqueue makes) commits before the turn does.
            await outbox_q.enqueue(session, key="k", kind="reply", chat_id=1, method="sendMessage",
                                   payload={"chat_id": 1, "text": "x"}, now=T0)
            raise Abort
    assert json.loads((settings.data_dir / HEAD_FILE).read_text())["last_id"] == 2
    assert await broken(engine, settings) is None
    await append(engine, settings, 1, start=2)
    assert await broken(engine, settings) is None


async def test_concurrent_appends_keep_one_chain(engine: AsyncEngine, settings: Settings) -> None:
    auditor = Auditor(settings.audit_key, settings.data_dir)
    factory = session_factory(engine)

    async def one(i: int) -> None:
        async with transaction(factory) as session:
            await auditor.append(session, actor=f"tg:{i}", action="report", subject="task:1", payload={"i": i}, now=T0)

    await asyncio.gather(*(one(i) for i in range(8)))
    assert await broken(engine, settings) is None
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM audit_events"))).scalar_one() == 8


async def test_verify_in_plain_text_names_the_event(engine: AsyncEngine, settings: Settings, env: dict[str, str],
                                                    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    await append(engine, settings, 3)
    await sql(engine, "UPDATE audit_events SET subject = 'task:9' WHERE id = 2")
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def run() -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["audit", "verify"])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, err = await asyncio.to_thread(run)
    assert code == 1 and out.startswith("audit trail BROKEN at event #2") and "#2" in err
