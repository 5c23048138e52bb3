from __future__ import annotations

from bot.importer import parse_bytes
from bot.importer.names import person_names, split_people, split_units, split_written


def test_padded_two_character_names_are_joined() -> None:
    assert split_people("吴祖明,张  弛,张家明") == ["吴祖明", "张弛", "张家明"]
    assert split_people("张 弛、李建仓") == ["张弛", "李建仓"]
    assert split_people("王战营 张建慧") == ["王战营", "张建慧"]
    assert split_people(" ") == []


def test_descriptors_never_become_people() -> None:
    assert person_names("各责任单位主要负责同志") == []
    assert person_names("责任单位主要负责同志") == []
    assert person_names("市审计局主要负责同志") == []
    assert person_names("张三、李四") == ["张三", "李四"]
    assert person_names("依纪依规严肃问责") == []
    assert person_names("李和平、张三和李四") == ["李和平", "张三", "李四"]


def test_units_split_on_separators_and_joiners_between_units() -> None:
    split = split_units("市应急管理局和各县(市、区)党委和人民政府、市城乡一体化示范区党工委和管委会")
    assert split.names == ["市应急管理局", "各县(市、区)党委和人民政府", "市城乡一体化示范区党工委和管委会"]
    assert split_units("市农业农村局以及各县(市、区)人民政府(管委会)").names == [
        "市农业农村局",
        "各县(市、区)人民政府(管委会)",
    ]
    assert split_units("市工业和信息化局,市住房和城乡建设局").names == ["市工业和信息化局", "市住房和城乡建设局"]
    assert split_units("各县市党委和政府").names == ["各县市党委和政府"]
    assert split_units("及各县(市、区)人民政府(管委会)").names == ["各县(市、区)人民政府(管委会)"]


def test_a_list_of_places_is_not_cut_into_units() -> None:
    text = "自贡、攀枝花、绵阳、南充、宜宾、广安、达州、资阳8个市党委、政府"
    assert split_units(text).names == [text]


def test_aliases_in_brackets_even_when_broken() -> None:
    split = split_units("市扬尘办(市城管局")
    assert split.names == ["市扬尘办"] and split.aliases == {"市扬尘办": "市城管局"}
    split = split_units("市散烧办(市市场监督管理局)")
    assert split.names == ["市散烧办"] and split.aliases == {"市散烧办": "市市场监督管理局"}
    assert split_units("各县(市、区)人民政府(管委会)").aliases == {}


def test_unit_broken_by_a_line_break_is_joined() -> None:
    assert split_units("市生态环\n境局,市水\n利局").names == ["市生态环境局", "市水利局"]


def test_glued_units_split_by_known_names() -> None:
    known = {"市生态环境局", "市水利局", "市城管局"}
    assert split_units("市生态环境局市水利局", known).names == ["市生态环境局", "市水利局"]
    assert split_units("市城管局市生态环境局").names == ["市城管局", "市生态环境局"]
    assert split_units("市市场监督管理局").names == ["市市场监督管理局"]


def test_descriptors_never_become_units() -> None:
    assert split_units("各责任单位主要负责同志").names == []
    assert split_units("市生态环境局,市商务局主要负责同志").names == ["市生态环境局", "市商务局"]


def test_principals_are_kept_as_written() -> None:
    assert split_written("市纪委监委常务负责同志,市环境保护督察整改推进工作组办公室主任") == [
        "市纪委监委常务负责同志",
        "市环境保护督察整改推进工作组办公室主任",
    ]
    assert split_written("各牵头单位主要负责同志(主要负责同志为市领导的,常务副职作为责任人,下同)") == [
        "各牵头单位主要负责同志(主要负责同志为市领导的,常务副职作为责任人,下同)"
    ]


PLAN = """某县整改方案
附件1
任务清单
一、饮用水水源地保护不到位
整改目标:水源地达标。
整改措施:
1.排查。
2.整治。
责任领导:李  明
牵头单位:县水利局(县河长办)
责任单位:县生态环
境局,县住建局和各乡(镇)人民政府
配合单位:县财政局
责任人:张三、各责任单位主要负责同志
整改时限:2019年6月底前
二、扬尘管控不力
整改措施:加强工地管理。
责任领导:王小红牵头单位:县住建局责任单位:县城管局县生态环境局整改时限:9月底前
"""


def test_names_in_a_whole_plan() -> None:
    plan = parse_bytes(PLAN.encode(), "plan.txt")
    first, second = plan.tasks
    assert first.leaders == ["李明"]
    assert first.lead_units == ["县水利局"]
    assert plan.aliases == {"县水利局": "县河长办"}
    assert first.units == ["县生态环境局", "县住建局", "各乡(镇)人民政府"]
    assert first.supporting_units == ["县财政局"]
    assert first.persons == ["张三"]
    assert second.leaders == ["王小红"]
    assert second.lead_units == ["县住建局"]
    assert second.units == ["县城管局", "县生态环境局"]
    assert plan.year == 2019
    assert [m.due.isoformat() for m in second.deadline.milestones if m.due] == ["2019-09-30"]


def test_a_post_written_before_a_two_character_name_is_dropped() -> None:
    assert person_names("县委书记张伟，县长刘洋") == ["张伟", "刘洋"]
    assert person_names("欧阳修远、局长王海") == ["欧阳修远", "王海"]


def test_a_trailing_etc_is_not_part_of_the_unit() -> None:
    assert split_units("市教育局等相关部门").names == ["市教育局"]
    assert split_units("市财政局、市审计局等有关单位").names == ["市财政局", "市审计局"]


def test_bank_branches_and_customs_end_like_units() -> None:
    assert split_units("人民银行某某市分行、市财政局").names == ["人民银行某某市分行", "市财政局"]
    assert split_units("某某海关、市商务局").names == ["某某海关", "市商务局"]


def test_places_that_open_with_a_joiner_keep_it() -> None:
    """和平社区 and 和田县 are names, not "and 平社区"; a joiner before 市/县/各… still joins."""
    split = split_units("城关镇，东城街道，和平社区 和顺乡")
    assert split.names == ["城关镇", "东城街道", "和平社区", "和顺乡"]
    assert split_units("市水利局，和市农业农村局").names == ["市水利局", "市农业农村局"]


def test_places_listed_with_spaces_are_units_of_their_own() -> None:
    split = split_units("城关街道 东关街道办事处 新华社区居委会 胜利村村民委员会")
    assert split.names == ["城关街道", "东关街道办事处", "新华社区居委会", "胜利村村民委员会"]


def test_glued_units_are_cut_before_a_town_or_a_collective() -> None:
    """A printed list that lost its spaces: each unit suffix followed by 镇…/各村… opens the
    next unit; 县委乡镇工作办公室 and a 乡村振兴 centre stay whole."""
    assert split_units("镇应急管理办公室镇综合行政执法队各村(社区)").names == [
        "镇应急管理办公室", "镇综合行政执法队", "各村(社区)"
    ]
    assert split_units("县民政局各乡镇人民政府").names == ["县民政局", "各乡镇人民政府"]
    assert split_units("县委乡镇工作办公室").names == ["县委乡镇工作办公室"]
    assert split_units("县农业农村局乡村振兴服务中心").names == ["县农业农村局乡村振兴服务中心"]
