"""The matcher on the Shangqiu plan: conversation-like cases and issue 6's quality targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.importer import parse_path
from bot.match_cli import run_match
from bot.match_eval import evaluate, load_devset
from bot.matching import Matcher, MatchTask, tokenizer

DATA = Path(__file__).parent / "data"
DEVSET = DATA / "devset.jsonl"
SHANGQIU_NAME = "shangqiu-2019-plan-35-tasks.txt"


def _shangqiu_path() -> Path:
    for path in (
        DATA / "import" / SHANGQIU_NAME,
        DATA.parent.parent.parent / "shared" / "seeds" / SHANGQIU_NAME,
    ):
        if path.is_file():
            return path
    pytest.skip("the Shangqiu seed plan is not available")


@pytest.fixture(scope="module")
def shangqiu() -> Matcher:
    return Matcher.from_plan(parse_path(_shangqiu_path()))


# ---------------------------------------------------------------- quality on the dev set


def test_dev_set_meets_issue_6_targets(shangqiu: Matcher) -> None:
    items = load_devset(DEVSET)
    reports = [i for i in items if i.kind == "report"]
    assert len(reports) >= 150
    assert len(items) - len(reports) >= 60
    q = evaluate(items, shangqiu.match)
    report = "\n".join([*q.lines(), *q.mistakes])
    assert q.accept_precision >= 0.98, report
    assert q.clear_accept_rate >= 0.60, report
    assert q.candidate_recall >= 0.98, report
    assert q.measure_accuracy >= 0.90, report
    assert q.false_report_rate <= 0.03, report


@pytest.mark.parametrize(
    ("plan", "holdout"),
    [
        ("baoding-2020-plan.txt", "holdout-baoding.jsonl"),
        ("wuxi-plan-pdf-extract.txt", "holdout-wuxi.jsonl"),
    ],
)
def test_held_out_plans_are_matched_without_wrong_accepts(plan: str, holdout: str) -> None:
    path = DATA / "import" / plan
    if not path.is_file():
        pytest.skip(f"{plan} is not available")
    q = evaluate(load_devset(DATA / holdout), Matcher.from_plan(parse_path(path)).match)
    report = "\n".join([*q.lines(), *q.mistakes])
    assert q.accept_precision >= 0.98, report
    assert q.candidate_recall >= 0.98, report
    assert q.clear_accept_rate >= 0.60, report


# ---------------------------------------------------------------- conversation


def test_a_clear_report_is_accepted_with_its_measure(shangqiu: Matcher) -> None:
    got = shangqiu.match("民权县水源地保护区生态搬迁已经完成")
    assert (got.intent, got.decision, got.accepted) == ("report", "accept", "1-10")
    assert got.accepted_measure == 1
    assert got.candidates[0].ref == "1-10"
    assert all(0 <= c.score <= 100 for c in got.candidates)


def test_two_water_source_tasks_make_the_bot_ask(shangqiu: Matcher) -> None:
    got = shangqiu.match("县里两个水源地的界碑都立好了，剩一个在验收")
    assert got.decision == "ask"
    assert got.accepted is None
    assert {"1-10", "1-14"} <= {c.ref for c in got.candidates}


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("扬城管控这周查了20个工地", "2-8"),
        ("黑丑水体整治这个月又完成两条", "1-12"),
        ("铸照企业排查完了", "2-4"),
        ("采沙监管长效机制建立了", "1-18"),
    ],
)
def test_ime_typos_still_find_the_task(shangqiu: Matcher, text: str, ref: str) -> None:
    assert shangqiu.match(text).candidates[0].ref == ref


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("双代改造宁陵县搞定了，剩下的户月底前弄完", "2-5"),
        ("电代煤气代煤入户改造完成九成", "2-5"),
        ("国Ⅲ柴油车禁限行区域划定了", "2-10"),
        ("公转铁：电厂铁路专用线已经开工", "2-15"),
    ],
)
def test_abbreviations_and_synonyms(shangqiu: Matcher, text: str, ref: str) -> None:
    assert shangqiu.match(text).candidates[0].ref == ref


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("柘城县铸造企业入园3家", "2-4"),
        ("睢县本周取缔散乱污企业3家", "2-14"),
        ("市财政局湿地保护资金拨付到位", "1-7"),
        ("永城市尾矿库风险评估完成", "1-17"),
    ],
)
def test_terse_reports_with_a_unit_or_county_are_accepted(
    shangqiu: Matcher, text: str, ref: str
) -> None:
    assert shangqiu.match(text).accepted == ref


def test_a_county_name_does_not_pull_towards_tasks_that_mention_it(shangqiu: Matcher) -> None:
    # 民权县 is written in 1-10 and 2-5 only; the report is about 散乱污 (2-14).
    got = shangqiu.match("民权县散乱污排查新发现2家，已取缔")
    assert got.accepted == "2-14"


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
        "早上好",
        "",
        "领导，我到了",
        "今天下雨了",
    ],
)
def test_chit_chat_is_nothing(shangqiu: Matcher, text: str) -> None:
    got = shangqiu.match(text)
    assert (got.intent, got.candidates, got.decision, got.accepted) == ("none", [], "nothing", None)


@pytest.mark.parametrize(
    "text",
    [
        "水源地到哪一步了？",
        "哪些任务逾期了",
        "扬尘这块谁负责",
        "市水利局还有几项没完成",
        "大气督察第8项谁牵头？",
    ],
)
def test_questions_are_never_accepted(shangqiu: Matcher, text: str) -> None:
    got = shangqiu.match(text)
    assert got.intent == "question"
    assert got.accepted is None and got.decision == "nothing"


def test_a_question_still_lists_the_tasks_it_is_about(shangqiu: Matcher) -> None:
    refs = [c.ref for c in shangqiu.match("水源地到哪一步了？").candidates]
    assert {"1-10", "1-14"} & set(refs)


@pytest.mark.parametrize(
    "text", ["明天去现场检查扬尘", "好的，散乱污的材料马上报", "领导，水源地那个事我下午跟您汇报"]
)
def test_talk_about_a_task_that_reports_nothing_is_not_a_report(
    shangqiu: Matcher, text: str
) -> None:
    got = shangqiu.match(text)
    assert (got.intent, got.decision, got.accepted) == ("none", "nothing", None)


def test_progress_without_a_task_is_not_guessed(shangqiu: Matcher) -> None:
    got = shangqiu.match("都弄完了，照片发群里了")
    assert got.intent == "report"
    assert got.accepted is None


def test_only_allowed_tasks_are_accepted(shangqiu: Matcher) -> None:
    text = "民权县水源地保护区生态搬迁已经完成"
    got = shangqiu.match(text, allowed_refs={"2-14"})
    assert got.decision == "ask" and got.accepted is None
    assert got.candidates[0].ref == "1-10"
    assert shangqiu.match(text, allowed_refs={"1-10"}).accepted == "1-10"


def test_the_reporters_unit_ranks_first(shangqiu: Matcher) -> None:
    text = "应急预案修订完了"
    plain = shangqiu.match(text)
    assert plain.accepted is None
    own = shangqiu.unit_refs("市应急管理局")
    got = shangqiu.match(text, unit="市应急管理局")
    assert got.candidates[0].ref in own
    assert got.accepted is None
    assert shangqiu.match(text, preferred_refs={"1-17"}).candidates[0].ref == "1-17"


def test_units_through_aliases_and_county_shares(shangqiu: Matcher) -> None:
    assert "2-8" in shangqiu.unit_refs("市城管局")  # the plan names it 市扬尘办
    assert shangqiu.unit_refs("市编办") == {"2-11"}
    county = shangqiu.unit_refs("睢县人民政府")
    assert {"2-14", "1-18", "2-5"} <= county  # 各县(市、区)人民政府 tasks
    assert "1-9" not in county  # 永城市 only


def test_jieba_keeps_plan_unit_names_whole(shangqiu: Matcher) -> None:
    assert tokenizer() is tokenizer()
    words = tokenizer().lcut("市生态环境局已完成")
    assert "市生态环境局" in words
    assert "局已" not in words


# ---------------------------------------------------------------- small plans


def _tasks() -> list[MatchTask]:
    return [
        MatchTask(
            "1",
            "散乱污企业整治",
            goal="散乱污企业动态清零",
            measures=["排查取缔散乱污企业", "建立网格化监管台账"],
            units=["市生态环境局"],
        ),
        MatchTask("2", "城市黑臭水体治理", measures=["截污纳管", "清淤疏浚"], units=["市城管局"]),
        MatchTask(
            "3", "饮用水水源地保护", measures=["界碑和隔离网建设", "水质监测"], units=["市水利局"]
        ),
    ]


def test_admin_synonyms_extend_the_packaged_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = Matcher.build(_tasks()).match("小作坊清理了5家，已经全部关停")
    assert before.candidates == [] or before.candidates[0].ref != "1" or before.accepted is None
    (tmp_path / "synonyms.txt").write_text("# 本地简称\n散乱污 小作坊\n", encoding="utf-8")
    monkeypatch.setenv("RECTIBOT_DATA_DIR", str(tmp_path))
    after = Matcher.build(_tasks()).match("小作坊清理了5家，已经全部关停")
    assert after.candidates[0].ref == "1"


def test_an_index_of_thousands_of_tasks_finds_the_one(monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = _tasks()
    filler = [
        MatchTask(
            f"9-{i}",
            f"第{i}项常规整改",
            measures=[f"按期推进整改工作第{i}批", "加强调度督办"],
            units=["各县(市、区)人民政府"],
        )
        for i in range(3000)
    ]
    matcher = Matcher.build([*filler, *tasks])
    got = matcher.match("县里水源地的界碑和隔离网都建好了")
    assert got.candidates[0].ref == "3"
    assert got.candidates[0].measure == 1


def test_measure_numbers_follow_the_plan() -> None:
    task = MatchTask(
        "7", "扬尘治理", measures=["道路机械化清扫", "工地六个百分百"], measure_nos=[3, 5]
    )
    got = Matcher.build([task, *_tasks()]).match("工地六个百分百都落实了")
    assert got.candidates[0].ref == "7"
    assert got.candidates[0].measure == 5


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400), top=st.integers(min_value=1, max_value=5))
def test_match_is_total_and_well_formed(shangqiu: Matcher, text: str, top: int) -> None:
    got = shangqiu.match(text, top=top, allowed_refs={"2-14"})
    assert got.intent in {"report", "question", "none"}
    assert got.decision in {"accept", "ask", "nothing"}
    assert len(got.candidates) <= top
    assert all(0 <= c.score <= 100 for c in got.candidates)
    assert got.accepted in (None, "2-14")
    assert got.accepted is None or (got.intent == "report" and got.decision == "accept")


# ---------------------------------------------------------------- rectibot match


def test_run_match_writes_the_design_contract(shangqiu: Matcher) -> None:
    lines = [
        "民权县水源地保护区生态搬迁已经完成\n",
        json.dumps({"text": "应急预案修订完了", "unit": "市应急管理局"}, ensure_ascii=False) + "\n",
        "收到\n",
        "{not json\n",
        "\n",
    ]
    out = list(run_match(lines, shangqiu, top=2, unit=None, plan_qualified=False))
    assert [set(o) for o in out] == [{"text", "intent", "candidates", "accepted"}] * 5
    assert out[0]["text"] == "民权县水源地保护区生态搬迁已经完成"
    assert out[0]["accepted"] == "1-10"
    assert out[0]["candidates"][0] == {
        "ref": "1-10",
        "measure": 1,
        "score": out[0]["candidates"][0]["score"],
    }
    assert len(out[0]["candidates"]) == 2
    assert out[1]["text"] == "应急预案修订完了"
    assert out[1]["candidates"][0]["ref"] in shangqiu.unit_refs("市应急管理局")
    assert out[2] == {"text": "收到", "intent": "none", "candidates": [], "accepted": None}
    assert out[3]["text"] == "{not json"
    assert out[4] == {"text": "", "intent": "none", "candidates": [], "accepted": None}
    json.dumps(out, ensure_ascii=False)


def test_run_match_qualifies_refs_of_several_plans() -> None:
    plans = {"sq": _tasks(), "bd": [MatchTask("1", "秸秆禁烧", measures=["网格化巡查秸秆焚烧"])]}
    out = list(run_match(["秸秆焚烧巡查全覆盖了"], plans, top=3, unit=None, plan_qualified=True))
    assert out[0]["candidates"][0]["ref"] == "bd:1"
    single = list(run_match(["截污纳管完成了"], _tasks(), top=3, unit=None, plan_qualified=False))
    assert single[0]["candidates"][0]["ref"] == "2"


def test_run_match_survives_a_message_longer_than_telegram_allows(shangqiu: Matcher) -> None:
    text = "散乱污企业动态清零" * 1000
    (out,) = run_match([text], shangqiu, top=3, unit=None, plan_qualified=False)
    assert out["text"] == text
    assert out["candidates"][0]["ref"] == "2-14"


@pytest.mark.parametrize(
    ("text", "ref", "measure"),
    [
        ("1-17完成了", "1-17", None),
        ("1-17号任务已经完成了", "1-17", None),
        ("任务1-5已完成80%", "1-5", None),
        ("1-10的措施2已完成", "1-10", 2),
        ("1－10第二条措施完成了", "1-10", 2),  # full-width hyphen, Chinese numeral
        ("1-17第二条已完成", "1-17", 2),  # 第二条 alone: a clause of the measures, not task 2
    ],
)
def test_a_task_named_by_its_number_is_taken(shangqiu: Matcher, text: str, ref: str, measure: int | None) -> None:
    got = shangqiu.match(text)
    assert (got.decision, got.accepted, got.candidates[0].measure, got.candidates[0].score) == ("accept", ref, measure, 100)


@pytest.mark.parametrize("text", [
    "完成1-2个点位整治", "2019-1-17前已完成排查", "PM2.5浓度下降了10%", "完成了17座",
    "今天开展检查17次，发现问题17个", "排查问题12个，已整改10个",  # counts after 问题, not 问题十七
    "公务接待第二条已完成，新的接待管理办法9月3日印发",
])
def test_numbers_that_are_not_task_numbers_name_no_task(shangqiu: Matcher, text: str) -> None:
    got = shangqiu.match(text)
    assert all(c.score < 100 for c in got.candidates)


def test_a_number_two_annexes_share_is_asked_unless_only_one_is_the_senders(shangqiu: Matcher) -> None:
    got = shangqiu.match("第3项完成了一半")
    assert got.decision == "ask" and [c.ref for c in got.candidates[:2]] == ["1-3", "2-3"]
    assert shangqiu.match("第3项完成了一半", allowed_refs={"2-3"}).accepted == "2-3"
    question = shangqiu.match("1-17什么时候到期")
    assert question.intent == "question" and question.accepted is None and question.candidates[0].ref == "1-17"
    assert shangqiu.match("1-17").intent == "none"  # a bare number reports nothing
