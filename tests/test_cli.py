"""The command line as outside checks use it: exit codes, JSON-only stdout, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

REPO = Path(__file__).resolve().parent.parent


def rectibot(args: list[str], env: dict[str, str], stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("RECTIBOT_", "TELEGRAM_", "DATABASE_URL"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=REPO, env=full_env, input=stdin,
        capture_output=True, text=True, timeout=timeout,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RECTIBOT_TIMEZONE", "Mars/Olympus"),
        ("RECTIBOT_LOCALE", "fr_FR"),
        ("RECTIBOT_ADMINS", "alice,bob"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("DATABASE_URL", "mysql://x/y"),
        ("RECTIBOT_PROXY", "ftp://proxy"),
        ("RECTIBOT_QUIET_START", "25:00"),
    ],
)
def test_an_invalid_setting_stops_with_one_line(env: dict[str, str], variable: str, value: str) -> None:
    result = rectibot(["db", "upgrade"], {**env, variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_the_token_never_reaches_the_logs(env: dict[str, str]) -> None:
    token = "123456789:AAHsecretsecretsecretsecretsecret_xyz"
    result = rectibot(
        ["run"],
        {**env, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9"},
        timeout=120,
    )
    assert result.returncode == 1
    assert token not in result.stderr and token not in result.stdout
    assert "Traceback" not in result.stderr
    assert "TELEGRAM_API_BASE_URL" in result.stderr


def test_db_upgrade_and_listings_print_json_only(env: dict[str, str]) -> None:
    upgraded = rectibot(["db", "upgrade", "--json"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert json.loads(upgraded.stdout) == {"revision": "0003"}
    schedules = rectibot(["schedule", "--list", "--json"], env)
    assert schedules.returncode == 0, schedules.stderr
    names = [s["name"] for s in json.loads(schedules.stdout)["schedules"]]
    assert "prune-updates" in names
    outbox = rectibot(["outbox", "--list", "--json"], env)
    assert outbox.returncode == 0
    assert json.loads(outbox.stdout) == {"counts": {}, "rows": []}


def test_import_dry_run_prints_the_contract_and_never_opens_the_database(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    result = rectibot(
        ["import", "--dry-run", "--json", str(SEEDS / "shangqiu-2019-plan-35-tasks.txt"), str(broken)],
        {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "RECTIBOT_DATA_DIR": str(tmp_path / "d")},
    )
    assert result.returncode == 1
    out = json.loads(result.stdout)
    assert len(out["plans"]) == 1 and len(out["plans"][0]["tasks"]) == 35
    assert out["errors"][0]["path"] == str(broken) and out["errors"][0]["reason"]
    assert not (tmp_path / "d").exists()


def test_import_stores_and_reimport_reports_no_changes(env: dict[str, str]) -> None:
    seed = str(SEEDS / "shangqiu-2019-plan-35-tasks.txt")
    first = rectibot(["import", "--json", seed], env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["plans"][0]["changes"] is None
    again = rectibot(["import", "--json", seed], env)
    assert json.loads(again.stdout)["plans"][0]["changes"] == {"added": [], "removed": [], "changed": []}


def test_import_into_updates_a_retitled_draft_and_is_hinted_without_it(env: dict[str, str], tmp_path: Path) -> None:
    plan = REPO / "examples" / "shangqiu-plan.txt"
    text = plan.read_text(encoding="utf-8")
    title = "反馈意见整改方案"
    draft = tmp_path / "draft.txt"
    draft.write_text(text.replace(title, title + "(修改稿)", 1), encoding="utf-8")
    assert "整改方案(修改稿)" in draft.read_text(encoding="utf-8")
    assert rectibot(["import", "--json", str(plan)], env).returncode == 0
    updated = rectibot(["import", "--json", "--into", "1", str(draft)], env)
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["plans"][0]["changes"] == {"added": [], "removed": [], "changed": []}
    assert json.loads(updated.stdout)["plans"][0]["title"].endswith("(修改稿)")
    listed = rectibot(["import", "--json", str(plan)], env)  # the old title is gone: a new plan, and a hint
    assert json.loads(listed.stdout)["plans"][0]["changes"] is None
    assert "rectibot import --into 1" in listed.stderr
    assert rectibot(["import", "--into", "99", str(draft)], env).returncode == 1
    both = rectibot(["import", "--into", "1", str(draft), str(plan)], env)
    assert both.returncode == 1 and "exactly one file" in both.stderr


def test_simulate_reports_script_errors_with_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "bad.jsonl"
    script.write_text('{"as": 5, "text": "/start"}\n{"clock": "2019-01-10T09:00"}\n{"clock": "2019-01-09T09:00"}\n')
    result = rectibot(["simulate", "--json", str(script)], env)
    assert result.returncode == 2
    assert "line 3" in result.stderr and "Traceback" not in result.stderr
    unknown = tmp_path / "who.jsonl"
    unknown.write_text('{"bind": {"user": 7, "person": "不存在的人"}}\n')
    result = rectibot(["simulate", "--json", str(unknown)], env)
    assert result.returncode == 2 and "line 1" in result.stderr


def test_simulate_json_output_shape(env: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "hello.jsonl"
    script.write_text('{"clock": "2019-01-10T09:30"}\n{"as": 1002, "text": "/start"}\n', encoding="utf-8")
    result = rectibot(["simulate", "--json", str(script)], env)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert set(item) == {"id", "chat", "text", "buttons", "urls", "photo", "document", "edited", "at"}
    assert item["chat"] == 1002 and item["at"] == "2019-01-10T09:30:00+08:00"
