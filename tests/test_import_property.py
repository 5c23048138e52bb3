"""Damaged documents: truncated, shuffled, noised. The importer either reads them or says
why not (PlanReadError) — and never dates a milestone with a year the text does not name."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.deadlines import parse_deadline
from bot.importer import PlanReadError, parse_bytes
from bot.plandata import ParsedPlan

DATA = Path(__file__).parent / "data" / "import"
SEEDS = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
NOISE = [
    *"0123456789年月日底前至-,:、。()一二三四五六七八九十是 \n\t",
    "整改时限:", "责任单位:", "附件1\n", "一、", "(一)", "1.", "20", "立行立改", "上半年", "第一季度",
]


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    lines = text.splitlines()
    if draw(st.booleans()):
        start = draw(st.integers(0, len(lines)))
        end = draw(st.integers(start, len(lines)))
        lines = lines[start:end]
    shuffle = draw(st.booleans())
    if lines and shuffle:
        order = draw(st.permutations(range(len(lines))))
        keep = draw(st.integers(1, len(lines)))
        lines = [lines[i] for i in order[:keep]]
    text = "\n".join(lines)
    for _ in range(draw(st.integers(0, 12))):
        where = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:where] + draw(st.sampled_from(NOISE)) + text[where:]
        else:
            text = text[:where] + text[where + draw(st.integers(1, 5)) :]
    return text


def years_are_in_text(plan: ParsedPlan, text: str) -> None:
    for task in plan.tasks:
        for milestone in task.deadline.milestones:
            for day in (milestone.due, milestone.start):
                if day is not None:  # "25年1月15日前" is 2025, as officials write it
                    assert str(day.year) in text or f"{day.year % 100:02d}年" in text, (task.ref, task.deadline.text, day)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_documents_never_crash_or_invent_dates(text: str) -> None:
    try:
        plan = parse_bytes(text.encode("utf-8"), "damaged.txt")
    except PlanReadError as err:
        assert err.code in {"empty", "not_a_plan", "undecodable"}
        return
    assert plan.tasks
    years_are_in_text(plan, text)
    assert len({t.ref for t in plan.tasks}) == len(plan.tasks)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([*NOISE, *"整改完成持续推进立即"]), max_size=20).map("".join),
    st.none() | st.integers(2000, 2030),
)
def test_deadline_years_come_from_the_text_or_the_plan(text: str, plan_year: int | None) -> None:
    deadline = parse_deadline(text, plan_year)
    for m in deadline.milestones:
        for day in (m.due, m.start):
            if day is not None:
                # a two-digit year ("19年底前") is read too: its last two digits are in the text
                written = str(day.year) in text or f"{day.year % 100:02d}年" in text
                assert written or day.year in {plan_year, (plan_year or 0) + 1}
                if m.start and m.due:
                    assert m.start <= m.due


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="零一二三四五六七八九十百千〇两年月日号前底第项、", max_size=12))
def test_malformed_chinese_numerals_are_text(text: str) -> None:
    """cn2an raises on numerals like 十十五; the importer keeps such text as text."""
    parse_deadline(text, 2019)
    document = f"某市整改方案\n附件1\n{text}、问题\n责任单位:市水利局\n整改时限:{text}\n"
    try:
        parse_bytes(document.encode(), "plan.txt")
    except PlanReadError as err:
        assert err.code == "not_a_plan"


def _office_samples() -> list[tuple[str, bytes]]:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "问题", "整改措施", "责任单位"])
    ws.append([1, "扬尘管控不力", "1.加强工地管理", "市住建局"])
    ws.merge_cells("B2:B3")
    buffer = io.BytesIO()
    wb.save(buffer)
    return [("plan.docx", (DATA / "shangqiu-annex2-table.docx").read_bytes()), ("ledger.xlsx", buffer.getvalue())]


OFFICE = _office_samples()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(OFFICE),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=20),
    st.none() | st.floats(0, 1),
)
def test_damaged_office_files_fail_cleanly(
    sample: tuple[str, bytes], flips: list[tuple[float, int]], cut: float | None
) -> None:
    name, original = sample
    data = bytearray(original)
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    try:
        parse_bytes(bytes(data), name)
    except PlanReadError as err:
        assert err.code in {"corrupt", "empty", "not_a_plan", "unsupported_type"}
