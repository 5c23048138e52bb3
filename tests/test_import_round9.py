"""Plans of kinds the earlier rounds did not cover: printed 巡视 plans whose task paragraphs wrap
anywhere, 审计 and 信访 ledgers with their own column names, one Word form per 审计 finding,
安全生产 and 巡察 plans signed by a 党组, and deadlines written relative to another year."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from bot.deadlines import parse_deadline
from bot.importer import parse_bytes
from bot.plandata import ParsedPlan
from tests.test_import_inspection import xlsx_of


def plan_of(text: str, name: str = "plan.txt") -> ParsedPlan:
    return parse_bytes(text.encode("utf-8"), name)




def dues(plan: ParsedPlan) -> list[list[tuple[date | None, str]]]:
    return [[(m.due, m.text) for m in t.deadline.milestones] for t in plan.tasks]


XUNSHI_TASKS = [
    "(一)贯彻落实党中央决策部署方面",
    "1.落实生态文明建设要求有差距。整改措施:一是制定年度工作要点;二是开展专项督查;三是建立考核通报制度。"
    "责任领导:市委常委、常务副市长 陈志强;牵头单位:市发展改革委;责任单位:市生态环境局 市自然资源局 市林业局;"
    "完成时限:2024年6月底前完成督查,12月底前建立制度。",
    "2.防范化解重大风险不够有力。整改措施:(1)开展隐性债务摸底;(2)制定化债方案。责任领导:副市长 孙明;"
    "牵头单位:市财政局;责任单位:市金融办;完成时限:2024年10月至12月。",
    "(二)全面从严治党方面",
    "3.基层党组织建设薄弱。整改措施:1.开展软弱涣散党组织整顿;2.选派第一书记。责任领导:市委常委、组织部部长 何丽;"
    "牵头单位:市委组织部;责任单位:各县(市、区)委;完成时限:即日起至2024年12月31日。",
    "4.违反中央八项规定精神问题仍有发生。整改措施:持续开展“四风”问题专项整治。责任领导:市纪委书记 马林;"
    "牵头单位:市纪委监委;责任单位:市直各单位;完成时限:长期坚持,每半年通报一次。",
]


def xunshi_plan(width: int | None) -> str:
    lines = ["关于省委第二轮巡视反馈意见整改落实方案", "中共某市委", "2024年2月20日", "一、总体要求", "坚持问题导向,确保整改到位。", "二、整改任务及措施"]
    for paragraph in XUNSHI_TASKS:
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)] if width else [paragraph]
    return "\n".join([*lines, "三、组织保障", "(一)加强组织领导。"])


def test_a_printed_inspection_plan_whose_task_paragraphs_wrap_anywhere() -> None:
    """Each task one paragraph with its fields run on, printed so that a field may open in the
    middle of a line ("定化债方案。责任领导:…"): the tasks are the paragraphs, as unwrapped."""
    whole = plan_of(xunshi_plan(None))
    printed = plan_of(xunshi_plan(36))
    assert [t.ref for t in printed.tasks] == ["1", "2", "3", "4"]
    for got, want in zip(printed.tasks, whole.tasks, strict=True):
        assert got.to_json() == want.to_json()
    second = printed.tasks[1]
    assert (second.title, [m.text for m in second.measures]) == ("防范化解重大风险不够有力", ["开展隐性债务摸底;", "制定化债方案。"])
    assert (second.leaders, second.lead_units, second.units) == (["孙明"], ["市财政局"], ["市金融办"])
    assert printed.tasks[0].units == ["市生态环境局", "市自然资源局", "市林业局"]
    assert [t.category for t in printed.tasks] == ["贯彻落实党中央决策部署方面"] * 2 + ["全面从严治党方面"] * 2
    assert dues(printed)[0] == [(date(2024, 6, 30), "完成督查"), (date(2024, 12, 31), "建立制度")]
    assert printed.tasks[3].deadline.ongoing


def test_the_printed_inspection_plan_as_a_pdf() -> None:
    from tests.test_import_robustness import printed

    lines = xunshi_plan(36).splitlines()
    pdf = printed([lines[:20], lines[20:]], footer="— {n} —")
    got = parse_bytes(pdf, "plan.pdf")
    assert [(t.ref, t.title, len(t.measures), t.leaders) for t in got.tasks] == [
        (t.ref, t.title, len(t.measures), t.leaders) for t in plan_of(xunshi_plan(None)).tasks
    ]


AUDIT_PLAN = """某市审计整改工作方案
(2024年5月)

一、整改任务
第1项 部分专项资金闲置,未及时发挥效益。
整改措施:
(1)全面清理结转结余资金;
(2)对闲置两年以上资金按规定收回财政统筹。
牵头单位:市财政局
责任单位:市发展改革委,市住建局
完成时限:2025年上半年
第2项 国有资产底数不清,账实不符。
整改措施:
(1)开展资产清查;
(2)完善资产管理信息系统。
牵头单位:市机关事务管理局
责任单位:市财政局/市国资委
完成时限:12月底前
"""


def test_a_plan_dated_by_its_month_under_the_title() -> None:
    """(2024年5月) under the title is the plan's date without a day: its year dates the
    deadlines that name none, whatever year the other deadlines name most."""
    plan = plan_of(AUDIT_PLAN)
    assert plan.year == 2024
    assert dues(plan) == [[(date(2025, 6, 30), "")], [(date(2024, 12, 31), "")]]
    assert plan.tasks[1].units == ["市财政局", "市国资委"]


def test_a_ledger_dated_by_when_it_was_filled_in() -> None:
    """填报时间 in the rows above a ledger's header dates it, as 印发日期 dates a plan."""
    data = xlsx_of([
        ["某市生态环境保护督察反馈问题整改台账"],
        ["填报单位:市整改办", None, None, None, "填报时间:2024年7月5日"],
        ["序号", "反馈问题", "整改措施", "责任单位", "整改时限"],
        [1, "黑臭水体返黑返臭。", "实施截污纳管工程。", "市住建局", "2025年6月底前"],
        [2, "污水处理厂超标排放。", "提标改造。", "市生态环境局", "2025年12月底前"],
        [3, "秸秆露天焚烧时有发生。", "落实网格化监管。", "市农业农村局", "9月底前"],
    ])
    plan = parse_bytes(data, "ledger.xlsx")
    assert plan.year == 2024
    assert plan.tasks[2].deadline.milestones[0].due == date(2024, 9, 30)


SAFETY_PLAN = """县自然资源局党组关于巡察反馈意见的整改方案

一、整改任务
问题1:项目资金管理不规范。
整改措施:1.全面清理项目资金;2.健全资金管理制度。
责任领导:局党组成员、副局长 孙丽
责任单位:项目股 审计室 财务股
责任人:财务股股长 周敏
整改时限:2024.12.31
问题2:校舍安全隐患排查不彻底。
整改措施:对全县中小学校舍开展全面排查。
责任领导:副局长 赵刚
责任单位:执法监察大队
整改时限:2024年暑假前
中共某县自然资源局党组
2024年5月20日
"""


def test_units_separated_by_spaces_that_open_like_no_place() -> None:
    """A space between two whole units separates them though neither opens with 市/县
    (项目股 审计室); a line break there may be wrapping and still does not."""
    task = plan_of(SAFETY_PLAN).tasks[0]
    assert task.units == ["项目股", "审计室", "财务股"]
    assert (task.leaders, task.persons) == (["孙丽"], ["周敏"])


def test_the_signature_of_a_party_group_closes_the_last_task() -> None:
    """A plan that ends with its last task, then the 党组 that signs it and the date: the
    signature is the issuer, not part of the last deadline."""
    plan = plan_of(SAFETY_PLAN)
    assert plan.tasks[-1].deadline.text == "2024年暑假前"
    assert plan.issuer == "中共某县自然资源局党组"


def test_a_unit_wrapped_above_the_signing_date_is_not_a_signature() -> None:
    text = SAFETY_PLAN.replace("责任单位:执法监察大队", "责任单位:执法监察大队、\n县应急管理局").replace(
        "整改时限:2024年暑假前\n中共某县自然资源局党组\n", ""
    )
    text = text.replace("整改措施:对全县", "整改时限:2024年8月底前\n整改措施:对全县")
    assert plan_of(text).tasks[-1].units == ["执法监察大队", "县应急管理局"]


def test_deadlines_in_the_year_after_another() -> None:
    """次年 and 翌年 are the year after the date before them, or after the plan's year; the
    flag written after the work (完成并长期坚持) is not what is due."""
    staged = parse_deadline("2025年9月底前完成排查,次年3月底前完成整改", 2024)
    assert [(m.due, m.text) for m in staged.milestones] == [(date(2025, 9, 30), "完成排查"), (date(2026, 3, 31), "完成整改")]
    assert [m.due for m in parse_deadline("次年6月底前", 2024).milestones] == [date(2025, 6, 30)]
    assert [m.due for m in parse_deadline("翌年一季度", 2024).milestones] == [date(2025, 3, 31)]
    assert [m.due for m in parse_deadline("下一年度6月底前", 2024).milestones] == [date(2025, 6, 30)]
    assert [m.due for m in parse_deadline("下半年", 2024).milestones] == [date(2024, 12, 31)]
    kept = parse_deadline("2024年底前完成并长期坚持", 2024)
    assert ([(m.due, m.text) for m in kept.milestones], kept.ongoing) == ([(date(2024, 12, 31), "完成")], True)
    assert [m.text for m in parse_deadline("2024年9月底前并长期坚持", 2024).milestones] == [""]
    assert [m.text for m in parse_deadline("2024年12月底前/长期坚持", 2024).milestones] == [""]
    assert [m.text for m in parse_deadline("2024年12月底前完成(长期坚持)", 2024).milestones] == ["完成"]


def test_a_petition_ledger_naming_each_units_person_beside_it() -> None:
    """A 信访 ledger: 编号 like XF-01, 包案领导, one column of 责任单位及责任人 (县住建局 张三) and
    whether each case is closed (是否办结)."""
    data = xlsx_of([
        ["某县信访突出问题整改台账"],
        [],
        ["编号", "信访问题", "整改措施", "包案领导", "责任单位及责任人", "办结时限", "目前进展", "是否办结"],
        ["XF-01", "某小区业主反映房产证办理难。", "①协调开发商补缴税费;②分批办理不动产登记。", "副县长 刘洋", "县住建局 张三", 45657, "已办理300户", "否"],
        ["XF-02", "某村村民反映征地补偿款未发放到位。", "核实补偿标准,限期发放到位。", "副县长 张伟", "县自然资源局 李四、某镇人民政府 王五", "2024-09-30", "已发放", "是"],
        ["XF-03", "某企业拖欠农民工工资。", "责令企业限期支付。", "刘洋", "县人社局、县公安局", "立行立改", "正在推进", "否"],
    ])
    first, second, third = parse_bytes(data, "xinfang.xlsx").tasks
    assert [t.ref for t in (first, second, third)] == ["XF-01", "XF-02", "XF-03"]
    assert (first.leaders, first.units, first.persons) == (["刘洋"], ["县住建局"], ["张三"])
    assert (second.units, second.persons) == (["县自然资源局", "某镇人民政府"], ["李四", "王五"])
    assert third.units == ["县人社局", "县公安局"] and third.deadline.immediate
    assert [m.due for m in first.deadline.milestones] == [date(2024, 12, 31)]
    statuses = [t.progress.status if t.progress else None for t in (first, second, third)]
    assert statuses == ["正在推进", "已完成", "正在推进"]


def audit_forms() -> bytes:
    doc = Document()
    doc.add_paragraph("某县市场监管局审计整改情况报告")
    doc.add_paragraph("根据县审计局审计报告,现将整改情况报告如下:")
    for number, problem, measures, unit, deadline, progress in [
        ("3", "食品抽检经费使用不规范。", "1.规范经费使用审批流程;2.追回违规支出2.3万元。", "计财股", "2024年6月30日", "已完成整改,追回资金2.3万元。"),
        ("4", "执法案卷归档不及时。", "开展案卷评查,按季度归档。", "法规股、各市场监管所", "每季度", "正在推进"),
        ("5", "特种设备检验率偏低。", "(1)建立到期提醒机制;(2)督促使用单位按期报检。", "特设股", "2024年9月底前", "检验率已提升至92%"),
    ]:
        rows = [("序号", number), ("审计发现问题", problem), ("整改措施", measures), ("责任股室", unit), ("整改时限", deadline), ("整改情况", progress)]
        table = doc.add_table(rows=len(rows), cols=2)
        for i, (label, value) in enumerate(rows):
            table.cell(i, 0).text = label
            table.cell(i, 1).text = value
        doc.add_paragraph("")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_one_word_form_per_audit_finding() -> None:
    """Each finding a label/value form: its 序号 row is the task's number, and a ledger's
    column name (审计发现问题) labels the row as it would label a column."""
    plan = parse_bytes(audit_forms(), "audit.docx")
    assert [t.ref for t in plan.tasks] == ["3", "4", "5"]
    assert [t.problem for t in plan.tasks] == ["食品抽检经费使用不规范。", "执法案卷归档不及时。", "特种设备检验率偏低。"]
    assert [len(t.measures) for t in plan.tasks] == [2, 1, 2]
    assert [t.units for t in plan.tasks] == [["计财股"], ["法规股", "各市场监管所"], ["特设股"]]
    assert plan.tasks[1].deadline.ongoing
    assert plan.tasks[0].progress is not None and plan.tasks[0].progress.status == "已完成"


def test_the_rectification_requirement_of_a_task_is_its_goal() -> None:
    """整改要求: under a task states what it must reach; as the title of the plan's closing
    section (三、整改要求) it is no field of the last task."""
    plan = plan_of(
        "某县住建局关于县委巡察反馈问题整改方案\n2024年7月1日\n"
        "一、违规发包工程项目问题\n整改要求:全面规范工程项目招投标管理。\n整改措施:\n(一)逐一排查;\n(二)严肃追责。\n"
        "责任领导:局长 马超\n责任单位:建管股、质监站\n整改时限:2024年9月底前\n"
        "二、物业管理监管缺位问题\n整改要求:投诉办结率达到95%以上。\n整改措施:\n(一)建立评价机制;\n(二)开展专项检查。\n"
        "责任单位:物业办\n整改时限:2024年12月底前\n"
        "三、整改要求\n(一)提高政治站位。各股室要切实履行整改主体责任。\n(二)严格督查问责。\n"
    )
    assert [(t.problem, t.goal) for t in plan.tasks] == [
        ("违规发包工程项目问题", "全面规范工程项目招投标管理。"),
        ("物业管理监管缺位问题", "投诉办结率达到95%以上。"),
    ]
    assert [len(t.measures) for t in plan.tasks] == [2, 2]
    assert plan.tasks[1].deadline.text == "2024年12月底前"


def test_a_ledger_numbering_measure_rows_under_their_task() -> None:
    """序号 1 over 1.1 and 1.2: the task's row holds the problem and names, the sub-numbered
    rows its measures, each with its own deadline and progress."""
    data = xlsx_of([
        ["某区2024年安全生产专项整治问题整改台账"],
        ["序号", "问题", "整改目标", "整改措施", "责任领导", "牵头单位", "责任单位", "责任人", "完成时限", "进展情况"],
        ["1", "建筑施工领域高处坠落隐患突出。", "杜绝较大以上事故", None, "副区长 林峰", "区住建局", "各街道办事处", "科长 方圆", None, None],
        ["1.1", None, None, "开展建筑施工安全大检查", None, None, None, None, "2024年6月30日", "已完成"],
        ["1.2", None, None, "对检查发现隐患挂牌督办", None, None, None, None, "2024年9月底", "正在推进"],
        ["2", "人员密集场所消防通道堵塞。", None, "开展消防通道专项清理", "副区长 林峰", "区消防救援大队", "各街道办事处", "许强", "长期坚持", "持续推进"],
    ])
    first, second = parse_bytes(data, "ledger.xlsx").tasks
    assert (first.ref, second.ref) == ("1", "2")
    assert [m.text for m in first.measures] == ["开展建筑施工安全大检查", "对检查发现隐患挂牌督办"]
    assert (first.leaders, first.lead_units, first.persons) == (["林峰"], ["区住建局"], ["方圆"])
    assert [(m.due, m.text) for m in first.deadline.milestones] == [
        (date(2024, 6, 30), "开展建筑施工安全大检查"),
        (date(2024, 9, 30), "对检查发现隐患挂牌督办"),
    ]
    assert first.progress is not None and first.progress.status == "正在推进"
    assert second.deadline.ongoing


def test_a_three_lists_ledger_with_its_list_of_duties() -> None:
    """问题清单 | 任务清单 | 责任清单 | 时限清单: the list of duties names the leader (with
    his post) and the units in one cell."""
    data = xlsx_of([
        ["县委巡察反馈问题整改“三个清单”"],
        ["序号", "问题清单", "任务清单", "责任清单", "时限清单"],
        [1, "党组织书记抓党建责任落实不到位", "1.制定书记抓党建责任清单;2.开展述职评议", "党组书记 刘军;办公室", "2024年10月底前"],
        [2, "意识形态阵地管理不规范", "清理规范微信公众号", "副局长 宋江;宣传股、信息中心", "2024年8月底前"],
        [3, "干部队伍结构老化", "制定干部队伍建设规划", "组织人事股", "2025年6月底前"],
    ])
    tasks = parse_bytes(data, "lists.xlsx").tasks
    assert [(t.leaders, t.units) for t in tasks] == [
        (["刘军"], ["办公室"]), (["宋江"], ["宣传股", "信息中心"]), ([], ["组织人事股"])
    ]
    assert [len(t.measures) for t in tasks] == [2, 1, 1]
    text = plan_of("某局巡察整改方案\n1.党建责任落实不到位。\n任务清单:制定责任清单。\n责任清单:党组书记 刘军;办公室\n时限清单:2024年10月底前\n")
    assert [(t.leaders, t.units) for t in text.tasks] == [(["刘军"], ["办公室"])]


def test_a_deadline_cell_numbering_its_lines_like_the_measures() -> None:
    """One row, its measures cell 1.…2.…3.… and its deadline cell 1.2024年6月底前 2.…: each
    measure is due when its line of the deadline cell says."""
    data = xlsx_of([
        ["序号", "问题描述", "整改目标", "具体整改措施", "督办领导", "责任科室", "整改责任人", "整改完成时限"],
        [1, "医保基金违规使用", "追回违规资金", "1.开展专项检查\n2.追回违规资金\n3.约谈相关医院", "副县长 李明", "基金监管科", "科长 赵强",
         "1.2024年6月底前\n2.2024年9月底前\n3.2024年9月底前"],
        [2, "定点药店监管不到位", "", "开展飞行检查", "李明", "基金监管科、稽核科", "赵强、钱多", "2024年12月"],
    ])
    first, second = parse_bytes(data, "ledger.xlsx").tasks
    assert [(m.due, m.text) for m in first.deadline.milestones] == [
        (date(2024, 6, 30), "开展专项检查"), (date(2024, 9, 30), "追回违规资金"), (date(2024, 9, 30), "约谈相关医院")
    ]
    assert (first.leaders, first.units, first.persons) == (["李明"], ["基金监管科"], ["赵强"])
    assert (second.units, second.persons) == (["基金监管科", "稽核科"], ["赵强", "钱多"])


def test_a_tasks_fields_numbered_as_its_sub_items() -> None:
    """一、关于…的问题 over (一)问题表现: (二)整改目标: (三)整改措施: (四)责任分工: (五)完成时限:
    — the numbers order the task's fields; they are not tasks of their own."""
    plan = plan_of(
        "某县卫健局关于审计反馈问题整改工作方案\n2024年3月\n"
        "一、关于医疗机构药品耗材采购不规范的问题\n"
        "(一)问题表现:部分乡镇卫生院存在线下采购药品耗材问题,涉及金额56万元。\n"
        "(二)整改目标:2024年6月底前实现全部线上采购。\n"
        "(三)整改措施:1.全面清理线下采购合同;2.将采购纳入省平台监管;3.对相关责任人进行约谈。\n"
        "(四)责任分工:责任领导:副局长 温柔;责任单位:医政股、各乡镇卫生院;责任人:医政股股长 叶青。\n"
        "(五)完成时限:2024年6月底前。\n"
        "二、关于医疗服务收费不规范的问题\n"
        "(一)问题表现:个别医院存在重复收费、超标准收费问题。\n"
        "(二)整改措施:1.开展医疗收费专项检查;2.退还多收费用。\n"
        "(三)责任分工:责任领导:副局长 温柔;责任单位:县人民医院、县中医院。\n"
        "(四)完成时限:立行立改。\n"
    )
    first, second = plan.tasks
    assert (first.ref, first.title, first.problem) == ("1", "关于医疗机构药品耗材采购不规范的问题", "部分乡镇卫生院存在线下采购药品耗材问题,涉及金额56万元。")
    assert (first.goal, len(first.measures), first.leaders, first.units, first.persons) == (
        "2024年6月底前实现全部线上采购。", 3, ["温柔"], ["医政股", "各乡镇卫生院"], ["叶青"]
    )
    assert [m.due for m in first.deadline.milestones] == [date(2024, 6, 30)]
    assert (second.ref, len(second.measures), second.units, second.deadline.immediate) == ("2", 2, ["县人民医院", "县中医院"], True)


def test_tasks_whose_headings_label_their_problem_stay_tasks() -> None:
    plan = plan_of(
        "某局整改方案\n1.问题:食品安全监管不到位。\n整改措施:开展专项检查。\n责任单位:县市场监管局\n整改时限:2024年6月底前\n"
        "2.问题:特种设备检验率低。\n整改措施:督促按期报检。\n责任单位:县市场监管局\n整改时限:2024年9月底前\n"
    )
    assert [(t.ref, t.problem) for t in plan.tasks] == [("1", "食品安全监管不到位。"), ("2", "特种设备检验率低。")]


def test_a_small_table_of_measures_under_each_numbered_problem() -> None:
    """问题1:… then a table 整改措施 | 责任领导 | 责任单位 | 完成时限 of its measures: the
    paragraph is the task's number and problem, the table its measures and names."""
    doc = Document()
    doc.add_paragraph("某县农业农村局关于审计发现问题整改方案")
    doc.add_paragraph("2024年9月")
    for heading, rows in [
        ("问题1:高标准农田建设项目验收不规范。", [["1.重新组织项目验收", "副局长 田丰", "农田建设股", "2024年12月底前"], ["2.建立验收档案", "副局长 田丰", "农田建设股", "2025年3月底前"]]),
        ("问题2:农机购置补贴审核把关不严。", [["开展补贴资金清查,追回违规资金", "副局长 沈默", "农机站、财务股", "2024年11月底前"]]),
    ]:
        doc.add_paragraph(heading)
        table = doc.add_table(rows=1 + len(rows), cols=4)
        for j, name in enumerate(["整改措施", "责任领导", "责任单位", "完成时限"]):
            table.cell(0, j).text = name
        for i, row in enumerate(rows, 1):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    first, second = parse_bytes(buffer.getvalue(), "plan.docx").tasks
    assert [(t.ref, t.problem) for t in (first, second)] == [("1", "高标准农田建设项目验收不规范。"), ("2", "农机购置补贴审核把关不严。")]
    assert [m.text for m in first.measures] == ["重新组织项目验收", "建立验收档案"]
    assert [(m.due, m.text) for m in first.deadline.milestones] == [(date(2024, 12, 31), "重新组织项目验收"), (date(2025, 3, 31), "建立验收档案")]
    assert (second.leaders, second.units) == (["沈默"], ["农机站", "财务股"])


def test_a_collective_with_its_kind_in_brackets_is_one_unit() -> None:
    """各乡镇(街道) names the townships and the subdistricts, not 各乡镇 alias 街道; a unit
    with another unit's name in brackets (县教体局(县教育局)) still has that alias."""
    plan = plan_of(
        "某县整改方案\n1.农村人居环境整治不到位。\n整改措施:开展村庄清洁行动。\n"
        "责任单位:各乡镇（街道）、县教体局（县教育局）\n整改时限:2024年12月底前\n"
    )
    assert plan.tasks[0].units == ["各乡镇(街道)", "县教体局"]
    assert plan.aliases == {"县教体局": "县教育局"}


def test_lines_typed_in_a_ledgers_measures_cell_are_measures() -> None:
    """Alt+Enter in an Excel cell separates measures written without numbers; a line that
    ends in a comma runs on."""
    data = xlsx_of([
        ["序号", "问题", "整改措施", "责任单位", "责任人", "整改时限"],
        [1, "餐饮油烟扰民", "开展油烟净化设施排查\n督促安装净化设施\n建立日常巡查机制", "市城管局", "张三/李四", "2024年9月底前"],
        [2, "噪声扰民投诉多", "加强夜间施工审批,\n严格执法检查。", "市住建局", "王五", "长期"],
    ])
    first, second = parse_bytes(data, "ledger.xlsx").tasks
    assert [m.text for m in first.measures] == ["开展油烟净化设施排查", "督促安装净化设施", "建立日常巡查机制"]
    assert first.persons == ["张三", "李四"]
    assert [m.text for m in second.measures] == ["加强夜间施工审批,严格执法检查。"]


def test_where_a_problem_came_from_is_not_the_problem() -> None:
    """问题来源 (省委巡视, 审计) before 问题描述, and a column name with a note on what to fill
    in (完成情况(已完成/推进中)): the problem is the description, the progress that column."""
    data = xlsx_of([
        ["序号", "问题来源", "问题描述", "整改措施", "责任单位", "完成时限", "完成情况（已完成/推进中）"],
        [1, "省委巡视", "村级财务管理混乱", "开展村级财务专项清理", "县农业农村局", "2024年10月底前", "已完成"],
        [2, "县委审计", "专项资金挪用", "追回挪用资金", "县财政局", "2024年12月底前", "推进中"],
    ])
    first, second = parse_bytes(data, "ledger.xlsx").tasks
    assert (first.problem, second.problem) == ("村级财务管理混乱", "专项资金挪用")
    assert first.progress is not None and first.progress.status == "已完成"
    assert second.progress is not None and second.progress.text == "推进中"


def test_a_hazard_list_headed_hazard_n() -> None:
    """A 安全生产 list numbers its hazards 隐患1: 隐患2: and names people by their department
    and title (设备部 李工): the department is no person."""
    plan = plan_of(
        "某化工企业安全隐患整改方案\n隐患1:储罐区可燃气体报警器失效。\n整改措施:更换报警器并联网。\n责任人:设备部 李工\n"
        "整改时限:2024年6月10日前\n隐患2:特殊作业审批不规范。\n整改措施:修订特殊作业管理制度;开展全员培训。\n责任人:安全部 王工\n整改时限:立即整改\n"
    )
    first, second = plan.tasks
    assert [(t.ref, t.problem) for t in plan.tasks] == [("1", "储罐区可燃气体报警器失效。"), ("2", "特殊作业审批不规范。")]
    assert (first.persons, second.persons) == (["李工"], ["王工"])
    assert [m.due for m in first.deadline.milestones] == [date(2024, 6, 10)]
    assert (len(second.measures), second.deadline.immediate) == (2, True)


def test_a_deadline_label_set_apart_from_its_date_by_a_space() -> None:
    """Word plans set the label in bold and leave a space, no colon: 完成时限 2024年6月底前."""
    plan = plan_of(
        "某局整改方案\n1.档案管理不规范。\n整改措施 开展档案清理。\n责任单位 办公室\n完成时限 2024年6月底前\n"
        "2.公车管理不规范。\n整改措施 建立用车台账。\n责任单位 办公室\n整改时限\u30002024年9月30日\n"
    )
    assert [[m.due for m in t.deadline.milestones] for t in plan.tasks] == [[date(2024, 6, 30)], [date(2024, 9, 30)]]
    assert [t.units for t in plan.tasks] == [["办公室"], ["办公室"]]
