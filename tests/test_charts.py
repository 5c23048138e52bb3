"""/chart: the PNG renders with a CJK font, and any missing-glyph warning fails the test."""

from __future__ import annotations

import struct
import warnings
from datetime import date
from pathlib import Path

import pytest

from bot.charts import ChartData, FontMissing, by_lead_unit, cjk_font, progress_series, render_png
from bot.config import Settings
from bot.status import StatusClass
from tests.scenario import converse
from tests.test_queries import LEADER, MEMBER, START
from tests.test_queries_seed import PLAN, TZ, at, ledger_on, seed_plan


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_the_cjk_font_is_installed_and_found() -> None:
    font = cjk_font()
    assert font.is_file(), "run scripts/install-system-deps (fonts-wqy-microhei)"
    with pytest.raises(FontMissing):
        cjk_font("/nonexistent/font.ttc")


def test_both_panels_render_without_a_missing_glyph(tmp_path: Path) -> None:
    counts = dict.fromkeys(StatusClass, 0)
    rows = [
        ("市环境保护督察整改推进工作组办公室", {**counts, StatusClass.OVERDUE: 2, StatusClass.NOT_REPORTED: 3}),
        ("市生态环境局", {**counts, StatusClass.ON_TRACK: 4, StatusClass.SIGNED_OFF: 1}),
        ("各县(市、区)人民政府(管委会)", {**counts, StatusClass.DUE_SOON: 1}),
    ]
    series = [(date(2019, 1, d), 3.0 * d, float(d)) for d in range(1, 11)]
    for lang in ("zh_CN", "en"):
        path = tmp_path / f"chart-{lang}.png"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            render_png(ChartData(date(2019, 1, 10), rows, series), lang, path)
        glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
        assert not glyphs, glyphs
        width, height = png_size(path)
        assert width > 600 and height > 500


async def test_chart_data_from_the_ledger(settings: Settings) -> None:
    await seed_plan(settings, signed_off=(("1-9", "市自然资源和规划局"),))
    ledger = await ledger_on(settings, date(2019, 1, 10))
    rows = dict(by_lead_unit(ledger, "其他单位", "未明确"))
    assert rows["市生态环境局"][StatusClass.OVERDUE] == 1  # 1-10
    assert sum(sum(r.values()) for r in rows.values()) >= 35
    history = [(t.id, s.unit_id, s.last_report_at, s.percent) for t in ledger for s in t.shares if s.last_report_at and s.percent]
    series = progress_series(ledger, history, TZ)
    assert series[-1][0] == date(2019, 1, 10) and len(series) == 30
    day = {d: (mean, signed) for d, mean, signed in series}
    assert day[date(2019, 1, 4)][1] == 0 and day[date(2019, 1, 5)][1] > 0  # signed off on the 5th
    assert day[date(2019, 1, 9)][0] > day[date(2019, 1, 6)][0]  # reports on the 7th, 8th and 9th
    assert at("2019-01-08T10:00").date() == date(2019, 1, 8)


async def test_chart_through_the_bot(settings: Settings) -> None:
    await seed_plan(settings)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = await converse(
            settings,
            [START, LEADER, MEMBER, {"as": 1002, "text": "/chart"}, {"as": 2001, "text": "/chart"},
             {"as": 1002, "text": "给我一张图"}],
            plans=[PLAN],
        )
    photos = [o for o in out if o.get("photo")]
    assert [p["chat"] for p in photos] == [1002, 2001, 1002]  # "给我一张图" is the chart too
    assert "共 35 项任务，逾期 2 项" in photos[0]["text"]
    assert "共 18 项任务，逾期 1 项" in photos[1]["text"]
    assert png_size(Path(photos[0]["photo"]))[0] > 600


def test_the_glyph_check_catches_a_font_without_chinese(tmp_path: Path) -> None:
    """The check above is not vacuous: a Latin-only font gives glyph warnings."""
    import matplotlib

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    data = ChartData(date(2019, 1, 10), [("市生态环境局", dict.fromkeys(StatusClass, 1))], [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_png(data, "zh_CN", tmp_path / "latin.png", font=latin)
    assert any("missing from font" in str(w.message) for w in caught)
