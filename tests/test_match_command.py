"""``rectibot match``: stdout is JSON lines only, exit codes as DESIGN.md says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.localbot import migrate
from bot.plans import import_plan_files
from tests.test_reporting import PLAN

OTHER = Path(__file__).resolve().parent / "data" / "import" / "baoding-2020-plan.txt"
LINES = "尾矿库排查已完成\n好的\n" + json.dumps({"text": "散乱污企业整治基本完成，取缔12家", "unit": "市生态环境局"}, ensure_ascii=False) + "\n水源地到哪一步了？\n"


def rectibot(args: list[str], stdin: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, env=full_env,
        cwd=Path(__file__).resolve().parent.parent, timeout=120,
    )


def test_plan_source_prints_one_object_per_line() -> None:
    done = rectibot(["match", "--plan", str(PLAN), "--json"], LINES)
    assert done.returncode == 0, done.stderr
    items = [json.loads(line) for line in done.stdout.splitlines()]
    assert [i["text"] for i in items][:2] == ["尾矿库排查已完成", "好的"]
    assert all(set(i) == {"text", "intent", "candidates", "accepted"} for i in items)
    assert items[0]["accepted"] == "1-17" and items[0]["candidates"][0] == {"ref": "1-17", "measure": 1, "score": 91}
    assert items[1] == {"text": "好的", "intent": "none", "candidates": [], "accepted": None}
    assert items[2]["accepted"] == "2-14"
    assert items[3]["intent"] == "question" and items[3]["accepted"] is None
    assert all(len(i["candidates"]) <= 3 for i in items)


def test_bad_arguments_and_sources_exit_without_json() -> None:
    missing = rectibot(["match", "--plan", "/nonexistent/plan.txt", "--json"], "x\n")
    assert missing.returncode == 1 and missing.stdout == "" and "Traceback" not in missing.stderr
    top = rectibot(["match", "--plan", str(PLAN), "--top", "0", "--json"], "x\n")
    assert top.returncode == 2 and top.stdout == ""
    neither = rectibot(["match", "--json"], "x\n")
    assert neither.returncode == 2 and neither.stdout == ""


async def test_db_source_qualifies_refs_only_with_several_plans(settings: Settings, env: dict[str, str]) -> None:
    await migrate(settings)
    first = (await import_plan_files(settings, [PLAN]))[0]
    one = rectibot(["match", "--db", settings.database_url, "--top", "1", "--json"], "尾矿库排查已完成\n", env)
    assert one.returncode == 0, one.stderr
    item = json.loads(one.stdout)
    assert item["accepted"] == "1-17" and len(item["candidates"]) == 1
    await import_plan_files(settings, [OTHER])
    two = rectibot(["match", "--db", settings.database_url, "--json"], "尾矿库排查已完成\n", env)
    assert two.returncode == 0, two.stderr
    refs = [c["ref"] for c in json.loads(two.stdout)["candidates"]]
    assert refs[0] == f"{first.id}:1-17" and all(":" in r for r in refs)
