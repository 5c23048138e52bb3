"""``/chart``: tasks by lead unit stacked by status class, and overall progress over time.

Rendered with matplotlib's Agg canvas directly (no pyplot: no global figure state shared
between turns) and with a CJK font found by file path or family name. Matplotlib's
default fonts have no Chinese glyphs and would draw empty boxes with only a warning, so a
missing font is an error here (``FontMissing``), and the tests fail on any glyph warning.
The project's setup installs Debian's fonts-wqy-microhei (scripts/install-system-deps).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import Viewer, fmt_date
from bot.export import Delivery
from bot.i18n import Translator
from bot.ledger import ORDER, Ledger, load
from bot.status import StatusClass
from storage import ledger as ledger_q

FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
FONT_NAMES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
FONT_ENV = "RECTIBOT_CJK_FONT"
COLORS = {
    StatusClass.OVERDUE: "#d9534f",
    StatusClass.DUE_SOON: "#f0ad4e",
    StatusClass.NOT_REPORTED: "#f7d774",
    StatusClass.ON_TRACK: "#5cb85c",
    StatusClass.SIGNED_OFF: "#2e7d32",
}
log = logging.getLogger(__name__)

MAX_UNITS = 14
LABEL_CHARS = 12
HISTORY_DAYS = 180
MIN_DAYS = 30


class FontMissing(RuntimeError):
    """No CJK font: charts would show boxes instead of Chinese."""


@cache
def cjk_font(override: str | None = None) -> Path:
    """The first CJK font found: ``override`` or $RECTIBOT_CJK_FONT, known files, then by name."""
    from matplotlib import font_manager

    wanted = override or os.environ.get(FONT_ENV)
    if wanted:
        if Path(wanted).is_file():
            return Path(wanted)
        raise FontMissing(f"{FONT_ENV}={wanted}: no such font file")
    for candidate in FONT_FILES:
        if Path(candidate).is_file():
            return Path(candidate)
    for family in FONT_NAMES:
        try:
            found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        if found:
            return Path(found)
    raise FontMissing(
        "no CJK font found; install fonts-wqy-microhei (scripts/install-system-deps) or set " + FONT_ENV
    )


@dataclass(frozen=True)
class ChartData:
    today: date
    by_unit: list[tuple[str, dict[StatusClass, int]]]
    series: list[tuple[date, float, float]]
    """(day, mean completion percent, percent of shares signed off)."""


def _label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def by_lead_unit(ledger: Ledger, other: str, unnamed: str) -> list[tuple[str, dict[StatusClass, int]]]:
    """Tasks per lead unit (a task counts under each of its lead units), stacked by class."""
    table: dict[str, dict[StatusClass, int]] = {}
    for task in ledger:
        for unit in task.lead_units or task.units[:1] or [unnamed]:
            row = table.setdefault(unit, dict.fromkeys(ORDER, 0))
            row[task.status] += 1
    ranked = sorted(table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(ranked) <= MAX_UNITS:
        return ranked
    head, tail = ranked[: MAX_UNITS - 1], ranked[MAX_UNITS - 1 :]
    rest = dict.fromkeys(ORDER, 0)
    for _, row in tail:
        for cls, n in row.items():
            rest[cls] += n
    return [*head, (other, rest)]


def progress_series(
    ledger: Ledger, history: Sequence[tuple[int, int | None, datetime, int]], tz: tzinfo
) -> list[tuple[date, float, float]]:
    """Each day's mean completion over all shares, from the percents reported up to that day.

    A share counts 0 until it reports a percent and 100 from the day it is signed off;
    computed incrementally (events in time order), so a long history costs its length.
    """
    shares = [(s.task_id, s.unit_id) for t in ledger for s in t.shares]
    if not shares:
        return []
    keys = set(shares)
    events: list[tuple[date, tuple[int, int | None], float, bool]] = []
    for task_id, unit_id, at, percent in history:
        key = (task_id, unit_id)
        if key in keys:
            events.append((at.astimezone(tz).date(), key, float(min(max(percent, 0), 100)), False))
    for task in ledger:
        for s in task.shares:
            if s.signed_off_at is not None:
                events.append((s.signed_off_at.astimezone(tz).date(), (s.task_id, s.unit_id), 100.0, True))
    events.sort(key=lambda e: (e[0], e[3]))
    today = ledger.today
    first = min((e[0] for e in events), default=today)
    start = max(min(first, today - timedelta(days=MIN_DAYS - 1)), today - timedelta(days=HISTORY_DAYS - 1))
    current: dict[tuple[int, int | None], float] = dict.fromkeys(keys, 0.0)
    signed: set[tuple[int, int | None]] = set()
    total = 0.0
    series: list[tuple[date, float, float]] = []
    i = 0
    day = start
    while i < len(events) and events[i][0] < start:
        _, key, value, closes = events[i]
        if key not in signed:
            total += value - current[key]
            current[key] = value
        if closes:
            signed.add(key)
        i += 1
    while day <= today:
        while i < len(events) and events[i][0] <= day:
            _, key, value, closes = events[i]
            if key not in signed:
                total += value - current[key]
                current[key] = value
            if closes:
                signed.add(key)
            i += 1
        series.append((day, total / len(keys), 100.0 * len(signed) / len(keys)))
        day += timedelta(days=1)
    return series


async def chart_data(session: AsyncSession, ledger: Ledger, tr: Translator, tz: tzinfo) -> ChartData:
    ids = {t.id for t in ledger}
    history = await ledger_q.percent_history(session, ids) if ids else []
    return ChartData(
        today=ledger.today,
        by_unit=by_lead_unit(ledger, tr("q.chart.other"), tr("q.chart.unnamed")),
        series=progress_series(ledger, history, tz),
    )


def render_png(data: ChartData, lang: str, path: Path, *, font: Path | None = None) -> Path:
    """Draw both panels into one PNG at ``path``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    tr = Translator(lang)
    fp = FontProperties(fname=str(font or cjk_font()))
    title_fp = FontProperties(fname=str(font or cjk_font()), size=13)
    small = FontProperties(fname=str(font or cjk_font()), size=8)
    units = list(reversed(data.by_unit))
    height = 3.2 + 0.38 * max(len(units), 3) + 3.0
    fig = Figure(figsize=(8.5, height), dpi=110)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [max(len(units), 3) * 0.38 + 1.2, 3.0]})

    labels = [_label(name) for name, _ in units]
    left = [0] * len(units)
    for cls in ORDER:
        values = [row[cls] for _, row in units]
        top.barh(range(len(units)), values, left=left, color=COLORS[cls], label=tr(f"q.class.{cls.value}"), height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    top.set_yticks(range(len(units)), labels=labels, fontproperties=fp)
    top.set_title(tr("q.chart.by_unit", date=f"{data.today:%Y-%m-%d}"), fontproperties=title_fp)
    top.set_xlabel(tr("q.chart.tasks"), fontproperties=fp)
    top.xaxis.get_major_locator().set_params(integer=True)
    top.legend(prop=small, loc="lower right")
    if not units:
        top.text(0.5, 0.5, tr("q.chart.empty"), ha="center", va="center", transform=top.transAxes, fontproperties=fp)

    if data.series:
        days = list(range(len(data.series)))
        bottom.plot(days, [s[1] for s in data.series], color="#1f77b4", label=tr("q.chart.mean"))
        bottom.plot(days, [s[2] for s in data.series], color=COLORS[StatusClass.SIGNED_OFF], label=tr("q.chart.signed"))
        step = max(1, len(days) // 6)
        ticks = days[::step]
        bottom.set_xticks(ticks, labels=[f"{data.series[i][0]:%m-%d}" for i in ticks])
        bottom.legend(prop=small, loc="upper left")
    else:
        bottom.text(0.5, 0.5, tr("q.chart.empty"), ha="center", va="center", transform=bottom.transAxes, fontproperties=fp)
    bottom.set_ylim(0, 100)
    bottom.set_ylabel("%")
    bottom.set_title(tr("q.chart.progress"), fontproperties=title_fp)
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(str(path), format="png")
    return path


async def render_chart(session: AsyncSession, ledger: Ledger, lang: str, tz: tzinfo, path: Path) -> Path:
    """Gather the data in the turn's transaction, draw off the event loop."""
    data = await chart_data(session, ledger, Translator(lang), tz)
    font = cjk_font()
    return await asyncio.to_thread(render_png, data, lang, path, font=font)


async def chart_for(session: AsyncSession, viewer: Viewer, directory: Path, stamp: str) -> Delivery | str:
    """/chart for ``viewer``: the PNG of what they may see here, or a refusal text."""
    tr = viewer.tr
    if not viewer.known:
        return tr("q.unbound")
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return tr("q.group.counts_only")
    ledger = await load(session, today=viewer.today, tz=viewer.tz, task_ids=visible.task_ids)
    if not len(ledger):
        return tr("q.chart.nothing")
    try:
        path = await render_chart(session, ledger, viewer.lang, viewer.tz, directory / "charts" / f"{stamp}.png")
    except FontMissing:
        log.error("no CJK font for charts; run scripts/install-system-deps")
        return tr("q.chart.no_font")
    counts = ledger.counts()
    caption = tr(
        "q.chart.caption",
        date=fmt_date(tr, viewer.today, date.min),
        total=len(ledger),
        overdue=counts[StatusClass.OVERDUE],
        signed=counts[StatusClass.SIGNED_OFF],
    )
    return Delivery(path, path.name, caption)
