"""Free questions in Chinese, answered like the commands.

"哪些任务逾期了" is /overdue, "市水利局还有几项没完成" is /unit 市水利局, "水源地整治到哪一步了？"
is the progress of the task the matcher finds, "大气督察第8项谁牵头？" is the parties of task
2-8. Understanding is lexical and deliberately conservative: a question we cannot place
is left unanswered (``answer`` returns False) so the caller can say what it can do,
rather than answering a different question.

The reporting handler calls ``answer(turn)`` for text the intent classifier calls a
question; the queries area registers its own handler for such text only while no
reporting area exists.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import (
    MARK,
    Page,
    Viewer,
    ViewRef,
    esc,
    fmt_date,
    listing,
    names,
    not_found,
    render,
    short,
    state_text,
    unit_first,
    week_start,
)
from bot.chase import instruction_page, reads_as_instruction
from bot.due_window import asked_window, includes_late, window_ref
from bot.example_refs import example_ref, examples
from bot.extract import to_int
from bot.finished import since_ref
from bot.intent import Intent, classify, no_news, states_progress
from bot.ledger import ORDER, TaskView, load
from bot.matching import Matcher, MatchTask
from bot.periods import month_bounds, xun_of
from bot.rankings import topic_list, topic_ranking, unit_load_page
from bot.reports_by import (
    RateAsk,
    latest_report_page,
    recent_ref,
    silent_since_page,
    silent_tasks_page,
    unit_span_page,
    xun_rate_page,
)
from bot.status import StatusClass
from bot.thresholds import asked_cut
from bot.turns import Button, Turn
from bot.unit_names import find_unit, unit_keys, units_sharing
from storage import ledger as ledger_q
from storage import people
from storage.models import Task

log = logging.getLogger(__name__)


class Ask(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NOT_REPORTED = "not_reported"
    RECENT = "recent"
    STATUS = "status"
    MINE = "mine"
    UNIT = "unit"
    WHO = "who"
    PROGRESS = "progress"
    SIGNED_OFF = "signed_off"
    HISTORY = "history"
    DUE_WINDOW = "due_window"
    FINISHED = "finished"
    RANKING = "ranking"


_NOT_REPORTED = re.compile(
    r"没报|未报|没有报|没交|未交|没上报|未上报|没更新|没有更新|没动静|没反馈|未反馈|没有进展报|谁还没(?!有?(?:绑定|注册|登记|加入|进群))|"
    r"没有?人报|无人报|从未报|从没报|一次也没报|没有任何报|还没动(?!静)|没有?动过|没启动|未启动|尚未启动|"
    r"not (?:been |yet )?reported|no report|haven'?t (?:been )?reported|unreported|missing reports?|"
    r"(?:nobody|no one|no unit) (?:has )?(?:ever )?reported|has (?:nobody|no one|no unit) (?:ever )?reported|"
    r"\b(?:did|does|has|have)(?: not|n'?t) (?:yet )?(?:been )?report(?:ed)?\b",
    re.I,
)
_SIGNED_OFF_COUNT = re.compile(
    r"(?:几|多少|哪些|哪几)(?:个|项|件)?(?:任务|事项|工作)?(?:已经?|都|全部)?销(?:了)?号(?:了|的)|"
    r"(?:已经?|完成)?销(?:了)?号(?:了|的)(?:任务|事项)?(?:有|共有|一共有?|总共有?|共)?(?:几|多少|哪些|哪几)|"
    r"^(?:已经?|已)销号的(?:任务|事项)?(?:清单|列表|情况)?$|销号(?:了)?(?:几|多少)(?:项|个|件)?(?:任务)?$"
)
""""销号了几个", "有几个任务销号了", "已经销号的有哪些": the tasks signed off, counted; not a request
to sign one off, which also starts with 销号."""
_SIGNED_OFF = re.compile(
    r"(?:已经?|已)销号|销号了的|完成销号|已销号|销号了(?:几|多少|哪些)|销了(?:几|多少)|signed off|"
    + _SIGNED_OFF_COUNT.pattern.replace("^", "").replace("$", ""),
    re.I,
)
_OVERDUE = re.compile(r"逾期|超期|过期|超时|拖期|拖(?:得|的|了)?最(?:久|长)|滞后|没按期|未按期|没有按期|误期|晚于时限|overdue|late tasks?|behind schedule", re.I)
_DUE_SOON = re.compile(r"临期|快到期|即将到期|要到期|马上到期|快到时限|就要到期|到期的|快截止|即将截止|due soon|coming due", re.I)
_RECENT = re.compile(
    r"(?:最近|近|过去)\s*(?:[0-9]{1,3}|[一二三四五六七八九十两半]{1,3})\s*(?:个)?(?:天|日|周|星期|礼拜|个?月)(?:以来|来|内|里)?|本周|这周|这一周|本星期|这星期|这个星期|上周|本旬|这旬|这几天|近几天|最近|近期|今天|今日|当天|昨天|昨日|本月|这个月|上个月|上月|"
    r"\bthis week\b|\blast week\b|\btoday\b|\byesterday\b|\brecently\b|\bthis month\b|\blast month\b",
    re.I,
)
_ENGLISH_SINCE = {"this week": "本周", "last week": "上周", "today": "今天", "yesterday": "昨天", "recently": "最近",
                  "this month": "本月", "last month": "上个月"}
_RECENT_WHAT = re.compile(
    r"进展|动态|报送|报告|更新|变化|新情况|干了|做了|推进|汇报|报了|报的|交了|有人报|谁报|报没报|报吗|"
    r"\bhappened\b|\bprogress\b|\breport(?:ed|s)?\b|\bnews\b|\bupdates?\b",
    re.I,
)
_STATUS = re.compile(
    r"整体|总体|全部任务|所有任务|总的|全市|大盘|一共|总共|完成了多少|完成多少|多少项|几项任务|整改情况怎么样|整改进展|整改进度|"
    r"完成率(?:是|有)?(?:多少|如何|怎么样|几成)|完成比例|需要.{0,2}关注|重点关注|值得关注|"
    r"overall|summary|\bstatus\b(?! of)|completion rate|how many tasks|\bstill open\b|\bnot (?:yet )?(?:done|finished|completed)\b",
    re.I,
)
_MINE = re.compile(
    r"我的|我们的|我负责|我牵头|我分管|我单位|我们单位|本单位|我们局|我局|我这边|我们这边|我们这块|我手上|"
    r"我们(?:还|有|哪|共|一共|总共|报|交|上报)|咱们|咱单位|我们县|我县|本县|我们区|我区|本区|我们镇|我镇|本镇|我们乡|我乡|"
    r"我们街道|本街道|\bmy\b|\bmine\b|\bour\b|\b(?:by|to|for) me\b|\bam I\b|\bI(?:'m| am)\b|\bI (?:lead|handle|own|oversee)\b|\bwe (?:lead|handle|own)\b",
    re.I,
)
_HISTORY = re.compile(
    r"谁报(?:的|了|过)|哪些?个?单位报(?:了|过)|历史记录|的历史$|历史情况|历史进展|历程|报送记录|进展记录|报告记录|汇报记录|报送情况记录|历次|所有记录|全部记录|(?:的|有)记录|记录呢|"
    r"报了(?:些)?(?:什么|哪些|几次)|报过(?:什么|哪些|几次)|都报了|来龙去脉|推进过程|\bhistory\b",
    re.I,
)
_RANKING = re.compile(
    r"排名|排行|排序|最落后|最慢|最差|拖后腿|垫底|落后的单位|哪个单位(?:最|比较)?(?:落后|慢|差)|"
    r"哪些单位(?:最|比较)?(?:落后|慢|差)|(?:逾期|超期|未报|没报)(?:的)?(?:任务)?最多|单位.{0,4}(?:进度|完成情况).{0,4}(?:对比|比较|排)|各单位(?:的)?(?:进度|完成情况|完成率)|"
    r"排第几|第几名|排名第几|[前后][0-9一二三四五六七八九十]{1,2}名|(?:单位|部门).{0,6}(?:最高|最好|最快|领先|靠前)|(?:最高|最好|最快|领先|靠前).{0,4}(?:单位|部门)|"
    r"(?:完成率|完成度|进度)最低的?(?:单位|部门|县)|(?:单位|部门).{0,6}(?:最低|最靠后)|"
    r"(?:哪个|哪些|哪家)(?:单位|部门|局|委|县|区)(?:最|比较|有点)?(?:拖拉|拖沓|磨蹭|不积极|不上心|落后|慢|差)|"
    r"\brank(?:ing)?\b|lagging|furthest behind|best units?|most advanced",
    re.I,
)
_BEST = re.compile(r"最高|最好|最快|领先|靠前|前[0-9一二三四五六七八九十]+名?|best|most advanced", re.I)
_TOP_N = re.compile(
    r"(?P<side>前|后|倒数(?:第)?|最(?:落后|慢|差|好|快|高|多)的?|top|bottom|best|worst|last)\s*(?P<n>[0-9]{1,2}|[一二三四五六七八九十两]{1,3})\s*(?:名|位|个|家)?",
    re.I,
)
_BARE_TOP_N = re.compile(
    r"^(?:进度|完成率|完成情况|排名|单位|部门)?(?:排名)?(?:前|后|倒数(?:第)?)(?:[0-9]{1,2}|[一二三四五六七八九十两]{1,3})(?:名|位|个|家)?"
    r"(?:的)?(?:单位|部门)?(?:是哪些|有哪些|是谁|是哪几个)?$"
)
""""前十", "后3名": the top or bottom of the units' ranking, asked with nothing else."""
_FIRST_PLACE = re.compile(r"^(?:进度)?(?:第一名|第1名|排第一的?)(?:是)?(?:哪个|哪家|谁)(?:单位|部门)?$")
_ENGLISH_TOP_N = re.compile(
    r"^(?:the )?(?:top|bottom|best|worst|last) \d{1,2}(?: units?| departments?)?$"
    r"|^(?:which|what|who)\b.{0,30}\b(?:units?|departments?)\b.{0,12}\b(?:top|bottom|best|worst|last) \d{1,2}$",
    re.I,
)
_OVERALL = re.compile(
    r"^(?:今天|今日|目前|现在|当前|眼下|最近|总体|整体)?(?:的)?(?:总体|整体|全面)?(?:情况|形势|进展)(?:怎么样|如何|咋样)?$"
    r"|^(?:目前|现在|当前|眼下|今天|整体上?|总体上?)?(?:还)?有(?:什么|啥|没有|哪些)(?:问题|困难|风险|需要注意的)(?:吗|没有|么)?$"
    r"|^(?:目前|现在|当前|眼下)?(?:最大|主要|突出|最突出|最要紧|最紧急|最严重)的?(?:问题|风险|短板)(?:是什么|是啥|有哪些|在哪)?$"
    r"|^(?:目前|现在|当前|眼下)?最(?:紧急|要紧|急|危险|需要关注|该关注)的(?:任务|事项|工作)?(?:是哪个|是哪些|有哪些|是什么|是啥)?$"
    r"|^(?:有)?(?:什么|哪些)?需要我(?:协调|关注|处理|过问|督办|出面)的?(?:吗|什么|的事|的事项|的问题)?$"
    r"|^(?:any (?:problems|issues|concerns)|what(?:'s| is| are) the (?:biggest|main|key) (?:problems?|issues?|concerns?)"
    r"|how are things(?: today)?|how are we doing(?: today)?|today'?s? (?:status|situation)"
    r"|what(?:'s| is) (?:going on|the situation)(?: today| now)?)$",
    re.I,
)
""""今天的情况", "有什么问题吗", "目前最大的问题是什么": the whole plan, worst first."""
_NOT_DONE = re.compile(r"(?:还|尚|都|仍)?(?:没有?|未)(?:全部|全|有)?完成")
_FINISHED = re.compile(
    r"完成了(?:哪些|什么|几项|几个)|(?:哪些|什么|几项|几个|多少)(?:个|项)?(?:任务|工作|事项)?(?:已经?|都|全部)*完成了|"
    r"已(?:经)?完成的|完成了的(?:任务|工作)|(?:已|已经)?(?:办结|完结)|(?:哪些|哪个|几个)(?:单位|部门).{0,4}完成了?|"
    r"\b(?:finished|completed|done)\b",
    re.I,
)
_DETAIL = re.compile(r"措施|目标|问题是什么|什么问题|具体问题|详情|详细|具体内容|全部内容|内容|要求|时限|截止|期限|到期时间|到期日期|节点|里程碑|deadline|measures|details", re.I)
"""With a task named, these ask for its card, not the short progress answer."""
_CONTACT = re.compile(r"联系人|联络员|负责人是谁|谁负责|找谁|对接人|经办人|谁在跟|who is in charge|contact", re.I)
_LEADS = re.compile(r"分管|负责|牵头|包联|联系|主抓|挂帅|领导的|管的|管哪|\bled by\b|\bleads?\b", re.I)
_REPORTS_BY = re.compile(
    r"(?:最近|上|最后)一?次(?:报|报送|上报|汇报)|报了|报过|报送了?什么|汇报了?|上报了?|报的|报告了|交了|发了|说了|报了什么|\bhas .{1,30} reported\b|\breported\b|\bdid .{1,30} report\b|\breports (?:by|from)\b",
    re.I,
)
_HOW_LONG_SILENT = re.compile(
    r"(?:多久|多长时间|几天|多少天|几个月|多少日子)(?:都|还|一直)?(?:没有?|未)(?:报|更新|动静|反馈|上报)|"
    r"(?:最后|最近)一次(?:报送|上报|汇报|报)(?:是)?(?:哪天|什么时候|几号)|\bwhen did .{1,40} last report\b",
    re.I,
)
""""生态局多久没报了": the day it last reported answers it."""
_LATEST_ONE = re.compile(r"(?:最近|最后|最新)(?:的)?一(?:次|条)|\b(?:latest|last) report\b", re.I)
""""最近一次报的什么": the one newest report, not the list."""
_REPORT_TO_ME = re.compile(r"(?:给我|向我)?汇报(?:一下|下)|(?:给我|向我)汇报")
""""应急局的情况汇报一下": the unit's situation asked for, not the reports it sent."""
_TITLE = re.compile(r"([\u4e00-\u9fff])(?:副)?(?:市长|书记|主任|局长|部长|秘书长|县长|区长|主席|组长|处长|科长)")
"""倪市长, 张书记: a leader named by surname and post, as they are addressed."""
_COUNT_OPEN = re.compile(
    r"(?:多少|几项|几个|哪些)(?:项)?(?:任务|工作)?(?:还|仍)?(?:没有?|未)(?:全部)?完成|"
    r"(?:没有?|未)完成的(?:任务|工作)?(?:有|还有)?(?:多少|几项|几个|哪些)"
)
_COMPLETION_RATE = re.compile(r"完成率|完成比例|完成度|销号率|completion rate", re.I)
_LAGGARD = re.compile(
    r"拖后腿|最落后|最慢|最差|垫底|落后|滞后|拖沓|拖拉|进度(?:排名|对比|比较)|(?:哪个|哪些|哪家)(?:单位|部门)(?:最|比较)?(?:慢|差)|"
    r"\b(?:behind|lagging|slowest|holding (?:it|things) up)\b",
    re.I,
)
"""With a task named, the units of that task compared ("1-17哪个单位拖后腿", "which units are behind on 1-10")."""
_COUNTIES = re.compile(r"各县|县区|区县|县市区|县\(市|县里|哪个县|哪些县|\bcount(?:y|ies)\b|\bdistricts\b", re.I)
"""The counties together ("各县区的情况怎么样", "县区排名"), not one of them and not "我们县"."""
_RANK_WORDS = re.compile(
    _RANKING.pattern + r"|完成率|完成度|完成情况|进度|进展|对比|比较|各单位|各部门|单位|部门|哪个|哪些|哪一?项|最|排|名",
    re.I,
)
"""A ranking's own words: what is left after them names the topic ranked ("水源地的任务排名")."""
_WHO_REPORTED = re.compile(r"谁报(?:的|了|过)|哪些?个?单位报(?:了|过)|谁交(?:的|了)")
_OWN_LATE = re.compile(r"的(?:逾期|超期|拖期)")
""""张家明的逾期任务": a leader's own late tasks, said without 分管."""
_LED_WORK = re.compile(r"的(?:任务|工作|事项)")
""""倪市长的任务": a leader's tasks are the ones they lead."""
_LATEST = re.compile(r"^(?:逾期|超期|拖期|拖得|拖了|拖的)(?:最久|最长|时间最长|天数最多)的?(?:任务|事项|工作)?(?:有哪些|是哪些?个?)?$")
_BARE_ITEM = re.compile(r"^[\u4e00-\u9fff]{0,8}?第[0-9一二三四五六七八九十]{1,4}项(?:任务)?$")
""""大气第14项": a task named by its item number and the annex's words, nothing else."""
_REQUESTS = re.compile(r"延期|销号|extension|sign-?off", re.I)
_SIGNOFF_ASKED = re.compile(r"销号|销项|signed off|sign-?off", re.I)
_SIGNOFF_OPEN = re.compile(r"(?:没有?|未|尚未|还差|差)(?:完成)?销号|销号.{0,4}(?:没|未)")
""""1-17还差哪个单位没销号": who is asked, but the answer is each unit's 销号, not the task's parties."""
_SIGNOFF_STAGE = re.compile(
    r"(?:任务)?\d{1,2}[-－—–]\d{1,3}(?:任务)?的?销号(?:的)?(?:进度|进展|情况|状态|审核情况|审核进度|结果)(?:如何|怎么样|咋样)?"
)
""""1-17销号进度": a task's 销号 asked for as a noun phrase, not a report about it."""
_SIGNOFF_ASKED_END = re.compile(r"(?:销号|销项|延期)(?:了)?(?:没有?|吗|否|与否|没)$")
_EXTENSION = re.compile(r"延期|展期|extension", re.I)
_DONE_COUNT = re.compile(r"完成了?(?:多少|几项|几个)")
_TYPO_REF = re.compile(r"(?<![\d\w])(\d{1,2}\s*[-－—–]\s*\d?)[oO](?![a-zA-Z])")
""""1-1o": the letter o typed for a zero in a task number."""
_TYPO_ONE = re.compile(r"(?<![\d\w])(\d{1,2}\s*[-－—–]\s*\d?)[lI|](\d?)(?![a-zA-Z])")
""""1-l7": the letter l typed for a one."""
_TYPO_DASH = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:一|——|_|~|～|—)\s*(\d{1,3})(?![\d年月日号天项个%])")
""""1一17", "1——17": the hyphen of a task number typed as 一 or a long dash."""


def fix_refs(text: str) -> str:
    """Task numbers as typed in a hurry, put right: "1-1o", "1-l7", "1一17" are 1-10, 1-17, 1-17."""
    text = _TYPO_REF.sub(r"\g<1>0", text)
    text = _TYPO_ONE.sub(r"\g<1>1\g<2>", text)
    return _TYPO_DASH.sub(r"\g<1>-\g<2>", text)
_HOW_GOES = re.compile(r"情况|进展|进度|怎么样|咋样|如何")
_WHO = re.compile(
    r"谁|哪个单位|哪些单位|哪个部门|哪些部门|哪家|责任领导|牵头|负责人|责任单位|分管|归口|有人管|归哪|\bwho\b|responsible|in charge",
    re.I,
)
_WHO_ASKED = re.compile(r"谁|哪个单位|哪些单位|哪个部门|哪些部门|哪家")
"""With a unit named, 牵头/负责 describe the unit ("扬尘办牵头的任务"); only these ask who."""
_UNIT_WHAT = re.compile(r"几项|多少|没完成|未完成|还有|剩|哪些任务|什么任务|情况|进展|怎么样|如何|任务")
_REF = re.compile(r"(?<![\d.])(\d{1,2})\s*[-－—–]\s*(\d{1,3})(?!\d)")
_ITEM = re.compile(r"第\s*([0-9]{1,3}|[一二三四五六七八九十百两]{1,4})\s*(?:项|条|个问题|个任务|号|个)")
_ANNEX = re.compile(r"附件\s*([0-9]|[一二三四五六七八九])")
_QUERY_PHRASE = re.compile(
    r"^(?:我的任务|我们的任务|本单位任务|我分管的任务|我负责的任务|我牵头的任务|我包联的任务|逾期任务|逾期情况|临期任务|未报告|"
    r"总体情况|整体情况|整改进展|任务清单|本周进展|本旬进展)$"
)
# A whole short message asking for the ledger file or the chart, as /export and /chart do.
# Written as a request (导出/发/要…台账), not as a report about one (问题台账已建立).
_POLITE = r"(?:请|麻烦)?(?:帮我|给我|帮忙)?"
_LEDGER_REQUEST = re.compile(
    rf"^{_POLITE}(?:导出|下载|发(?:我|给我)?|要|来|生成|给我|拉|导)(?:一下|一份|一个|个|份)?"
    r"(?:最新的?|全部的?|完整的?|现在的?)?(?:整改)?(?:工作)?(?:总)?(?:台账|excel|表格|清单|台账表)(?:吧|一下|看看|给我|发我)?$"
    rf"|^{_POLITE}把?(?:最新的?)?(?:整改)?(?:台账|excel|表格)(?:导出来?|发(?:一下|给)?我(?:一下|一份)?|发过来|下载)$"
)
_CHART_REQUEST = re.compile(
    rf"^{_POLITE}(?:画|出|生成|发|来|看看?|查看|要)(?:一下|一张|一个|张|个|份)?"
    r"(?:整改|任务)?(?:进度|进展|完成情况|完成率)?(?:统计)?(?:图|图表|柱状图|统计图)(?:吧|一下|看看|给我|发我)?"
    r"(?:看看)?(?:各单位|各部门|全市)?(?:的)?(?:进度|进展|完成情况)?$"
    r"|^(?:整改)?(?:进度|进展)(?:统计)?(?:图|图表)$"
    rf"|^{_POLITE}(?:一张|一个|张)(?:整改|任务)?(?:进度|进展)?(?:统计)?(?:图|图表)(?:看看)?$"
)
_SMALLTALK = re.compile(r"今天|明天|昨天|(?<!污染)天气|吃饭|放假|下班|上班|周末|几点|开会|会议|在吗|忙吗")
"""Everyday words removed before matching a question to tasks: "今天天气怎么样" is not about
the plan's 重污染天气 task, while "重污染天气应急怎么样" still is."""
_GENERIC = re.compile(
    r"哪些|哪个|哪几|哪家|什么|多少|几项|几个|任务|工作|事项|问题|完成|到期|截止|情况|进展|进度|还有|已经|现在|目前|"
    r"一下|怎么样|怎样|如何|咋样|有没有|是不是|请问|看看|查查|单位|部门|我们|你们|他们|大家|领导|时候|时间|"
    r"本月|本周|这周|下周|上周|这个|那个|这些|那些|月份|有人管|谁管|归谁管|管没|的事|事情|这事|那事|这块|"
    r"那项|这项|那一项|这一项|谁牵头|谁负责|谁在管|到哪一?步|哪一步|到哪儿?了|什么程度|什么阶段|推进到|进行到|之前|以前|此前|报过|几次|多少次|"
    r"要|的|了|吗|呢|吧|啊|有|是|都|还|在|请|查|给|我|你|把|和|及|与|没|谁"
)
"""Words every question has: what is left must name a topic before the matcher is asked,
or "本月有哪些任务到期" would be answered with whichever task shares the word 任务."""
_PUNCT = re.compile(r"[\s\W_]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")

_TOPIC_FILLER = re.compile(r"相关|有关|方面|涉及|关于|这块|这一块|领域|方向|之类|类的|类")
# English topic words a leader types for the plan's Chinese terms; matched longest first.
_ENGLISH_TOPICS = {
    "tailings ponds": "尾矿库", "tailings pond": "尾矿库", "tailings": "尾矿库",
    "drinking water sources": "饮用水水源地", "drinking water source": "饮用水水源地", "drinking water": "饮用水",
    "water sources": "水源地", "water source": "水源地", "groundwater": "地下水", "black and odorous water": "黑臭水体",
    "sewage": "污水", "wastewater": "污水", "sewage treatment": "污水处理", "rivers": "河流", "river": "河流",
    "dust": "扬尘", "sand mining": "采砂", "straw burning": "秸秆焚烧", "straw": "秸秆", "air pollution": "大气污染",
    "heavy pollution weather": "重污染天气", "smog": "重污染天气", "coal": "煤炭", "boilers": "锅炉", "boiler": "锅炉",
    "hazardous waste": "危险废物", "solid waste": "固体废物", "garbage": "垃圾", "waste": "废物",
    "vehicles": "机动车", "vehicle": "机动车", "diesel trucks": "柴油货车", "livestock": "畜禽养殖",
    "industrial parks": "产业集聚区", "industrial park": "产业集聚区", "soil": "土壤", "noise": "噪声",
    "nature reserves": "自然保护区", "nature reserve": "自然保护区", "mines": "矿山", "mining": "矿山",
    "scattered polluting enterprises": "散乱污", "vocs": "挥发性有机物", "emissions": "排放", "pollution": "污染",
}
_ENGLISH_TOPIC = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(_ENGLISH_TOPICS, key=len, reverse=True)) + r")\b", re.I
)
_ENGLISH_FILLER = re.compile(r"\b(?:tasks?|related|about|on|the|of|for|what|which|are|is|there|any|show|me|list)\b", re.I)

_WORKFLOW = re.compile(
    r"销号|延期|审核|审批|报送|报告|汇报|材料|证据|照片|附件|催办|督办|提醒|排名|紧急|要紧|协调|"
    r"简报|日报|周报|旬报|月报|小结|总结|汇总|统计|报表|台账|图表|名单|通讯录|联系方式|"
    r"最(?:好|差|快|慢|高|低|多|少|久|长|新|近)"  # a superlative ranks tasks, it names no topic
)
"""The bot's own vocabulary: "等销号审核" asks about the work on tasks, and is never a topic the plan lacks."""
_IDIOMS = re.compile(r"水平|水分|水准|风气|风险|作风|风格|火速|气力")
"""Words that hold a topic's one character without being about it: 问责存在水分 is no water task."""

MAX_TOPIC_TASKS = 3
TOPIC_RATIO = 0.65


@dataclass
class Question:
    """What was asked: the kind of answer, and the tasks, unit and period it is about."""

    asks: set[Ask] = field(default_factory=set)
    refs: list[str] = field(default_factory=list)
    item: int | None = None
    qualifier: str = ""
    unit_id: int | None = None
    unit_name: str | None = None
    since: date | None = None
    window: tuple[date, date] | None = None


# Whether a message asks for a date window does not depend on the day it is asked.
_ANY_DAY = date(2020, 6, 15)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# "1-17的报送记录", "第3项详情": a task's number and what to show of it, nothing else.
_TASK_PHRASE = re.compile(
    r"^(?:任务)?(?:\d{1,2}[-.]\d{1,3}|第[0-9一二三四五六七八九十]{1,4}项|\d{1,3}号任务|(?<=任务)\d{1,3})(?:任务)?的?"
    r"(?:报送记录|进展记录|报告记录|历史记录|历史|历次报送|来龙去脉|推进过程|记录|详情|详细情况|情况|进展|进度|牵头单位|责任单位|配合单位|"
    r"责任领导|牵头领导|分管领导|责任人|截止日期|截止时间|到期时间|到期日期|完成时限|整改时限|时限|整改措施|措施|整改目标|目标|问题|具体问题)$"
)
_PERIOD_WORD = (
    r"(?:(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})月份?|本|这一?个?|上一?个?|今|当)?(?:上旬|中旬|下旬|旬|周|星期|月份?|季度|年度?)"
    r"|今天|今日|昨天|目前|现在|当前|截至目前|截止目前|眼下"
)
"""A span or moment said before a list ("上旬逾期的任务", "本月未完成的任务"): it dates the list,
it does not make the message a report."""
_LIST_PHRASE = re.compile(
    rf"^(?:{_PERIOD_WORD})?(?:的)?(?:我|我们|我们单位|本单位|我们局|我局|我们县|我县|我分管|我负责|我牵头|我包联|全部|所有|各县区|各区县|各县市区|各县|"
    r"[\u4e00-\u9fff]{1,5}(?:分管|负责|牵头|包联)|[\u4e00-\u9fff()（）]{2,16}(?=的))?的?"
    r"(?:逾期|超期|临期|快到期|即将到期|未报告|没报|未报|未完成|没完成|已完成|已销号)的?(?:任务|事项|工作)"
    r"(?:清单|列表|情况|有哪些)?$"
)
"""A list asked for as a noun phrase: "我分管的逾期任务", "未完成的任务"."""


# A query written as a statement: "市应急管理局的任务情况", "采砂的进度", "给我看看整体情况", "1-18".
_STATEMENT_QUERY = re.compile(
    r"(?:的|这块|这边|方面)?(?:任务)?(?:情况|进展|进度|完成情况|整改情况|推进情况|怎么样了?|咋样了?)(?:如何|怎么样)?$"
)
_SHOW_ME = re.compile(
    r"^(?:请|麻烦)?(?:给我|帮我|我想|我要)?(?:看看|看一下|看下|查查|查一下|查下|瞧瞧|了解一下|说说|说一下|列一下|列出)"
    r"|^(?:show|list|status of|progress of|what about|how is|how are)\b",
    re.I,
)
_BARE_REF = re.compile(r"^(?:任务)?(?:\d{1,2}[-.]\d{1,3}|第[0-9一二三四五六七八九十]{1,4}项)(?:任务)?$")
_DOT_REF = re.compile(r"(?<![\d.])(\d{1,2})[.．](\d{1,3})(?![\d.])")
"""1.17 typed for 1-17 (a plan numbered 1.1, 1.2 is read by the matcher's own numbers first)."""
_ENGLISH_QUERY = re.compile(
    r"^(?:overdue|overdue tasks|my tasks|status|summary|due soon|not reported)$"
    r"|^(?:which|what|how|who|when|where|is|are|has|have|does|do|can|could|please show|tell me|history|progress)\b"
    r"|^(?:tasks|units) (?:led|due|overdue|below|of|for|by|with)\b",
    re.I,
)


_TOPIC_PHRASE = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:相关|有关|方面)的?(?:任务|事项|工作|问题)?(?:有哪些|清单|列表)?$")
""""水相关的", "大气方面的任务": a topic's tasks asked for, which a unit's member could not be reporting."""
_TOPIC_ASK = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:相关|有关|方面)?的(?:任务|事项|整改任务)(?:进展|情况|有哪些)?$")
_WHOSE_TASKS = re.compile(r"^[\u4e00-\u9fff]{2,14}的(?:任务|事项|整改任务)(?:清单|列表|有哪些)?$")
_DUE_LIST = re.compile(
    r"(?:要|须|需|需要|应|应该|该|得|必须)(?:在)?完成的?(?:任务|事项|工作)?(?:有哪些|有多少|有几项|是哪些|清单)?$|"
    r"(?:能|能够|可以|可)(?:在)?完成的(?:任务|事项|工作)?(?:有哪些|有多少|有几项|有几个|是哪些|清单)$"
)
""""下个月要完成的任务": what must be done, which no unit reports as done."""
# "从来没报过", "一次都没报": a unit that never reported, in the ranking and in its own question.
_NEVER_SAID = r"从来?没(?:有)?报|从未报|一次(?:也|都)没报|没(?:有)?报过|一直没(?:有)?(?:报|动静|反馈|消息)"
_REPORT_COUNT = re.compile(
    r"(?<![没未不])(?:报|报送|上报|汇报|交)(?:得|的)(?:最多|最少|最勤|最积极|最不积极|最慢|最快)|"
    r"(?:报送|上报|汇报)(?:次数|条数|数量|频次)(?:的)?(?:排名|排行|排序|最多|最少|对比|统计)?|"
    r"(?:报送|上报|汇报)(?:最|比较)(?:多|少|勤|积极|不积极)|"
    r"(?:最多|最少|最积极|最勤)(?:的)?(?:报送|上报)|\b(?:most|fewest|least|number of) reports\b|\breported (?:the )?(?:most|least|fewest)\b|"
    + _NEVER_SAID + r"|\bnever (?:reported|sent)\b|"
    r"各(?:单位|部门|县区?)的?(?:报送|上报)(?:情况)?(?:统计|汇总|排名|对比|次数)",
    re.I,
)
""""哪个单位报得最多", "报送次数排名": units by how many reports they sent, not by progress."""
_FEWEST = re.compile(r"最少|最不|最慢|fewest|least|never|从来?没|从未|一次(?:也|都)没|没(?:有)?报过|一直没|没(?:有)?(?:传|交|上传|提交)", re.I)
_NEVER_REPORTED = re.compile(_NEVER_SAID + r"|\bnever\b", re.I)
_UNITS_ASKED = re.compile(r"单位|部门|县|哪家|\bunits?\b", re.I)
""""哪些单位从来没报过" ranks units by reports; "1-10哪些单位没报过" asks about one task."""
_EVIDENCE_RANK = re.compile(
    r"(?:证据|佐证|材料|照片|附件)(?:材料)?(?:的)?(?:交|报|传|上传)?(?:得|的)?(?:最多|最少)|(?:最多|最少)的?(?:证据|佐证|材料|照片|附件)|"
    r"没(?:有)?(?:传|交|上传|提交|报送)(?:过)?(?:佐证|证明)?(?:材料|照片|附件|证据)|"
    r"\b(?:most|fewest|least) (?:evidence|photos|files)\b",
    re.I,
)
""""哪个单位证据材料最多": units by the evidence files they sent."""
_EVIDENCE_WORD = re.compile(r"证据|佐证|附件|照片|图片|截图|影像|证明材料|整改材料|材料|evidence|photos?|attachments?|files", re.I)
_EVIDENCE_ASK = re.compile(
    r"有哪些|有什么|有没有|有多少|有几|几份|多少份|吗|呢|没有?$|齐了|清单|列表|目录|看看|查看|看一下|"
    r"的(?:证据|佐证|附件|照片|图片|截图|证明)?材料$|的(?:证据|佐证|附件|照片|图片|截图)$|"
    r"^(?:(?:show|list|send|see)(?:me)?(?:the|all)?)?(?:evidence|photos|files|attachments)(?:for|of|on)|\d(?:evidence|photos|attachments)$|\bwhat\b|\bany\b|\blist\b",
    re.I,
)
""""1-17的证据材料", "1-17有哪些附件": a task's evidence, listed."""
_FIRST_N = re.compile(
    r"^(?P<who>.{2,24}?)的?(?:前|头)(?P<n>[0-9]{1,2}|[一二三四五六七八九十两]{1,3})(?:项|个|条|件)(?:任务|事项|工作)?"
    r"(?:是什么|是哪些|有哪些|是啥|情况|进展)?$"
    r"|^(?:the)?first(?P<n_en>[0-9]{1,2})tasks?(?:of|for)(?P<who_en>.{2,40})$",
    re.I,
)
""""市生态环境局前三项任务": the first few of a unit's list."""
_EXTENSION_ASK = re.compile(r"(?:申请|提出|要求|报)(?:了|过)?(?:的)?(?:延期|展期|推迟)|延期申请|(?:延期|展期)(?:了|的|情况|批)|extension", re.I)
_PLACE = re.compile(r"(?<![全本我各该])([\u4e00-\u9fff]{1,3}(?:区|县|市|镇|乡))(?=的|有|报|还|任务|情况|进展|怎么样|咋样|如何|排|$)")
_NOT_PLACE = re.compile(
    r"^(?:全|本|我|各|该|其|此|外|园|城|市|县|郊|新|老|山|库|矿|灾|景|社|小|辖|片|农|乡|省|地)(?:区|县|市|镇|乡)$"
    r"|(?:保护|集聚|示范|开发|试验|功能|城乡|水源|管控|禁燃|禁煤|城市|都市|工业园|产业园|科技园|物流园|湿地)(?:区|县|市|镇|乡)$"
    r"|[各我咱们本全该这那哪每某]|县区|区县|县市|市县|城区"  # 我们县, 各县区: the asker's own or all of them
)
""""睢阳区的情况": a county or district the plan does not name as a unit of its own."""
_CALLING = re.compile(r"^[\u4e00-\u9fff]{0,10}?(?:在吗|在不在|在么|在不|有人吗|有人在吗)$")
_READY_SIGNOFF = re.compile(r"(?:可以|能|该|待|应该|够条件)销号|(?:完成|做完|办完)了?(?:但|却|可)?(?:还)?(?:没有?|未)销号|未销号的已完成")
""""哪些任务可以销号了": those every unit reports done, waiting to be verified."""
_NOT_BOUND = re.compile(r"(?:没有?|未|尚未|还没有?)(?:人)?(?:绑定|注册|登记)|\b(?:not|n't|never) (?:yet )?(?:been )?bound\b|\bunbound\b", re.I)
_BINDING = re.compile(r"绑定|注册|登记了?账号|加入了?(?:助手|机器人)|\bbound\b|\bbinding\b", re.I)
_TOTAL = re.compile(r"一共|总共|总数|共有|合计")
_WHO_IS = re.compile(
    r"是(?:哪个|哪家|什么|哪)(?:单位|部门|局)的?|(?:在|属于)(?:哪个|什么)(?:单位|部门)|是谁|是干什么的|是做什么的|什么职务|"
    r"\bwho is\b|\bwhich unit\b",
    re.I,
)
""""刘洋是哪个单位的", "张家明是谁": a person looked up, not their tasks."""
_SIGNOFF_WAITING = re.compile(
    r"(?:等|待|在|正在)(?:销号)?(?:审核|审批)|销号(?:审核|审批)|申请(?:了)?销号|销号申请|"
    r"(?:要|需要|等|待)我(?:签字|签批|审批|批示|审核|批)|\bpending\b|awaiting (?:a )?decision|waiting for approval",
    re.I,
)
""""有哪些任务在审核销号": what waits for the office's decision, as /pending lists it."""
_MONTH_ASK = re.compile(
    r"^(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月份?(?:以来)?的?(?:整改)?(?:工作)?(?:情况|进展|动态|进度)(?:怎么样|如何)?$"
)
""""2月份的整改情况": what was reported in that month (so far, if it is this one)."""
_STATE_UNITS = re.compile(r"^(?:逾期|超期|未报告?|没报|临期)(?:的)?(?:单位|部门)(?:名单|清单|列表|有哪些|是哪些)?$")
_SECTION_ASK = re.compile(
    r"^(?P<topic>[\u4e00-\u9fff]{1,8}?)(?:那|这)?(?:一)?(?:部分|方面|板块|块|类|领域|相关|有关)的?(?P<cls>逾期|超期|临期|快到期|未完成|没完成|已销号|销号)?(?:了)?的?(?:任务|事项|工作|问题)?"
    r"(?:一共|总共|共|共有|有|都有|还有|一共有|总共有)?(?:几项|几个|多少项?|多少个|哪些|哪几项|哪几个|清单|列表)(?:任务|事项)?$"
)
""""大气那部分一共几项", "水污染方面有哪些任务": a part of the plan or a topic, counted and listed."""
_XUN_RATE = re.compile(
    r"(?:本|这个?|当|这一|上一|上个|前一|上|中|下)旬(?:的)?(?:报送|上报|报告)(?:率|情况|比例|进度|统计|了多少|多少)|(?:报送|上报)(?:率|比例)|报送率|"
    r"^各(?:单位|部门|县区?)的?(?:报送|上报)(?:情况|进度)(?:怎么样|如何)?$|"
    r"\breport(?:ing)? rate\b",
    re.I,
)
""""本旬报送率多少", "这个旬报送情况": the share of open task × unit pairs that reported this 旬."""
_UNIT_LOAD = re.compile(
    r"(?:哪个|哪些|哪家|什么)(?:单位|部门|局)(?:的|承担的?|手上的?|负责的?)?(?:任务|工作|事项)(?:最多|最重|最少|最轻)|"
    r"(?:各|每个)(?:单位|部门)(?:的|承担的?)?(?:任务|工作)(?:量|数|数量|分布|有多少|各有多少|多少项)|"
    r"(?:任务|工作)(?:量|数)(?:最多|最大|最重|最少)的(?:单位|部门)|(?:单位|部门)(?:的)?任务量|"
    r"\bwhich (?:units?|departments?|bureaus?) (?:has|have|carr(?:y|ies)) the most tasks\b|\btasks per (?:unit|department)\b",
    re.I,
)
""""哪个单位任务最多", "各单位任务量": units by the number of tasks they carry."""
_RANK_OWN = re.compile(r"(?:我们|我单位|我局|我县|我区|本单位|咱们).{0,6}(?:排第几|第几名|排名|排在)|\bwhere do we rank\b", re.I)
""""我们排第几": the asker's own unit placed in the ranking."""


_PREVIOUS_XUN = re.compile(r"(?:上一|上个|前一)旬|(?<![0-9一二三四五六七八九十月个本这当])上旬|\bprevious (?:10-day )?period\b|\blast (?:10-day )?period\b", re.I)
_MONTH_XUN = re.compile(r"(?:(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月份?|(?P<this>本月|这个?月|当月)|(?P<last>上个?月))的?(?P<part>上|中|下)旬")
_BARE_XUN = re.compile(r"(?<![0-9一二三四五六七八九十月个本这当上])(?P<part>中|下)旬")
""""上旬" alone, asked in the 中旬 or 下旬, is the 旬 before this one, as 上周 is the week
before (asked in the 上旬 it is this one); "1月上旬" and "本月上旬" are the first 旬 of that
month; "中旬"/"下旬" alone are this month's."""


def asked_xun(text: str, today: date) -> tuple[bool, date | None]:
    """(the previous 旬?, the first day of another 旬 named) of a question about reporting."""
    clean = _clean(text)
    m = _MONTH_XUN.search(clean)
    if m is not None:
        day = 1 + 10 * "上中下".index(m.group("part"))
        if m.group("last"):
            first = month_bounds(month_bounds(today)[0] - timedelta(days=1))[0]
        elif m.group("this"):
            first = today.replace(day=1)
        else:
            month = to_int(m.group("m")) or 0
            if not 1 <= month <= 12:
                return False, None
            first = date(today.year if month <= today.month else today.year - 1, month, 1)
        return False, first.replace(day=day)
    previous = _PREVIOUS_XUN.search(clean)
    if previous is not None and previous.group(0) == "上旬" and today.day <= 10:
        return False, today.replace(day=1)  # asked in the 上旬 itself, it is this one
    if previous is not None:
        return True, None
    bare = _BARE_XUN.search(clean)
    if bare is not None:
        return False, today.replace(day=1 + 10 * "上中下".index(bare.group("part")))
    return False, None


_SILENT_SPAN = re.compile(
    r"(?P<n>[0-9]{1,3}|[一二三四五六七八九十两半]{1,3})\s*(?:个多|多个|个)?(?P<unit>天|日|周|星期|礼拜|旬|(?<=个)月|(?<=个多)月|(?<=半)月|年)"
    r"(?:多|以上|之久|左右|以来|来|内|以内|之内|里|了|都|还|均|一直)*(?:仍|还|都|一直|均)?(?:没有?|未|无人|没人|从未|没再)"
)
""""超过一个月没报", "两周没报进展", "30天以上未报送": a span without a report ("1月没报" is January, hence 个月)."""


_TASKS_ASKED = re.compile(r"任务|事项|\btasks?\b", re.I)
_EVER = re.compile(r"一直|从来|从未|至今|始终|一次(?:也|都)|任何|\bnever\b|\bever\b|\bnobody\b|\bno one\b", re.I)
_ENGLISH_UNIT = re.compile(
    r"\b(?:(?!(?:which|what|each|every|all|any|my|our|the|a|an|this|that|these|those|per|by|of|for|in|is|are|how|has|have|"
    r"does|do|most|least|your|their|its|one|other)\b)[a-z]+\s+){1,5}"
    r"(?:bureau|department|commission|committee|administration|agency|office|government|authority)\b",
    re.I,
)
""""the Water Resources Bureau": a unit named in English, which a plan written in Chinese cannot
be searched by; "which department" and "each bureau" name none."""
_DAYS_LEFT = re.compile(
    r"(?:还有|还剩|剩)(?:几|多少)天|(?:几|多少)天(?:后|以后|之后)?(?:到期|截止)|(?:什么时候|何时|哪天|哪一天|几号|几月几号)(?:到期|截止)|"
    r"(?:到期|截止)(?:日|时间|日期)(?:是)(?:哪天|哪一天|什么时候|几号)|(?:逾期|超期|拖期|过期)(?:了)?(?:多少|几)天|"
    r"\bwhen is .{0,20}due\b|\bdays? (?:left|until|to go|overdue|late)\b|\bhow (?:many days )?late\b",
    re.I,
)
""""1-17还有几天到期", "1-17什么时候到期": the task's next deadline and the days to it
("1-17截止日期", asked with no question word, is the card with every deadline)."""


_ENGLISH_SPAN = re.compile(
    r"\b(?:for|in|over|since|within)\s+(?:over\s+|more than\s+|at least\s+|the\s+(?:last|past)\s+)?"
    r"(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|ten)\s+(?P<unit>days?|weeks?|months?)\b",
    re.I,
)
_ENGLISH_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_ENGLISH_UNITS = {"day": "天", "week": "周", "month": "月"}


def silent_since(text: str, today: date) -> date | None:
    """The day before which a unit's last report must lie to be silent "for" the span asked."""
    m = _SILENT_SPAN.search(_clean(text))
    english = _ENGLISH_SPAN.search(_clean(text)) if m is None and _NOT_REPORTED.search(text) else None
    if english is not None:
        raw = english.group("n").lower()
        raw = str(_ENGLISH_NUMBERS.get(raw, raw))
        unit = _ENGLISH_UNITS[english.group("unit").lower().rstrip("s")]
    elif m is None:
        return None
    else:
        raw, unit = m.group("n"), m.group("unit")
    n = 0.5 if raw == "半" else to_int(raw)
    if not n or n > 999:
        return None
    if unit in ("月", "年"):
        if unit == "月" and n != int(n):
            return today - timedelta(days=15)  # 半个月
        months = round(n * (12 if unit == "年" else 1))
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        last = month_bounds(date(year, month + 1, 1))[1]
        return date(year, month + 1, min(today.day, last.day))
    if unit == "旬":
        start = xun_of(today).start
        for _ in range(int(n) - 1):
            start = xun_of(start - timedelta(days=1)).start
        return start
    days = n * (7 if unit in ("周", "星期", "礼拜") else 1)
    return today - timedelta(days=int(days))


def is_question(text: str) -> bool:
    """Question intent, or a query written as a statement ("逾期任务", "1-17的报送记录",
    "市应急管理局的任务情况", "给我看看整体情况", "1-18") that reads as a request."""
    text = fix_refs(text)
    core = _PUNCT.sub("", _clean(text))
    if classify(text) is Intent.QUESTION or _QUERY_PHRASE.match(core) or asks_about_signed_off(text):
        return True
    short = re.sub(r"[\s?？。!！,，]+", "", _clean(text))
    if _TASK_PHRASE.match(short) or _BARE_REF.match(short) or _LIST_PHRASE.match(short) or _LATEST.match(short):
        return True
    if _BARE_ITEM.match(short) and not states_progress(text):
        return True
    if _RANKING.search(short) and re.search(r"单位|部门|哪|县|区", short) and not re.search(r"上升|下降|提升|位列|第\d", short):
        return True  # "各县区完成情况排名" asks as much as "各单位排名"
    if _RANK_OWN.search(short) and not re.search(r"上升|下降|提升|位列|第\d", short):
        return True
    bare = _clean(text).rstrip(" ?？。.!！")
    if _BARE_TOP_N.match(short) or _FIRST_PLACE.match(short) or _ENGLISH_TOP_N.match(bare):
        return True  # "前十", "后3名", "第一名是哪个单位", "top 5 units"
    if _OVERALL.match(short) or _OVERALL.match(bare):
        return True  # "今天的情况", "有什么问题吗", "any problems?"
    if len(short) <= 30 and re.search(r"(?:报送|进展|报告|汇报|历史)记录$", short) and not _REPORTED.search(short):
        return True
    if len(short) <= 30 and asked_cut(text) is not None and re.search(r"任务|哪些|哪几|有几|多少|事项|单位|部门|tasks|units", short, re.I):
        return True  # "逾期超过30天的任务", "完成率低于50%的任务", "完成率低于50%的单位"
    if len(short) <= 40 and asked_window(text, _ANY_DAY) is not None and (
        not states_progress(text) or _DUE_LIST.search(short)
    ):
        return True  # "tasks due next week", "下月到期的任务", "下个月要完成的任务"
    plain = _clean(text).rstrip(" ?？。.!！")
    if _ENGLISH_QUERY.match(plain) or _SHOW_ME.match(plain):
        return True
    if _ENGLISH_TOPIC.search(plain) and len(plain.split()) <= 6 and not _CJK.search(plain) and not states_progress(text):
        return True  # "tailings ponds tasks", "drinking water"
    if _REF.search(short) and _LAGGARD.search(short) and re.search(r"单位|部门|哪|谁|吗|对比|\bunits?\b", short, re.I):
        return True  # "1-10进展滞后的单位", "1-17哪个单位拖后腿"
    if _SIGNOFF_STAGE.fullmatch(short):
        return True  # "1-17销号进度", "1-17销号情况"
    if _REF.search(short) and _SIGNOFF_ASKED_END.search(short):
        return True  # "1-10销号没有", "1-17延期了没"
    if _REF.search(short) and _DAYS_LEFT.search(short) and len(short) <= 20:
        return True  # "1-17到期时间", "2-3超期多少天了"
    if _REF.search(short) and _EVIDENCE_WORD.search(short) and _EVIDENCE_ASK.search(short) and not states_progress(text):
        return True  # "1-17的证据材料", "1-17有哪些附件"
    said = _clean(text)
    if any(words.search(said) or words.search(short) for words in (_REPORT_COUNT, _EVIDENCE_RANK)) \
            and not _REPORTED.search(short) and re.search(r"单位|部门|哪|谁|县|units?|who|which", short, re.I):
        return True  # "报送最积极的单位", "哪个单位证据材料最多"
    if _READY_SIGNOFF.search(short) and not _REF.search(short) and re.search(r"哪|几|多少|有没有|任务$|事项$|吗$|清单|列表", short):
        return True  # "完成了但还没销号的任务"
    if (m := _FIRST_N.match(short)) and not re.search(r"完成|已|推进|落实|开展|启动", m.group("who") or ""):
        return True  # "市生态环境局前三项任务"
    if len(short) <= 20 and _EXTENSION_ASK.search(short) and re.search(r"情况|哪些|哪个|谁|吗|没|几|多少|清单|列表", short) \
            and not _REF.search(short) and not re.search(r"\d+月|\d+日|原因|理由|因为", short):
        return True  # "延期申请情况"
    if _TOPIC_PHRASE.match(short) and not states_progress(text):
        return True
    if _STATE_UNITS.match(short):
        return True  # "逾期单位名单"
    if len(short) <= 30 and _HOW_LONG_SILENT.search(short):
        return True  # "市生态环境局多久没报了": 多久 asks, though 没报了 alone would be said
    if len(short) <= 40 and silent_since(text, _ANY_DAY) is not None and _NOT_REPORTED.search(text) \
            and re.search(r"单位|部门|任务|事项|哪|谁|的$|units?|tasks?|which|who", short, re.I) and not _REF.search(short):
        return True  # "超过一个月没报的单位", "30天以上未报送的": a span unreported is asked about, not reported
    if len(short) <= 30 and _NOT_REPORTED.search(short) and any(asked_xun(text, _ANY_DAY)) \
            and re.search(r"单位|部门|任务|哪|谁|情况", short) and not states_progress(text):
        return True  # "上一旬谁没报"
    if len(short) <= 20 and (_XUN_RATE.search(short) or _SECTION_ASK.match(short) or _UNIT_LOAD.search(short)) \
            and not states_progress(text):
        return True  # "本旬报送率多少", "大气那部分一共几项"
    if len(short) <= 20 and _WHOSE_TASKS.search(short) and not states_progress(text):
        return True  # "市生态环境局的任务", "倪玉民分管的任务"
    if no_news(text) and not _ASKS_WHICH.search(short):
        return False  # "本周无进展" from a unit says so; "本周无进展的单位" asks
    return len(short) <= 24 and _STATEMENT_QUERY.search(short) is not None and not states_progress(text)


_ASKS_WHICH = re.compile(r"哪|谁|几|多少|单位|部门|任务|[?？]|\b(?:which|who|how many)\b", re.I)


def asks_about_extensions(text: str) -> bool:
    """"有哪些单位申请了延期", "哪些任务申请延期了": who asked for more time, which /pending's
    words would otherwise take for "what waits for a decision" only."""
    core = _PUNCT.sub("", _clean(text))
    return bool(_EXTENSION.search(core)) and not _REF.search(core) and is_question(text) and not states_progress(text)


def asks_about_signed_off(text: str) -> bool:
    """"销号了几个": a count of the tasks signed off, which the sign-off area, reading a message
    that starts with 销号 as a request, would otherwise refuse to someone with no unit."""
    core = _PUNCT.sub("", _clean(text))
    return (
        len(core) <= 24 and bool(_SIGNED_OFF_COUNT.search(core)) and not _REF.search(core)
        and not _READY_SIGNOFF.search(core) and not _SIGNOFF_WAITING.search(core)
    )


def _request_text(text: str) -> str:
    return _PUNCT.sub("", _clean(text)).lower()[:30]


# Short requests in any order ("台账导一下", "把台账导出来发我", "Export the ledger please"):
# the thing asked for and a verb asking for it, and nothing that reports on the thing
# ("问题台账已建立") or names a task.
_SHORT_REQUEST = 24
_GIVE = re.compile(r"导|发|要|下载|拉|传|给我|拿|来一份|export|send|download|get|share", re.I)
_LEDGER_WORD = re.compile(r"台账|总表|excel|表格|ledger|spreadsheet|xlsx", re.I)
_CHART_WORD = re.compile(r"图表|进度图|统计图|柱状图|chart|graph", re.I)
_REPORTED = re.compile(r"已|建立|建好|完善|更新了|报送了|制定|印发|\d+\s*[-－]\s*\d+")


def _short_request(text: str, thing: re.Pattern[str]) -> bool:
    words = _request_text(text)
    return (
        len(words) <= _SHORT_REQUEST and bool(thing.search(words)) and bool(_GIVE.search(words))
        and not _REPORTED.search(_clean(text))
    )


def asks_for_ledger(text: str) -> bool:
    """"导出台账", "把台账发我一下", "台账导一下": a request for what /export sends."""
    return bool(_LEDGER_REQUEST.match(_request_text(text))) or _short_request(text, _LEDGER_WORD)


def asks_for_chart(text: str) -> bool:
    """"看看进度图", "出个图表", "send me a chart": a request for what /chart sends."""
    return bool(_CHART_REQUEST.match(_request_text(text))) or _short_request(text, _CHART_WORD)


_CHASE_REQUEST = re.compile(
    r"^(?:请|麻烦)?(?:帮我)?(?:催办|催促|督促|督办|催一下|催一催|催催)(?:一下)?\s*(?P<what>.+?)"
    r"(?:的?(?:责任单位|单位))?(?:加快(?:进度|推进)?|抓紧(?:推进)?|尽快(?:完成|推进)?)?[。！!]*$"
)


_CHASE_WORD = re.compile(r"催(?:办|促|一下|一催|催|他们|一声)|督促一下|督办一下")


def chase_request(text: str) -> str | None:
    """"催办1-17", "督促一下水源地整治加快进度", "1-16谁还没报，催一下": the task words of a
    request to chase, else None."""
    m = _CHASE_REQUEST.match(_clean(text))
    if m:
        return m.group("what").strip(" ，,：:") or None
    ref = _REF.search(text) if _CHASE_WORD.search(text) and not states_progress(text) else None
    return f"{ref.group(1)}-{ref.group(2)}" if ref else None


_RECENT_SPAN = re.compile(
    r"(?:最近|近|过去)\s*(?P<n>[0-9]{1,3}|[一二三四五六七八九十两半]{1,3})\s*(?:个)?(?P<unit>天|日|周|星期|礼拜|个?月)"
)


def since_of(text: str, today: date) -> date | None:
    m = _RECENT.search(text)
    if m is None:
        return None
    span = _RECENT_SPAN.match(m.group(0))
    if span is not None:
        # "最近三天" counts today as the first of the three; "近一周" is the seven days to today
        n = 0.5 if span.group("n") == "半" else to_int(span.group("n")) or 1
        days = n * (30 if span.group("unit").endswith("月") else 7 if span.group("unit") in ("周", "星期", "礼拜") else 1)
        return today - timedelta(days=max(int(days) - 1, 0))
    word = _ENGLISH_SINCE.get(m.group(0).lower(), m.group(0))
    if word in ("本周", "这周", "这一周", "本星期", "这星期", "这个星期"):
        return week_start(today)
    if word == "上周":
        return week_start(today) - timedelta(days=7)
    if word in ("本旬", "这旬"):
        return xun_of(today).start
    if word in ("今天", "今日", "当天"):
        return today
    if word in ("昨天", "昨日"):
        return today - timedelta(days=1)
    if word in ("本月", "这个月"):
        return month_bounds(today)[0]
    if word in ("上个月", "上月"):
        return month_bounds(month_bounds(today)[0] - timedelta(days=1))[0]
    return today - timedelta(days=7)


# ---- understanding ------------------------------------------------------------------------


def understand(text: str, today: date, keys: list[tuple[str, int, str]]) -> Question:
    """The lexical reading of a question; pure, so it is tested without a bot."""
    clean = _clean(text)
    q = Question()
    q.refs = [f"{a}-{b}" for a, b in _REF.findall(clean)]
    item = _ITEM.search(clean)
    if item and not q.refs:
        q.item = to_int(item.group(1))
        q.qualifier = clean[: item.start()]
    found = find_unit(clean, keys)
    if found:
        q.unit_id, q.unit_name = found
    if _NOT_REPORTED.search(clean):
        q.asks.add(Ask.NOT_REPORTED)
    if _OVERDUE.search(clean):
        q.asks.add(Ask.OVERDUE)
    if _SIGNED_OFF.search(clean):
        q.asks.add(Ask.SIGNED_OFF)
    if _DUE_SOON.search(clean):
        q.asks.add(Ask.DUE_SOON)
    if _RECENT.search(clean) and _RECENT_WHAT.search(clean):
        q.asks.add(Ask.RECENT)
        q.since = since_of(clean, today)
    if _STATUS.search(clean) or _COUNT_OPEN.search(clean):
        q.asks.add(Ask.STATUS)
    if _HISTORY.search(clean):
        q.asks.add(Ask.HISTORY)
    if _RANKING.search(clean):
        q.asks.add(Ask.RANKING)
    if _FINISHED.search(_NOT_DONE.sub("", clean)):
        q.asks.add(Ask.FINISHED)
        q.since = since_of(clean, today)
    if Ask.FINISHED not in q.asks and _DONE_COUNT.search(clean) and _RECENT.search(clean):
        q.asks.add(Ask.FINISHED)  # "上个月完成了多少": what finished in that period, not the whole plan
        q.since = since_of(clean, today)
    q.window = asked_window(clean, today)
    if q.window is not None:
        q.asks.add(Ask.DUE_WINDOW)
    if _MINE.search(clean):
        q.asks.add(Ask.MINE)
    if (_WHO_ASKED if q.unit_id is not None else _WHO).search(clean):
        q.asks.add(Ask.WHO)
    if q.unit_id is not None and _UNIT_WHAT.search(clean):
        q.asks.add(Ask.UNIT)
    return q


# ---- the task part: refs, item numbers and the matcher --------------------------------------


_cache: dict[str, tuple[tuple[object, ...], Matcher]] = {}


async def matcher(session: AsyncSession) -> tuple[Matcher, bool] | None:
    """The matcher over the live tasks, rebuilt only when the plan set changes.

    Returns it with whether refs are plan-qualified (``<plan id>:<ref>``, several plans).
    """
    signature = await ledger_q.plan_signature(session)
    if not signature:
        return None
    qualified = len(signature) > 1
    cached = _cache.get("matcher")
    if cached is not None and cached[0] == signature:
        return cached[1], qualified
    tasks = await ledger_q.tasks(session)
    items = []
    for task in tasks:
        units = [p.unit.name for p in task.parties if p.unit is not None]
        people = [p.person.name for p in task.parties if p.person is not None]
        items.append(
            MatchTask(
                ref=f"{task.plan_id}:{task.ref}" if qualified else task.ref,
                title=task.title,
                problem=task.problem,
                goal=task.goal,
                measures=[m.text for m in task.measures],
                units=units,
                names=people,
                measure_nos=[m.no for m in task.measures],
                label=task.ref,
            )
        )
    aliases = {
        alias: name for _, name, names in await ledger_q.units_with_aliases(session) for alias in names
    }
    built = Matcher.build(items, aliases=aliases)
    _cache["matcher"] = (signature, built)
    return built, qualified


async def _tasks_for_refs(session: AsyncSession, refs: list[str]) -> list[Task]:
    found: list[Task] = []
    for ref in refs:
        plan_id: int | None = None
        bare = ref
        if ":" in ref:
            head, bare = ref.split(":", 1)
            plan_id = int(head)
        for task in await ledger_q.task_by_ref(session, bare, plan_id):
            if task.id not in {t.id for t in found}:
                found.append(task)
    return found


def _bigrams(text: str) -> set[str]:
    chars = "".join(_CJK.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


async def _item_tasks(session: AsyncSession, item: int, qualifier: str) -> list[Task]:
    """"第8项": the item of that number, in the annex the qualifier points to.

    Plans with annexes number items per annex (1-8, 2-8). "附件2" says which; otherwise
    the words before 第 ("大气督察") are compared with the parts of the plan's title
    ("…“回头看”及大气污染问题专项督察…": one part per annex, in order) and, more weakly,
    with the annexes' own task texts. A tie leaves every candidate in.
    """
    tasks = await ledger_q.tasks(session)
    exact = [t for t in tasks if t.ref == str(item)]
    numbered = [t for t in tasks if t.ref.rsplit("-", 1)[-1] == str(item) and "-" in t.ref]
    if not numbered:
        return exact
    annex = _ANNEX.search(qualifier)
    if annex:
        wanted = to_int(annex.group(1))
        return [t for t in numbered if t.ref.split("-", 1)[0] == str(wanted)]
    words = _bigrams(qualifier)
    if len(numbered) == 1 or not words:
        return numbered
    plans = {p.id: p for p in await ledger_q.plans(session)}
    scores: dict[int, float] = {}
    for task in numbered:
        prefix = task.ref.split("-", 1)[0]
        annex_tasks = [t for t in tasks if t.plan_id == task.plan_id and t.ref.split("-", 1)[0] == prefix]
        plan = plans.get(task.plan_id)
        parts = re.split(r"及|暨|和|与", plan.title) if plan else []
        score = 0.0
        if prefix.isdigit() and 1 <= int(prefix) <= len(parts) and len(parts) > 1:
            score += 3.0 * len(words & _bigrams(parts[int(prefix) - 1])) / len(words)
        content = [_bigrams(t.title + t.problem) for t in annex_tasks]
        if content:
            score += sum(len(words & c) for c in content) / (len(content) * len(words))
        scores[task.id] = score
    best = max(scores.values())
    return [t for t in numbered if scores[t.id] == best]


async def section_tasks(session: AsyncSession, topic: str) -> list[Task]:
    """The tasks of the plan's part a word names ("大气" is the annex on 大气污染问题专项督察,
    told by the plan's title, one part per annex), of the category it names, or else
    every task whose text has the word."""
    tasks = await ledger_q.tasks(session)
    parts: list[tuple[int, str]] = []
    for plan in await ledger_q.plans(session):
        named = re.split(r"及|暨|和|与", re.sub(r"[“”\"]", "", plan.title))
        if len(named) > 1:
            parts += [(plan.id, str(i + 1)) for i, part in enumerate(named) if topic in part]
    if len(parts) == 1:
        plan_id, prefix = parts[0]
        return [t for t in tasks if t.plan_id == plan_id and t.ref.split("-", 1)[0] == prefix and "-" in t.ref]
    of_category = [t for t in tasks if t.category and topic in t.category]
    if of_category:
        return of_category
    return await literal_topic_tasks(session, topic, None) or []


def _in_chinese(text: str) -> str:
    """English topic words put in the plan's terms: "tailings ponds tasks" -> "尾矿库"."""
    if not _ENGLISH_TOPIC.search(text):
        return text
    return _ENGLISH_FILLER.sub(" ", _ENGLISH_TOPIC.sub(lambda m: _ENGLISH_TOPICS[m.group(0).lower()], text))


def _topic_core(text: str) -> str:
    """The longest run of words left once question words are gone: "秸秆焚烧的任务" -> 秸秆焚烧."""
    rest = _TOPIC_FILLER.sub(" ", _GENERIC.sub(" ", _SMALLTALK.sub(" ", _clean(text))))
    runs = re.findall(r"[\u4e00-\u9fff]+", rest)
    return max(runs, key=len) if runs else ""


def _task_text(task: Task) -> str:
    # the deadline's words too: "立行立改的任务", "长期坚持的任务" ask about the kind of deadline
    return "".join([task.title, task.problem or "", task.goal or "", task.deadline_text or "", *(m.text for m in task.measures)])


async def absent_topic(session: AsyncSession, text: str) -> str | None:
    """The topic a question names when no task of the plan is about it ("秸秆焚烧", "噪声"):
    then the plan has nothing on it, which is said plainly instead of offering loose matches.

    A task is about a term when it has at least half the term's character pairs: 秸秆 in
    one task and 焚烧 in another is no task on 秸秆焚烧, while "水源地整治" is 1-10's.
    """
    core = _topic_core(text)
    if not core or len(core) > 8 or _WORKFLOW.search(text):
        return None
    texts = [_task_text(t) for t in await ledger_q.tasks(session)]
    if len(core) == 1:
        return None if any(core in t for t in texts) else core
    pairs = {core[i : i + 2] for i in range(len(core) - 1)}
    best = max((sum(1 for p in pairs if p in t) for t in texts), default=0)
    return core if best * 2 < len(pairs) else None


async def literal_topic_tasks(session: AsyncSession, text: str, allowed: set[int] | None) -> list[Task] | None:
    """"水相关的": every task whose text has the word, in plan order; None when the words
    are not one term of the plan's (the matcher's fuzzier reading is used then)."""
    core = _topic_core(text)
    # one character is a topic only when called one ("水相关的"), not "有哪些工作要做"'s 做
    if len(core) == 1 and not _TOPIC_FILLER.search(text):
        return None
    if not core or len(core) > 6 or len(_CJK.findall(_GENERIC.sub("", _clean(text)))) > len(core) + 3:
        return None
    every = await ledger_q.tasks(session)
    if len(core) >= 4:
        # every character pair of the term, so a term shortened or run together ("饮用水源地" for
        # 饮用水水源地) finds the tasks written out in full as well as those with its very words
        pairs = {core[i : i + 2] for i in range(len(core) - 1)}
        tasks = [t for t in every if all(p in _IDIOMS.sub("", _task_text(t)) for p in pairs)]
    else:
        tasks = [t for t in every if core in _IDIOMS.sub("", _task_text(t))]
    if not tasks:
        return None
    return [t for t in tasks if allowed is None or t.id in allowed]


def _names_a_topic(text: str) -> bool:
    return len(_CJK.findall(_GENERIC.sub("", _SMALLTALK.sub(" ", text)))) >= 2


async def topic_tasks(session: AsyncSession, text: str, allowed: set[int] | None) -> tuple[list[Task], bool]:
    """Tasks the question is about, by the matcher: the best and any close to it.

    Also says whether any task matched at all, so "none you may see" is told apart from
    "none": the first must not reveal which, the second gets the usual examples.
    """
    built = await matcher(session)
    text = _SMALLTALK.sub(" ", text)
    if built is None or not _names_a_topic(text):
        return [], False
    index, _ = built
    # Scores, not ``match``: a lookup ("/task 扬尘管控") states no progress, and ``match``
    # would call it chit-chat before ranking anything.
    scored = [(index.tasks[r.index].ref, r.score) for r in index.scores(text)[:10] if r.score >= index.thresholds.floor]
    if not scored:
        return [], False
    tasks = await _tasks_for_refs(session, [ref for ref, _ in scored])
    by_ref: dict[str, Task] = {}
    for task in tasks:
        by_ref.setdefault(task.ref, task)
        by_ref.setdefault(f"{task.plan_id}:{task.ref}", task)
    ranked = [(score, by_ref[ref]) for ref, score in scored if ref in by_ref]
    if not ranked:
        return [], False
    # Closeness is judged against the best task overall, visible or not: a weak match
    # must not stand in for the real answer just because the real one is out of scope.
    best = ranked[0][0]
    close = [t for s, t in ranked if s >= TOPIC_RATIO * best and (allowed is None or t.id in allowed)]
    return close[:MAX_TOPIC_TASKS], True


# ---- answers ------------------------------------------------------------------------------


def progress_block(viewer: Viewer, task: TaskView) -> str:
    tr = viewer.tr
    today = viewer.today
    due = min((m.due for m in task.milestones if m.done_at is None and m.due), default=None)
    lines = [
        f"{MARK[task.status]} <b>{esc(task.ref)}</b> {esc(short(task.title, 40))}",
        tr("q.card.state", state=state_text(tr, task.status, task.days_overdue, due, task.percent, today)),
        tr("q.card.deadline", text=esc(short(task.deadline_text, 80) or tr("q.none"))),
    ]
    for share in task.shares[:8]:
        if share.unit is None:
            continue
        state = state_text(tr, share.status, share.days_overdue, share.state.next_due, share.percent, today)
        last = (
            tr("q.unit.last", date=fmt_date(tr, share.last_report_at, today))
            if share.last_report_at else tr("q.unit.never")
        )
        lines.append(f"　{MARK[share.status]} {esc(share.unit)}：{state}{tr('q.sep.inline')}{last}")
    if len(task.shares) > 8:
        lines.append("　" + tr("q.more_units", n=len(task.shares) - 8))
    recent = task.recent(1)
    if recent:
        r = recent[0]
        lines.append(
            tr("q.answer.latest", date=fmt_date(tr, r.at, today), unit=esc(task.unit_name(r.unit_id) or ""),
               text=esc(short(r.text, 120)))
        )
    return "\n".join(lines)


def who_block(viewer: Viewer, task: TaskView) -> str:
    tr = viewer.tr
    lines = [
        f"<b>{esc(task.ref)}</b> {esc(short(task.title, 40))}",
        tr("q.card.leaders", names=names(tr, task.leaders)),
        tr("q.card.lead_units", names=names(tr, task.lead_units)),
        tr("q.card.units", names=names(tr, task.units)),
    ]
    if task.supporting_units:
        lines.append(tr("q.card.supporting", names=names(tr, task.supporting_units)))
    return "\n".join(lines)


async def _about_tasks(session: AsyncSession, viewer: Viewer, tasks: list[Task], who: bool) -> Page:
    tr = viewer.tr
    ledger = await load(session, today=viewer.today, tz=viewer.tz, task_ids={t.id for t in tasks})
    views = [v for t in tasks if (v := ledger.by_id(t.id)) is not None]
    blocks = [who_block(viewer, v) if who else progress_block(viewer, v) for v in views]
    buttons: list[list[Button]] = [
        [(tr("q.button.details", ref=v.ref), ViewRef("k", v.id).data())] for v in views
    ]
    return Page("\n\n".join(blocks), buttons)


async def _person_in(session: AsyncSession, text: str) -> tuple[int, bool] | None:
    """The person a question names ("吴祖明分管哪些任务"), longest name first, and whether they lead tasks."""
    clean = _clean(text)
    persons = await ledger_q.persons_named(session)
    found = [(len(name), pid, leads) for pid, name, leads in persons if len(name) >= 2 and name in clean]
    if not found:
        titled = _TITLE.search(clean)
        surname = [(1, pid, leads) for pid, name, leads in persons if titled and leads and name[0] == titled.group(1)]
        return (surname[0][1], True) if len(surname) == 1 else None
    _, pid, leads = max(found)
    return pid, leads


async def _person_page(session: AsyncSession, viewer: Viewer, person_id: int) -> Page:
    """Who a person is: their unit and post, whether they use the bot, and what they lead."""
    tr = viewer.tr
    card = await ledger_q.person_card(session, person_id)
    if card is None:
        return Page(tr("q.error.stale"))
    name, post, unit, bound = card
    lines = [tr("q.person.head", name=esc(name), unit=esc(unit) if unit else tr("q.person.no_unit"))]
    if post:
        lines.append(tr("q.person.post", post=esc(short(post, 60))))
    led = await ledger_q.task_ids_led_by(session, person_id)
    if led:
        lines.append(tr("q.person.leads", n=len(led), name=esc(name)))
    lines.append(tr("q.person.bound" if bound else "q.person.unbound"))
    return Page("\n".join(lines))


async def _places(session: AsyncSession, text: str) -> tuple[list[str], list[str]]:
    """Places named like a county ("梁园区", "民权县", "睢县") that are no unit of the plan: those
    outside the plan's own city or county, and those that are it ("商丘市", which is the whole plan)."""
    places = [p for m in _PLACE.finditer(_PUNCT.sub("", _clean(text))) if not _NOT_PLACE.search(p := m.group(1))]
    if not places:
        return [], []
    titles = "".join(f"{p.title}{p.issuer or ''}" for p in await ledger_q.plans(session))
    # a county the plan's texts mention ("民权县" in 1-10's problem) still reports under 各县(市、区)
    own = [p for p in places if p in titles or p[:-1] in titles]
    return [p for p in places if p not in own], own


async def _titled_leaders(session: AsyncSession, text: str) -> list[tuple[int, str]]:
    """The leaders a surname and post may name ("张市长"): all of them, when more than one has it."""
    titled = _TITLE.search(_clean(text))
    if titled is None:
        return []
    return [(pid, name) for pid, name, leads in await ledger_q.persons_named(session) if leads and name[0] == titled.group(1)]


_WE = re.compile(r"我们|咱们|我单位|我局|本单位|\bwe\b|\bour\b", re.I)
""""我们多久没报了": a member's "we" is their unit, though no list of "mine" is asked."""
_REPORTED_HOW_MUCH = re.compile(r"报(?:了|过)(?:几|多少)|(?:报送|上报)(?:了)?(?:几|多少)(?:项|个|条|次)")
""""我们上一旬报了几项": that 旬's reporting, counted."""
_OWN_UNIT = re.compile(r"我们?(?:单位|局|委|办|县|区)|本(?:单位|局|县|区)|咱(?:们)?单位|\bour (?:unit|bureau|department)\b", re.I)
_RATE_BY_UNIT = re.compile(r"各(?:单位|部门|县)|单位|部门|排名|排行|最(?:低|高|差|好)|\bunits?\b|\brank|\bwhich\b", re.I)


_MONTH_NAMED = re.compile(r"(?<![0-9年个上下本这])(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月份?(?![0-9一二三四五六七八九十日号底初中上下])")
_REPORTED_YET = re.compile(r"报没报|有没有(?:报|上报|报送)|是否(?:报|上报|报送)|(?:报|上报|报送)了(?:吗|没有?|么)|\bdid .{1,40} report\b", re.I)


def _unit_span(text: str, today: date) -> tuple[date, date | None] | None:
    """The span of "市水利局本周报了吗", "水利局上周报了什么", "水利局本旬有没有报": a unit's reports
    asked for a week, a month, a day or this 旬, not its whole history."""
    said = _clean(text)
    if not (_REPORTED_YET.search(said) or _REPORTS_BY.search(_REPORT_TO_ME.sub("", said))):
        return None
    if re.search(r"本旬|这旬|这一旬", said):
        return xun_of(today).start, None
    month = _MONTH_NAMED.search(said)
    if month and (n := to_int(month.group("m"))) and 1 <= n <= 12:
        first, last = month_bounds(date(today.year if n <= today.month else today.year - 1, n, 1))
        return first, last if last < today else None  # "水利局1月份报了什么"
    m = _RECENT.search(said)
    if m is None or m.group(0) in ("最近", "近期", "这几天", "近几天"):
        return None  # "最近报了什么" is the newest reports, however old
    return _silent_period(said, today)


def _silent_period(text: str, today: date) -> tuple[date, date | None] | None:
    """"本周谁没报", "上周谁没报", "上个月报了什么": the week, month or days named, as (first day,
    last day or None for "up to now"); the 旬 keeps its own list ("本旬谁没报")."""
    m = _RECENT.search(text)
    start = since_of(text, today)
    if m is None or start is None or m.group(0) in ("本旬", "这旬"):
        return None
    word = _ENGLISH_SINCE.get(m.group(0).lower(), m.group(0))
    if word == "上周":
        return start, start + timedelta(days=6)
    if word in ("上个月", "上月"):
        return start, month_bounds(start)[1]
    if word in ("昨天", "昨日"):
        return start, start
    return start, None


def _rate_ask(text: str, q: Question, viewer: Viewer) -> RateAsk:
    """"本旬报送率", "生态局报送率", "我分管的任务本旬报送率", "上一旬报送情况", "1月上旬报送率",
    "报送率最低的单位", "上一旬谁没报"."""
    previous, start = asked_xun(text, viewer.today)
    unit_id = q.unit_id
    person = viewer.person
    if unit_id is None and (Ask.MINE in q.asks or _WE.search(text)) and person is not None and person.unit_id is not None \
            and ("leader" not in viewer.roles or _OWN_UNIT.search(text)):
        unit_id = person.unit_id  # "我们单位报送率": the unit's own shares, not its tasks' every unit
    silent = Ask.NOT_REPORTED in q.asks and unit_id is None
    return RateAsk(
        unit_id=unit_id,
        mine=Ask.MINE in q.asks and unit_id is None and person is not None,
        previous=previous,
        by_unit=unit_id is None and not silent and bool(_RATE_BY_UNIT.search(text)),
        highest=bool(re.search(r"最(?:高|好)|highest|best", text, re.I)),
        start=start,
        names=silent,
        shown=_rate_count(text),
        counties=unit_id is None and bool(_COUNTIES.search(_clean(text))),
    )


_RATE_COUNT = re.compile(
    r"(?:最(?:低|高|差|好)|前|后|倒数)的?(?P<n>[0-9]{1,2}|[一二三四五六七八九十两]{1,3})(?:个|家|名|位)|"
    r"\b(?:top|bottom|lowest|highest|worst|best)\s+(?P<en>\d{1,2})\b",
    re.I,
)


def _rate_count(text: str) -> int | None:
    """"报送率最低的三个单位": how many units the asker wants to see."""
    m = _RATE_COUNT.search(_clean(text))
    n = to_int(m.group("n") or m.group("en")) if m else None
    return n if n and n <= 50 else None


def _top_n(text: str, q: Question) -> ViewRef | None:
    """"进度前5名的单位" is the best five, "后3名"/"倒数3名" the three furthest behind."""
    short = _PUNCT.sub("", _clean(text))
    plain = _clean(text).rstrip(" ?？。.!！")
    if _FIRST_PLACE.match(short):
        return ViewRef("y", 1)
    if Ask.RANKING not in q.asks and not _BARE_TOP_N.match(short) and not _ENGLISH_TOP_N.match(plain):
        return None
    m = _TOP_N.search(_clean(text))
    n = to_int(m.group("n")) if m else None
    if m is None or not n or n > 50:
        return None
    # "超期最多的三个单位": the most of something bad is the furthest behind
    most_late = m.group("side").startswith("最多") and bool(re.search(r"逾期|超期|拖期|未报|没报|滞后", text))
    last = most_late or m.group("side").lower() in ("后", "倒数", "倒数第", "bottom", "worst", "last") or m.group("side").startswith(
        ("最落后", "最慢", "最差")) or bool(
        re.search(r"落后|最慢|最差|垫底|拖后腿|lagging|behind", text, re.I))
    return ViewRef("a" if last else "y", n)


async def _signoff_of(session: AsyncSession, viewer: Viewer, tasks: list[Task]) -> Page:
    """"1-17销号了吗": per unit, signed off, under review or still open; a task is 销号
    only when every share is, so the answer is the shares, not the report history."""
    tr = viewer.tr
    today = viewer.today
    ledger = await load(session, today=today, tz=viewer.tz, task_ids={t.id for t in tasks})
    asked = await ledger_q.latest_signoffs(session, {t.id for t in tasks})
    blocks: list[str] = []
    buttons: list[list[Button]] = []
    for task in (v for t in tasks if (v := ledger.by_id(t.id)) is not None):
        shares = [sh for sh in task.shares if sh.unit is not None] or list(task.shares)
        done = sum(1 for sh in shares if sh.signed_off_at is not None)
        pending = sum(1 for sh in shares if sh.signed_off_at is None and sh.signoff_pending)
        summary = (tr("q.signoff.all_done") if shares and done == len(shares)
                   else tr("q.signoff.partly", done=done, n=len(shares), pending=pending))
        lines = [f"{MARK[task.status]} <b>{esc(task.ref)}</b> {esc(short(task.title, 40))}", summary]
        for sh in shares:
            name = esc(sh.unit) if sh.unit else tr("q.card.whole_task")
            last = asked.get((task.id, sh.unit_id))
            if sh.signed_off_at is not None:
                state = tr("q.signoff.share_done", date=fmt_date(tr, sh.signed_off_at, today))
            elif sh.signoff_pending:
                state = tr("q.card.signoff_pending") if last is None or last[0] != "pending" else tr(
                    "q.signoff.share_waiting", date=fmt_date(tr, last[1].astimezone(viewer.tz), today))
            else:
                progress = state_text(tr, sh.status, sh.days_overdue, sh.state.next_due, sh.percent, today)
                state = tr("q.signoff.share_open", state=progress)
                if last is not None and last[0] == "returned":
                    # a refused request is why it is still open: say when and why, not only 未销号
                    day = fmt_date(tr, (last[2] or last[1]).astimezone(viewer.tz), today)
                    state = (tr("q.signoff.share_returned", date=day, reason=esc(short(last[3], 60))) if last[3]
                             else tr("q.signoff.share_returned_plain", date=day)) + tr("q.sep.inline") + progress
            if sh.extension_to:
                state += tr("q.sep.inline") + tr("q.card.extension_pending", date=fmt_date(tr, sh.extension_to, today))
            lines.append(f"　{MARK[sh.status]} {name}：{state}")
        blocks.append("\n".join(lines))
        buttons.append([(tr("q.button.details", ref=task.ref), ViewRef("k", task.id).data())])
    return Page("\n\n".join(blocks), buttons)


async def _completion_rate(session: AsyncSession, viewer: Viewer) -> str | None:
    """"任务完成率多少": a task is complete when signed off; the units' own percents say how far
    the rest has gone. Not for a viewer who may see counts only."""
    ledger = await listing(session, viewer)
    if ledger is None or not len(ledger):
        return None
    tasks = list(ledger)
    done = sum(1 for t in tasks if t.status is StatusClass.SIGNED_OFF)
    average = round(sum(t.percent or 0 for t in tasks) / len(tasks))
    return viewer.tr("q.completion.rate", done=done, n=len(tasks), rate=f"{100 * done / len(tasks):.1f}".removesuffix(".0"),
                     average=average)


async def _units_behind(session: AsyncSession, viewer: Viewer, tasks: list[Task]) -> Page:
    """"1-17哪个单位拖后腿": a task's units side by side, furthest behind first; who leads it
    does not say who is holding it up."""
    tr = viewer.tr
    today = viewer.today
    ledger = await load(session, today=today, tz=viewer.tz, task_ids={t.id for t in tasks})
    blocks: list[str] = []
    for task in (v for t in tasks if (v := ledger.by_id(t.id)) is not None):
        shares = sorted(
            (sh for sh in task.shares if sh.unit is not None),
            key=lambda sh: (ORDER.index(sh.status) if sh.status in ORDER else len(ORDER), -sh.days_overdue,
                            sh.percent or 0, sh.last_report_at.timestamp() if sh.last_report_at else 0.0),
        )
        lines = [tr("q.behind.title", ref=esc(task.ref), title=esc(short(task.title, 40)))]
        for i, sh in enumerate(shares, 1):
            if sh.signed_off_at is not None:
                state = tr("q.signoff.share_done", date=fmt_date(tr, sh.signed_off_at, today))
            else:
                state = state_text(tr, sh.status, sh.days_overdue, sh.state.next_due, sh.percent, today) + tr("q.sep.inline") + (
                    tr("q.behind.last", date=fmt_date(tr, sh.last_report_at.astimezone(viewer.tz), today))
                    if sh.last_report_at else tr("q.behind.never"))
            lines.append(f"{i}. {MARK[sh.status]} {esc(sh.unit or '')}：{state}")
        blocks.append("\n".join(lines))
    return Page("\n\n".join(blocks)) if blocks else await not_found(session, viewer)


async def _due_of(session: AsyncSession, viewer: Viewer, tasks: list[Task]) -> Page:
    """"1-17还有几天到期": each task's next open deadline counted in calendar days, and the
    units still owing it; a task without a dated deadline says so rather than guessing one."""
    tr = viewer.tr
    today = viewer.today
    ledger = await load(session, today=today, tz=viewer.tz, task_ids={t.id for t in tasks})
    blocks: list[str] = []
    buttons: list[list[Button]] = []
    for task in (v for t in tasks if (v := ledger.by_id(t.id)) is not None):
        due = min((m.due for m in task.milestones if m.done_at is None and m.due), default=None)
        head = f"{MARK[task.status]} <b>{esc(task.ref)}</b> {esc(short(task.title, 40))}"
        if task.status is StatusClass.SIGNED_OFF:
            line = tr("q.due_left.signed_off")
        elif due is None:
            line = tr("q.due_left.undated", text=esc(short(task.deadline_text, 80) or tr("q.none")))
        elif due < today:
            line = tr("q.due_left.late", date=fmt_date(tr, due, today), days=(today - due).days)
        elif due == today:
            line = tr("q.due_left.today", date=fmt_date(tr, due, today))
        else:
            line = tr("q.due_left.days", date=fmt_date(tr, due, today), days=(due - today).days)
        lines = [head, line]
        owing = [s.unit for s in task.shares if s.unit and s.status is not StatusClass.SIGNED_OFF]
        if owing and task.status is not StatusClass.SIGNED_OFF:
            lines.append(tr("q.window.units", units=names(tr, owing)))
        blocks.append("\n".join(lines))
        buttons.append([(tr("q.button.details", ref=task.ref), ViewRef("k", task.id).data())])
    return Page("\n\n".join(blocks), buttons)


async def _history_of(session: AsyncSession, viewer: Viewer, tasks: list[Task]) -> Page:
    """"1-17的历史记录": one task's history, or a choice when the words fit several."""
    if len(tasks) > 1:
        return choose_page(viewer, tasks, "h")
    return await render(session, viewer, ViewRef("h", tasks[0].id))


async def respond(session: AsyncSession, viewer: Viewer, text: str) -> Page | None:
    """The answer to a question, or None when it cannot be placed."""
    tr = viewer.tr
    if not viewer.known:
        return Page(tr("q.unbound"))
    if {"leader", "admin"} & set(viewer.roles) and reads_as_instruction(text):
        return await instruction_page(session, viewer)  # "各乡镇抓紧报送进展": offered, never relayed unasked
    keys = unit_keys(await ledger_q.units_with_aliases(session))
    text = fix_refs(text)
    q = understand(text, viewer.today, keys)
    visible = await viewer.visibility(session)
    if not q.refs and q.item is None:  # the plan's own numbers: 2.1, 任务4, 5号任务
        built = await matcher(session)
        q.refs = built[0].named_refs(text) if built is not None else []
        if not q.refs:
            dotted = [f"{a}-{b}" for a, b in _DOT_REF.findall(_clean(text))]
            q.refs = [ref for ref in dotted if await ledger_q.task_by_ref(session, ref)]

    if q.refs or q.item is not None:
        tasks = await _tasks_for_refs(session, q.refs) if q.refs else await _item_tasks(session, q.item or 0, q.qualifier)
        if visible.counts_only:
            return Page(tr("q.group.counts_only"))
        shown = [t for t in tasks if visible.allows(t.id)]
        if not shown:
            return await _not_theirs(session, viewer, tasks) if tasks else await not_found(session, viewer)
        # "1-17谁还没报": the shares; "1-10谁报的": its history
        who = Ask.WHO in q.asks and Ask.NOT_REPORTED not in q.asks and not _WHO_REPORTED.search(text)
        if _EVIDENCE_WORD.search(text) and _EVIDENCE_ASK.search(_PUNCT.sub("", _clean(text))) and not who \
                and not _EXTENSION.search(text):
            return choose_page(viewer, shown, "i") if len(shown) > 1 else await render(session, viewer, ViewRef("i", shown[0].id))
        if _SIGNOFF_ASKED.search(text) and not _EXTENSION.search(text) and (not who or _SIGNOFF_OPEN.search(text)):
            return await _signoff_of(session, viewer, shown)  # "1-17销号了吗": each unit's share
        if _LAGGARD.search(text) and Ask.HISTORY not in q.asks and not _REQUESTS.search(text):
            return await _units_behind(session, viewer, shown)  # "1-17哪个单位拖后腿": its units, worst first
        if (Ask.HISTORY in q.asks or _REQUESTS.search(text)) and not who:  # "1-10申请延期了吗": its story
            return await _history_of(session, viewer, shown)
        if _DAYS_LEFT.search(_PUNCT.sub("", _clean(text))) or _DAYS_LEFT.search(text):
            return await _due_of(session, viewer, shown)
        if _DETAIL.search(text) and not who and len(shown) == 1:
            return await render(session, viewer, ViewRef("t", shown[0].id))
        return await _about_tasks(session, viewer, shown, who)
    if _CALLING.match(_PUNCT.sub("", _clean(text))):
        return None  # "整改办在吗": someone called for, not a topic of the plan
    english = _ENGLISH_UNIT.search(text) if q.unit_id is None and not _CJK.search(text) else None
    if english is not None:
        example = (await examples(session, viewer.person, tr))["unit"]
        return Page(tr("q.unit.english", name=esc(english.group(0).strip()), unit=example))
    if q.unit_id is None:
        outside, own = await _places(session, text)
        if outside:
            return Page(tr("q.place.none", place=esc(outside[0])))
        word, several = units_sharing(_PUNCT.sub("", _clean(text)), await ledger_q.units_with_aliases(session))
        if several:  # "示范区有几项任务": which of them is for the asker to say
            return Page(tr("q.unit.several", name=esc(word), n=len(several)),
                        [[(name, ViewRef("u", uid).data())] for uid, name in several[:CHOICES]])
        whole = _PUNCT.sub("", _clean(text))
        for city in own:
            whole = whole.replace(city, "")
        if own and (not whole or _OVERALL.match(whole) or _STATEMENT_QUERY.fullmatch(whole)):
            return await render(session, viewer, ViewRef("s"))  # "商丘市的情况": the plan's own city is the whole plan
        section = _SECTION_ASK.match(_PUNCT.sub("", _clean(text)))
        if section and (part := await section_tasks(session, section.group("topic"))):
            return await topic_list(session, viewer, part, section.group("topic"), section.group("cls"))
    named = await _person_in(session, text)
    own_unit = viewer.person.unit_id if viewer.person is not None else None
    if q.unit_id is None and named is None and (_UNIT_LOAD.search(_PUNCT.sub("", _clean(text))) or _UNIT_LOAD.search(text)):
        return await unit_load_page(session, viewer, fewest=bool(re.search(r"最少|最轻|fewest", text)))
    if named is None and (_XUN_RATE.search(_PUNCT.sub("", _clean(text))) or _XUN_RATE.search(text)):
        return await xun_rate_page(session, viewer, _rate_ask(text, q, viewer))
    if named is None and (Ask.NOT_REPORTED in q.asks or _REPORTED_HOW_MUCH.search(text)) and q.window is None \
            and any(asked_xun(text, viewer.today)):
        return await xun_rate_page(session, viewer, _rate_ask(text, q, viewer))  # 上一旬谁没报: that 旬, not this one
    silent_from = silent_since(text, viewer.today) if Ask.NOT_REPORTED in q.asks and named is None else None
    tasks_asked = bool(_TASKS_ASKED.search(text)) and not _UNITS_ASKED.search(text)
    own_only = Ask.MINE in q.asks and viewer.person is not None
    if silent_from is not None and q.unit_id is None and not _OVERDUE.search(text):
        # 超过一个月没报的单位: the span asked, not this 旬
        if tasks_asked:
            return await silent_tasks_page(session, viewer, silent_from)
        return await silent_since_page(session, viewer, silent_from, mine=own_only)
    period = _silent_period(_clean(text), viewer.today) if Ask.NOT_REPORTED in q.asks and named is None else None
    if period is not None and q.unit_id is None and not tasks_asked and not _OVERDUE.search(text):
        return await silent_since_page(session, viewer, period[0], until=period[1], mine=own_only)  # 本周谁没报
    if Ask.NOT_REPORTED in q.asks and tasks_asked and q.unit_id is None and named is None and _EVER.search(text):
        return await silent_tasks_page(session, viewer, None)  # 哪些任务一直没人报: no unit ever reported
    if named is None and own_unit is not None and q.unit_id is None and _HOW_LONG_SILENT.search(text) \
            and (Ask.MINE in q.asks or _WE.search(text)):
        return await latest_report_page(session, viewer, ViewRef("g", own_unit))  # 我们多久没报了
    if named is None and own_unit is not None and Ask.MINE in q.asks and _REPORTS_BY.search(text) \
            and Ask.NOT_REPORTED not in q.asks:
        if _LATEST_ONE.search(text):
            return await latest_report_page(session, viewer, ViewRef("g", own_unit))  # 我们最近一次报的什么
        return await render(session, viewer, ViewRef("g", own_unit))  # 我们报过什么
    if named is None and (_LEADS.search(text) or _LED_WORK.search(text) or _OWN_LATE.search(text)):
        several = await _titled_leaders(session, text)
        if len(several) > 1:  # "张市长分管的逾期任务" with two leaders named 张: ask which
            kind = "N" if Ask.NOT_REPORTED in q.asks else "e" if Ask.OVERDUE in q.asks else "l"
            titled = _TITLE.search(_clean(text))
            return Page(tr("q.person.choose", who=esc(titled.group(0) if titled else "")),
                        [[(name, ViewRef(kind, pid).data())] for pid, name in several[:CHOICES]])
    if named is not None:
        person_id, leads = named
        if leads and (_LEADS.search(text) or _LED_WORK.search(text) or _OWN_LATE.search(text)):
            # "张家明分管的任务有多少还没报": his tasks without this 旬's report; "…逾期了几个": his late ones
            kind = "N" if Ask.NOT_REPORTED in q.asks else "e" if Ask.OVERDUE in q.asks else "l"
            return await render(session, viewer, ViewRef(kind, person_id))
        if _REPORTS_BY.search(text) and Ask.NOT_REPORTED not in q.asks:
            if _LATEST_ONE.search(text):
                return await latest_report_page(session, viewer, ViewRef("b", person_id))
            return await render(session, viewer, ViewRef("b", person_id))
    if named is not None and _WHO_IS.search(text) and not q.refs:
        return await _person_page(session, viewer, named[0])  # 刘洋是哪个单位的
    if not q.refs and _READY_SIGNOFF.search(text):
        return await render(session, viewer, since_ref(None))  # 哪些任务可以销号了
    if not q.refs and _BINDING.search(text) and named is None:
        # who is bound is the office's business, and is not a question about tasks
        if "admin" in viewer.roles and _NOT_BOUND.search(text):
            return await _unbound_page(session, viewer)  # 谁还没绑定, 哪些单位还没有人绑定
        return Page(tr("q.binding.admin" if "admin" in viewer.roles else "q.binding.other"))
    if not q.refs and _SIGNOFF_WAITING.search(text) and not _EXTENSION.search(text):
        from bot.pending import pending_page

        return await pending_page(session, viewer, text)  # 有哪些任务在审核销号
    month = _MONTH_ASK.match(_PUNCT.sub("", _clean(text)))
    if month and (m := to_int(month.group("m"))) and 1 <= m <= 12:
        year = viewer.today.year if m <= viewer.today.month else viewer.today.year - 1
        month_start, month_end = month_bounds(date(year, m, 1))
        # a month already over is that month only; the current one runs to today
        return await render(session, viewer, recent_ref(month_start, month_end if month_end < viewer.today else None))
    if named is None and _EXTENSION.search(text):
        # "市水利局申请延期了吗", "有哪些单位申请了延期", "我们的延期批了没有": the requests, decided or not
        unit = q.unit_id if q.unit_id is not None else own_unit if Ask.MINE in q.asks else None
        return await render(session, viewer, ViewRef("q", unit))
    if q.unit_id is None and named is None and (_REPORT_COUNT.search(text) or _EVIDENCE_RANK.search(text)) \
            and (not _NEVER_REPORTED.search(text) or _UNITS_ASKED.search(text)):
        # 哪个单位报得最多 (0/1: most/fewest reports), 哪个单位证据材料最多 (2/3: most/fewest files)
        by = (2 if _EVIDENCE_RANK.search(text) else 0) + (1 if _FEWEST.search(text) else 0)
        return await render(session, viewer, ViewRef("c", by or None))
    first = _FIRST_N.match(_PUNCT.sub("", _clean(text)))
    if first and q.unit_id is not None and (n := to_int(first.group("n") or first.group("n_en"))):
        return await unit_first(session, viewer, q.unit_id, n)  # 市生态环境局前三项任务
    span = _unit_span(text, viewer.today) if q.unit_id is not None and not _HOW_LONG_SILENT.search(text) else None
    if q.unit_id is not None and span is not None:
        return await unit_span_page(session, viewer, q.unit_id, *span)  # 市水利局本周报了吗: that week only
    if q.unit_id is not None and (_HOW_LONG_SILENT.search(text) or (
            Ask.NOT_REPORTED in q.asks and silent_since(text, viewer.today) is not None)):
        return await latest_report_page(session, viewer, ViewRef("g", q.unit_id))  # 生态局多久没报了: when it last did
    if q.unit_id is not None and _REPORTS_BY.search(_REPORT_TO_ME.sub("", text)) and Ask.NOT_REPORTED not in q.asks:
        if _LATEST_ONE.search(text):
            return await latest_report_page(session, viewer, ViewRef("g", q.unit_id))  # 水利局最近一次报的什么
        return await render(session, viewer, ViewRef("g", q.unit_id))
    if q.unit_id is not None and _CONTACT.search(text):
        return await render(session, viewer, ViewRef("u", q.unit_id))  # its head names the unit's people
    if q.unit_id is None and named is None and (
        _OVERALL.match(_PUNCT.sub("", _clean(text))) or _OVERALL.match(_clean(text).rstrip(" ?？。.!！"))
    ):
        return await render(session, viewer, ViewRef("s"))
    if q.unit_id is None and _COUNTIES.search(_clean(text)) and named is None:
        return await render(session, viewer, ViewRef("v"))
    cut = asked_cut(text) if q.unit_id is None else None
    if cut is not None:
        return await render(session, viewer, cut)  # 逾期超过30天的任务, 完成率低于50%的任务
    if q.unit_id is None and own_unit is not None and _RANK_OWN.search(_PUNCT.sub("", _clean(text))):
        return await render(session, viewer, ViewRef("r", own_unit))  # 我们排第几
    if Ask.RANKING in q.asks and q.unit_id is None and Ask.MINE in q.asks and viewer.person is not None \
            and not _BEST.search(text):
        return await render(session, viewer, ViewRef("j"))  # 我分管的单位哪个最慢
    if Ask.RANKING in q.asks and q.unit_id is None and named is None and Ask.MINE not in q.asks \
            and _names_a_topic(_RANK_WORDS.sub(" ", text)):
        tasks, _ = await topic_tasks(session, _RANK_WORDS.sub(" ", text), visible.task_ids)
        if tasks:
            return await topic_ranking(session, viewer, tasks)
    top = _top_n(text, q) if q.unit_id is None and Ask.MINE not in q.asks else None
    if top is not None:
        return await render(session, viewer, top)
    if Ask.RANKING in q.asks and (q.unit_id is None or re.search(r"第几|排名|\brank", text, re.I)):
        if _BEST.search(text) and q.unit_id is None:
            return await render(session, viewer, ViewRef("y"))
        return await render(session, viewer, ViewRef("r", q.unit_id))
    if Ask.DUE_WINDOW in q.asks and q.window is not None and q.unit_id is None:
        mine_only = Ask.MINE in q.asks and viewer.person is not None  # 我分管的本月有哪些到期
        return await render(session, viewer, window_ref(*q.window, includes_late(text), mine_only))
    if Ask.RECENT in q.asks and q.since is not None and Ask.NOT_REPORTED not in q.asks:
        period = _silent_period(_clean(text), viewer.today)  # "上周报了什么": that week, not since
        return await render(session, viewer, recent_ref(q.since, period[1] if period else None))
    if q.unit_id is not None and (q.asks & {Ask.UNIT, Ask.NOT_REPORTED, Ask.OVERDUE, Ask.DUE_SOON}) and Ask.WHO not in q.asks:
        return await render(session, viewer, ViewRef("u", q.unit_id))
    own_unit = viewer.person.unit_id if viewer.person is not None else None
    leads = "leader" in viewer.roles
    if Ask.NOT_REPORTED in q.asks and Ask.MINE in q.asks and own_unit is not None and not leads:
        return await render(session, viewer, ViewRef("u", own_unit))  # 我们单位还有哪些没报: our own tasks
    mine = 1 if Ask.MINE in q.asks and viewer.person is not None else None  # 我分管的有哪些逾期
    if Ask.NOT_REPORTED in q.asks and mine and leads and viewer.person is not None:
        return await render(session, viewer, ViewRef("N", viewer.person.id))  # 我分管的任务有几个没报
    if Ask.NOT_REPORTED in q.asks:
        return await render(session, viewer, ViewRef("n", mine))
    if Ask.SIGNED_OFF in q.asks and q.unit_id is None:
        since = since_of(_clean(text), viewer.today)  # "本月销号了几项": what finished in the month
        return await render(session, viewer, since_ref(since) if since else ViewRef("x"))
    if Ask.OVERDUE in q.asks:
        return await render(session, viewer, ViewRef("o", mine))
    if Ask.DUE_SOON in q.asks:
        return await render(session, viewer, ViewRef("d", mine))
    if Ask.MINE in q.asks:
        return await render(session, viewer, ViewRef("m"))
    if q.unit_id is not None and Ask.WHO not in q.asks:
        return await render(session, viewer, ViewRef("u", q.unit_id))
    if Ask.FINISHED in q.asks and not visible.counts_only and not _TOTAL.search(text):  # "一共多少个任务，完成了几个": /status
        return await render(session, viewer, since_ref(q.since))
    if visible.counts_only or Ask.STATUS in q.asks:
        page = await render(session, viewer, ViewRef("s"))
        if _COMPLETION_RATE.search(text) and (rate := await _completion_rate(session, viewer)) is not None:
            head, _, rest = page.text.partition("\n")  # 任务完成率多少: the number under the title
            return Page(f"{head}\n{rate}\n{rest}", page.buttons)
        return page
    if _HOW_GOES.search(text) and not _SMALLTALK.search(text) and not _names_a_topic(text):
        return await render(session, viewer, ViewRef("s"))  # "现在情况怎么样了": the whole plan
    topic = _in_chinese(text)
    every = await literal_topic_tasks(session, topic, None)
    literal = None if every is None else [t for t in every if visible.allows(t.id)]
    if every and literal is not None and not q.asks & {Ask.HISTORY, Ask.WHO}:
        if not literal:
            # in a unit's group, a leader's topic may be another unit's: say where to ask
            return await _group_redirect(session, viewer, every) or await not_found(session, viewer)
        if len(literal) > MAX_TOPIC_TASKS:
            return await topic_ranking(session, viewer, literal)
        return await _about_tasks(session, viewer, literal, False)
    tasks, matched = await topic_tasks(session, topic, visible.task_ids)
    # English topic words are plain terms: one the plan lacks is said so even with no loose match
    asked_for_topic = _TOPIC_ASK.match(_PUNCT.sub("", _clean(text))) is not None  # "尾矿库的任务"
    if (matched or topic != text or asked_for_topic) and (gone := await absent_topic(session, topic)) is not None:
        return Page(tr("q.topic.none", topic=esc(gone)))
    if tasks and Ask.HISTORY in q.asks and (Ask.WHO not in q.asks or _WHO_REPORTED.search(text)):
        return await _history_of(session, viewer, tasks)
    if tasks:
        return await _about_tasks(session, viewer, tasks, Ask.WHO in q.asks)
    if matched:
        return await not_found(session, viewer)
    return None


UNBOUND_SHOWN = 30


async def _unbound_page(session: AsyncSession, viewer: Viewer) -> Page:
    """The office chasing sign-ups wants the names: units with a task and nobody bound, the
    leaders not bound, and invitations sent but not used; /people has the rest."""
    tr = viewer.tr
    units = await ledger_q.units_nobody_bound(session)
    leaders = await ledger_q.leaders_unbound(session)
    invited = await ledger_q.invitations_open(session, viewer.now)
    if not units and not leaders and not invited:
        return Page(tr("q.unbound_list.none"))
    lines = [tr("q.binding.admin"), tr("q.unbound_list.title", date=fmt_date(tr, viewer.today, date.min))]
    if units:
        lines.append(tr("q.unbound_list.units", n=len(units)))
        lines += [tr("q.unbound_list.unit", unit=esc(name), tasks=n) for name, n in units[:UNBOUND_SHOWN]]
        if len(units) > UNBOUND_SHOWN:
            lines.append(tr("q.unbound_list.more", n=len(units) - UNBOUND_SHOWN))
    if leaders:
        lines.append(tr("q.unbound_list.leaders", n=len(leaders), names=esc("、".join(leaders))))
    if invited:
        lines.append(tr("q.unbound_list.invited", n=len(invited)))
        lines += [tr("q.unbound_list.invitee", name=esc(name or "—"), unit=esc(unit or "—"),
                     day=fmt_date(tr, at.astimezone(viewer.tz), viewer.today)) for name, unit, at in invited[:UNBOUND_SHOWN]]
    lines.append(tr("q.unbound_list.hint"))
    return Page("\n".join(lines))


async def answer(turn: Turn) -> bool:
    """Answer ``turn``'s text if it is a question; True if a reply was queued.

    A question we cannot place gets, in a private chat, examples of what can be asked;
    in a group, silence (False), as does anyone unbound: the group's chat is not for us.
    """
    message = turn.update.effective_message
    text = (message.text or message.caption or "") if message else ""
    if not text.strip() or not is_question(text):
        return False
    if turn.in_group and turn.person is None and not turn.is_admin:
        return False
    if turn.in_group and reads_as_instruction(text):
        return False  # "各单位抓紧报送进展" said in a work group is meant for the people in it
    page = await respond(turn.session, Viewer.of(turn), text)
    if page is None:
        if turn.in_group:
            return False
        page = Page(turn.tr("q.question.unknown", **await turn.examples()))
    await turn.reply(page.text, buttons=page.buttons or None)
    return True


# ---- lookups for /task, /chase and /unit -------------------------------------------------

_REF_ARG = re.compile(r"^(?:(\d{1,9})[:：])?([0-9]{1,3}(?:[-.－][0-9]{1,3}){0,2})$")
LOOKUP_CHARS = 200
CHOICES = 8


async def find_tasks(session: AsyncSession, viewer: Viewer, words: str) -> list[Task]:
    """Tasks named by a ref ("1-10", "2:1-10"), an item ("大气第8项") or words, that ``viewer`` may see."""
    text = _clean(words)[:LOOKUP_CHARS]
    if not text:
        return []
    visible = await viewer.visibility(session)
    if visible.counts_only:
        return []
    m = _REF_ARG.match(text.replace("－", "-"))
    if m:
        found = await ledger_q.task_by_ref(session, m.group(2), int(m.group(1)) if m.group(1) else None)
    else:
        item = _ITEM.search(text)
        refs = [f"{a}-{b}" for a, b in _REF.findall(text)]
        if refs:
            found = await _tasks_for_refs(session, refs)
        elif item and (n := to_int(item.group(1))) is not None:
            found = await _item_tasks(session, n, text[: item.start()])
        else:
            found, _ = await topic_tasks(session, text, visible.task_ids)
    return [t for t in found if visible.allows(t.id)]


async def unit_only(session: AsyncSession, words: str) -> str | None:
    """The unit that ``words`` name and nothing else ("市交通运输局", "交通局"), if so."""
    text = _clean(words).strip(" ，,。")
    found = find_unit(text, unit_keys(await ledger_q.units_with_aliases(session)))
    if found is None or _REF.search(text) or len(text) > len(found[1]) + 4:
        return None
    return found[1]


async def _not_theirs(session: AsyncSession, viewer: Viewer, tasks: list[Task]) -> Page:
    """The task exists but is another unit's: say so, rather than that there is no such task."""
    refs = "、".join(dict.fromkeys(esc(t.ref) for t in tasks))
    return await _group_redirect(session, viewer, tasks) or Page(viewer.tr("q.task.not_yours", refs=refs))


async def _group_redirect(session: AsyncSession, viewer: Viewer, tasks: list[Task]) -> Page | None:
    """In a unit's group it may be the group, not the asker, that narrows the answer: a leader
    asking there about a task they may see is pointed to a private chat, not told it is not theirs."""
    if viewer.chat_type == "private" or viewer.chat_id is None:
        return None
    from bot.groups import audience

    heard = await audience(session, viewer.chat_id, viewer.chat_type)
    if heard.kind != "unit" or heard.unit_id is None:
        return None
    own = await replace(viewer, chat_id=None, chat_type="private").visibility(session)
    mine = [t for t in tasks if own.allows(t.id)]
    if not mine:
        return None
    refs = "、".join(dict.fromkeys(esc(t.ref) for t in mine))
    unit = await people.unit_name(session, heard.unit_id) or ""
    return Page(viewer.tr("q.group.other_unit", refs=refs, unit=esc(unit)))


def choose_page(viewer: Viewer, tasks: list[Task], kind: str = "k") -> Page:
    """Several tasks fit: one button each (at most ``CHOICES``)."""
    tr = viewer.tr
    lines = [tr("q.task.choose", n=len(tasks))]
    buttons: list[list[Button]] = []
    for task in tasks[:CHOICES]:
        lines.append(f"• <b>{esc(task.ref)}</b> {esc(short(task.title, 40))}")
        buttons.append([(f"{task.ref} {short(task.title, 16)}", ViewRef(kind, task.id).data())])
    return Page("\n".join(lines), buttons)


async def task_page(session: AsyncSession, viewer: Viewer, words: str) -> Page:
    """/task <ref or words>: the card, a choice between tasks, or why not."""
    tr = viewer.tr
    if not viewer.known:
        return Page(tr("q.unbound"))
    if not words.strip():
        return Page(tr("q.task.usage", ref=await example_ref(session, viewer.person)))
    tasks = await find_tasks(session, viewer, words)
    if not tasks:
        m = _REF_ARG.match(_clean(words).replace("－", "-"))
        hidden = await ledger_q.task_by_ref(session, m.group(2), int(m.group(1)) if m.group(1) else None) if m else []
        if hidden and not (await viewer.visibility(session)).counts_only:
            return await _not_theirs(session, viewer, hidden)
        return await not_found(session, viewer)
    if len(tasks) > 1:
        return choose_page(viewer, tasks)
    return await render(session, viewer, ViewRef("t", tasks[0].id))


async def history_page(session: AsyncSession, viewer: Viewer, words: str) -> Page:
    """/history <ref or words>: the task's reports, a choice between tasks, or why not."""
    tr = viewer.tr
    if not viewer.known:
        return Page(tr("q.unbound"))
    if not words.strip():
        return Page(tr("q.history.usage", ref=await example_ref(session, viewer.person)))
    tasks = await find_tasks(session, viewer, words)
    if not tasks:
        return await task_page(session, viewer, words)  # the same "not yours" / "not found" answers
    return await _history_of(session, viewer, tasks)


async def unit_page(session: AsyncSession, viewer: Viewer, words: str) -> Page:
    """/unit <name>: the unit's tasks, a choice between units, or why not."""
    tr = viewer.tr
    if not viewer.known:
        return Page(tr("q.unbound"))
    text = _PUNCT.sub("", _clean(words))[:LOOKUP_CHARS]
    if not text:
        if viewer.person is not None and viewer.person.unit_id is not None:
            return await render(session, viewer, ViewRef("u", viewer.person.unit_id))
        return Page(tr("q.unit.usage"))
    units = await ledger_q.units_with_aliases(session)
    found = find_unit(text, unit_keys(units))
    if found is not None:
        return await render(session, viewer, ViewRef("u", found[0]))
    similar = [(uid, name) for uid, name, aliases in units if any(text in n for n in (name, *aliases))]
    if len(similar) == 1:
        return await render(session, viewer, ViewRef("u", similar[0][0]))
    if not similar:
        return Page(tr("q.unit.not_found", name=esc(short(text, 30))))
    buttons: list[list[Button]] = [[(name, ViewRef("u", uid).data())] for uid, name in similar[:CHOICES]]
    return Page(tr("q.unit.choose", name=esc(short(text, 30)), n=len(similar)), buttons)
