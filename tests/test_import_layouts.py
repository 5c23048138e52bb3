"""Layouts of plans met in the field beyond the seeds: fields side by side, label variants,
posts before names, unit lists without separators the seeds use, measures with their own
responsibility and deadline."""

from __future__ import annotations

from datetime import date

from bot.importer import parse_bytes
from bot.importer.fields import split_measures
from bot.importer.names import person_names, split_units


def plan_of(text: str):  # type: ignore[no-untyped-def]
    return parse_bytes(text.encode(), "plan.txt")


def test_several_labelled_fields_on_one_line_separated_by_spaces() -> None:
    text = """某局巡察整改方案
二、整改任务
1.党组主体责任落实不到位。
整改措施:1.专题研究;2.签订责任书。
责任领导:王建国 责任单位:局办公室、机关党委 整改时限:2024年12月31日前
2.财务管理不规范。
整改措施:全面自查。
责任领导:刘洋 牵头单位:计划财务股 整改时限:2024年10月底前
"""
    first, second = plan_of(text).tasks
    assert first.leaders == ["王建国"]
    assert first.units == ["局办公室", "机关党委"]
    assert [m.due for m in first.deadline.milestones] == [date(2024, 12, 31)]
    assert (second.leaders, second.lead_units) == (["刘洋"], ["计划财务股"])


def test_label_variants() -> None:
    text = """某县审计整改方案
问题一:暂付款清理进度缓慢。
整改牵头单位:县财政局
主要责任单位:县住房和城乡建设局、县交通运输局
整改责任人:赵刚
分管县领导:李强
整改目标任务:年底前消化30%。
整改措施:制定分年度消化计划。
时间节点:2024年12月31日前
问题二:项目超概算。
整改牵头单位:县发展和改革局
包联领导:王明
整改措施:逐一核查。
完成时间节点:2025年3月31日前
"""
    first, second = plan_of(text).tasks
    assert (first.ref, first.title) == ("1", "暂付款清理进度缓慢")
    assert first.lead_units == ["县财政局"]
    assert first.units == ["县住房和城乡建设局", "县交通运输局"]
    assert (first.persons, first.leaders) == (["赵刚"], ["李强"])
    assert first.goal == "年底前消化30%。"
    assert [m.due for m in first.deadline.milestones] == [date(2024, 12, 31)]
    assert (second.ref, second.leaders) == ("2", ["王明"])
    assert [m.due for m in second.deadline.milestones] == [date(2025, 3, 31)]


def test_a_post_before_a_name_is_dropped() -> None:
    assert person_names("县委常委、副县长 李强") == ["李强"]
    assert person_names("副区长 周建华、区长 吴刚") == ["周建华", "吴刚"]
    assert person_names("党组成员、副局长 杨帆") == ["杨帆"]
    assert person_names("镇长 马超、站长 胡斌") == ["马超", "胡斌"]
    assert person_names("计划财务股股长陈静") == ["陈静"]
    assert person_names("副镇长刘勇、所长李斌") == ["刘勇", "李斌"]
    assert person_names("李长江、赵长") == ["李长江", "赵长"]


def test_a_post_alone_is_not_an_unread_leader() -> None:
    text = """某县整改方案
二、整改任务
1.污水处理厂超负荷运行。
整改措施:扩建污水处理厂。
责任领导:县委常委、副县长 李强
牵头单位:县住建局
整改时限:2025年6月底前
"""
    plan = plan_of(text)
    assert plan.tasks[0].leaders == ["李强"]
    assert plan.warnings == []


def test_unit_lists_with_units_of_unusual_endings() -> None:
    assert split_units("县民政局、县医保局、县人社局、县残联").names == ["县民政局", "县医保局", "县人社局", "县残联"]
    assert split_units("县科协、县工商联、市妇联").names == ["县科协", "县工商联", "市妇联"]
    assert split_units("市住房和城乡建设局、各区人民政府、各物业服务企业").names == [
        "市住房和城乡建设局", "各区人民政府", "各物业服务企业",
    ]
    assert split_units("市医疗质量控制中心、各二级以上医疗机构").names == ["市医疗质量控制中心", "各二级以上医疗机构"]
    assert split_units("镇自然资源所、相关村").names == ["镇自然资源所", "相关村"]


def test_units_one_a_line_or_separated_by_spaces() -> None:
    assert split_units("县生态环境分局\n县城管局\n城关镇").names == ["县生态环境分局", "县城管局", "城关镇"]
    assert split_units("区住建局\n区城管局\n各街道办事处").names == ["区住建局", "区城管局", "各街道办事处"]
    assert split_units("县卫健局 县生态环境分局 各乡镇人民政府").names == ["县卫健局", "县生态环境分局", "各乡镇人民政府"]
    assert split_units("市 水 利 局 市 林 业 局").names == ["市水利局", "市林业局"]
    assert split_units("市委\n宣传部").names == ["市委宣传部"]
    assert split_units("市生态环\n境局").names == ["市生态环境局"]


def test_lead_and_supporting_units_written_in_the_units_field() -> None:
    text = """某市整改方案
一、整改任务
1.老旧小区改造滞后。
整改措施:加快施工。
责任单位:市住房和城乡建设局(牵头)、市财政局
整改时限:2024年6月底前
2.燃气安全检查覆盖不全。
整改措施:入户检查。
责任单位:市城市管理局牵头,市应急管理局、市市场监督管理局配合
整改时限:2024年12月底前
"""
    first, second = plan_of(text).tasks
    assert first.lead_units == ["市住房和城乡建设局"]
    assert first.units == ["市住房和城乡建设局", "市财政局"]
    assert second.lead_units == ["市城市管理局"]
    assert second.supporting_units == ["市应急管理局", "市市场监督管理局"]


def test_a_measure_number_followed_by_a_date() -> None:
    text = """某县整改方案
二、整改任务
1.水源保护区违规建筑未清理。
整改措施:
1、全面排查,建立清单;
2、2024年第三季度完成一级保护区清理;
3.2024年11月30日前完成二级保护区清理;
4.12月底前完成验收,投资3.5万元。
牵头单位:县生态环境分局
整改时限:2024年12月底前
"""
    (task,) = plan_of(text).tasks
    assert [m.text for m in task.measures] == [
        "全面排查,建立清单;",
        "2024年第三季度完成一级保护区清理;",
        "2024年11月30日前完成二级保护区清理;",
        "12月底前完成验收,投资3.5万元。",
    ]


def test_each_measure_with_its_units_and_deadline_in_brackets() -> None:
    text = """某市督察整改方案
二、整改任务
(一)大气污染防治推进不力。
整改措施:
1.深化工业企业深度治理,完成12家企业超低排放改造。(责任单位:市生态环境局、市工业和信息化局;完成时限:2024年10月底前)
2.加强移动源污染管控。(责任单位:市交通运输局;完成时限:2024年12月底前)
3.强化扬尘污染管控(责任单位:市城市管理局,完成时限:长期坚持);
责任领导:黄志远
牵头单位:市生态环境局
(二)危废管理不到位。
整改措施:开展专项整治。
责任单位:市生态环境局
整改时限:2024年9月30日前
"""
    task = plan_of(text).tasks[0]
    assert [m.text for m in task.measures] == [
        "深化工业企业深度治理,完成12家企业超低排放改造。",
        "加强移动源污染管控。",
        "强化扬尘污染管控;",
    ]
    assert task.units == ["市生态环境局", "市工业和信息化局", "市交通运输局", "市城市管理局"]
    assert [(m.due, m.text) for m in task.deadline.milestones] == [
        (date(2024, 10, 31), "深化工业企业深度治理"),
        (date(2024, 12, 31), "加强移动源污染管控"),
    ]
    assert task.deadline.ongoing
    assert task.deadline.text == "2024年10月底前；2024年12月底前；长期坚持"


def test_task_fields_in_one_bracket_after_the_task() -> None:
    text = """某市教育局巡视整改方案
二、整改任务和措施
(一)关于立德树人不够有力的问题
1.思政教育实效性不强。整改措施:一是健全一体化机制;二是实施能力提升工程。(责任领导:孙建平;牵头单位:思政科;责任单位:各县区教育局、市直各学校;完成时限:2024年12月底前)
2.校外培训治理存在反弹。整改措施:一是开展专项治理;二是建立举报制度。
(责任领导:马丽;牵头单位:监管科;责任单位:市公安局;完成时限:2025年1月底前,长期坚持)
(二)关于经费管理不规范的问题
3.资助资金发放不及时。整改措施:开展全面核查。
责任领导:马丽;牵头单位:资助中心;完成时限:2024年11月中旬
"""
    tasks = plan_of(text).tasks
    assert [(t.ref, t.problem) for t in tasks] == [
        ("1", "思政教育实效性不强。"), ("2", "校外培训治理存在反弹。"), ("3", "资助资金发放不及时。"),
    ]
    first, second, third = tasks
    assert [m.text for m in first.measures] == ["健全一体化机制;", "实施能力提升工程。"]
    assert (first.leaders, first.lead_units, first.units) == (["孙建平"], ["思政科"], ["各县区教育局", "市直各学校"])
    assert [m.due for m in first.deadline.milestones] == [date(2024, 12, 31)]
    assert (second.leaders, second.units, second.deadline.ongoing) == (["马丽"], ["市公安局"], True)
    assert [m.text for m in third.measures] == ["开展全面核查。"]
    assert third.lead_units == ["资助中心"]


def test_measure_numbers_of_table_cells_are_not_kept() -> None:
    assert split_measures(["（1）盘活闲置资金；", "（2）加快项目实施进度；", "（3）建立通报机制"])[1] == [
        "盘活闲置资金；", "加快项目实施进度；", "建立通报机制",
    ]
    assert split_measures(["1）健全责任清单；", "2）建立响应机制"])[1] == ["健全责任清单；", "建立响应机制"]
    assert split_measures(["（1）全面排查路段；（2）2024年国庆节前完成标志设置；（3）完成护栏安装"])[1] == [
        "全面排查路段；", "2024年国庆节前完成标志设置；", "完成护栏安装",
    ]
    assert split_measures(["追回违规资金，调整账目；对相关责任人进行约谈"])[1] == [
        "追回违规资金，调整账目；", "对相关责任人进行约谈",
    ]


def test_an_annexed_plan_is_titled_without_its_annex_mark() -> None:
    text = """附件1
中共某某市教育局委员会关于巡视反馈意见整改工作方案
二、整改任务
1.思政教育实效性不强。
整改措施:健全机制。
责任单位:思政科
完成时限:2024年12月底前
2.校外培训反弹。
整改措施:专项治理。
责任单位:监管科
完成时限:2025年1月底前
"""
    plan = plan_of(text)
    assert plan.title == "中共某某市教育局委员会关于巡视反馈意见整改工作方案"
    assert [t.ref for t in plan.tasks] == ["1", "2"]


def test_a_task_breakdown_table_is_a_title() -> None:
    text = """某某县河湖长制暗访发现问题整改任务分解表
问题1:河道两岸垃圾堆积。
整改措施:清理垃圾。
责任单位:县城管局
整改时限:2024年6月底前
"""
    assert plan_of(text).title == "某某县河湖长制暗访发现问题整改任务分解表"
