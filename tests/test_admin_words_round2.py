"""The office's work with people and 销号, round 2: roles replaced in words, the role named on an
approved binding, 销号 filed for a unit by an office without one, invitations asked again and
taken back, a liaison's work handed to a successor, and "我是什么权限"."""

from __future__ import annotations

import re

import pytest

from bot import callback_tokens
from bot.config import Settings
from bot.people_admin import RosterAsk, roster_request
from storage.invitations import BindRequest
from storage.models import AuditEvent, Invitation, Person, SignOff, Task, TaskUnit
from tests.scenario import converse, texts
from tests.test_reporting import LI, PLAN, START, rows, unit_id

ADMIN = 1
LEADER = 1002
ADMIN_START = {"as": ADMIN, "text": "/start"}
NI = {"bind": {"user": LEADER, "person": "倪玉民", "role": "leader"}}
WANG = {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}}
LINK = re.compile(r"https://t\.me/rectibot_local_bot\?start=([A-Z0-9]+)")


async def _person(settings: Settings, name: str) -> Person:
    (found,) = await rows(settings, Person, Person.name == name)
    return found


async def _actions(settings: Settings) -> list[str]:
    return [e.action for e in await rows(settings, AuditEvent)]


async def test_a_role_replaced_in_words_says_old_and_new_and_waits_for_the_press(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, WANG, NI, ADMIN_START,
        {"as": LEADER, "text": "把王强改为管理员"},
        {"as": ADMIN, "text": "王强的权限改成观察员"},
        {"as": 2002, "text": "/mine"},
        {"as": ADMIN, "press": "确认"},
        {"as": ADMIN, "text": "把王强改为观察员"},
        {"as": ADMIN, "text": "把王强改为领导"},
        {"as": ADMIN, "press": "取消"},
    ], plans=[PLAN], name="role-set")
    assert "没有这项权限，未作任何改动" in texts(out, LEADER)[0]
    admin = texts(out, ADMIN)[1:]
    assert "由“单位联络员”改为“观察员”" in admin[0] and "原有角色同时取消" in admin[0]
    card = next(o for o in out if o["chat"] == ADMIN and "改为“观察员”" in (o.get("text") or ""))
    assert card["buttons"] == ["确认", "取消"]
    assert "尚未绑定" not in texts(out, 2002)[0]  # the words alone changed nothing
    assert any("已将王强的角色由“单位联络员”改为“观察员”" in t for t in admin)
    assert any("王强的角色没有变化（观察员）" in t for t in admin)
    assert any("由“观察员”改为“责任领导”" in t for t in admin)
    assert any("已取消，未作任何改动" in t for t in admin)

    assert (await _person(settings, "王强")).roles == ["observer"]
    actions = await _actions(settings)
    assert actions.count("role.set") == 1


async def test_an_approved_binding_names_the_role_granted(settings: Settings) -> None:
    out = await converse(settings, [
        START, ADMIN_START,
        {"as": 3001, "text": "我是市水利局的赵刚"},
        {"as": ADMIN, "press": "批准"},
        {"as": ADMIN, "text": "/invite 市城管局 孙八 observer"},
        {"as": 3002, "text": "我是市城管局孙八"},
        {"as": ADMIN, "press": "批准"},
    ], plans=[PLAN], name="bind-role")
    decided = [o["text"] for o in out if o["chat"] == ADMIN and o.get("edited")]
    assert "赵刚，角色：单位联络员" in decided[0] and "孙八，角色：观察员" in decided[1]
    assert "角色：单位联络员" in texts(out, 3001)[-1] and "报送进展" in texts(out, 3001)[-1]
    told = texts(out, 3002)[-1]
    assert "角色：观察员" in told and "报送" not in told  # an observer is not told to report


async def test_an_office_without_a_unit_files_signoff_for_the_unit(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, NI, ADMIN_START,
        {"as": ADMIN, "text": "1-17销号"},
        {"as": ADMIN, "press": "市应急管理局"},
        {"as": ADMIN, "text": "1-17 市生态环境局 销号，材料已齐"},
        {"as": ADMIN, "press": "代为申请销号"},
        {"as": ADMIN, "text": "1-17 应急局 销号"},
        {"as": ADMIN, "text": "1-17 市水利局 销号"},
        {"as": LEADER, "text": "1-17销号"},
    ], plans=[PLAN], name="signoff-behalf")
    admin = texts(out, ADMIN)[1:]
    which = next(o for o in out if o["chat"] == ADMIN and "请选择代哪个单位" in (o.get("text") or ""))
    assert "市应急管理局" in which["buttons"] and "市生态环境局" in which["buttons"] and which["buttons"][-1] == "取消"
    assert "/onbehalf" not in "".join(admin)
    confirm = next(o for o in out if o["chat"] == ADMIN and "是否代市生态环境局申请" in (o.get("text") or ""))
    assert "小结：材料已齐" in confirm["text"] and confirm["buttons"] == ["代为申请销号", "取消"]
    cards = [t for t in admin if t.startswith("销号申请：") and "由整改办" in t and "代单位申请" in t]
    assert len(cards) == 2
    assert any("已代市生态环境局提交" in t for t in admin)
    assert any("请确认同意销号" in t and "市应急管理局" in t for t in admin)  # the one waiting, shown to decide
    assert "没有列市水利局" in admin[-1]
    assert "不能提交销号申请" in texts(out, LEADER)[0]

    filed = await rows(settings, SignOff)
    assert sorted(s.unit_id for s in filed) == sorted([await unit_id(settings, "市应急管理局"), await unit_id(settings, "市生态环境局")])
    assert all(s.state == "pending" for s in filed)
    ecology = await unit_id(settings, "市生态环境局")
    assert [s.summary for s in filed if s.unit_id == ecology] == ["材料已齐"]
    actions = await _actions(settings)
    assert actions.count("signoff.behalf") == 2 and actions.count("signoff.request") == 2


async def test_the_office_offer_changes_nothing_until_pressed(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, ADMIN_START,
        {"as": ADMIN, "text": "1-17 市生态环境局 销号，材料已齐"},
        {"as": ADMIN, "text": "1-17销号"},
        {"as": ADMIN, "press": "取消"},
        {"as": 2001, "text": "/start"},
    ], plans=[PLAN], name="signoff-behalf-cancel")
    seen = next(o["id"] for o in out if o["chat"] == 2001)
    ecology = await unit_id(settings, "市生态环境局")
    task = (await rows(settings, Task, Task.ref == "1-17"))[0].id
    theirs = callback_tokens.sign(settings.audit_key, "sb", task, ecology, to=ADMIN)
    pressed = await converse(settings, [
        {"as": 2001, "callback": theirs, "on": seen},
        {"as": 2001, "callback": f"sb:{task}:{ecology}:2001:AAAAAAAAAAAA", "on": seen},
    ], name="signoff-behalf-forged")
    answers = [o for o in pressed if "callback_answer" in o]
    assert len(answers) == 2 and all(a["alert"] for a in answers)
    assert await rows(settings, SignOff) == []
    assert "signoff.behalf" not in await _actions(settings)


async def test_a_refiled_signoff_shows_the_office_its_last_return_reason(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, ADMIN_START,
        {"as": 2001, "text": "1-17 已整改完成，申请销号"},
        {"as": ADMIN, "text": "1-17退回，缺少验收报告"},
        {"as": ADMIN, "press": "确认退回"},
        {"as": 2001, "text": "1-17 已补充验收报告，申请销号"},
    ], plans=[PLAN], name="signoff-refiled")
    cards = [t for t in texts(out, ADMIN) if t.startswith("销号申请：")]
    assert "上次退回理由" not in cards[0]
    assert "重新申请。上次退回理由：缺少验收报告" in cards[1]


async def test_an_invitation_asked_again_and_taken_back(settings: Settings) -> None:
    out = await converse(settings, [
        START, NI, ADMIN_START,
        {"as": ADMIN, "text": "给市水利局再发一个邀请"},
        {"as": ADMIN, "text": "/invite 市水利局 赵刚"},
        {"as": ADMIN, "text": "给市水利局再发一个邀请"},
        {"as": LEADER, "text": "撤回给赵刚的邀请"},
        {"as": ADMIN, "text": "撤回给赵刚的邀请"},
        {"as": ADMIN, "text": "撤回给赵刚的邀请"},
    ], plans=[PLAN], name="invite-again")
    admin = texts(out, ADMIN)[1:]
    assert "请写上联络员姓名" in admin[0]
    assert "人员：赵刚（市水利局）" in admin[2]  # "again" means the one invited before, not a person called 再
    assert "邀请码由整改办发放" in texts(out, LEADER)[0]
    assert "已作废给市水利局赵刚的未使用邀请码 2 个" in admin[3]
    assert "没有未使用的邀请码，未作改动" in admin[4]
    invitations = await rows(settings, Invitation)
    assert [i.name for i in invitations] == ["赵刚", "赵刚"]
    assert (await _actions(settings)).count("invite.revoke") == 2

    code = LINK.search(admin[2])
    assert code is not None
    later = await converse(settings, [{"as": 3001, "text": f"/start {code.group(1)}"}], name="invite-again-2")
    assert "已过期" in texts(later, 3001)[0]
    assert await rows(settings, Person, Person.name == "赵刚") == []


async def test_a_liaisons_work_handed_to_a_successor(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, NI, ADMIN_START,
        {"as": LEADER, "text": "李明调走了，他的任务交给张华"},
        {"as": ADMIN, "text": "倪玉民调走了，他的任务交给张华"},
        {"as": ADMIN, "text": "李明调走了，他的任务交给张华"},
        {"as": ADMIN, "press": "确认"},
    ], plans=[PLAN], name="handover")
    assert "没有这项权限" in texts(out, LEADER)[0]
    admin = texts(out, ADMIN)[1:]
    assert "不能在此移交" in admin[0]
    assert "李明（市生态环境局）调离" in admin[1] and "由张华报送" in admin[1]
    done = next(o for o in out if o["chat"] == ADMIN and o.get("edited"))
    assert "李明的账号已解绑" in done["text"] and done["buttons"] == ["绑定为 张华"]
    code = LINK.search(done["text"])
    assert code is not None

    later = await converse(settings, [
        {"as": 2001, "text": "/mine"},
        {"as": 2009, "text": f"/start {code.group(1)}"},
    ], name="handover-2")
    assert "尚未绑定" in texts(later, 2001)[0]
    assert "张华（市生态环境局）" in texts(later, 2009)[0]
    zhang = await _person(settings, "张华")
    assert zhang.telegram_id == 2009 and zhang.unit_id == await unit_id(settings, "市生态环境局")
    assert (await _person(settings, "李明")).telegram_id is None


async def test_asking_ones_own_role_is_answered_not_taken_as_an_introduction(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, NI,
        {"as": 2001, "text": "我是什么权限"},
        {"as": LEADER, "text": "我有哪些权限？"},
        {"as": 3001, "text": "我是什么权限"},
    ], plans=[PLAN], name="own-role")
    member = texts(out, 2001)[0]
    assert "李明（市生态环境局），角色：单位联络员" in member and "申请销号" in member
    assert "角色：责任领导" in texts(out, LEADER)[0]
    assert "尚未绑定" in texts(out, 3001)[0]
    assert await rows(settings, BindRequest) == []


@pytest.mark.parametrize(("said", "means"), [
    ("王强的权限改成观察员", RosterAsk("set", who="王强", role="observer")),
    ("把王强改为领导", RosterAsk("set", who="王强", role="leader")),
    ("把市水利局的王强的角色调整为单位联络员", RosterAsk("set", who="市水利局/王强", role="member")),
    ("把王强改为市应急管理局", RosterAsk("move", who="王强", unit="市应急管理局")),
    ("李明调走了，他的任务交给张华", RosterAsk("handover", who="李明", to="张华")),
    ("把李明的工作移交给张华", RosterAsk("handover", who="李明", to="张华")),
    ("李明离职了，由张华接替", RosterAsk("handover", who="李明", to="张华")),
    ("李明调走了，解除绑定", RosterAsk("unbind", who="李明")),
    ("王强的手机号换了，重新绑定", RosterAsk("rebind", who="王强")),
    ("市水利局的王强换手机了，要重新发个邀请码", RosterAsk("rebind", who="市水利局/王强")),
    ("王强现在是什么角色？", RosterAsk("check", who="王强")),
    ("市水利局的王强有哪些权限", RosterAsk("check", who="市水利局/王强")),
    ("市水利局新增联络员赵六", RosterAsk("add", who="赵六", unit="市水利局")),
    ("停用李明", RosterAsk("retire", who="李明")),
    ("我的权限改成管理员", None),
    ("李明调走了，他的任务交给谁", None),
])
def test_round2_roster_requests_read_from_the_offices_words(said: str, means: RosterAsk | None) -> None:
    assert roster_request(said) == means


async def test_a_signoff_approved_twice_in_words_says_it_is_done(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, ADMIN_START,
        {"as": 2001, "text": "1-17 已整改完成，申请销号"},
        {"as": ADMIN, "text": "1-17同意销号"},
        {"as": ADMIN, "press": "同意销号"},
        {"as": ADMIN, "text": "1-17同意销号"},
        {"as": ADMIN, "text": "1-17退回，台账不全"},
    ], plans=[PLAN], name="signoff-twice")
    admin = texts(out, ADMIN)
    assert "市生态环境局已销号" in admin[-2] and "未作处理" in admin[-2] and "/reopen 1-17" in admin[-2]
    assert "市生态环境局已销号" in admin[-1]
    (signoff,) = await rows(settings, SignOff)
    assert signoff.state == "approved"
    actions = await _actions(settings)
    assert actions.count("signoff.approve") == 1 and "signoff.return" not in actions


async def test_an_invitation_for_a_bound_person_warns_the_code_waits_for_an_unbind(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, ADMIN_START,
        {"as": ADMIN, "text": "给市生态环境局的李明再发一个邀请码"},
        {"as": ADMIN, "text": "/invite 市水利局 赵刚"},
    ], plans=[PLAN], name="invite-bound")
    admin = texts(out, ADMIN)[1:]
    assert "人员：李明（市生态环境局）" in admin[0] and "李明目前已绑定账号" in admin[0] and "解绑李明" in admin[0]
    assert "已绑定账号" not in admin[1]


async def test_a_new_phone_is_a_rebind_behind_the_press(settings: Settings) -> None:
    out = await converse(settings, [
        START, WANG, NI, ADMIN_START,
        {"as": ADMIN, "text": "王强是什么权限"},
        {"as": 2002, "text": "我的权限能改成管理员吗"},
        {"as": LEADER, "text": "王强的手机号换了，重新绑定"},
        {"as": ADMIN, "text": "王强的手机号换了，重新绑定"},
        {"as": 2002, "text": "/mine"},
        {"as": ADMIN, "press": "确认"},
    ], plans=[PLAN], name="rebind")
    admin = texts(out, ADMIN)[1:]
    assert "王强（市水利局）" in admin[0] and "单位联络员" in admin[0] and "已绑定" in admin[0]
    asked = texts(out, 2002)[0]
    assert "角色：单位联络员" in asked and "请联系整改办" in asked
    assert "没有这项权限" in texts(out, LEADER)[0]
    assert "解除#" in admin[1] and "王强（市水利局）当前账号的绑定" in admin[1]
    assert "尚未绑定" not in texts(out, 2002)[1]  # nothing changed before the press
    done = next(o for o in out if o["chat"] == ADMIN and o.get("edited"))
    assert "已解除王强原账号的绑定" in done["text"] and done["buttons"] == ["绑定为 王强"]
    code = LINK.search(done["text"])
    assert code is not None

    later = await converse(settings, [{"as": 2012, "text": f"/start {code.group(1)}"}], name="rebind-2")
    assert "王强（市水利局）" in texts(later, 2012)[0]
    wang = await _person(settings, "王强")
    assert wang.telegram_id == 2012 and wang.roles == ["member"]
    assert await rows(settings, BindRequest) == []


async def test_sign_off_in_the_offices_imperative(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI, NI, ADMIN_START,
        {"as": 2001, "text": "1-17 已整改完成，申请销号"},
        {"as": LEADER, "text": "把1-17销号"},
        {"as": ADMIN, "text": "将1-17销号"},
    ], plans=[PLAN], name="signoff-imperative")
    assert "不能提交销号申请" in texts(out, LEADER)[0]
    card = next(o for o in out if o["chat"] == ADMIN and "请确认同意销号" in (o.get("text") or ""))
    assert "市生态环境局" in card["text"] and card["buttons"] == ["同意销号", "退回"]
    (signoff,) = await rows(settings, SignOff)
    assert signoff.state == "pending"


async def test_an_admin_of_a_unit_files_for_the_unit_the_words_name(settings: Settings) -> None:
    out = await converse(settings, [
        START, ADMIN_START,
        {"bind": {"user": 2003, "unit": "市水利局", "name": "赵六"}},
        {"as": ADMIN, "text": "/role 赵六 +admin"},
        {"as": 2003, "text": "1-17 市应急管理局 销号，材料已齐"},
        {"as": 2003, "text": "1-17销号，材料已齐"},
    ], plans=[PLAN], name="signoff-admin-of-unit")
    said = texts(out, 2003)
    assert "是否代市应急管理局申请" in said[0]
    assert "请选择代哪个单位申请销号" in said[1]  # 1-17 does not name 市水利局
    assert await rows(settings, SignOff) == []
    water = await unit_id(settings, "市水利局")
    task = (await rows(settings, Task, Task.ref == "1-17"))[0].id
    assert await rows(settings, TaskUnit, TaskUnit.task_id == task, TaskUnit.unit_id == water) == []


async def test_a_liaison_added_in_words_is_on_the_roster_with_an_invitation(settings: Settings) -> None:
    out = await converse(settings, [
        START, WANG, ADMIN_START,
        {"as": 2002, "text": "在市水利局加一个联络员钱七"},
        {"as": ADMIN, "text": "在市水利局加一个联络员王强"},
        {"as": ADMIN, "text": "在市水利局加一个联络员赵六"},
        {"as": ADMIN, "press": "确认"},
        {"as": ADMIN, "text": "停用王强"},
    ], plans=[PLAN], name="add-in-words")
    assert "没有这项权限" in texts(out, 2002)[0]
    admin = texts(out, ADMIN)[1:]
    assert "市水利局已有人员“王强”" in admin[0]
    assert "在市水利局新增联络员赵六" in admin[1]
    done = next(o for o in out if o["chat"] == ADMIN and o.get("edited"))
    assert "已在市水利局新增联络员赵六" in done["text"] and done["buttons"] == ["绑定为 赵六"]
    assert "王强（市水利局）已离任" in admin[-1]
    assert await rows(settings, Person, Person.name == "钱七") == []
    (zhao,) = await rows(settings, Person, Person.name == "赵六")
    assert zhao.unit_id == await unit_id(settings, "市水利局") and zhao.roles == ["member"] and zhao.telegram_id is None
    (invitation,) = await rows(settings, Invitation)
    assert invitation.person_id == zhao.id

    code = LINK.search(done["text"])
    assert code is not None
    later = await converse(settings, [{"as": 3006, "text": f"/start {code.group(1)}"}], name="add-in-words-2")
    assert "赵六（市水利局）" in texts(later, 3006)[0]
