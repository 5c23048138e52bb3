"""Plans of kinds the earlier rounds did not cover (round 13): a workbook whose only ledger
sheet is hidden; measures numbered 1-1, 1-2 (or (1), (2) under 一) on rows of their own under
one problem, the problem cell merged down, copied down or left blank; groups of tasks written
as numbered rows of the table (一 | 党的建设方面); a Word table whose 序号 and measures are
numbered by Word's 编号 button; a table continued after a page break; a 通知 with its task
table in the 附件; 责任人 written as 职务：姓名. The documents are data in
``data/import_round13``, built by its ``make.py``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.deadlines import parse_deadline
from bot.i18n import t
from bot.importer import parse_bytes
from bot.importer.cleaning import fold
from bot.importer.names import person_names
from tests.scenario import converse
from tests.test_import_chat import START, preview, put
from tests.test_import_round11 import check

DATA = Path(__file__).parent / "data" / "import_round13"

# one task per problem, its rows its numbered measures, each row's deadline that measure's
SUB_NUMBERED: dict[str, Any] = {
    "title": "某市生态环境问题整改台账",
    "refs": ["1", "2", "3"],
    "tasks": {
        "1": {
            "problem": "城区建筑工地扬尘管控不到位。",
            "measures": ["开展建筑工地扬尘专项整治。", "加强渣土运输车辆管理。", "推行道路机械化清扫。"],
            "units": ["市住建局", "市城管局"],
            "persons": ["陈涛", "林静"],
            "dues": [("2024-06-30", "开展建筑工地扬尘专项整治"), ("2024-09-30", "加强渣土运输车辆管理")],
            "ongoing": True,
        },
        "2": {"problem": "饮用水水源地保护区内存在违法建筑。", "persons": ["黄河"], "dues": [("2024-12-31", "")]},
        "3": {"measures": ["开展乡镇污水处理设施运行评估。", "落实第三方运维。"], "units": ["市住建局", "各县(市、区)人民政府"]},
    },
}

# rows numbered 1, 2 under one problem are tasks of their own, each with the problem and
# named by its measure
NUMBERED_ROWS: dict[str, Any] = {
    "refs": ["1", "2", "3"],
    "tasks": {
        "1": {"title": "开展建筑工地扬尘专项整治", "problem": "城区建筑工地扬尘管控不到位。", "units": ["市住建局"]},
        "2": {"title": "加强渣土运输车辆管理", "problem": "城区建筑工地扬尘管控不到位。", "units": ["市城管局"],
              "dues": [("2024-09-30", "")]},
        "3": {"title": "饮用水水源地保护区内存在违法建筑"},
    },
}

PLANS: dict[str, dict[str, Any]] = {
    # the ledger on a hidden sheet under a 填报说明 sheet on show: read, and said so
    "hidden-ledger-sheet.xlsx": {
        "title": "某县巡察反馈问题整改台账",
        "refs": ["1", "2"],
        "tasks": {"1": {"units": ["县农业农村局"], "status": "正在推进"}, "2": {"immediate": True}},
    },
    "sub-numbered-merged.xlsx": SUB_NUMBERED,
    "sub-numbered-copied.xlsx": SUB_NUMBERED,
    "sub-numbered-blank.xlsx": SUB_NUMBERED,
    # 一 over its measures (1) (2); 三 with its measures ①② in one cell
    "outline-numbered-rows.xlsx": {
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"problem": "农村人居环境整治不到位", "measures": ["开展村庄清洁行动。", "推进农村改厕。"],
                  "dues": [("2024-06-30", "开展村庄清洁行动"), ("2024-12-31", "推进农村改厕")]},
            "2": {"problem": "农村生活污水乱排乱放。", "measures": ["建设农村污水处理设施。"], "units": ["县住建局"]},
            "3": {"measures": ["开展养殖场粪污治理；", "关停禁养区养殖场。"], "immediate": True},
        },
    },
    "problem-and-task-numbers.xlsx": {
        "refs": ["1", "2"],
        "tasks": {"1": {"problem": "部分企业环评手续不全。", "measures": ["开展环评手续专项清理。", "对未批先建企业依法查处。"],
                        "dues": [("2024-06-30", "开展环评手续专项清理"), ("2024-09-30", "对未批先建企业依法查处")]},
                  "2": {"measures": ["开展危险废物专项检查。"], "ongoing": True}},
    },
    "empty-number-column.xlsx": {
        "refs": ["1", "2", "3"],
        "tasks": {"1": {"problem": "会议室使用管理不规范。", "dues": [("2024-06-30", "")]},
                  "2": {"problem": "公文处理不及时。", "measures": ["建立公文督办机制。"]}, "3": {"units": ["档案室"]}},
    },
    # title, a 说明 row, then the header; 责任人 with posts and phones, 职务：姓名
    "header-under-notes.xlsx": {
        "title": "某区2024年审计查出问题整改台账",
        "year": 2024,
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"persons": ["周平"], "dues": [("2024-09-30", "")]},
            "2": {"persons": ["吴敏"], "dues": [("2024-12-31", "")], "ongoing": True},
            "3": {"persons": ["郑强"], "dues": [], "ongoing": True, "deadline": "每季度末"},
        },
    },
    "numbered-rows-one-problem.xlsx": NUMBERED_ROWS,
    # ---- Word
    "numbered-rows-one-problem.docx": NUMBERED_ROWS,
    "group-rows-numbered.docx": {
        "refs": ["1.1", "1.2", "2.1"],
        "tasks": {
            "1.1": {"category": "党的建设方面", "units": ["县委组织部"], "dues": [("2024-06-30", "")]},
            "2.1": {"category": "作风建设方面", "units": ["县委办公室", "县政府办公室"], "immediate": True},
        },
    },
    "auto-numbered-cells.docx": {
        "refs": ["1", "2", "3"],
        "tasks": {
            "1": {"problem": "财务报销审核不严。", "measures": ["修订财务报销制度；", "开展报销凭证专项检查。"], "units": ["区财政局"]},
            "2": {"measures": ["建立公车使用登记制度；", "安装车辆定位系统。"], "dues": [("2024-09-30", "")]},
            "3": {"units": ["区委组织部"], "immediate": True},
        },
    },
    "table-after-page-break.docx": {
        "refs": ["1", "2", "3", "4"],
        "tasks": {"3": {"units": ["县自然资源局"], "dues": [("2024-12-31", "")], "ongoing": True}, "4": {"ongoing": True, "dues": []}},
    },
    "notice-annex-sub-numbered.docx": {
        "title": "某市环境保护督察反馈问题整改方案",
        "year": 2024,
        "refs": ["1", "2"],
        "tasks": {
            "1": {"measures": ["开展散煤清零行动。", "开展重型柴油车专项执法。"], "leaders": ["王立"],
                  "lead_units": ["市发展改革委", "市公安局"],
                  "units": ["各县(市、区)人民政府", "市直有关部门", "市生态环境局", "市交通运输局"],
                  "dues": [("2024-10-31", "开展散煤清零行动")], "ongoing": True},
            "2": {"leaders": ["赵红"], "units": ["各县(市、区)人民政府", "市水利局", "市城管局"],
                  "dues": [("2020-06-30", "完成"), ("2021-12-31", "巩固提升")]},
        },
    },
    "plan-with-annex-table.docx": {
        "title": "某县关于落实市委巡察反馈意见的整改方案",
        "year": 2024,
        "refs": ["1", "2"],
        "tasks": {
            "1": {"measures": ["健全学习制度；", "开展专题研讨。"], "leaders": ["王明"], "persons": ["李华"],
                  "dues": [("2024-12-31", "")], "ongoing": True},
            "2": {"leaders": ["赵丽"], "persons": ["孙强"], "immediate": True},
        },
    },
    # ---- PDF
    "table-over-two-pages.pdf": {
        "refs": ["1", "2", "3", "4"],
        "tasks": {
            "1": {"measures": ["落实保洁责任", "开展公厕保洁考核"], "units": ["区环卫所", "区城管局"],
                  "dues": [("2024-12-31", "落实保洁责任")], "ongoing": True},
            "2": {"units": ["各街道"], "ongoing": True},
            "3": {"immediate": True},
            "4": {"measures": ["设置冲洗设施", "加强渣土车执法检查"],
                  "dues": [("2024-09-30", "设置冲洗设施"), ("2024-10-31", "加强渣土车执法检查")]},
        },
    },
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_plans(name: str) -> None:
    check(parse_bytes((DATA / name).read_bytes(), name), PLANS[name])


def test_every_document_in_the_data_is_checked() -> None:
    assert {p.name for p in DATA.iterdir() if p.name != "make.py"} == set(PLANS)


def test_the_signature_above_the_date_before_the_annex_is_the_issuer() -> None:
    plan = parse_bytes((DATA / "plan-with-annex-table.docx").read_bytes(), "plan.docx")
    assert plan.issuer == "中共某县委员会"
    notice = parse_bytes((DATA / "notice-annex-sub-numbered.docx").read_bytes(), "notice.docx")
    assert notice.issuer == "某市人民政府办公室"


def test_a_hidden_ledger_sheet_is_read_when_no_sheet_on_show_has_tasks() -> None:
    plan = parse_bytes((DATA / "hidden-ledger-sheet.xlsx").read_bytes(), "ledger.xlsx")
    assert [(n.kind, n.ref) for n in plan.warnings] == [("hidden_sheet_read", "整改台账")]
    zh = t("zh_CN", "imports.note.hidden_sheet_read", ref="整改台账", text="整改台账", read_as="")
    en = t("en", "imports.note.hidden_sheet_read", ref="整改台账", text="整改台账", read_as="")
    assert "整改台账" in zh and "隐藏" in zh and "取消" in zh and "hidden" in en and "Cancel" in en


def test_the_three_layouts_of_one_problems_rows_read_alike() -> None:
    plans = [parse_bytes((DATA / name).read_bytes(), "l.xlsx").to_json(changes=None)
             for name in ("sub-numbered-merged.xlsx", "sub-numbered-copied.xlsx", "sub-numbered-blank.xlsx")]
    assert plans[0]["tasks"] == plans[1]["tasks"] == plans[2]["tasks"]


def test_a_post_or_a_label_before_a_colon_names_nobody() -> None:
    assert person_names(fold("县委副书记：王明")) == ["王明"]
    assert person_names(fold("办公室主任：李华，电话：13800138000")) == ["李华"]
    assert person_names(fold("科长：宋涛  手机：15012345678")) == ["宋涛"]
    assert person_names(fold("联系人：刘青，0391-8888888")) == ["刘青"]
    assert person_names(fold("县委副书记：王明；副县长：赵六")) == ["王明", "赵六"]


async def test_the_admin_sends_a_workbook_whose_ledger_sheet_is_hidden(settings: Settings) -> None:
    name = put(settings, "台账.xlsx", (DATA / "hidden-ledger-sheet.xlsx").read_bytes())
    output = await converse(settings, [START, {"as": 1, "document": name}])
    text = preview(output)["text"]
    assert "某县巡察反馈问题整改台账" in text and "共识别任务 2 项" in text
    assert "工作表“整改台账”为隐藏状态" in text and "取自该表" in text
    assert "村级财务管理不规范" in text


async def test_the_admin_sends_a_ledger_of_numbered_measure_rows(settings: Settings) -> None:
    name = put(settings, "台账.xlsx", (DATA / "sub-numbered-blank.xlsx").read_bytes())
    output = await converse(settings, [START, {"as": 1, "document": name}])
    text = preview(output)["text"]
    assert "共识别任务 3 项、整改措施 6 条" in text
    assert "1　城区建筑工地扬尘管控不到位" in text and "1-2" not in text


def test_a_date_kept_up_afterwards_is_a_milestone_of_an_ongoing_task() -> None:
    for text in ("2024年底前完成并长效常治", "2024年底前完成，常抓不懈"):
        d = parse_deadline(text, 2024, stated_alone=True)
        assert d.ongoing and [(m.due, m.text) for m in d.milestones] == [(date(2024, 12, 31), "完成")], text
    assert parse_deadline("2019年底前并长期坚持", 2019).ongoing
    assert [m.due for m in parse_deadline("2020年6月底前完成，2021年底前巩固提升", 2020).milestones] == [
        date(2020, 6, 30), date(2021, 12, 31)]
