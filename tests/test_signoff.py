"""Sign-off (销号) per unit, as conversations: request → approve / return with a reason; rebound watch."""

from __future__ import annotations

from bot.config import Settings
from storage.models import AuditEvent, Evidence, Report, SignOff, TaskUnit
from tests.scenario import converse, texts
from tests.test_evidence import image
from tests.test_reporting import LI, PLAN, START, rows, task_id, unit_id

ADMIN_START = {"as": 1, "text": "/start"}
ASK = {"as": 2001, "text": "销号 1-17 尾矿库排查整治全部完成，验收材料已上传"}


async def share(settings: Settings, ref: str, unit: str) -> TaskUnit:
    found = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, ref),
                       TaskUnit.unit_id == await unit_id(settings, unit))
    return found[0]


async def test_signoff_approved_closes_the_units_share_and_watches_rebound(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, ASK, {"as": 1, "press": "同意销号"},
         {"clock": "2019-01-31T10:05"}, {"as": 2001, "press": "确认无反弹"}],
        plans=[PLAN],
    )
    member, admin = texts(out, 2001), texts(out, 1)
    assert "已提交" in member[0] and "1-17" in member[0]
    request = next(o for o in out if o["chat"] == 1 and o.get("buttons"))
    assert request["buttons"] == ["同意销号", "退回"] and "市生态环境局" in request["text"] and "验收材料" in request["text"]
    assert any("已同意" in t for t in admin)
    assert any("已通过" in t for t in member)
    assert any("严防反弹" in t for t in member)
    assert "无反弹" in member[-1]
    mine = await share(settings, "1-17", "市生态环境局")
    assert mine.signoff_state == "approved" and mine.signed_off_at is not None
    other = await share(settings, "1-17", "市应急管理局")
    assert other.signoff_state == "none"
    actions = [e.action for e in await rows(settings, AuditEvent)]
    assert "signoff.approve" in actions and "signoff.no_rebound" in actions and "task.close" not in actions


async def test_signoff_asked_for_in_a_sentence_is_a_request_not_a_report(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, {"as": 2001, "text": "1-17尾矿库排查已整改完成，现申请销号"},
         {"as": 2001, "text": "下周准备申请销号"}],
        plans=[PLAN],
    )
    member = texts(out, 2001)
    assert "已提交" in member[0] and "1-17" in member[0]
    request = next(o for o in out if o["chat"] == 1 and o.get("buttons"))
    assert request["buttons"] == ["同意销号", "退回"] and "尾矿库排查已整改完成" in request["text"]
    assert len(await rows(settings, SignOff)) == 1
    assert "已提交" not in member[-1]  # an intention is not a request
    # The request said the work is done: that is the unit's report too, once.
    assert "单位进展：已完成 · 100%；报送 1 次" in request["text"]
    (report,) = await rows(settings, Report)
    assert report.status_word == "已完成" and report.source == "signoff"
    assert (await share(settings, "1-17", "市生态环境局")).status == "已完成"


async def test_a_pending_sign_off_shows_on_the_tasks_card(settings: Settings) -> None:
    out = await converse(settings, [START, LI, ADMIN_START, ASK, {"as": 1, "text": "/task 1-17"}], plans=[PLAN])
    card = texts(out, 1)[-1]
    assert "市生态环境局：" in card and "销号审核中" in card


async def test_a_bare_request_right_after_the_report_takes_the_report_as_its_summary(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, {"as": 2001, "text": "1-17尾矿库已全部整改完毕，风险评估报告已备案"},
         {"as": 2001, "text": "1-17申请销号"}],
        plans=[PLAN],
    )
    assert "已提交" in texts(out, 2001)[-1]
    assert "请补发整改前后照片" in texts(out, 2001)[-1]  # no evidence yet: asked for it
    card = next(t for t in texts(out, 1) if "销号申请" in t)
    assert "单位进展：已完成 · 100%；报送 1 次；佐证材料 0 份" in card and "尚无佐证材料" in card
    (signoff,) = await rows(settings, SignOff)
    assert signoff.summary == "1-17尾矿库已全部整改完毕，风险评估报告已备案"


async def test_photo_after_the_request_goes_to_the_signoff_and_reaches_the_admin(settings: Settings) -> None:
    photo = image(settings.data_dir.parent, "acceptance.png", (30, 160, 60))
    out = await converse(
        settings,
        [START, LI, ADMIN_START, ASK, {"clock": "2019-01-24T09:33"}, {"as": 2001, "photo": photo},
         {"as": 1, "text": "/evidence 1-17"}, {"as": 1, "press": "同意销号"}],
        plans=[PLAN],
    )
    member, admin = texts(out, 2001), [t for t in texts(out, 1) if t]
    assert "已附到销号申请" in member[1] and "1-17" in member[1] and "1 份" in member[1]
    assert any("1 份" in t and "/evidence 1-17" in t for t in admin)
    assert [o for o in out if o["chat"] == 1 and o.get("photo")]
    assert any("已同意" in t for t in admin) and any("已通过" in t for t in member)
    evidence = await rows(settings, Evidence)
    assert len(evidence) == 1 and evidence[0].report_id is None
    assert evidence[0].task_id == await task_id(settings, "1-17")
    assert (await share(settings, "1-17", "市生态环境局")).signoff_state == "approved"


async def test_photo_captioned_with_signoff_makes_and_fills_the_request(settings: Settings) -> None:
    photo = image(settings.data_dir.parent, "site.png", (200, 100, 0))
    out = await converse(
        settings,
        [START, LI, ADMIN_START, {"as": 2001, "photo": photo, "caption": "销号 1-17 尾矿库排查整治全部完成"},
         {"clock": "2019-01-24T10:30"}, {"as": 2001, "photo": photo, "caption": "销号 1-17"}],
        plans=[PLAN],
    )
    member = texts(out, 2001)
    assert "已提交" in member[0] and "已附到销号申请" in member[1]
    assert "未重复保存" in member[2]
    signoffs = await rows(settings, SignOff)
    assert len(signoffs) == 1 and signoffs[0].summary == "尾矿库排查整治全部完成"
    assert len(await rows(settings, Evidence)) == 1


async def test_signoff_returned_with_a_reason(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, ASK, {"as": 1, "press": "退回"}, {"as": 1, "text": "缺少验收报告，请补充后再申请"}],
        plans=[PLAN],
    )
    member, admin = texts(out, 2001), texts(out, 1)
    assert any("退回理由" in t for t in admin)
    assert "被退回" in member[-1] and "缺少验收报告" in member[-1]
    assert any("已退回" in t for t in admin)
    signoff = (await rows(settings, SignOff))[0]
    assert signoff.state == "returned" and signoff.reason == "缺少验收报告，请补充后再申请"
    assert (await share(settings, "1-17", "市生态环境局")).signoff_state == "returned"


async def test_a_returned_sign_off_puts_the_share_back_under_reminders(settings: Settings) -> None:
    # Reported done and asked for 销号: no pushes while the office checks; returned: they resume.
    out = await converse(
        settings,
        [START, LI, ADMIN_START, {"as": 2001, "text": "1-17尾矿库排查整治已全部完成"}, ASK,
         {"clock": "2019-01-28T10:00"},
         {"as": 1, "press": "退回"}, {"as": 1, "text": "缺少验收报告，请补充后再申请"},
         {"clock": "2019-01-30T10:00"}],
        plans=[PLAN],
    )
    pushes = [o for o in out if o["chat"] == 2001 and "【整改提醒】" in (o.get("text") or "")]
    assert [str(p["at"])[:10] for p in pushes if "1-17" in p["text"]] == ["2019-01-30"]


async def test_only_admins_decide_and_bad_requests_change_nothing(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START,
         {"as": 2001, "text": "销号"},
         {"as": 2001, "text": "销号 1-17"},
         {"as": 2001, "text": "/signoff 9-99 全部完成"},
         {"as": 2001, "text": "销号 2-8 扬尘治理完成"},
         ASK, ASK,
         {"as": 2001, "callback": "sa:1", "on": 1}],
        plans=[PLAN],
    )
    member = texts(out, 2001)
    assert "任务编号" in member[0]
    assert "小结" in member[1]
    assert "没有编号为 9-99" in member[2]
    assert "不在本单位" in member[3]
    assert "已提交" in member[4] and "正在审核" in member[5]
    assert out[-1]["alert"]
    signoffs = await rows(settings, SignOff)
    assert len(signoffs) == 1 and signoffs[0].state == "pending"


async def test_admin_closes_a_task_for_every_unit(settings: Settings) -> None:
    out = await converse(settings, [START, LI, ADMIN_START, ASK, {"as": 1, "text": "/closetask 1-17"}], plans=[PLAN])
    assert "全部" in texts(out, 1)[-1]
    assert "销号申请已通过" in texts(out, 2001)[-1]  # the unit that had asked hears it is settled
    engine_rows = await rows(settings, TaskUnit, TaskUnit.task_id == await task_id(settings, "1-17"))
    assert engine_rows and all(r.signoff_state == "approved" for r in engine_rows)
    assert "task.close" in [e.action for e in await rows(settings, AuditEvent)]


def test_split_request_reads_ref_and_summary() -> None:
    from bot.signoff import split_request

    assert split_request("销号 1-17 全部完成") == ("1-17", "全部完成")
    assert split_request("/signoff@rectibot 2:1-10 整改到位") == ("2:1-10", "整改到位")
    assert split_request("销号：尾矿库排查整治全部完成") == (None, "尾矿库排查整治全部完成")
    assert split_request("/signoff") == (None, "")
    assert split_request("申请1-17销号，尾矿库排查已全部完成") == ("1-17", "尾矿库排查已全部完成")
    assert split_request("1-17已整改完成，申请销号") == ("1-17", "已整改完成")
    assert split_request("请求对2:1-10予以销号，水源地整治到位") == ("2:1-10", "水源地整治到位")
    from bot.signoff import asks_for_signoff

    assert asks_for_signoff("1-17已整改完成，申请销号") and asks_for_signoff("销号 1-17 全部完成")
    assert not asks_for_signoff("1-17已申请销号，等待审核") and not asks_for_signoff("怎么申请销号？")
    assert asks_for_signoff("1-16危废这项已全部整改完毕，危废台账已建立，请求验收销号")
    assert asks_for_signoff("验收意见和长效管理办法已上传，请整改办重新审核销号")


async def test_a_rebound_is_refused_until_the_office_reopens_the_share(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, ASK, {"as": 1, "press": "同意销号"},
         {"clock": "2019-02-20T10:00"},
         {"as": 2001, "text": "1-17尾矿库又出现渗漏，正在处置，完成30%"},  # closed: not recorded
         {"as": 2002, "text": "/reopen 1-17 市生态环境局 问题反弹"},  # not an admin
         {"as": 1, "text": "/reopen 1-99"},
         {"as": 1, "text": "/reopen 1-17 市生态环境局 尾矿库渗漏反弹"},
         {"as": 1, "text": "/reopen 1-17"},  # nothing left to reopen
         {"as": 2001, "text": "1-17尾矿库渗漏处置完成30%"}],
        plans=[PLAN],
    )
    member, admin = texts(out, 2001), texts(out, 1)
    refused = next(t for t in member if "本单位已销号" in t)
    assert "未作记录" in refused and "重新打开" in refused
    assert "只有整改办管理员可以重新打开" in texts(out, 2002)[-1]
    assert "没有编号为 1-99 的任务" in admin[-3]
    assert "已重新打开 市生态环境局 在 1-17" in admin[-2] and "尾矿库渗漏反弹" in admin[-2]
    assert "没有已销号的单位" in admin[-1]
    assert any("贵单位（市生态环境局）的销号已由整改办重新打开（尾矿库渗漏反弹）" in t for t in member)
    assert member[-1].startswith("已记录") and "30%" in member[-1]
    mine = await share(settings, "1-17", "市生态环境局")
    assert mine.signoff_state == "reopened" and mine.signed_off_at is None and mine.percent == 30
    assert "signoff.reopen" in [e.action for e in await rows(settings, AuditEvent)]


async def test_what_waits_for_a_decision_is_listed_for_the_office(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, ASK,
         {"as": 2001, "text": "1-10申请延期至6月30日，原因是资金未到位"},
         {"as": 3001, "text": "我是商丘市水利局的王五"},
         {"as": 1, "text": "待审核"},
         {"as": 1, "press": "同意销号"},
         {"as": 1, "text": "/pending"},
         {"as": 2001, "text": "/pending"}],
        plans=[PLAN],
    )
    admin = [t for t in texts(out, 1) if "待审核事项" in t]
    assert "销号申请 1 项" in admin[0] and "1-17 市生态环境局" in admin[0]
    assert "延期申请 1 项" in admin[0] and "资金未到位" in admin[0] and "绑定申请 1 项" in admin[0] and "王五" in admin[0]
    assert "销号申请" not in admin[1] and "延期申请 1 项" in admin[1]
    assert "仅限整改办和责任领导" in texts(out, 2001)[-1]


async def test_the_pending_list_is_asked_in_english_too_and_only_the_office_is_told_to_decide(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, ASK,
         {"bind": {"user": 1002, "person": "倪玉民", "role": "leader"}},
         {"as": 1, "text": "What is pending?"},
         {"as": 1002, "text": "/pending"}],
        plans=[PLAN],
    )
    (admin,) = [t for t in texts(out, 1) if "待审核事项" in t]
    assert "1-17 市生态环境局" in admin and "请在当时收到的审批消息中点按钮处理" in admin
    leader = texts(out, 1002)[-1]
    assert "待审核事项" in leader and "1-17 市生态环境局" in leader
    assert "点按钮" not in leader  # a leader reads the list; the office decides


async def test_cancel_lets_go_of_a_return_reason_the_bot_waits_for(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, ASK, {"as": 1, "press": "退回"},
         {"as": 1, "text": "/cancel"},
         {"as": 1, "text": "/cancel"},
         {"as": 1, "text": "理由不充分"}],  # not a return reason any more
        plans=[PLAN],
    )
    admin = texts(out, 1)
    assert "已取消当前操作" in admin[-3] and "当前没有进行中的操作" in admin[-2]
    assert "已退回" not in admin[-1]
    assert [s.state for s in await rows(settings, SignOff)] == ["pending"]


async def test_materials_still_being_gathered_make_a_report_not_a_request(settings: Settings) -> None:
    out = await converse(
        settings,
        [START, LI, ADMIN_START, {"as": 2001, "text": "1-17尾矿库排查已全部完成，正在整理材料申请销号"},
         {"as": 2001, "text": "1-12 黑臭水体整治完成，正在准备佐证材料，下周申请销号"}],
        plans=[PLAN],
    )
    member = texts(out, 2001)
    assert all(t.startswith("已记录") for t in member[-2:])
    assert await rows(settings, SignOff) == []
    first, second = await rows(settings, Report)
    assert (first.status_word, first.percent) == ("已完成", 100) and second.status_word in ("已完成", "基本完成")
