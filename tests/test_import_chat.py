"""Importing a plan by chat: the admin sends the document, checks the preview, presses Import.

Every conversation runs through ``rectibot simulate``: the real Application, the local
Bot API with real file downloads, and a restart between two scripts on the same data.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callback_tokens
from bot.config import Settings
from bot.import_chat import preview_text, wants
from bot.matching import tokenizer
from bot.plandata import ImportNote, ParsedPlan, PlanTask
from bot.turns import Turn
from storage.db import create_engine, session_factory, transaction
from storage.imports import PendingImport
from storage.models import AuditEvent, Plan, Task
from tests.scenario import converse, texts
from tests.test_import_errors import blank_pdf, encrypted_office_file, encrypted_pdf
from tests.test_plan_storage import edited_plan_text

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "examples" / "shangqiu-plan.txt"
T = TypeVar("T")
START = {"clock": "2019-01-02T09:00"}
LATER = {"clock": "2019-01-02T10:00"}


def put(settings: Settings, name: str, data: bytes | str) -> str:
    """A file next to the script (paths in events are relative to it)."""
    path = settings.data_dir.parent / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return name


def plan_file(settings: Settings, name: str = "plan.txt") -> str:
    (settings.data_dir.parent).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PLAN, settings.data_dir.parent / name)
    return name


async def db(settings: Settings, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            return await fn(session)
    finally:
        await engine.dispose()


async def count(settings: Settings, model: type[Any]) -> int:
    async def run(session: AsyncSession) -> int:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())

    return await db(settings, run)


async def only_token(session: AsyncSession) -> str:
    return str((await session.execute(select(PendingImport.token))).scalar_one())


def preview(output: list[dict[str, Any]]) -> dict[str, Any]:
    shown = [o for o in output if o.get("buttons")]
    assert shown, output
    return shown[-1]


def answers(output: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in output if "callback_answer" in o]


async def test_admin_sends_the_plan_checks_the_preview_and_imports_it(settings: Settings) -> None:
    name = plan_file(settings)
    output = await converse(settings, [START, {"as": 1, "document": name}])
    card = preview(output)
    text = card["text"]
    assert card["chat"] == 1 and card["buttons"] == ["✅ 导入", "取消"]
    assert "商丘市贯彻落实中央环境保护督察" in text and "年度：2019" in text and "文件：plan.txt" in text
    assert "共识别任务 35 项" in text and "市生态环境局" in text and "张家明" in text
    assert "完成时间从 2018-" in text
    # what it could not read for sure, in the reader's language
    assert "2-3：单位“市发展改革”按“市发展改革委”识别" in text
    assert "1-8：时限“按时完成2018年、2019年水污染防治攻坚重点工程”未写明日期" in text
    assert "1-1　" in text and "1-5　" in text and "1-6　" not in text  # the first five tasks
    assert await count(settings, Plan) == 0  # nothing stored before Import
    assert len(list((settings.data_dir / "imports").iterdir())) == 1

    # The bot restarts before the admin answers: the preview still works.
    output = await converse(settings, [LATER, {"as": 1, "press": "导入"}], name="later")
    assert [a["callback_answer"] for a in answers(output)] == ["已导入"]
    done = [o for o in output if o.get("edited")]
    assert done and "✅ 已导入《商丘市" in done[-1]["text"] and "共 35 项任务" in done[-1]["text"]
    assert not done[-1]["buttons"]
    assert await count(settings, Task) == 35

    async def audited(session: AsyncSession) -> list[str]:
        rows = await session.execute(select(AuditEvent.actor).where(AuditEvent.action == "import"))
        return list(rows.scalars())

    assert await db(settings, audited) == ["tg:1"]
    # jieba learned the plan's names: an alias is one word, not 市/扬尘/办.
    assert "市扬尘办" in tokenizer().lcut("市扬尘办已完成工地检查")

    # A second press (a double tap, or the message pressed again) imports nothing more.
    pending = await db(settings, only_token)
    again = callback_tokens.sign(settings.audit_key, "i", pending, "y", to=1)
    output = await converse(settings, [LATER, {"as": 1, "callback": again, "on": card["id"]}], name="again")
    assert answers(output)[0]["alert"] and "已处理（已导入）" in answers(output)[0]["callback_answer"]
    assert await db(settings, audited) == ["tg:1"]
    assert await count(settings, Task) == 35

    # A unit bound under the plan's alias (市扬尘办 is 市城管局) reports on its task at once.
    output = await converse(
        settings,
        [
            {"clock": "2019-01-02T11:00"},
            {"bind": {"user": 2001, "unit": "市扬尘办", "name": "李明"}},
            {"as": 2001, "text": "建筑工地扬尘六个百分之百专项检查已开展两轮"},
        ],
        name="report",
    )
    assert any(t.startswith("已记录") and "2-8" in t and "市城管局" in t for t in texts(output, 2001))


async def test_cancel_discards_the_upload(settings: Settings) -> None:
    name = plan_file(settings)
    output = await converse(settings, [START, {"as": 1, "document": name}, {"as": 1, "press": "取消"}])
    assert [a["callback_answer"] for a in answers(output)] == ["已取消"]
    assert "已取消，《商丘市" in [o for o in output if o.get("edited")][-1]["text"]
    assert await count(settings, Plan) == 0
    assert not list((settings.data_dir / "imports").iterdir())

    async def states(session: AsyncSession) -> list[str]:
        return list((await session.execute(select(PendingImport.state))).scalars())

    assert await db(settings, states) == ["cancelled"]


async def test_an_edited_version_reports_what_changed_and_an_identical_one_nothing(settings: Settings) -> None:
    name = plan_file(settings)
    await converse(settings, [START, {"as": 1, "document": name}, {"as": 1, "press": "导入"}])
    edited = put(settings, "plan-v2.txt", edited_plan_text())
    output = await converse(settings, [LATER, {"as": 1, "document": edited}], name="v2")
    assert "系统中已有同名方案（2019-01-02 导入）" in preview(output)["text"]
    output = await converse(settings, [{"as": 1, "press": "导入"}], name="v2-import")
    text = [o for o in output if o.get("edited")][-1]["text"]
    assert "新增 1 项，归档 1 项，修改 1 项" in text
    assert "新增：2-17" in text and "归档：2-15" in text and "修改：1-10" in text
    assert await count(settings, Plan) == 1 and await count(settings, Task) == 36

    output = await converse(settings, [{"as": 1, "document": edited}, {"as": 1, "press": "导入"}], name="v2-again")
    assert "完全相同" in preview(output)["text"]
    assert "没有需要更新的内容" in [o for o in output if o.get("edited")][-1]["text"]


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("empty.txt", lambda: b"", "文件是空的"),
        ("notice.txt", lambda: "关于召开全市安全生产会议的通知\n请各单位准时参加。".encode(), "没有找到整改任务"),
        ("plan.docx", lambda: b"PK\x03\x04" + b"\0" * 300, "文件已损坏"),
        ("locked.docx", encrypted_office_file, "设有密码"),
        ("locked.pdf", encrypted_pdf, "设有密码"),
        ("scan.pdf", blank_pdf, "没有文字层"),
        ("plan.txt", lambda: bytes(range(128, 256)) * 40, "编码无法识别"),
    ],
)
async def test_bad_documents_get_a_clear_answer_and_nothing_is_stored(
    settings: Settings, name: str, make: Callable[[], bytes], expected: str
) -> None:
    put(settings, name, make())
    output = await converse(settings, [START, {"as": 1, "document": name}])
    replies = texts(output, 1)
    assert len(replies) == 1 and expected in replies[0] and "本次未导入任何内容" in replies[0], replies
    assert not any(o.get("buttons") for o in output)
    assert await count(settings, PendingImport) == 0 and await count(settings, Plan) == 0


async def test_a_file_over_20_mb_is_refused_without_downloading(settings: Settings) -> None:
    put(settings, "huge.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 10))
    output = await converse(settings, [START, {"as": 1, "document": "huge.pdf"}])
    assert any("超过 20 MB" in t for t in texts(output, 1))
    assert await count(settings, PendingImport) == 0


async def test_english_admin_gets_english_texts(settings: Settings) -> None:
    name = plan_file(settings)
    output = await converse(settings, [START, {"as": 1, "document": name, "lang": "en"}])
    card = preview(output)
    assert card["buttons"] == ["✅ Import", "Cancel"] and "Found 35 tasks" in card["text"]
    assert "2-3: unit “市发展改革” read as “市发展改革委”" in card["text"]


async def test_documents_that_are_not_plan_imports_go_to_the_evidence_area(settings: Settings) -> None:
    name = plan_file(settings)
    put(settings, "photo-notes.txt", "现场照片说明")
    output = await converse(
        settings,
        [
            START,
            {"as": 2002, "document": name},  # not an admin
            {"as": 1, "document": name, "caption": "1-10 水源地界碑已设立，附整改材料"},  # a report's evidence
            {"as": 1, "document": name, "chat": -100123},  # in a group
        ],
        plans=[PLAN],
    )
    assert not any("导入" in " ".join(o.get("buttons") or []) for o in output)
    assert not any("共识别任务" in t for t in texts(output))
    assert await count(settings, PendingImport) == 0


async def test_only_the_uploader_may_press_and_forged_data_is_refused(settings: Settings) -> None:
    name = plan_file(settings)
    output = await converse(settings, [START, {"bind": {"user": 3, "role": "admin"}}, {"as": 1, "document": name}])
    card = preview(output)

    secret = settings.audit_key
    pending = await db(settings, only_token)
    for_uploader = callback_tokens.sign(secret, "i", pending, "y", to=1)
    for_other = callback_tokens.sign(secret, "i", pending, "y", to=3)
    output = await converse(
        settings,
        [
            LATER,
            {"as": 3, "callback": for_uploader, "on": card["id"], "chat": 1},  # another admin, uploader's button
            {"as": 3, "callback": for_other, "on": card["id"], "chat": 1},  # signed for them, but not the uploader
            {"as": 2002, "callback": for_uploader, "on": card["id"], "chat": 1},  # not an admin
            {"as": 1, "callback": "i:" + pending + ":y:1:AAAAAAAAAAAA", "on": card["id"]},  # forged signature
            {"as": 1, "callback": "i:nosuchtoken:y:1", "on": card["id"]},
        ],
        name="forged",
    )
    got = answers(output)
    assert [a["alert"] for a in got] == [True] * 5
    assert [a["callback_answer"] for a in got][:3] == ["只有上传该文件的管理员才能导入或取消。"] * 3
    assert all("按钮无效" in a["callback_answer"] for a in got[3:])
    assert await count(settings, Plan) == 0
    output = await converse(settings, [{"as": 1, "press": "导入"}, {"as": 3, "document": name}], name="uploader")
    assert [a["callback_answer"] for a in answers(output)] == ["已导入"]
    # An admin by role (not by configuration) may import too.
    assert preview(output)["chat"] == 3 and "完全相同" in preview(output)["text"]


def test_which_documents_are_plan_imports() -> None:
    assert wants("整改方案.docx", None) and wants("plan.PDF", "") and wants("台账.xlsx", "请导入")
    assert wants("plan.csv", "Import this") and wants("方案.txt", "新版整改方案")
    assert not wants("photo.jpg", None) and not wants("plan.docx", "1-10 已完成，附验收材料")
    assert wants("old.doc", "导入方案") and wants("old.doc", None) and not wants("old.xls", "1-10 佐证材料")
    assert not wants(None, None)


async def test_an_old_word_file_sent_alone_is_asked_for_as_docx(settings: Settings) -> None:
    name = put(settings, "整改方案.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    output = await converse(settings, [START, {"as": 1, "document": name}])
    said = [o["text"] for o in output if o.get("chat") == 1 and "text" in o]
    assert any(".docx" in t for t in said) and not any("未找到对应的报送" in t for t in said)


async def test_a_word_task_table_is_previewed_like_the_text(settings: Settings) -> None:
    table = REPO / "tests" / "data" / "import" / "shangqiu-annex2-table.docx"
    name = put(settings, "附件2 任务清单.docx", table.read_bytes())
    output = await converse(settings, [START, {"as": 1, "document": name, "caption": "请导入"}])
    assert "共识别任务 16 项" in preview(output)["text"]


def test_a_preview_of_a_messy_document_stays_one_message() -> None:
    turn = Turn(
        session=cast(Any, None), update=cast(Any, None), now=datetime(2019, 1, 2), lang="zh_CN",
        user=None, person=None, is_admin=True,
    )
    plan = ParsedPlan(
        title="关于" * 300,
        tasks=[PlanTask(ref=str(i), title="<b>任务</b>" * 50, units=[f"单位{i}-{j}" for j in range(20)]) for i in range(200)],
        warnings=[ImportNote("undated_deadline", str(i), "x" * 500) for i in range(100)],
    )
    text = preview_text(turn, plan, "plan.docx")
    assert len(text) < 4096 and "<b>任务" not in text and "&lt;b&gt;任务" in text
    assert "另有 94 处" in text and "等 4000 个" in text


async def test_an_importer_failure_gets_an_apology_not_silence(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, filename: str) -> ParsedPlan:
        raise RuntimeError("importer bug")

    monkeypatch.setattr("bot.import_chat.parse_bytes", broken)
    name = plan_file(settings)
    output = await converse(settings, [START, {"as": 1, "document": name}])
    assert [t for t in texts(output, 1) if "抱歉，处理时出现问题" in t]
    assert await count(settings, PendingImport) == 0


async def test_an_old_preview_cannot_roll_back_a_newer_import(settings: Settings) -> None:
    name = plan_file(settings)
    edited = put(settings, "plan-v2.txt", edited_plan_text())
    output = await converse(
        settings, [START, {"as": 1, "document": name}, LATER, {"as": 1, "document": edited}, {"as": 1, "press": "导入"}]
    )
    old_card = next(o for o in output if o.get("buttons"))

    async def old_token(session: AsyncSession) -> str:
        query = select(PendingImport.token).where(PendingImport.file_name == "plan.txt")
        return str((await session.execute(query)).scalar_one())

    data = callback_tokens.sign(settings.audit_key, "i", await db(settings, old_token), "y", to=1)
    output = await converse(
        settings, [{"clock": "2019-01-02T11:00"}, {"as": 1, "callback": data, "on": old_card["id"]}], name="old"
    )
    assert answers(output)[0]["alert"] and "不能再按此导入" in answers(output)[0]["callback_answer"]
    assert "本预览已作废" in [o for o in output if o.get("edited")][-1]["text"]

    async def refs(session: AsyncSession) -> set[str]:
        return set((await session.execute(select(Task.ref).where(Task.archived.is_(False)))).scalars())

    live = await db(settings, refs)  # still the newer version: no 2-15, a 2-17
    assert len(live) == 35 and "2-17" in live and "2-15" not in live


TITLE = "商丘市贯彻落实中央环境保护督察“回头看”及大气污染问题专项督察反馈意见整改方案"


def retitled_plan_text() -> str:
    """The plan again, its title marked as a revised draft."""
    text = PLAN.read_text(encoding="utf-8").replace(TITLE, TITLE + "（修改稿）", 1)
    assert TITLE + "（修改稿）" in text
    return text


async def plan_titles(settings: Settings) -> list[str]:
    async def run(session: AsyncSession) -> list[str]:
        return list((await session.execute(select(Plan.title).order_by(Plan.id))).scalars())

    return await db(settings, run)


async def test_a_retitled_draft_updates_the_plan_it_revises_when_the_admin_says_so(settings: Settings) -> None:
    await converse(settings, [START, {"as": 1, "document": plan_file(settings)}, {"as": 1, "press": "导入"}])
    draft = put(settings, "plan-revised.txt", retitled_plan_text())
    output = await converse(settings, [LATER, {"as": 1, "document": draft}], name="draft")
    card = preview(output)
    assert f"系统中的方案《{TITLE}》（2019-01-02 导入）与本文件任务基本一致（35 项中 35 项编号和名称相同）" in card["text"]
    assert card["buttons"] == ["✅ 更新原方案", "导入为新方案", "取消"]
    output = await converse(settings, [{"as": 1, "press": "更新原方案"}], name="update")
    done = [o for o in output if o.get("edited")][-1]["text"]
    assert "✅ 已更新《" in done and f"方案标题已由《{TITLE}》改为《{TITLE}(修改稿)》" in done
    assert await plan_titles(settings) == [TITLE + "(修改稿)"]
    assert await count(settings, Task) == 35
    # The same file again is now simply the stored plan under its own title.
    output = await converse(settings, [{"as": 1, "document": draft}], name="again")
    assert "完全相同" in preview(output)["text"] and preview(output)["buttons"] == ["✅ 导入", "取消"]


async def test_a_look_alike_plan_can_still_be_imported_as_a_plan_of_its_own(settings: Settings) -> None:
    await converse(settings, [START, {"as": 1, "document": plan_file(settings)}, {"as": 1, "press": "导入"}])
    draft = put(settings, "plan-revised.txt", retitled_plan_text())
    output = await converse(settings, [LATER, {"as": 1, "document": draft}, {"as": 1, "press": "导入为新方案"}], name="new")
    assert "✅ 已导入《" in [o for o in output if o.get("edited")][-1]["text"]
    assert await plan_titles(settings) == [TITLE, TITLE + "(修改稿)"]
    assert await count(settings, Task) == 70


async def test_an_update_button_for_a_plan_that_is_gone_changes_nothing(settings: Settings) -> None:
    await converse(settings, [START, {"as": 1, "document": plan_file(settings)}, {"as": 1, "press": "导入"}])
    draft = put(settings, "plan-revised.txt", retitled_plan_text())
    output = await converse(settings, [LATER, {"as": 1, "document": draft}], name="draft")
    card = preview(output)
    async def pending_token(session: AsyncSession) -> str:
        query = select(PendingImport.token).where(PendingImport.state == "pending")
        return str((await session.execute(query)).scalar_one())

    pending = await db(settings, pending_token)
    made_up = callback_tokens.sign(settings.audit_key, "i", pending, "u999999", to=1)
    output = await converse(settings, [{"as": 1, "callback": made_up, "on": card["id"]}], name="forged")
    assert answers(output)[0]["alert"]
    assert await plan_titles(settings) == [TITLE]
