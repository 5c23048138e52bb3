"""Shared fixtures: the database under test (SQLite or PostgreSQL) and a network guard.

`make test` runs the suite twice: RECTIBOT_TEST_DB=sqlite, then =postgresql with
RECTIBOT_TEST_PG_URL pointing at a throwaway server. Each test gets a fresh database.
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from bot.config import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent

# Tests never assert on wall time: hypothesis's per-example deadline (200 ms) is one, and a
# loaded CI machine trips it on examples that are merely slow, not wrong.
hypothesis_settings.register_profile("rectibot", deadline=None)
hypothesis_settings.load_profile("rectibot")
SEEDS = REPO.parent / "shared" / "seeds"
FIXTURES = REPO.parent / "shared" / "fixtures"


def _loopback(address: Any) -> bool:
    if isinstance(address, (str, bytes)) and not isinstance(address, tuple):
        return True  # AF_UNIX path
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuardError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _network_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that would reach a non-loopback address: tests run offline."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            raise NetworkGuardError(f"test tried to reach {address!r}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            raise NetworkGuardError(f"test tried to reach {address!r}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that use the database under test.

    The PostgreSQL half is there to prove the storage layer on the production database;
    a test that never asks for ``database_url`` (parsing, matching, calendars, catalogs)
    runs the same code on both and was proven by the SQLite half already.
    """
    if test_backend() != "postgresql":
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (kept if "database_url" in getattr(item, "fixturenames", ()) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


_PARSED: dict[tuple[str, str, int | None], Any] = {}


@pytest.fixture(autouse=True)
def _plans_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan file given to a conversation (``simulate --plan``) is parsed once per test
    process, by the real parser, and each test stores its own copy.

    Some 250 conversations import the same Shangqiu plan; parsing it is a quarter of a
    second each time, while the parser itself is tested on its own (tests/test_import_*,
    which call it directly, not through this cache).
    """
    import bot.plans

    real = bot.plans.parse_path

    def parse_path(path: Path, *, plan_year: int | None = None) -> Any:
        try:
            key = (path.name, hashlib.sha256(path.read_bytes()).hexdigest(), plan_year)
        except OSError:
            return real(path, plan_year=plan_year)
        if key not in _PARSED:
            _PARSED[key] = real(path, plan_year=plan_year)  # errors are raised, never kept
        return copy.deepcopy(_PARSED[key])

    monkeypatch.setattr(bot.plans, "parse_path", parse_path)


_MATCHERS: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _matchers_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The matcher over the same tasks is built once per test process, by the real build.

    Each conversation's bot builds its matcher over the tasks it imported, nearly always
    the Shangqiu plan's: the same input, the same index, a third of a second of jieba each
    time. A Matcher is not changed after it is built, and the words a build teaches jieba
    stay taught for the process, so a later test gets what a fresh build would give it.
    """
    from bot import matching

    real = matching.Matcher.build.__func__  # type: ignore[attr-defined]

    def build(cls: type[matching.Matcher], tasks: Any, **options: Any) -> matching.Matcher:
        tasks = list(tasks)
        options["words"] = tuple(options.get("words", ()))
        key = repr((tasks, sorted(options.items()), sorted(matching.load_synonyms().items())))
        if key not in _MATCHERS:
            _MATCHERS[key] = real(cls, tasks, **options)
        return _MATCHERS[key]

    monkeypatch.setattr(matching.Matcher, "build", classmethod(build))


def test_backend() -> str:
    return os.environ.get("RECTIBOT_TEST_DB", "sqlite")


test_backend.__test__ = False  # type: ignore[attr-defined]


def _migrate(url: str) -> None:
    import asyncio

    from storage.db import create_engine, upgrade

    async def go() -> None:
        engine = create_engine(url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(go())


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once per run; each test starts from a copy (migrations are slow)."""
    if test_backend() != "postgresql":
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        yield str(path)
        return
    import psycopg

    admin_url = os.environ["RECTIBOT_TEST_PG_URL"]
    name = f"tmpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin_url.rpartition("/")
    _migrate(f"{base}/{name}")
    yield name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(tmp_path: Path, migrated_template: str) -> Iterator[str]:
    if test_backend() != "postgresql":
        target = tmp_path / "rectibot.sqlite3"
        shutil.copyfile(migrated_template, target)
        yield f"sqlite:///{target}"
        return
    import psycopg

    admin_url = os.environ["RECTIBOT_TEST_PG_URL"]
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
    base, _, _ = admin_url.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The environment a bot process of this test runs with."""
    return {
        "DATABASE_URL": database_url,
        "RECTIBOT_DATA_DIR": str(tmp_path / "data"),
        "RECTIBOT_ADMINS": "1",
        "RECTIBOT_AUDIT_KEY": "test-audit-key-0123456789",
    }


@pytest.fixture
def settings(env: dict[str, str]) -> Settings:
    return load_settings(env, env_file=None)
