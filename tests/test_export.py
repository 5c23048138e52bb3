"""The 台账 workbook: /export through the bot and ``rectibot export``, read back with openpyxl."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.config import Settings
from tests.scenario import converse
from tests.test_cli import rectibot
from tests.test_queries import LEADER, MEMBER, START
from tests.test_queries_seed import PLAN, seed_plan

COLUMNS = ["序号", "问题", "整改目标", "整改措施", "责任领导", "牵头单位", "责任单位", "整改时限", "进展情况",
           "完成百分比", "状态", "最后报告时间", "佐证材料数"]


async def test_workbook_rows_values_fills_and_sheets(settings: Settings, env: dict[str, str], tmp_path: Path) -> None:
    await seed_plan(settings)
    out = tmp_path / "ledger.xlsx"
    result = rectibot(["export", "--out", str(out), "--date", "2019-01-10", "--json"], env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"path": str(out), "tasks": 35, "rows": 699, "date": "2019-01-10"}
    bad = rectibot(["export", "--date", "10/01/2019"], env)
    assert bad.returncode == 2 and bad.stdout == "" and "YYYY-MM-DD" in bad.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["台账", "问题清单", "措施清单", "责任清单", "效果清单"]
    ws = wb["台账"]
    assert [c.value for c in ws[1]] == COLUMNS
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:M{ws.max_row}"
    assert ws.column_dimensions["D"].width >= 40
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    # one row per task × unit × measure: 1-10 has 3 measures and 6 units
    ten = [r for r in rows if r[0] == "1-10"]
    assert len(ten) == 18
    eco = [r for r in ten if r[6] == "市生态环境局"]
    assert [r[3][:7] for r in eco] == ["1. 加快进度", "2. 严肃纪律", "3. 全面深化"]
    first = eco[0]
    assert first[8] == "市级水源地保护区界碑已全部设立，剩一处交通穿越工程在验收"
    assert first[9] == pytest.approx(0.8) and first[10] == "逾期" and first[12] == 2
    assert first[11] == datetime(2019, 1, 8, 10, 0)
    assert first[4] == "张家明、倪玉民" and first[5] == "市生态环境局、市水利局"
    assert first[7].startswith("2018年年底前完成")
    water = next(r for r in ten if r[6] == "市水利局")
    assert water[8] in ("", None) and water[9] is None and water[11] is None and water[12] == 0
    # fills: red for 逾期, yellow for 未报告
    status_cells = {r[0].value + "/" + r[6].value: r[10] for r in ws.iter_rows(min_row=2) if r[3].value and r[3].value.startswith("1.")}
    assert status_cells["1-10/市生态环境局"].fill.fgColor.rgb.endswith("FFC7CE")
    assert status_cells["1-14/市水利局"].value == "未报告"
    assert status_cells["1-14/市水利局"].fill.fgColor.rgb.endswith("FFEB9C")
    assert len({r[0] for r in rows}) == 35
    problems = wb["问题清单"]
    assert problems.max_row == 36 and [c.value for c in problems[1]][:2] == ["序号", "问题"]
    duties = {r[0].value: r for r in wb["责任清单"].iter_rows(min_row=2)}
    assert duties["2-8"][3].value == "市城管局" and duties["2-8"][2].value == "张家明"
    measures = [r for r in wb["措施清单"].iter_rows(min_row=2, values_only=True) if r[0] == "1-10"]
    assert [m[1] for m in measures] == [1, 2, 3] and "界碑" in measures[0][4] and measures[0][5] == "市生态环境局"
    effects = {r[0].value: r for r in wb["效果清单"].iter_rows(min_row=2)}
    assert effects["1-10"][3].value == "逾期" and effects["1-10"][5].value == "0/6" and effects["1-10"][7].value == 2
    assert effects["1-10"][3].fill.fgColor.rgb.endswith("FFC7CE")


async def test_export_in_chat_for_leader_and_refused_to_member(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [START, LEADER, MEMBER, {"as": 1002, "text": "/export"}, {"as": 2001, "text": "/export"}],
        plans=[PLAN],
    )
    docs = [o for o in out if o.get("document")]
    assert len(docs) == 1 and docs[0]["chat"] == 1002
    assert "35 项任务" in docs[0]["text"]
    wb = load_workbook(docs[0]["document"])
    assert wb.sheetnames[0] == "台账" and wb["台账"].max_row == 700
    refused = [o["text"] for o in out if o.get("chat") == 2001]
    assert refused and "仅限整改办和责任领导" in refused[0]


async def test_asking_for_the_ledger_in_words_sends_it(settings: Settings) -> None:
    await seed_plan(settings)
    out = await converse(
        settings,
        [START, LEADER, MEMBER, {"as": 1002, "text": "把整改台账发我一下"}, {"as": 1002, "text": "看看进度图"},
         {"as": 2001, "text": "问题台账已建立完成"}],
        plans=[PLAN],
    )
    sent = [o for o in out if o.get("chat") == 1002]
    assert sent[0]["document"] and "35 项任务" in sent[0]["text"]
    assert sent[1]["photo"]
    # a report about a ledger is still a report, not a request for one
    assert not any(o.get("document") for o in out if o.get("chat") == 2001)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed on this machine")
async def test_libreoffice_converts_the_workbook(settings: Settings, tmp_path: Path) -> None:
    from bot.export import export_ledger
    from storage.db import create_engine, session_factory, transaction
    from tests.test_queries_seed import TZ

    await seed_plan(settings)
    engine = create_engine(settings.database_url)
    path = tmp_path / "ledger.xlsx"
    try:
        async with transaction(session_factory(engine)) as session:
            await export_ledger(session, path, today=datetime(2019, 1, 10).date(), tz=TZ, lang="zh_CN")
    finally:
        await engine.dispose()
    result = await asyncio.to_thread(
        subprocess.run,
        ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ledger.csv").is_file()
