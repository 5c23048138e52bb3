"""Builds the Word, Excel and PDF plans beside this file (round 13 of the importer tests).

    cd /work/main && .venv/bin/python tests/data/import_round13/make.py

The files are committed as data; run this again only to change them. Each one copies a layout
that 整改办 produce: a workbook whose only ledger sheet is hidden under a 填报说明 sheet, a
ledger whose measures are numbered 1-1, 1-2 under one problem (the problem merged down,
copied down or left blank below), a Word task table continued in a second table after a page
break with its header repeated, a PDF table running over two pages, a 通知 with its task
table in the 附件, and a ledger whose header is on row 3 under a title row and a notes row.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests.data import documents  # noqa: E402
from tests.data.documents import merge_down, table  # noqa: E402


def save_docx(name: str, doc: Any) -> None:
    documents.save_docx(HERE, name, doc)


def book(name: str, sheets: list[tuple[str, list[list[Any]]]], **layout: Any) -> None:
    documents.book(HERE, name, sheets, **layout)


# ---- Excel ------------------------------------------------------------------------------

SUB_HEAD = ["序号", "问题", "整改措施", "责任单位", "责任人", "完成时限"]
SUB_ROWS: list[list[Any]] = [
    ["1-1", "城区建筑工地扬尘管控不到位。", "开展建筑工地扬尘专项整治。", "市住建局", "副局长 陈涛 13812340001", "2024年6月底前"],
    ["1-2", "城区建筑工地扬尘管控不到位。", "加强渣土运输车辆管理。", "市城管局", "副局长 林静", "2024年9月底前"],
    ["1-3", "城区建筑工地扬尘管控不到位。", "推行道路机械化清扫。", "市城管局", "副局长 林静", "长期坚持"],
    ["2-1", "饮用水水源地保护区内存在违法建筑。", "拆除保护区内违法建筑。", "市水利局", "科长 黄河", "2024年12月底前"],
    ["3-1", "部分乡镇污水处理设施运行不正常。", "开展乡镇污水处理设施运行评估。", "市住建局", "副局长 陈涛", "2024年8月底前"],
    ["3-2", "部分乡镇污水处理设施运行不正常。", "落实第三方运维。", "各县（市、区）人民政府", "", "2024年12月底前"],
]


def ledgers() -> None:
    # the ledger on a hidden sheet, a 填报说明 sheet on show
    book("hidden-ledger-sheet.xlsx", [
        ("填报说明", [["填报说明"], ["1.本表由各责任单位每月25日前填报。"], ["2.整改时限按方案填写，不得擅自更改。"]]),
        ("整改台账", [
            ["某县巡察反馈问题整改台账"],
            ["序号", "问题", "整改措施", "责任单位", "整改时限", "整改进展"],
            [1, "村级财务管理不规范。", "开展村级财务专项清理。", "县农业农村局", "2024年10月底前", "正在推进"],
            [2, "惠民资金发放不及时。", "建立惠民资金发放台账。", "县财政局", "即知即改", ""],
        ]),
    ], merges={"整改台账": ["A1:F1"]}, hidden_sheets=("整改台账",))

    # measures numbered 1-1, 1-2 under one problem: merged down, copied down, blank below
    book("sub-numbered-merged.xlsx", [("台账", [["某市生态环境问题整改台账"], SUB_HEAD, *SUB_ROWS])],
         merges={"台账": ["A1:F1", "B3:B5", "B7:B8"]})
    book("sub-numbered-copied.xlsx", [("台账", [["某市生态环境问题整改台账"], SUB_HEAD, *SUB_ROWS])], merges={"台账": ["A1:F1"]})
    blank = [[c if not (k in (1, 2, 5) and j == 1) else None for j, c in enumerate(row)] for k, row in enumerate(SUB_ROWS)]
    book("sub-numbered-blank.xlsx", [("台账", [["某市生态环境问题整改台账"], SUB_HEAD, *blank])], merges={"台账": ["A1:F1"]})

    # a problem row numbered 一 (or 1) over its measures numbered (1) (2) (or ① ②)
    book("outline-numbered-rows.xlsx", [("台账", [
        ["序号", "反馈问题", "整改措施", "责任单位", "整改时限"],
        ["一", "农村人居环境整治不到位", None, None, None],
        ["（1）", None, "开展村庄清洁行动。", "县农业农村局", "2024年6月底前"],
        ["（2）", None, "推进农村改厕。", "县农业农村局", "2024年12月底前"],
        ["二", "农村生活污水乱排乱放。", None, None, None],
        ["（1）", None, "建设农村污水处理设施。", "县住建局", "2025年6月底前"],
        ["三", "畜禽养殖污染治理滞后。", "①开展养殖场粪污治理；②关停禁养区养殖场。", "县畜牧局", "即知即改"],
    ])])

    # rows numbered 1, 2, 3 under one problem, its cell left blank below the first row
    book("numbered-rows-one-problem.xlsx", [("台账", [
        ["序号", "问题", "整改措施", "责任单位", "完成时限"],
        [1, "城区建筑工地扬尘管控不到位。", "开展建筑工地扬尘专项整治。", "市住建局", "2024年6月底前"],
        [2, None, "加强渣土运输车辆管理。", "市城管局", "2024年9月底前"],
        [3, "饮用水水源地保护区内存在违法建筑。", "拆除保护区内违法建筑。", "市水利局", "2024年12月底前"],
    ])])

    # a 问题序号 and a 任务序号 column, the 整改任务 beside the 反馈问题
    book("problem-and-task-numbers.xlsx", [("台账", [
        ["问题序号", "反馈问题", "任务序号", "整改任务", "责任单位", "完成时限"],
        [1, "部分企业环评手续不全。", "1-1", "开展环评手续专项清理。", "市生态环境局", "2024年6月底前"],
        [1, "部分企业环评手续不全。", "1-2", "对未批先建企业依法查处。", "市生态环境局", "2024年9月底前"],
        [2, "危险废物规范化管理不到位。", "2-1", "开展危险废物专项检查。", "市生态环境局", "每季度末"],
    ])])

    # a 序号 column nobody filled in, under a row numbering the columns
    book("empty-number-column.xlsx", [("台账", [
        ["序号", "问题", "整改措施", "责任单位", "完成时限"],
        ["（1）", "（2）", "（3）", "（4）", "（5）"],
        [None, "会议室使用管理不规范。", "制定会议室使用管理办法。", "办公室", "2024年6月底前"],
        [None, "公文处理不及时。", "建立公文督办机制。", "办公室", "2024年9月底前"],
        [None, "档案整理不规范。", "开展档案专项整理。", "档案室", "即知即改"],
    ])])

    # title on row 1, a 填报说明 note on row 2, the header on row 3
    book("header-under-notes.xlsx", [("Sheet1", [
        ["某区2024年审计查出问题整改台账"],
        ["说明：1.整改进展每月20日前更新；2.已完成事项请附佐证材料。", None, None, None, None, None],
        ["序号", "审计发现问题", "整改措施", "责任单位", "责任人", "整改时限"],
        [1, "部分项目资金拨付滞后。", "加快资金拨付进度。", "区财政局", "预算股股长 周平（电话：0371-6555001）", "2024年9月底前"],
        [2, "政府采购内控制度不健全。", "修订政府采购内控制度。", "区财政局", "采购股 吴敏 13900002222", "2024年12月底前并长期坚持"],
        [3, "国有资产出租未经评估。", "规范国有资产出租程序。", "区机关事务中心", "主任：郑强，电话：0371-6555003", "每季度末"],
    ])], merges={"Sheet1": ["A1:F1", "A2:F2"]})


# ---- Word -------------------------------------------------------------------------------

HEAD = ["序号", "问题", "整改措施", "责任单位", "整改时限"]


def word_plans() -> None:
    # one task table broken at a page break into two tables, the header repeated on the
    # second, the 序号 numbered by Word's 编号 button and running on from the first table
    doc = Document()
    doc.add_paragraph("某县关于省委巡视反馈问题整改任务清单")
    first = table(doc, [HEAD,
                        ["", "意识形态工作责任制落实不到位。", "制定意识形态工作责任清单。", "县委宣传部", "2024年6月底前"],
                        ["", "基层党组织软弱涣散。", "开展软弱涣散基层党组织整顿。", "县委组织部", "2024年12月底前"]])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    second = table(doc, [HEAD,
                         ["", "耕地“非农化”问题突出。", "开展耕地“非农化”专项整治。", "县自然资源局", "2024年底前并长期坚持"],
                         ["", "安全生产隐患排查不彻底。", "开展安全生产大排查。", "县应急管理局", "每季度末"]])
    for t in (first, second):
        for i in (1, 2):
            numbered(doc, t.cell(i, 0).paragraphs[0], 93)
    save_docx("table-after-page-break.docx", doc)

    # a 通知 whose 附件 is the task table, with measures numbered 1-1, 1-2 merged
    doc = Document()
    for line in ["某市人民政府办公室关于印发某市环境保护督察反馈问题整改方案的通知",
                 "各县（市、区）人民政府，市直有关部门：",
                 "《某市环境保护督察反馈问题整改方案》已经市政府同意，现印发给你们，请认真贯彻落实。",
                 "某市人民政府办公室", "2024年3月20日",
                 "附件", "某市环境保护督察反馈问题整改任务清单"]:
        doc.add_paragraph(line)
    t = table(doc, [["序号", "问题", "整改措施", "责任领导", "牵头单位", "责任单位", "整改时限"],
                    ["1-1", "大气污染防治不力，重污染天气频发。", "开展散煤清零行动。", "副市长 王立", "市发展改革委",
                     "各县（市、区）人民政府，市直有关部门", "2024年10月底前"],
                    ["1-2", "大气污染防治不力，重污染天气频发。", "开展重型柴油车专项执法。", "副市长 王立", "市公安局",
                     "市生态环境局、市交通运输局", "每季度末"],
                    ["2-1", "黑臭水体整治不彻底。", "开展黑臭水体排查整治。", "副市长 赵红", "市住建局",
                     "各县（市、区）人民政府，市水利局、市城管局等市直有关部门", "2020年6月底前完成，2021年底前巩固提升"]])
    merge_down(t, 1, 1, 2)
    merge_down(t, 3, 1, 2)
    save_docx("notice-annex-sub-numbered.docx", doc)


def numbered(doc: Any, paragraph: Any, num_id: int, fmt: str = "decimal", text: str = "%1") -> None:
    """Gives ``paragraph`` Word's automatic list number of list ``num_id`` (made on first use)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = doc.part.numbering_part.element
    if not any(n.get(qn("w:numId")) == str(num_id) for n in numbering.findall(qn("w:num"))):
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(num_id))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
        numbering.insert(0, abstract)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(num_id))
        num.append(ref)
        numbering.append(num)
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", str(num_id))):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        num_pr.append(child)
    paragraph._p.get_or_add_pPr().append(num_pr)


def group_rows() -> None:
    # the groups of tasks as rows of the table: 一 in the 序号 column, the name beside it
    doc = Document()
    doc.add_paragraph("某县关于县委巡察反馈问题整改任务清单")
    table(doc, [HEAD,
                ["一", "党的建设方面", "", "", ""],
                ["1", "“三会一课”制度落实不到位。", "开展“三会一课”专项检查。", "县委组织部", "2024年6月底前"],
                ["2", "发展党员程序不规范。", "开展发展党员工作专项检查。", "县委组织部", "2024年9月底前"],
                ["二", "作风建设方面", "", "", ""],
                ["1", "文山会海问题仍然存在。", "精简会议文件。", "县委办公室、县政府办公室", "即知即改"]])
    save_docx("group-rows-numbered.docx", doc)


def one_problem_merged() -> None:
    # the same rows in Word, the problem merged down over tasks 1 and 2
    doc = Document()
    doc.add_paragraph("某市生态环境问题整改任务清单")
    t = table(doc, [HEAD,
                    ["1", "城区建筑工地扬尘管控不到位。", "开展建筑工地扬尘专项整治。", "市住建局", "2024年6月底前"],
                    ["2", "城区建筑工地扬尘管控不到位。", "加强渣土运输车辆管理。", "市城管局", "2024年9月底前"],
                    ["3", "饮用水水源地保护区内存在违法建筑。", "拆除保护区内违法建筑。", "市水利局", "2024年12月底前"]])
    merge_down(t, 1, 1, 2)
    save_docx("numbered-rows-one-problem.docx", doc)


def plan_with_annex_table() -> None:
    # the plan's prose (with a 整改措施 section of its own), signed and dated, then on a new
    # page the 附件 task table: the table's rows are the tasks
    doc = Document()
    for line in ["某县关于落实市委巡察反馈意见的整改方案", "为抓好市委巡察反馈问题整改，制定本方案。",
                 "一、指导思想", "坚持问题导向，逐条逐项抓好整改。",
                 "二、整改措施", "（一）加强组织领导。成立整改工作领导小组。", "（二）建立整改台账。实行销号管理。",
                 "（三）强化督导检查。县委督查室定期督查。", "三、工作要求", "各单位要高度重视。",
                 "附件：某县巡察反馈问题整改任务清单", "中共某县委员会", "2024年5月8日"]:
        doc.add_paragraph(line)
    doc.add_page_break()
    doc.add_paragraph("附件")
    doc.add_paragraph("某县巡察反馈问题整改任务清单")
    table(doc, [["序号", "问题", "整改措施", "责任领导", "责任单位", "责任人", "完成时限"],
                ["1", "政治理论学习不深入。", "（1）健全学习制度；（2）开展专题研讨。", "县委副书记 王明", "县委办公室",
                 "主任：李华（13800138000）", "2024年底前并长期坚持"],
                ["2", "基层党组织建设薄弱。", "开展软弱涣散党组织整顿。", "县委常委、组织部部长 赵丽", "县委组织部",
                 "副部长：孙强", "即知即改"]])
    save_docx("plan-with-annex-table.docx", doc)


def auto_numbered() -> None:
    # the 序号 column and the measures numbered by Word's 编号 button: the cells hold no digits
    doc = Document()
    doc.add_paragraph("某区巡察反馈问题整改任务清单")
    rows: list[list[str | None]] = [HEAD,
                                    ["", "财务报销审核不严。", None, "区财政局", "2024年6月底前"],
                                    ["", "公务用车管理不规范。", None, "区机关事务中心", "2024年9月底前"],
                                    ["", "干部档案管理不规范。", "开展干部档案专项审核。", "区委组织部", "即知即改"]]
    t = table(doc, rows)
    for i in (1, 2, 3):
        numbered(doc, t.cell(i, 0).paragraphs[0], 91)
    for i, measures in ((1, ["修订财务报销制度；", "开展报销凭证专项检查。"]), (2, ["建立公车使用登记制度；", "安装车辆定位系统。"])):
        cell = t.cell(i, 2)
        cell.paragraphs[0].text = measures[0]
        cell.add_paragraph(measures[1])
        for paragraph in cell.paragraphs:
            numbered(doc, paragraph, 92, text="%1.")
    save_docx("auto-numbered-cells.docx", doc)


# ---- PDF --------------------------------------------------------------------------------


def pdfs() -> None:
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D

    from bot.charts import FONT_FILES

    font = next(path for path in FONT_FILES if Path(path).exists())
    small = FontProperties(fname=font, size=9)
    xs, height = [0.05, 0.12, 0.40, 0.68, 0.83, 0.97], 0.03
    # measures numbered 1-1, 1-2 under one problem, its cell blank below, over two pages
    pages = [
        [HEAD,
         ["1-1", "公共厕所保洁不到位", "落实保洁责任", "区环卫所", "2024年底前"],
         ["1-2", "", "开展公厕保洁考核", "区城管局", "每季度末"],
         ["2-1", "垃圾分类投放混乱", "开展分类督导", "各街道", "每季度末"]],
        [HEAD,
         ["3-1", "违规户外广告", "拆除违规广告", "区城管局", "即知即改"],
         ["4-1", "渣土车带泥上路", "设置冲洗设施", "区住建局", "2024年9月底前"],
         ["4-2", "", "加强渣土车执法检查", "区城管局", "2024年10月底前"]],
    ]
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for n, rows in enumerate(pages):
            fig = Figure(figsize=(8.27, 11.69))
            top = 0.9
            if n == 0:
                fig.text(0.5, 0.95, "某区城市管理问题整改任务清单", fontproperties=FontProperties(fname=font, size=14), ha="center")
            for i, row in enumerate(rows):
                y = top - i * height
                fig.add_artist(Line2D([xs[0], xs[-1]], [y, y], color="k", lw=0.8))
                for j, cell in enumerate(row):
                    fig.text(xs[j] + 0.005, y - height * 0.7, cell, fontproperties=small)
                for x in xs:
                    fig.add_artist(Line2D([x, x], [y, y - height], color="k", lw=0.8))
            bottom = top - len(rows) * height
            fig.add_artist(Line2D([xs[0], xs[-1]], [bottom, bottom], color="k", lw=0.8))
            fig.text(0.5, 0.03, f"- {n + 1} -", fontproperties=small, ha="center")
            pdf.savefig(fig)
    (HERE / "table-over-two-pages.pdf").write_bytes(buffer.getvalue())


if __name__ == "__main__":
    ledgers()
    word_plans()
    group_rows()
    one_problem_merged()
    plan_with_annex_table()
    auto_numbered()
    pdfs()
