"""Report, question or chit-chat, on lines as they appear in a work group."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.intent import Intent, classify, has_progress, is_chitchat, states_progress


@pytest.mark.parametrize(
    "text",
    [
        "水源地到哪一步了？",
        "哪些任务逾期了",
        "扬尘这块谁负责",
        "市水利局还有几项没完成",
        "本周有什么进展",
        "大气督察第8项谁牵头？",
        "散乱污清零了吗",
        "秋冬季攻坚方案下发了没有",
        "2-14进展如何",
        "帮我查一下逾期任务",
    ],
)
def test_questions(text: str) -> None:
    assert classify(text) is Intent.QUESTION


@pytest.mark.parametrize(
    "text",
    [
        "收到",
        "好的领导",
        "发错群了",
        "谢谢",
        "明白",
        "👍",
        "[强]",
        "[抱拳][抱拳]",
        "收到，马上落实",
        "早上好",
        "各位领导下午好",
        "ok👌",
        "",
        "   ",
        "撤回了一条消息",
        "@所有人 请各单位明天下班前报送本旬进展",
        "请大家按时参会",
    ],
)
def test_chit_chat_and_notices(text: str) -> None:
    assert classify(text) is Intent.NONE


@pytest.mark.parametrize(
    "text",
    [
        "县里两个水源地的界碑都立好了，剩一个在验收",
        "市生态环境局已完成散乱污排查",
        "双替代完成8000户，剩2000户年底前完成",
        "网箱养殖都拆了",
        "民权县水源地保护区生态搬迁已经完成，照片3张见上",
        "已完成整改，需要提交什么材料？",
        "那几个点都排查过了，没有隐患",
    ],
)
def test_reports(text: str) -> None:
    assert classify(text) is Intent.REPORT


def test_a_question_after_a_progress_statement_is_still_a_report() -> None:
    assert classify("界碑都立好了，什么时候验收？") is Intent.REPORT
    assert classify("界碑什么时候立？") is Intent.QUESTION


def test_chitchat_detection_ignores_stickers_and_mentions() -> None:
    assert is_chitchat("@张科长 收到[OK]")
    assert not is_chitchat("@张科长 台账已建好")


def test_progress_words() -> None:
    assert has_progress("都弄完了")
    assert has_progress("完成八成")
    assert has_progress("剩两个")
    assert not has_progress("好的领导")


@pytest.mark.parametrize(
    "text",
    [
        "开展了两轮",
        "铸造行业散乱污清单已移交环保部门",
        "出厂水、管网水、末梢水抽检都合格",
        "网格员每天在巡",
    ],
)
def test_work_done_without_a_ledger_word_is_progress(text: str) -> None:
    assert states_progress(text)


@pytest.mark.parametrize(
    "text",
    [
        "明天去现场检查扬尘",
        "散乱污的事明天再说",
        "领导，水源地那个事我下午跟您汇报",
        "省里下周来检查，请各县做好准备",
    ],
)
def test_plans_and_errands_are_not_progress(text: str) -> None:
    assert not states_progress(text)


@given(st.text(max_size=300))
def test_classify_is_total(text: str) -> None:
    assert classify(text) in set(Intent)


@pytest.mark.parametrize("text", ["好的收到，谢谢整改办", "收到！马上办", "好的，我们抓紧", "thanks!", "ok thank you"])
def test_everyday_acknowledgements_are_small_talk(text: str) -> None:
    from bot.intent import is_chitchat

    assert is_chitchat(text)


def test_english_progress_is_progress() -> None:
    from bot.intent import states_progress

    assert states_progress("1-17: 10 of 12 sites inspected") and states_progress("survey finished")
    assert not states_progress("will check tomorrow")


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("下周开始排查尾矿库", True),
        ("准备下月启动水源地整治", True),
        ("1-13 计划月底完成", True),
        ("1-17 力争3月底前完成100%", True),
        ("1-16 本旬无新进展", False),  # no news is the period's word, not a next step
        ("目前完成60%，预计月底完成100%", False),
        ("尾矿库排查已完成", False),
    ],
)
def test_a_next_step_alone_is_told_apart(text: str, only: bool) -> None:
    from bot.intent import next_step_only

    assert next_step_only(text) is only
    assert not states_progress("下一步将全面完成尾矿库排查") and not states_progress("力争月底前完成100%")


def test_saying_there_is_no_problem_is_no_question() -> None:
    assert classify("秸秆禁烧这块没啥问题") is not Intent.QUESTION
    assert classify("1-17尾矿库排查下个礼拜全部搞完") is not Intent.QUESTION  # 排查下个礼拜 is no 查下
    assert classify("帮我查下逾期任务") is Intent.QUESTION and classify("还有啥没弄") is Intent.QUESTION


@pytest.mark.parametrize(
    "text",
    ["大家辛苦了，周末愉快", "Noted with thanks", "Well received, have a nice weekend!", "祝大家工作顺利", "不好意思，刚才发错了"],
)
def test_wishes_and_english_acknowledgements_are_small_talk(text: str) -> None:
    from bot.intent import is_chitchat

    assert is_chitchat(text) and classify(text) is Intent.NONE


@pytest.mark.parametrize(
    ("text", "promise"),
    [
        ("收到，正在办", True), ("已安排专人对接", True), ("收到，我们抓紧推进", True), ("收到！坚决完成任务", True),
        ("我们正在整理材料，下午报", True), ("材料已经报给整改办了", True),
        ("1-17正在办", False), ("尾矿库正在处理", False), ("正在推进", False), ("收到", False),
    ],
)
def test_a_promise_to_act_is_no_report(text: str, promise: bool) -> None:
    from bot.intent import promises_to_act

    assert promises_to_act(text) is promise
    if promise:
        assert classify(text) is Intent.NONE


def test_no_news_said_the_everyday_way() -> None:
    from bot.intent import no_news

    assert no_news("1-18 没啥进展") and no_news("本旬还是老样子") and not no_news("1-18 完成80%")
