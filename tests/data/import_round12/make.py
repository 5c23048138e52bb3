"""Builds the Word, Excel, CSV and PDF plans beside this file (round 12 of the importer tests;
the .txt plans are written by hand).

    cd /work/main && .venv/bin/python tests/data/import_round12/make.py

The files are committed as data; run this again only to change them. Each one copies a layout
that 整改办 produce: a ledger whose header is on row 3, merged 牵头单位 cells spanning several
tasks, hidden template rows and sheets, columns in an unusual order, an English-headed
ledger, 责任人 with phone numbers, two plans in one document (第一部分/第二部分), measures
numbered ①②③ or (1)(2), and the 整改时限 officials write (2024年底前, 每季度, 即知即改).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.data import documents  # noqa: E402
from tests.data.documents import merge_down, table  # noqa: E402


def save_docx(name: str, doc: Any) -> None:
    documents.save_docx(HERE, name, doc)


def book(name: str, sheets: list[tuple[str, list[list[Any]]]], **layout: Any) -> None:
    documents.book(HERE, name, sheets, **layout)


# ---- Excel ------------------------------------------------------------------------------

HEAD = ["序号", "问题描述", "整改措施", "责任领导", "责任单位", "整改时限", "整改进展"]


def ledgers() -> None:
    # a template row and a deleted task hidden in the ledger, a hidden sheet of old tasks
    book("hidden-rows-and-sheet.xlsx", [
        ("整改台账", [
            ["某县巡察反馈问题整改台账"],
            HEAD,
            ["示例", "（填写问题）", "（填写措施）", "（领导）", "（单位）", "（时限）", ""],
            [1, "农村饮水安全保障不到位。", "开展农村饮水工程维修养护。", "副县长 刘江", "县水利局", "2024年12月底前", "正在推进"],
            [2, "农村集体“三资”管理不规范。", "开展农村集体资产清查。", "副县长 刘江", "县农业农村局", "2024年10月底前", ""],
            [3, "（已并入第2项）", "开展农村集体资产清查。", "副县长 刘江", "县农业农村局", "2024年10月底前", ""],
            [4, "乡镇卫生院医疗设备闲置。", "建立设备共享使用机制。", "副县长 马丽", "县卫健局", "2025年3月底前", ""],
        ]),
        ("旧版台账", [HEAD, [1, "旧问题一。", "旧措施。", "副县长 刘江", "县水利局", "2023年底前", ""]]),
    ], merges={"整改台账": ["A1:G1"]}, hidden_rows={"整改台账": [3, 6]}, hidden_sheets=("旧版台账",))

    # title, then a 填报单位/填报日期 line, the header on row 3
    book("header-on-row3.xlsx", [("Sheet1", [
        ["某市生态环境保护督察反馈问题整改落实情况台账"],
        ["填报单位（盖章）：市生态环境局", None, None, None, "填报日期：2024年6月20日", None, None],
        ["序号", "反馈问题", "整改目标", "整改措施", "责任单位", "责任人", "整改时限"],
        [1, "部分工业园区污水集中处理设施建设滞后。", "园区污水全收集、全处理。", "加快园区污水处理厂建设。", "市工信局", "王刚", "2024年底前"],
        [2, "城市黑臭水体返黑返臭。", "消除返黑返臭现象。", "开展黑臭水体排查整治。", "市住建局", "赵敏", "2025年6月底前完成，长期坚持"],
        [3, "秸秆露天焚烧时有发生。", "秸秆禁烧常态化。", "开展秸秆禁烧巡查。", "市农业农村局", "孙亮", "每季度"],
    ])], merges={"Sheet1": ["A1:G1", "A2:D2", "E2:G2"]})

    # 牵头单位 and 责任领导 merged down over three tasks
    book("merged-lead-units.xlsx", [("台账", [
        ["某区营商环境问题整改清单"],
        ["序号", "问题", "整改措施", "责任领导", "牵头单位", "配合单位", "完成时限"],
        [1, "企业开办环节多。", "推行企业开办“一网通办”。", "副区长 郑凯", "区行政审批局", "区市场监管局", "2024年9月底前"],
        [2, "涉企检查频次过高。", "推行“综合查一次”。", None, None, "区司法局", "2024年10月底前"],
        [3, "政务服务窗口办事效率低。", "开展窗口服务能力提升行动。", None, None, "各街道办事处", "即知即改"],
        [4, "惠企政策兑现慢。", "建立惠企政策免申即享机制。", "副区长 韩雪", "区发改局", "区财政局", "2024年12月底前"],
    ])], merges={"台账": ["A1:G1", "D3:D5", "E3:E5"]})

    # 整改时限 first, 序号 in the third column
    book("unusual-column-order.xlsx", [("清单", [
        ["整改时限", "责任单位", "序号", "存在问题", "整改措施", "责任领导"],
        ["2024年底前", "县教育局", 1, "校园安全隐患排查不彻底。", "开展校园安全隐患大排查。", "副县长 邵华"],
        ["立行立改", "县交通运输局", 2, "农村客运班线停运。", "恢复农村客运班线。", "副县长 邵华"],
        ["2025年6月底前", "县住建局", 3, "老旧小区改造进度慢。", "加快老旧小区改造。", "副县长 贺军"],
    ])])

    # an English-headed ledger (a joint venture's EHS audit)
    book("english-headed.xlsx", [("Actions", [
        ["EHS Audit Corrective Action Plan"],
        ["No.", "Finding", "Corrective Action", "Responsible Leader", "Lead Department", "Responsible Department", "Person in Charge", "Deadline"],
        [1, "Fire extinguishers in warehouse B expired.", "Replace all expired extinguishers.", "Zhang Wei", "EHS Dept", "Warehouse", "Li Na", "2024-06-30"],
        [2, "Chemical storage lacks secondary containment.", "Install spill pallets.", "Zhang Wei", "EHS Dept", "Production", "Wang Qiang", "2024-09-30"],
        [3, "Training records incomplete.", "Update training matrix.", "Chen Jie", "HR Dept", "", "Zhao Min", "Ongoing"],
    ])])

    # 责任人 with their phone numbers, written every way
    book("persons-with-phones.xlsx", [("台账", [
        ["某镇安全生产隐患整改台账"],
        ["序号", "隐患问题", "整改措施", "责任单位", "责任人及联系电话", "整改时限"],
        [1, "小作坊违规用电。", "规范电气线路。", "镇安监站", "张伟 13812345678", "2024年7月底前"],
        [2, "农家乐燃气管道老化。", "更换燃气软管。", "镇市场监管所", "李娜（电话：0371-62345678）", "即知即改"],
        [3, "河道护栏缺失。", "补设护栏及警示标志。", "镇水利站", "王强、赵敏 13900001111、13900002222", "2024年8月底前"],
    ])])

    # deadlines written the many ways a 整改时限 column holds them
    book("deadline-words.xlsx", [("台账", [
        ["某市审计整改台账（填报时间：2024年5月10日）"],
        ["序号", "问题", "整改措施", "责任单位", "整改时限"],
        [1, "专项资金闲置。", "盘活闲置资金。", "市财政局", "2024年底前"],
        [2, "项目未批先建。", "补办审批手续。", "市发改委", "2025年6月底前完成，长期坚持"],
        [3, "公务卡使用率低。", "推行公务卡结算。", "市财政局", "每季度"],
        [4, "往来款长期挂账。", "清理往来款项。", "市国资委", "即知即改"],
        [5, "政府采购程序不规范。", "规范采购程序。", "市财政局", "3个月内"],
        [6, "资产账实不符。", "开展资产清查。", "市机关事务局", "限期2个月"],
        [7, "债务风险底数不清。", "摸清隐性债务底数。", "市财政局", datetime(2024, 11, 30)],
    ])])

    # measures numbered ①②③ on lines of one cell, and (1)(2) in another
    book("circled-measures.xlsx", [("台账", [
        ["序号", "问题", "整改措施", "责任单位", "完成时限"],
        [1, "基层党组织书记队伍老化。", "①开展村党组织书记队伍分析研判；\n②选优配强村党组织书记；\n③加强后备力量培养。", "县委组织部", "2024年12月底前"],
        [2, "党员发展不规范。", "(1)开展党员发展工作专项检查；(2)建立发展党员全程纪实制度。", "县委组织部", "2024年9月底前"],
    ])])

    # one sheet a 问题类别, one summary sheet at the end
    book("sheet-per-category.xlsx", [
        ("大气污染", [["序号", "问题", "整改措施", "牵头单位", "完成时限"],
                  [1, "工地扬尘管控不到位。", "落实“六个百分之百”。", "市住建局", "2024年6月底前"],
                  [2, "餐饮油烟扰民。", "安装油烟净化设施。", "市城管局", "2024年8月底前"]]),
        ("水污染", [["序号", "问题", "整改措施", "牵头单位", "完成时限"],
                 [1, "入河排污口排查不全。", "开展入河排污口排查。", "市生态环境局", "2024年9月底前"]]),
        ("汇总", [["类别", "问题数", "已完成"], ["大气污染", 2, 0], ["水污染", 1, 0]]),
    ])

    # no 序号 column: one measure a row, the problem merged down over its measures
    book("measure-rows-merged-problem.xlsx", [("台账", [
        ["问题", "整改措施", "责任单位", "完成时限"],
        ["农贸市场环境脏乱差。", "开展农贸市场环境整治。", "区商务局", "2024年7月底前"],
        [None, "实施农贸市场升级改造。", "区商务局", "2024年12月底前"],
        ["背街小巷路灯不亮。", "维修更换路灯。", "区城管局", "立行立改"],
    ])], merges={"台账": ["A2:A3"]})


# ---- Word -------------------------------------------------------------------------------


def word_plans() -> None:
    # two plans in one document, 第一部分 and 第二部分, numbering restarting in each
    doc = Document()
    for line in ["某县关于巡视巡察反馈问题整改方案", "2024年4月15日", "第一部分 省委巡视反馈问题整改",
                 "1.耕地保护责任落实不到位。", "整改措施：开展耕地“非农化”专项整治。", "责任领导：副县长 向东",
                 "责任单位：县自然资源局", "整改时限：2024年底前",
                 "2.河湖长制落实不到位。", "整改措施：开展河湖“清四乱”行动。", "责任领导：副县长 向东",
                 "责任单位：县水利局", "整改时限：长期坚持",
                 "第二部分 市委巡察反馈问题整改",
                 "1.基层减负不到位。", "整改措施：精简文件会议。", "责任领导：县委副书记 欧阳明",
                 "责任单位：县委办公室", "整改时限：即知即改",
                 "2.干部作风不实。", "整改措施：开展作风建设专项整治。", "责任领导：县委副书记 欧阳明",
                 "责任单位：县纪委监委", "整改时限：2024年9月底前"]:
        doc.add_paragraph(line)
    save_docx("two-parts.docx", doc)

    # a Word table with 牵头单位 merged down over several tasks
    doc = Document()
    doc.add_paragraph("某市住房和城乡建设局巡察整改任务清单")
    t = table(doc, [
        ["序号", "问题", "整改措施", "责任领导", "牵头单位", "责任人", "完成时限"],
        ["1", "物业服务质量投诉多。", "开展物业服务质量专项检查。", "副局长 周琳", "物业管理科", "科长 宋涛 15012345678", "2024年9月底前"],
        ["2", "住宅专项维修资金使用难。", "简化维修资金使用流程。", "副局长 周琳", "", "", "2024年12月底前"],
        ["3", "建筑工地欠薪。", "落实农民工工资专户制度。", "副局长 龙飞", "建筑市场科", "科长 姚远", "春节前"],
    ])
    merge_down(t, 3, 1, 2)
    merge_down(t, 4, 1, 2)
    save_docx("merged-lead-table.docx", doc)

    # a Word table whose first row is its title, and whose header is on the second row
    doc = Document()
    doc.add_paragraph("附件")
    t = table(doc, [
        ["某县市场监管局巡察反馈问题整改清单", None, None, None, None],
        ["序号", "问题", "整改措施", "责任人", "整改时限"],
        ["1", "食品抽检计划完成率低。", "(1)调整抽检计划；(2)加强抽检考核。", "副局长 田野（电话：13600001234）", "2024年10月底前"],
        ["2", "特种设备监管存在盲区。", "开展特种设备安全排查。", "副局长 田野", "每季度"],
    ])
    t.cell(0, 0).merge(t.cell(0, 4))
    save_docx("title-row-table.docx", doc)

    # columns in an unusual order in a Word table: 时限 before 问题
    doc = Document()
    doc.add_paragraph("某区教育局整改任务分解表")
    table(doc, [
        ["序号", "整改时限", "责任单位", "责任领导", "问题", "整改措施"],
        ["1", "2024年底前", "基础教育科", "副局长 何静", "学前教育普惠率偏低。", "新建公办幼儿园3所。"],
        ["2", "2025年6月底前完成，长期坚持", "安全科", "副局长 何静", "校园周边交通秩序乱。", "设置护学岗。"],
    ])
    save_docx("table-odd-order.docx", doc)

    # a prose plan, measures numbered ①②③ and (1)(2), 责任人 with phones
    doc = Document()
    for line in ["某街道关于区委巡察反馈问题的整改方案", "一、整改任务",
                 "（一）社区网格化管理不精细。",
                 "整改措施：①重新划分网格；②配齐网格员；③建立网格事项清单。",
                 "责任领导：办事处副主任 吕方", "责任单位：综治中心", "责任人：孔亮 13512345678", "整改时限：2024年8月底前",
                 "（二）居民诉求回应不及时。",
                 "整改措施：(1)建立诉求台账；(2)实行限时办结。", "责任领导：办事处副主任 吕方",
                 "责任单位：党群服务中心", "责任人：曹雪（联系电话：0512-66668888）", "整改时限：即知即改，长期坚持",
                 "二、保障措施", "加强组织领导，强化督促检查。"]:
        doc.add_paragraph(line)
    save_docx("prose-circled-phones.docx", doc)

    # an English-headed Word table
    doc = Document()
    doc.add_paragraph("Rectification Plan for the 2024 Internal Audit Findings")
    table(doc, [
        ["No.", "Problem", "Measures", "Responsible Leader", "Responsible Unit", "Deadline"],
        ["1", "Procurement files incomplete.", "1. Review all 2023 procurement files; 2. Issue a filing checklist.", "Liu Yang", "Procurement Office", "2024-08-31"],
        ["2", "Petty cash not reconciled monthly.", "Reconcile petty cash every month.", "Liu Yang", "Finance Office", "Ongoing"],
    ])
    save_docx("english-table.docx", doc)

    # a 通知 with two annexed tables, 附件1 and 附件2, each a plan of its own
    doc = Document()
    for line in ["某市人民政府办公室关于印发两项整改方案的通知", "各县（市、区）人民政府，市直各单位：",
                 "现将两项整改任务清单印发给你们，请认真抓好落实。", "某市人民政府办公室", "2024年3月1日", "附件1",
                 "某市大气污染防治问题整改任务清单"]:
        doc.add_paragraph(line)
    table(doc, [["序号", "问题", "整改措施", "责任单位", "整改时限"],
                ["1", "散煤复烧。", "开展散煤清零行动。", "市发改委", "2024年10月底前"],
                ["2", "重型柴油车冒黑烟。", "开展路检路查。", "市公安局交警支队", "每月"]])
    doc.add_paragraph("附件2")
    doc.add_paragraph("某市水污染防治问题整改任务清单")
    table(doc, [["序号", "问题", "整改措施", "责任单位", "整改时限"],
                ["1", "乡镇污水处理厂运行不正常。", "开展乡镇污水处理厂运行评估。", "市住建局", "2024年底前"]])
    save_docx("notice-two-annex-tables.docx", doc)

    # a ledger whose measures are rows of their own under one task, in Word
    doc = Document()
    doc.add_paragraph("某县卫生健康局整改台账")
    t = table(doc, [
        ["序号", "问题", "整改措施", "责任单位", "整改时限"],
        ["一", "医疗机构院感防控不到位。", "①开展院感专项检查；", "医政股", "2024年6月底前"],
        [None, None, "②组织院感防控培训；", "医政股", "2024年7月底前"],
        ["二", "基层医疗机构药品短缺。", "建立药品联动采购机制。", "药政股", "2024年9月底前"],
    ])
    merge_down(t, 0, 1, 2)
    merge_down(t, 1, 1, 2)
    save_docx("chinese-numbered-measure-rows.docx", doc)


def more_plans() -> None:
    # two plans in one Word file, each a table under its 第一部分/第二部分 heading
    doc = Document()
    doc.add_paragraph("某市农业农村局关于巡视和审计反馈问题整改清单")
    doc.add_paragraph("2024年7月8日")
    doc.add_paragraph("第一部分 省委巡视反馈问题")
    table(doc, [["序号", "问题", "整改措施", "责任单位", "整改时限"],
                ["1", "高标准农田建设质量不高。", "开展高标准农田建设质量专项检查。", "农田建设科", "2024年11月底前"],
                ["2", "农村人居环境整治不彻底。", "开展村庄清洁行动。", "农村社会事业科", "每季度"]])
    doc.add_paragraph("第二部分 审计反馈问题")
    table(doc, [["序号", "问题", "整改措施", "责任单位", "整改时限"],
                ["1", "农机购置补贴资金审核不严。", "开展补贴资金复核。", "农机科", "2024年10月底前"]])
    save_docx("two-part-tables.docx", doc)

    # 责任人 and phone numbers joined every way, deadlines written as dates
    book("phones-and-dates.xlsx", [("台账", [
        ["某县自然资源局整改台账"],
        ["填报单位：县自然资源局", None, "联系人：刘青", None, "联系电话：0391-8888888", None, "填报日期：2024年8月1日"],
        ["序号", "问题", "整改措施", "责任股室", "责任人", "联系电话", "完成时限"],
        [1, "违法占地查处不及时。", "开展违法占地专项整治。", "执法大队", "张三/13812345678", "13812345678", "2024年\n12月底前"],
        [2, "土地出让金欠缴。", "追缴欠缴出让金。", "利用股", "李四 电话:13900000000", "13900000000", "2024.12.31"],
        [3, "地灾隐患点监测不到位。", "落实群测群防员。", "地灾股", "王五(15011112222)", "", "2024/9/30前"],
    ])], merges={"台账": ["A1:G1"]})
def part_rows() -> None:
    # 第一部分/第二部分 as rows across one ledger, numbering restarting under each; 责任人
    # with a colon before the phone, leaders with the post in brackets after the name
    book("part-rows-ledger.xlsx", [("台账", [
        ["某县巡视巡察反馈问题整改台账"],
        ["序号", "问题", "整改措施", "责任领导", "责任单位", "责任人", "整改时限"],
        ["第一部分 省委巡视反馈问题", None, None, None, None, None, None],
        [1, "乡村振兴衔接资金使用效益不高。", "开展衔接资金项目绩效评价。", "张建（副县长）", "县乡村振兴局", "李明：13800001111", "2024年底前"],
        [2, "防返贫动态监测不精准。", "每月开展防返贫动态监测。", "张建（副县长）", "县乡村振兴局", "王芳 电话：13900002222", "每月"],
        ["第二部分 市委巡察反馈问题", None, None, None, None, None, None],
        [1, "政府债务化解进度滞后。", "制定债务化解方案。", "刘洋副县长", "县财政局", "赵四：13700003333", "2025年6月底前完成，长期坚持"],
    ])], merges={"台账": ["A1:G1", "A3:G3", "A6:G6"]})


def filing_row() -> None:
    # the 填报 line spread over many cells, a hidden 填写示例 row under the header, a hidden
    # 填报说明 sheet, a 说明 row under the ledger
    book("filing-row-many-cells.xlsx", [
        ("台账", [
            ["某市生态环境问题整改台账"],
            ["填报单位：", "市生态环境局", "填报人：", "张三", "联系电话：", "13800001111", "填报时间：2024年3月5日"],
            ["序号", "问题", "整改措施", "责任单位", "责任人", "整改时限", "整改进展"],
            ["填写示例", "XX问题", "XX措施", "XX单位", "XXX", "XXXX年XX月底前", ""],
            [1, "城区黄标车淘汰不彻底。", "开展黄标车清零行动。", "市公安局交警支队", "李四", "2024年底前", "正在推进"],
            [2, "加油站油气回收设施运行不正常。", "开展油气回收专项检查。", "市商务局", "王五", "限期3个月", ""],
            ["说明：1.整改时限按方案填写；2.进展每月25日前报送。"],
        ]),
        ("填报说明", [["本表由各责任单位每月25日前填报。"]]),
    ], merges={"台账": ["A1:G1", "A7:G7"]}, hidden_rows={"台账": [4]}, hidden_sheets=("填报说明",))


def gbk_csv() -> None:
    # a ledger saved as CSV by Excel on a Chinese Windows: GB18030, CRLF, header on line 3
    rows = [
        "某区城市管理局问题整改台账,,,,,",
        "填报单位：区城管局,,,,填报日期：2024年9月5日,",
        "序号,问题,整改措施,牵头单位,配合单位,整改时限",
        "1,占道经营反弹。,开展占道经营整治。,区城管执法大队,各街道办事处,即知即改",
        '2,建筑垃圾乱倒。,开展建筑垃圾专项整治。,区城管局,区住建局、区交通局,"2025年6月底前完成，长期坚持"',
        "3,公厕管理不到位。,落实公厕保洁制度。,区环卫中心,,2024年底前",
    ]
    (HERE / "header-row3-gbk.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("gb18030"))


# ---- PDF --------------------------------------------------------------------------------


def pdfs() -> None:
    from tests.test_import_robustness import printed
    from tests.test_import_round11 import ruled_table_pdf

    lines = (HERE / "phones-and-circled.txt").read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if ln.strip()]
    (HERE / "phones-and-circled.pdf").write_bytes(printed([lines[:16], lines[16:]], header="某县整改工作文件", footer="- {n} -"))
    rows = [
        ["序号", "问题", "整改措施", "责任单位", "完成时限"],
        ["1", "公共厕所保洁不到位", "落实保洁责任", "区环卫所", "2024年底前"],
        ["2", "垃圾分类投放混乱", "开展分类督导", "各街道", "每季度"],
        ["3", "违规户外广告", "拆除违规广告", "区城管局", "即知即改"],
    ]
    (HERE / "ruled-deadline-words.pdf").write_bytes(ruled_table_pdf(rows, set()))


if __name__ == "__main__":
    ledgers()
    word_plans()
    more_plans()
    part_rows()
    filing_row()
    gbk_csv()
    pdfs()
