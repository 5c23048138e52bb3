"""Settings from the environment (and an optional ``.env``), checked before anything starts.

A wrong setting must stop start-up with one line naming the variable — officials'
IT staff deploy this, and a traceback tells them nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

SUPPORTED_LOCALES = ("zh_CN", "en")
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


class SettingsError(Exception):
    """A setting is invalid; the message names the variable and what is expected."""

    def __init__(self, variable: str, expected: str) -> None:
        super().__init__(f"{variable}: {expected}")
        self.variable = variable
        self.expected = expected


@dataclass(frozen=True)
class Settings:
    token: str | None
    api_base_url: str | None
    proxy: str | None
    database_url: str
    data_dir: Path
    timezone: ZoneInfo
    locale: str
    admins: frozenset[int]
    audit_key: bytes
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    extra: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        # The token must never reach a log line, even through a debug repr.
        return (
            f"Settings(token={'***' if self.token else None}, database_url={_redact_url(self.database_url)!r}, "
            f"data_dir={str(self.data_dir)!r}, timezone={self.timezone.key!r}, locale={self.locale!r})"
        )

    @property
    def localapi_dir(self) -> Path:
        return self.data_dir / "localapi"


def _redact_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def _parse_time(variable: str, value: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise SettingsError(variable, "a time of day as HH:MM, e.g. 21:00")
    return time(int(m.group(1)), int(m.group(2)))


def load_settings(
    environ: Mapping[str, str] | None = None, *, env_file: Path | None = Path(".env")
) -> Settings:
    """Read and validate every setting; raise SettingsError on the first bad one."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        raw = values.get(name)
        if raw is None:
            return None
        raw = raw.strip()
        return raw or None

    token = get("TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN_RE.match(token):
        raise SettingsError("TELEGRAM_BOT_TOKEN", "a bot token from @BotFather, like 123456:ABC-DEF…")

    api_base = get("TELEGRAM_API_BASE_URL")
    if api_base is not None and urlparse(api_base).scheme not in ("http", "https"):
        raise SettingsError("TELEGRAM_API_BASE_URL", "an http(s) URL of a Bot API server, e.g. http://127.0.0.1:8081")

    proxy = get("RECTIBOT_PROXY")
    if proxy is not None and urlparse(proxy).scheme not in ("http", "https", "socks5", "socks5h"):
        raise SettingsError("RECTIBOT_PROXY", "a proxy URL such as socks5://127.0.0.1:1080 or http://host:port")

    data_dir = Path(get("RECTIBOT_DATA_DIR") or "./data").expanduser()
    if data_dir.exists() and not data_dir.is_dir():
        raise SettingsError("RECTIBOT_DATA_DIR", f"a directory; {data_dir} is a file")

    database_url = get("DATABASE_URL") or f"sqlite:///{(data_dir / 'rectibot.sqlite3').resolve()}"
    scheme = urlparse(database_url).scheme.split("+")[0]
    if scheme not in ("sqlite", "postgresql", "postgres"):
        raise SettingsError("DATABASE_URL", "sqlite:///path/to/file.db or postgresql://user:pass@host/db")

    tz_name = get("RECTIBOT_TIMEZONE") or "Asia/Shanghai"
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError("RECTIBOT_TIMEZONE", "an IANA time zone such as Asia/Shanghai") from None

    locale = get("RECTIBOT_LOCALE") or "zh_CN"
    if locale not in SUPPORTED_LOCALES:
        raise SettingsError("RECTIBOT_LOCALE", f"one of {', '.join(SUPPORTED_LOCALES)}")

    admins: set[int] = set()
    for part in re.split(r"[,\s]+", get("RECTIBOT_ADMINS") or ""):
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError("RECTIBOT_ADMINS", "Telegram user ids separated by commas, e.g. 12345,67890")
        admins.add(int(part))

    audit_key_raw = get("RECTIBOT_AUDIT_KEY")
    if audit_key_raw is not None and len(audit_key_raw) < 16:
        raise SettingsError("RECTIBOT_AUDIT_KEY", "a secret of at least 16 characters")
    audit_key = (audit_key_raw or "rectibot-local-audit-key-change-me").encode()

    quiet_start = _parse_time("RECTIBOT_QUIET_START", get("RECTIBOT_QUIET_START") or "21:00")
    quiet_end = _parse_time("RECTIBOT_QUIET_END", get("RECTIBOT_QUIET_END") or "08:00")

    return Settings(
        token=token,
        api_base_url=api_base,
        proxy=proxy,
        database_url=database_url,
        data_dir=data_dir,
        timezone=tz,
        locale=locale,
        admins=frozenset(admins),
        audit_key=audit_key,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        extra={k: v for k, v in values.items() if k.startswith("RECTIBOT_")},
    )
