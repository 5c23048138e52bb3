"""The 整改办 at work in its own words: roster changes and 销号 decisions are read from plain
text, but nothing changes until the admin presses the confirmation button."""

from __future__ import annotations

import re

import pytest

from bot import callback_tokens
from bot.config import Settings
from bot.people_admin import RosterAsk, roster_request
from bot.signoff import decision_in_words
from storage.models import AuditEvent, Invitation, Person, SignOff
from tests.scenario import converse, texts
from tests.test_evidence import image
from tests.test_reporting import LI, PLAN, START, rows

ADMIN = 1
ADMIN_START = {"as": ADMIN, "text": "/start"}
LINK = re.compile(r"https://t\.me/rectibot_local_bot\?start=([A-Z0-9]+)")


async def _person(settings: Settings, name: str, telegram_id: int | None = None) -> Person:
    found = await rows(settings, Person, Person.name == name)
    if telegram_id is not None:
        found = [p for p in found if p.telegram_id == telegram_id]
    assert len(found) == 1, found
    return found[0]


async def test_roster_changes_in_words_wait_for_the_button(settings: Settings) -> None:
    out = await converse(settings, [
        START, LI,
        {"bind": {"user": 2005, "unit": "市公安局", "name": "李明"}},
        {"bind": {"user": 2002, "unit": "市水利局", "name": "王强"}},
        ADMIN_START,
        {"as": 2002, "text": "解绑李明"},
        {"as": ADMIN, "text": "解绑李明"},
        {"as": ADMIN, "text": "把张三解绑"},
        {"as": ADMIN, "text": "把市生态环境局的李明解绑"},
        {"as": 2001, "text": "/mine"},
        {"as": ADMIN, "press": "确认"},
        {"as": 2001, "text": "/mine"},
        {"as": ADMIN, "text": "王强调走了，解除绑定"},
        {"as": ADMIN, "press": "取消"},
        {"as": ADMIN, "text": "王强改到市生态环境局"},
        {"as": ADMIN, "press": "确认"},
        {"as": ADMIN, "text": "给王强加上领导权限"},
        {"as": ADMIN, "press": "确认"},
        {"as": ADMIN, "text": "看看市生态环境局有哪些人"},
        {"as": ADMIN, "text": "撤销王强的管理员权限"},
        {"as": ADMIN, "text": "倪玉民绑定了吗"},
    ], plans=[PLAN], name="roster-words")
    assert "由整改办办理" in texts(out, 2002)[0]
    admin = texts(out, ADMIN)[1:]
    assert "有多位“李明”" in admin[0] and "市公安局" in admin[0] and "写明单位" in admin[0]
    assert "没有找到人员“张三”" in admin[1]
    card = next(o for o in out if o["chat"] == ADMIN and "解除" in (o.get("text") or "") and o.get("buttons"))
    assert "李明（市生态环境局）" in card["text"] and card["buttons"] == ["确认", "取消"]
    member = texts(out, 2001)
    assert "尚未绑定" not in member[0]  # the words alone changed nothing
    assert "尚未绑定" in member[1]
    assert any("已解绑李明的账号" in t for t in admin)
    assert any("已取消，未作任何改动" in t for t in admin)
    assert any("从“市水利局”调整到“市生态环境局”" in t for t in admin)
    assert any("已授予王强“责任领导”角色" in t for t in admin)
    assert "王强（市生态环境局）" in admin[-3]
    assert "王强没有“整改办管理员”角色" in admin[-2]
    assert "倪玉民" in admin[-1] and "未绑定" in admin[-1]

    wang = await _person(settings, "王强")
    assert wang.telegram_id == 2002 and "leader" in wang.roles  # still bound: that unbind was cancelled
    assert (await _person(settings, "李明", 2005)).telegram_id == 2005
    actions = [e.action for e in await rows(settings, AuditEvent)]
    assert actions.count("unbind") == 1 and "person.move" in actions and "role.grant" in actions

    # A confirmation button is the admin's own: forged or passed on, it changes nothing.
    theirs = callback_tokens.sign(settings.audit_key, "pa", "unbind", wang.id, "-", to=ADMIN)
    pressed = await converse(settings, [
        {"as": 2002, "callback": "pa:unbind:1:-:2002:AAAAAAAAAAAA", "on": 1},
        {"as": 2002, "callback": theirs, "on": 1},
    ], name="roster-words-forged")
    answers = [o for o in pressed if "callback_answer" in o]
    assert len(answers) == 2 and all(a["alert"] for a in answers)
    assert (await _person(settings, "王强")).telegram_id == 2002


async def test_signoff_decided_in_words_is_confirmed_on_a_card(settings: Settings) -> None:
    photo = image(settings.data_dir.parent, "report.png", (30, 160, 60))
    out = await converse(settings, [
        START, LI, ADMIN_START,
        {"as": ADMIN, "text": "1-17同意销号"},
        {"as": 2001, "text": "销号 1-17 尾矿库排查整治全部完成"},
        {"as": 2001, "text": "1-17同意销号"},
        {"as": ADMIN, "text": "1-17应急局退回，材料不全"},
        {"as": ADMIN, "text": "1-17退回，材料不全，请补充验收报告"},
        {"as": ADMIN, "press": "暂不退回"},
        {"as": ADMIN, "text": "1-17退回，材料不全，请补充验收报告"},
        {"as": ADMIN, "press": "确认退回"},
        {"as": 2001, "text": "/signoff 1-17 已补充验收报告"},
        {"as": 2001, "photo": photo, "caption": "1-17验收报告"},
        {"as": ADMIN, "text": "请对1-17予以销号"},
        {"as": ADMIN, "text": "同意1-17销号"},
        {"as": ADMIN, "press": "同意销号"},
    ], plans=[PLAN], name="signoff-words")
    admin = texts(out, ADMIN)
    assert "没有待审核的销号申请" in admin[1]
    assert "市应急管理局没有待审核的销号申请" in admin[3]  # the unit named, not the one waiting
    member = texts(out, 2001)
    assert "只有整改办管理员可以审核销号" in member[1]
    cards = [o for o in out if o["chat"] == ADMIN and o.get("buttons") == ["确认退回", "暂不退回"]]
    assert len(cards) == 2 and "退回理由：材料不全，请补充验收报告" in cards[0]["text"]
    assert any("申请仍待审核" in t for t in admin)
    assert any("被退回" in t and "请补充验收报告" in t for t in member)
    approvals = [o for o in out if o["chat"] == ADMIN and "请确认同意销号" in (o.get("text") or "")]
    assert len(approvals) == 2  # "请对1-17予以销号" from the office means the request waiting there
    approve = approvals[-1]
    assert approve["buttons"] == ["同意销号", "退回"] and "佐证材料 1 份" in approve["text"]
    assert any("已通过" in t for t in member)

    first, second = await rows(settings, SignOff)
    assert first.state == "returned" and first.reason == "材料不全，请补充验收报告"
    assert second.state == "approved"
    actions = [e.action for e in await rows(settings, AuditEvent)]
    assert actions.count("signoff.return") == 1 and actions.count("signoff.approve") == 1


async def test_self_introduction_meets_the_pending_invitation(settings: Settings) -> None:
    out = await converse(settings, [
        START, ADMIN_START,
        {"as": ADMIN, "text": "/invite 市水利局 赵六 leader"},
        {"as": 3001, "text": "我是市水利局的赵六"},
        {"as": ADMIN, "press": "批准"},
    ], plans=[PLAN], name="intro-invited")
    code = LINK.search(texts(out, ADMIN)[1])
    assert code is not None
    card = next(o for o in out if o["chat"] == ADMIN and "绑定申请" in (o.get("text") or ""))
    assert "已为此人发出邀请码" in card["text"] and "责任领导" in card["text"]
    zhao = await _person(settings, "赵六")
    assert zhao.telegram_id == 3001 and zhao.roles == ["leader"]
    (invitation,) = await rows(settings, Invitation)
    assert invitation.used_by == 3001

    later = await converse(settings, [{"as": 3002, "text": f"/start {code.group(1)}"}], name="intro-invited-2")
    assert "已使用过" in texts(later, 3002)[0]


@pytest.mark.parametrize(("said", "means"), [
    ("解绑李明", RosterAsk("unbind", who="李明")),
    ("把李明解绑", RosterAsk("unbind", who="李明")),
    ("李明调走了，解除绑定", RosterAsk("unbind", who="李明")),
    ("王强的账号解绑一下", RosterAsk("unbind", who="王强")),
    ("解除市水利局的李明的绑定", RosterAsk("unbind", who="市水利局/李明")),
    ("把王强从市水利局调到市应急管理局", RosterAsk("move", who="王强", unit="市应急管理局")),
    ("给王强加上领导权限", RosterAsk("grant", who="王强", role="leader")),
    ("取消王强的管理员权限", RosterAsk("revoke", who="王强", role="admin")),
    ("王强退休了", RosterAsk("retire", who="王强")),
    ("把倪玉民的领导权限取消", RosterAsk("revoke", who="倪玉民", role="leader")),
    ("王强的单位改成市应急管理局", RosterAsk("move", who="王强", unit="市应急管理局")),
    ("倪玉民绑定了吗", RosterAsk("check", who="倪玉民")),
    ("看看市水利局有哪些人", RosterAsk("list", unit="市水利局")),
    ("谁还没绑定", None),  # answered by the questions area
    ("我的账号怎么解绑", None),
    ("1-10改到下月完成", None),
    ("水源地改到市生态环境局牵头", None),
    ("1-17已完成", None),
])
def test_roster_requests_read_from_the_offices_words(said: str, means: RosterAsk | None) -> None:
    assert roster_request(said) == means


@pytest.mark.parametrize(("said", "means"), [
    ("1-18同意销号", ("1-18", True, "", "")),
    ("1-18销号通过", ("1-18", True, "", "")),
    ("1-18 退回 材料不全", ("1-18", False, "材料不全", "")),
    ("退回1-18的销号申请：缺少台账", ("1-18", False, "缺少台账", "")),
    ("1-18不予销号，整改未到位", ("1-18", False, "整改未到位", "")),
    ("1-17应急局的销号退回，台账不全", ("1-17", False, "台账不全", "应急局")),
    ("1-18同意", None),  # may as well be an extension
    ("1-18可以销号了吗", None),
    ("1-18已完成", None),
])
def test_signoff_decisions_read_from_the_offices_words(said: str, means: tuple[str, bool, str, str] | None) -> None:
    assert decision_in_words(said) == means
