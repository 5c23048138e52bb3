"""Invitations and self-service binding, as conversations through `rectibot simulate`."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import callback_tokens
from bot.binding import normalize_name
from bot.cli import main
from bot.config import Settings
from bot.invitations import code_hash, normalize_code
from storage.db import create_engine, session_factory, transaction
from storage.invitations import BindRequest
from storage.models import AuditEvent, Invitation, Person
from tests.conftest import REPO
from tests.scenario import converse, texts

PLAN = [REPO / "examples" / "shangqiu-plan.txt"]
ADMIN = 1
LINK = re.compile(r"https://t\.me/rectibot_local_bot\?start=([A-Z0-9]+)")


def code_in(output: list[dict[str, Any]]) -> str:
    for item in reversed(output):
        urls = [u for u in item.get("urls") or [] if u]
        if urls:
            m = LINK.fullmatch(urls[0])
            assert m and m.group(0) in item["text"], item
            return m.group(1)
    raise AssertionError(f"no invitation link in {output}")


def answers(output: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    return [(o["callback_answer"], o["alert"]) for o in output if "callback_answer" in o]


async def person(settings: Settings, name: str) -> Person:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            return (await session.execute(select(Person).where(Person.name == name))).scalar_one()
    finally:
        await engine.dispose()


async def count(settings: Settings, model: Any) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            return int((await session.execute(select(func.count()).select_from(model))).scalar_one())
    finally:
        await engine.dispose()


async def test_an_invited_leader_binds_once_and_the_code_cannot_be_reused(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/invite 倪玉民"},
    ], plans=PLAN, name="invite")
    invite = texts(out, ADMIN)[-1]
    assert "倪玉民" in invite and "责任领导" in invite and "2019-01-17 09:00" in invite
    code = code_in(out)
    assert len(code) == 12

    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            stored = (await session.execute(select(Invitation))).scalar_one()
    finally:
        await engine.dispose()
    assert stored.code_hash == code_hash(code) and code.encode() not in stored.code_hash

    out = await converse(settings, [
        {"clock": "2019-01-11T10:00"},
        {"as": 1002, "text": f"/start {code}"},
        {"as": 1003, "text": f"/start {code}"},
        {"as": 1002, "text": f"/start {code.lower()}"},
        {"as": 1002, "text": "/start"},
    ], name="bind")
    assert "绑定成功" in texts(out, 1002)[0] and "倪玉民" in texts(out, 1002)[0] and "责任领导" in texts(out, 1002)[0]
    assert "已使用过" in texts(out, 1003)[0]
    assert "您已绑定为倪玉民" in texts(out, 1002)[1]
    assert "已绑定" in texts(out, 1002)[2]
    leader = await person(settings, "倪玉民")
    assert leader.telegram_id == 1002 and leader.roles == ["leader"]


async def test_a_code_pasted_as_a_message_binds_too(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/invite 倪玉民"},
    ], plans=PLAN, name="invite")
    code = code_in(out)
    out = await converse(settings, [
        {"clock": "2019-01-11T10:00"},
        {"as": 1002, "text": f"我的邀请码是 {code[:4]}-{code[4:8]}-{code[8:]}"},
    ], name="bind")
    # the day's catch-up (an escalation to the new leader) may arrive before or after the answer
    said = next(t for t in texts(out, 1002) if "绑定" in t)
    assert "绑定成功" in said and "倪玉民" in said
    assert "报送进展" not in said and "哪些任务逾期了" in said  # a leader asks, he does not report
    assert (await person(settings, "倪玉民")).telegram_id == 1002


LEDGER_WITH_PEOPLE = """某县农业农村领域问题整改清单
2024年3月1日
问题1:高标准农田建设质量不高
整改措施:开展质量排查。
责任单位:县农业农村局
责任人:王永刚
整改时限:2024年10月底前
问题2:农药残留抽检覆盖不足
整改措施:扩大抽检范围。
责任单位:县市场监管局、县农业农村局
责任人:李芳、张伟
整改时限:2024年12月底前
"""


async def test_a_named_person_in_charge_can_be_invited_by_name(settings: Settings, tmp_path: Path) -> None:
    plan = tmp_path / "ledger.txt"
    plan.write_text(LEDGER_WITH_PEOPLE, encoding="utf-8")
    out = await converse(settings, [
        {"clock": "2024-03-10T09:00"},
        {"as": ADMIN, "text": "/invite 王永刚"},
        {"as": 3009, "text": "我是县市场监管局李芳"},
    ], plans=[plan], name="people")
    assert "王永刚（县农业农村局）" in texts(out, ADMIN)[0]
    request = next(o for o in out if o.get("chat") == ADMIN and "绑定申请" in o.get("text", ""))
    assert "县市场监管局 李芳（方案中的人员）" in request["text"]  # one name per unit, in order
    assert (await person(settings, "张伟")).roles == ["member"]


async def test_a_code_used_after_21_days_is_refused(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/invite 市水利局 李明"},
    ], plans=PLAN, name="invite")
    code = code_in(out)
    out = await converse(settings, [
        {"clock": "2019-01-31T09:00"},
        {"as": 2001, "text": f"/start {code}"},
        {"as": 2001, "text": "水源地界碑已全部设立"},
    ], name="late")
    assert "已过期" in texts(out, 2001)[0]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            bound = (await session.execute(select(Person).where(Person.telegram_id == 2001))).scalar_one_or_none()
            used = (await session.execute(select(Invitation.used_at))).scalar_one()
    finally:
        await engine.dispose()
    assert bound is None and used is None


async def test_a_member_invitation_creates_the_member_with_the_named_role(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/invite 水利局 李明 observer 3天"},
    ], plans=PLAN, name="invite")
    assert "2019-01-13 09:00" in texts(out, ADMIN)[-1] and "观察员" in texts(out, ADMIN)[-1]
    code = code_in(out)
    out = await converse(settings, [
        {"clock": "2019-01-12T09:00"},
        {"as": 2001, "text": f"/start {code}"},
        {"as": 2001, "text": f"/start {code}"},
    ], name="b")
    assert "李明（市水利局）" in texts(out, 2001)[0]
    assert "您已绑定为李明" in texts(out, 2001)[1]
    member = await person(settings, "李明")
    assert member.roles == ["observer"] and member.telegram_id == 2001


async def test_wrong_codes_say_so_and_are_rate_limited_on_the_bot_clock(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/invite 倪玉民"},
    ], plans=PLAN, name="invite")
    code = code_in(out)
    wrong = [{"as": 1002, "text": f"/start WRONGCODE{i:03d}"} for i in range(5)]
    out = await converse(settings, [
        {"clock": "2019-01-10T10:00"},
        *wrong,
        {"as": 1002, "text": f"/start {code}"},
        {"clock": "2019-01-10T10:59"},
        {"as": 1002, "text": f"/start {code}"},
        {"clock": "2019-01-10T11:01"},
        {"as": 1002, "text": f"/start {code}"},
    ], name="guess")
    replies = texts(out, 1002)
    assert all("邀请码不正确" in r for r in replies[:5])
    assert "错误次数过多" in replies[5] and "2019-01-10 11:00" in replies[5]
    assert "错误次数过多" in replies[6]
    assert "绑定成功" in replies[7]


async def test_a_code_for_a_person_bound_to_another_account_is_refused(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 1002, "person": "倪玉民"}},
        {"as": ADMIN, "text": "/invite 倪玉民"},
    ], plans=PLAN, name="invite")
    code = code_in(out)
    out = await converse(settings, [{"clock": "2019-01-10T09:05"}, {"as": 1009, "text": f"/start {code}"}], name="b")
    assert "已绑定其他账号" in texts(out, 1009)[0]
    assert (await person(settings, "倪玉民")).telegram_id == 1002


async def test_bad_invitations_are_explained_and_non_admins_cannot_invite(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
        {"as": 2001, "text": "/invite 倪玉民"},
        {"as": ADMIN, "text": "/invite 倪玉明"},
        {"as": ADMIN, "text": "/invite 市水力局 王五"},
        {"as": ADMIN, "text": "/invite"},
        {"as": ADMIN, "text": "/invite 倪玉民 200天"},
        {"as": ADMIN, "text": "/invite 倪玉民", "chat": -100123},
    ], plans=PLAN, name="bad")
    assert "私聊" in texts(out, -100123)[0]
    assert "仅限整改办管理员" in texts(out, 2001)[0]
    admin = texts(out, ADMIN)
    assert "没有名为“倪玉明”" in admin[0] and "倪玉民" in admin[0]
    assert "没有找到单位“市水力局”" in admin[1] and "市水利局" in admin[1]
    assert "用法" in admin[2]
    assert "1 至 90 天" in admin[3]
    assert await count(settings, Invitation) == 0


async def test_self_service_binding_is_approved_by_an_admin_with_one_button(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"bind": {"user": 7, "role": "admin", "name": "赵办"}},
        {"as": 7, "text": "/start"},
        {"as": 3001, "text": "我是商丘市水利局的王五"},
        {"as": ADMIN, "press": "批准"},
        {"as": 7, "press": "批准"},
        {"as": 3001, "text": "/start"},
    ], plans=PLAN, name="self")
    user = texts(out, 3001)
    assert "已收到绑定申请：市水利局 王五" in user[0]
    request = next(o for o in out if o.get("chat") == ADMIN and "绑定申请" in o.get("text", ""))
    assert request["buttons"] == ["✅ 批准", "❌ 拒绝"] and "王五" in request["text"]
    assert answers(out) == [("已批准", False), ("该申请已处理过，本次未作改动。", True)]
    assert any(o.get("edited") and "已批准" in o["text"] for o in out if o.get("chat") == ADMIN)
    assert "整改办已批准" in user[1] and "王五（市水利局）" in user[2]
    member = await person(settings, "王五")
    assert member.telegram_id == 3001 and member.roles == ["member"]


async def test_approving_an_old_request_never_takes_a_binding_from_another_account(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": 3001, "text": "我是商丘市水利局的王五"},
        {"bind": {"user": 3002, "unit": "市水利局", "name": "王五"}},  # meanwhile bound by invitation
        {"as": ADMIN, "press": "批准"},
        {"as": 3002, "text": "/start"},
    ], plans=PLAN, name="taken")
    assert answers(out) == [("此人已由另一账号绑定，未作改动。如需换绑，请先 /unbind 再批准。", True)]
    assert (await person(settings, "王五")).telegram_id == 3002
    assert "王五（市水利局）" in texts(out, 3002)[-1]


async def test_introductions_with_a_section_or_a_short_unit_name(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": 3001, "text": "本人系市生态环境局办公室李娜"},
        {"as": 3002, "text": "我叫张伟，在应急局上班"},
        {"as": 3003, "text": "您好，我是市水利局局长王刚"},
        {"as": 1002, "text": "我是倪玉民副市长"},  # posts before or after the name are not part of it
        {"as": 3004, "text": "我是市水利局的周九，想绑定账号"},  # nor is the request to be bound
        {"as": 3005, "text": "你好，我是市城管局的王芳，申请绑定一下"},
    ], plans=PLAN, name="self")
    assert "已收到绑定申请：市水利局 周九。" in texts(out, 3004)[0]
    assert "已收到绑定申请：市城管局 王芳。" in texts(out, 3005)[0]
    assert "已收到绑定申请：市生态环境局 李娜" in texts(out, 3001)[0]
    assert "已收到绑定申请：市应急管理局 张伟" in texts(out, 3002)[0]
    assert "已收到绑定申请：市水利局 王刚" in texts(out, 3003)[0]
    assert "倪玉民（方案中的人员）" in next(t for t in texts(out, ADMIN) if "倪玉民副市长" in t)


async def test_a_leader_named_in_the_plan_is_matched_and_a_rejection_binds_nobody(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": 1002, "text": "我是倪玉民"},
        {"as": ADMIN, "press": "拒绝"},
        {"as": 1005, "text": "我是火星局张三"},
    ], plans=PLAN, name="self")
    request = next(o for o in out if o.get("chat") == ADMIN and "绑定申请" in o.get("text", ""))
    assert "倪玉民（方案中的人员）" in request["text"]
    assert "未获批准" in texts(out, 1002)[1]
    assert "未能在整改方案中找到" in texts(out, 1005)[0]
    assert (await person(settings, "倪玉民")).telegram_id is None


async def test_forged_and_misaddressed_callbacks_change_nothing(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": 3001, "text": "我是市水利局王五"},
    ], plans=PLAN, name="self")
    own_message = next(o["id"] for o in out if o.get("chat") == 3001)
    admin_message = next(o["id"] for o in out if o.get("chat") == ADMIN and o["buttons"])
    genuine = callback_tokens.sign(settings.audit_key, "br", 1, "y", to=callback_tokens.ANY_ADMIN)
    forged = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    tampered = genuine.replace(":y:", ":n:", 1)
    events_before = await count(settings, AuditEvent)
    out = await converse(settings, [
        {"clock": "2019-01-10T09:01"},
        {"as": 3001, "callback": genuine, "on": own_message},
        {"as": 3001, "callback": forged, "on": own_message},
        {"as": ADMIN, "callback": forged, "on": admin_message},
        {"as": ADMIN, "callback": tampered, "on": admin_message},
        {"as": ADMIN, "callback": "br:1:y:A", "on": admin_message},
        {"as": ADMIN, "callback": "br:" + "9" * 80, "on": admin_message},
    ], name="forged")
    assert answers(out) == [
        ("该按钮不是发给您的，未作任何改动。", True),
        ("该按钮无效或已过期，未作任何改动。", True),
        ("该按钮无效或已过期，未作任何改动。", True),
        ("该按钮无效或已过期，未作任何改动。", True),
        ("该按钮无效或已过期，未作任何改动。", True),
        ("该按钮无效或已过期，未作任何改动。", True),
    ]
    assert [o for o in out if "text" in o] == []
    assert await count(settings, AuditEvent) == events_before
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            states = list((await session.execute(select(BindRequest.state))).scalars())
            bound = (await session.execute(select(Person).where(Person.telegram_id == 3001))).scalar_one_or_none()
    finally:
        await engine.dispose()
    assert states == ["pending"] and bound is None


async def test_a_revoked_admin_cannot_approve(settings: Settings) -> None:
    await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 7, "role": "admin", "name": "赵办"}},
        {"as": 7, "text": "/start"},
        {"as": 3001, "text": "我是市水利局王五"},
        {"as": ADMIN, "text": "/role 赵办 -admin"},
    ], plans=PLAN, name="self")
    out = await converse(settings, [{"clock": "2019-01-10T09:01"}, {"as": 7, "press": "批准"}], name="late")
    assert answers(out) == [("该按钮不是发给您的，未作任何改动。", True)]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            assert list((await session.execute(select(BindRequest.state))).scalars()) == ["pending"]
    finally:
        await engine.dispose()


async def test_rectibot_invite_prints_the_code_and_the_deep_link(
    settings: Settings, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await converse(settings, [{"clock": "2019-01-10T09:00"}], plans=PLAN, name="import")
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def run(argv: list[str]) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    status, stdout, _ = await asyncio.to_thread(run, ["invite", "--unit", "市水利局", "--name", "李明", "--role", "member", "--days", "30", "--json"])
    assert status == 0
    result = json.loads(stdout)
    assert result["link"] == f"https://t.me/rectibot_local_bot?start={result['code']}"
    assert (result["name"], result["unit"], result["role"]) == ("李明", "市水利局", "member")
    status, stdout, _ = await asyncio.to_thread(run, ["invite", "倪玉民"])
    assert status == 0 and "code: " in stdout and "https://t.me/rectibot_local_bot?start=" in stdout
    status, stdout, stderr = await asyncio.to_thread(run, ["invite", "倪玉明"])
    assert status == 2 and stdout == "" and "no_person" in stderr
    assert normalize_code(result["code"]) == result["code"]
    out = await converse(settings, [{"clock": "2019-01-12T09:00"}, {"as": 2001, "text": f"/start {result['code']}"}], name="b")
    assert "绑定成功" in texts(out, 2001)[0]


def test_callback_data_fits_telegram_and_survives_no_tampering(settings: Settings) -> None:
    data = callback_tokens.sign(settings.audit_key, "br", 123456789, "y", to=9_999_999_999)
    assert len(data.encode()) <= 64
    token = callback_tokens.verify(settings.audit_key, data)
    assert token.args == ("123456789", "y") and token.addressed_to(9_999_999_999, is_admin=False)
    assert not token.addressed_to(1, is_admin=True)
    with pytest.raises(callback_tokens.BadToken):
        callback_tokens.verify(b"another-key-0123456789", data)
    with pytest.raises(ValueError):
        callback_tokens.sign(settings.audit_key, "br", "x" * 60, to=1)



async def test_refusals_come_in_the_users_language(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": 4001, "text": "/start not-a-code-" + "x" * 300, "lang": "en"},
        {"as": 4001, "text": "I am 市水利局 Li Ming", "lang": "en"},
        {"as": 4002, "text": "/invite 倪玉民", "lang": "en"},
    ], plans=PLAN, name="english")
    assert texts(out, 4001)[0].startswith("That code is not right")
    assert texts(out, 4001)[1].startswith("Binding request received: 市水利局")
    assert texts(out, 4002)[0] == "This command is for the rectification office's admins only."


def test_reports_that_start_with_wo_shi_are_not_introductions() -> None:
    from bot.bind_requests import intro_body

    assert intro_body("我是市水利局李明") == "市水利局李明"
    assert intro_body("I am 市水利局 Li Ming") == "市水利局 Li Ming"
    assert intro_body("我是市水利局的，界碑已完成80%") is None
    assert intro_body("我是说水源地整治正在推进") is None
    assert intro_body("市水利局李明") is None
    assert intro_body("我是" + "很长" * 30) is None

    # greetings before, duties after: still an introduction; progress after: a report
    assert intro_body("你好，我是市水利局的王强，负责整改联络") == "市水利局的王强"
    assert intro_body("您好！我是市城管局张三") == "市城管局张三"
    assert intro_body("我是市水利局的王强，界碑已经立好了") is None
    assert intro_body("我是市场监管局登记科的刘洋") == "市场监管局登记科的刘洋"


async def test_a_request_approved_after_the_user_bound_by_code_moves_nothing(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": 3001, "text": "我是市水利局王五"},
        {"as": ADMIN, "text": "/invite 市公安局 王五"},
    ], plans=PLAN, name="self")
    code = code_in(out)
    out = await converse(settings, [
        {"clock": "2019-01-10T09:05"},
        {"as": 3001, "text": f"/start {code}"},
        {"as": ADMIN, "press": "批准"},
    ], name="late")
    assert "王五（市公安局）" in texts(out, 3001)[0]
    assert answers(out) == [("该申请已处理过，本次未作改动。", True)]
    engine = create_engine(settings.database_url)
    try:
        async with transaction(session_factory(engine)) as session:
            bound = (await session.execute(select(Person).where(Person.telegram_id == 3001))).scalar_one()
            states = list((await session.execute(select(BindRequest.state))).scalars())
    finally:
        await engine.dispose()
    assert bound.unit_id is not None and states == ["superseded"]


def test_names_lose_padding_but_latin_words_keep_one_space() -> None:
    assert normalize_name("  张　 三 ") == "张三"
    assert normalize_name("市 应急  管理局") == "市应急管理局"
    assert normalize_name("John   Smith") == "John Smith"
    assert normalize_name("Li Ming 李明") == "Li Ming李明"


async def test_an_invitation_for_a_unit_without_a_name_or_for_nobody_says_what_to_write(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"as": ADMIN, "text": "/start"},
        {"as": ADMIN, "text": "/invite 市水利局"},
        {"as": ADMIN, "text": "/invite 火星探测局 钱七"},
        {"as": ADMIN, "text": "/invite 钱七"},
        {"as": ADMIN, "text": "/person retire 钱七"},
    ], plans=PLAN, name="invite")
    admin = texts(out, ADMIN)[1:]
    assert admin[0] == "“市水利局”是单位名称。请写上联络员姓名，如：/invite 市水利局 李明。"
    assert all("相近的有" not in t and "—" not in t for t in admin), admin
    assert "没有找到单位“火星探测局”" in admin[1] and "方案中没有名为“钱七”的人员" in admin[2]
    assert "没有找到人员“钱七”" in admin[3]


async def test_an_invitation_asked_for_in_words_is_issued_like_invite(settings: Settings) -> None:
    out = await converse(settings, [
        {"clock": "2019-01-10T09:00"},
        {"bind": {"user": 2001, "unit": "市水利局", "name": "李明"}},
        {"as": ADMIN, "text": "/start"},
        {"as": ADMIN, "text": "给市城管局的孙八发个邀请码"},
        {"as": ADMIN, "text": "帮我生成倪玉民的邀请码"},
        {"as": 2001, "text": "给市水利局的王五发个邀请码"},
        {"as": ADMIN, "text": "邀请市水利局的王强"},
        {"as": ADMIN, "text": "给市生态环境局张伟发个邀请"},
        {"as": 2001, "text": "邀请专家现场评审"},
    ], plans=PLAN, name="words")
    admin = texts(out, ADMIN)[1:]
    assert "人员：孙八（市城管局）" in admin[0] and "邀请码：" in admin[0]
    assert "人员：倪玉民" in admin[1]
    assert "人员：王强（市水利局）" in admin[2] and "人员：张伟（市生态环境局）" in admin[3]
    assert "邀请码由整改办发放" not in texts(out, 2001)[-1]  # a report of inviting experts is no invitation
    assert texts(out, 2001)[-2] == "邀请码由整改办发放，请联系本级整改办。"


def test_every_new_code_can_be_pasted_into_a_message() -> None:
    from bot.invitations import code_in, new_code

    assert all(code_in(f"我的邀请码是 {c}") == c for c in (new_code() for _ in range(3000)))
