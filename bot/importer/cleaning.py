"""Make the lines of a document comparable whatever produced them.

Plans arrive with full-width or ASCII punctuation, web-page navigation around them, page
numbers, and from PDF extraction with whole pages flattened into one line with their page
number inside. The structure finder should see none of that.
"""

from __future__ import annotations

import re
from typing import Final

CJK: Final = r"\u3400-\u9fff\uf900-\ufaff"
_FULLWIDTH: Final = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x09: 0x20, 0x2002: 0x20, 0x2003: 0x20})
_ZERO_WIDTH: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)

_BOILERPLATE: Final = re.compile(
    r"^(您现在的位置|当前位置|来源\s*[:：]|发布时间|浏览次数|【?\s*字体|【\s*打印|打印本页|关闭窗口|"
    r"收藏本页|分享到|联\s*系\s*人|联系电话|联系方式|传\s*真\s*[:：]|电子邮箱|邮\s*箱\s*[:：]|"
    r"\[bookmark|上一篇|下一篇|责任编辑|扫一扫|网站地图|版权所有|主办单位|ICP备|"
    r"公示期|公示时间|如有异议|对公示内容|监督电话|举报电话|投诉电话|意见反馈渠道|阅读次数|点击数)"
)
_EMBEDDED_BOILERPLATE: Final = re.compile(r"\[bookmark:[^\]]*\]")
_PAGE_MARK: Final = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|[·•]\s*\d{1,3}\s*[·•]|第\s*\d+\s*页(?:\s*[/／,，]?\s*共\s*\d+\s*页)?|"
    r"\d{1,3}|[Pp]age\s*\d+(\s*of\s*\d+)?|\d+\s*/\s*\d+)\s*$"
)
_PAGE_MARK_INLINE: Final = re.compile(r"第\s*\d+\s*页\s*[/／]\s*共\s*\d+\s*页")


# ． ending a Chinese sentence is its full stop, not the point of 1．or 120．5
_FULL_STOP: Final = re.compile(rf"(?<=[{CJK}％%）)”])．")


def fold(text: str) -> str:
    """Full-width letters, digits and marks as ASCII, zero-width characters gone: the one
    spelling patterns and stored names use."""
    return _FULL_STOP.sub("。", text.translate(_ZERO_WIDTH)).translate(_FULLWIDTH)


def normalize_line(line: str) -> str:
    line = fold(line)
    line = _EMBEDDED_BOILERPLATE.sub("", line)
    line = _PAGE_MARK_INLINE.sub("", line)
    return _arabic_date(line.strip())


# 二〇二四年五月八日 signing a plan: the date line written in Chinese numerals, as digits,
# so that it dates the plan and closes its last task like 2024年5月8日 does
_CN_DATE_LINE: Final = re.compile(
    r"^([(（]?)([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*([一二三四五六七八九十]{1,3})\s*日)?([)）]?(?:印发)?)$"
)
_CN_DIGITS: Final = str.maketrans("〇○零一二三四五六七八九", "000123456789")


def _arabic_date(line: str) -> str:
    m = _CN_DATE_LINE.match(line)
    if m is None:
        return line
    month, day = _small_number(m.group(3)), _small_number(m.group(4)) if m.group(4) else None
    if month is None or not 1 <= month <= 12 or (m.group(4) and (day is None or not 1 <= day <= 31)):
        return line
    year = m.group(2).translate(_CN_DIGITS)
    return f"{m.group(1)}{year}年{month}月" + (f"{day}日" if day else "") + m.group(5)


def _small_number(text: str) -> int | None:
    """一 … 三十一 as a number."""
    digits = "一二三四五六七八九"
    if text in ("十",):
        return 10
    m = re.fullmatch(r"([一二三])?(十)?([一二三四五六七八九])?", text)
    if m is None or not text:
        return None
    if m.group(2) is None:
        return digits.index(text) + 1 if len(text) == 1 else None
    tens = digits.index(m.group(1)) + 1 if m.group(1) else 1
    return tens * 10 + (digits.index(m.group(3)) + 1 if m.group(3) else 0)


# A table of contents at the top: 目录, then 一、总体要求……1 (dot leaders and a page
# number). Its entries are the section titles again, and would pass for headings.
_CONTENTS_TITLE: Final = re.compile(r"^目\s*录$")
_CONTENTS_ENTRY: Final = re.compile(r"(?:…{2,}|\.{4,}|·{4,}|-{6,}|—{4,})\s*\d{1,3}$")


def is_contents(line: str) -> bool:
    """Whether a normalized line is the contents' title or one of its entries."""
    return bool(_CONTENTS_TITLE.match(line) or _CONTENTS_ENTRY.search(line))


def clean_lines(raw: list[str]) -> list[str]:
    """Normalized, non-empty, content-only lines; flattened PDF extracts are re-flowed."""
    lines = [normalize_line(line) for line in raw]
    lines = [ln for ln in lines if ln and not _BOILERPLATE.match(ln) and not _PAGE_MARK.match(ln) and not is_contents(ln)]
    lines = _strip_line_counters(lines)
    return [_drop_inline_page_numbers(_LEADING_PAGE.sub("", ln)) if len(ln) > 200 else ln for ln in lines]


_LEADING_PAGE: Final = re.compile(rf"^\d{{1,3}}\s+(?=[{CJK}])")


def _strip_line_counters(lines: list[str]) -> list[str]:
    """Some extractors prefix each physical text block with ``N、`` counting 1, 2, 3…; real
    numbered items never run that way over several long lines, so the run is removed and the
    blocks are joined back together (they break mid-sentence)."""
    counter = re.compile(r"^(\d{1,3})、\s*")
    expected = 1
    hits = 0
    for line in lines:
        m = counter.match(line)
        if m and int(m.group(1)) == expected and len(line) > 150:
            expected += 1
            hits += 1
    if hits < 3 or hits < len(lines) * 0.6:
        return lines
    out: list[str] = []
    expected = 1
    for line in lines:
        m = counter.match(line)
        if m and int(m.group(1)) == expected:
            expected += 1
            text = line[m.end():]
            if out:
                out[-1] += text
            else:
                out.append(text)
        else:
            out.append(line)
    return out


_INLINE_NUMBER: Final = re.compile(rf"(?<=[{CJK}，。、,;；:：)）”])\s+(\d{{1,3}})\s+(?=[{CJK}“(（])")


def _drop_inline_page_numbers(line: str) -> str:
    """In a flattened page the page number sits between two words with spaces around it;
    only an increasing run of such numbers is taken for page numbers, so quantities written
    with spaces survive."""
    numbers = [(m.start(), m.end(), int(m.group(1))) for m in _INLINE_NUMBER.finditer(line)]
    keep: list[tuple[int, int]] = []
    last = 0
    for start, end, n in numbers:
        if last < n <= last + 2:
            keep.append((start, end))
            last = n
    if len(keep) < 2:
        return line
    for start, end in reversed(keep):
        line = line[:start] + line[end:]
    return line


_CJK_GAP: Final = re.compile(rf"(?<=[{CJK}，。、；：“”《》（）()\"'])\s+(?=[{CJK}，。、；：“”《》（）()])")


def tidy(text: str) -> str:
    """Running text as it should read: no spaces or line breaks between Chinese characters
    (extraction and justified printing put them there), wrapped lines joined again without
    a space as Chinese text wraps, and single spaces elsewhere."""
    text = re.sub(r"\s*\n\s*", "\n", text.strip())
    text = _CJK_GAP.sub("", text)
    text = re.sub(rf"(?<=[,:;])[ \t]+(?=[\d{CJK}])", "", text)
    return re.sub(r"[ \t]+", " ", text.replace("\n", "")).strip()


def display_width(line: str) -> int:
    return sum(2 if ord(ch) >= 0x2000 else 1 for ch in line)


def wrap_width(lines: list[str]) -> int | None:
    """The width at which a printed page wrapped its lines, when it did: then most long lines
    are about equally wide, and a line clearly shorter than that ends a paragraph."""
    widths = [w for w in map(display_width, lines) if w >= 20]
    if len(widths) < 5:
        return None
    top = max(widths)
    near = sum(1 for w in widths if w >= top - 6)
    return top if near >= max(3, len(widths) * 0.4) else None


def is_full(line: str, width: int | None) -> bool:
    """True when the line reaches the wrap width, i.e. the next line continues it."""
    return width is not None and display_width(line) >= width - 6


_CLOSING: Final = re.compile(
    rf"^(?:\(?(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\)?(?:印发)?|"
    rf"(?:中共)?[{CJK}]{{2,16}}(?:委员会|省委|市委|县委|区委|人民政府|政府|办公室|办公厅|领导小组|指挥部)|"
    rf"(?:抄送|抄报|印发|主送)\s*[:：].*|\(此件[^)]*\)|[{CJK}]{{2,16}}办公室\s*(?:19|20)\d{{2}}年.*印发)$"
)


def strip_closing(lines: list[str]) -> list[str]:
    """The signature, date and distribution lines that close an official document are not
    part of its last task."""
    end = len(lines)
    while end > 0 and len(lines[end - 1]) <= 60 and _CLOSING.match(lines[end - 1]):
        end -= 1
    # above the date that signs it, any short name of a body is a signature (某局党组)
    dated = end < len(lines) and _SIGNED_DATE.match(lines[end])
    while dated and end > 1 and _SIGNER.match(lines[end - 1]) and not re.search(r"[、,，]$", lines[end - 2]):
        end -= 1
    return lines[:end]


_SIGNED_DATE: Final = re.compile(r"^\(?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\)?$")
_SIGNER: Final = re.compile(rf"^(?:中共)?[{CJK}]{{2,16}}(?:党组|党委|党工委|党支部|局|委|办|厅|院|中心|管委会)$")


def is_signer(line: str) -> bool:
    """A short line naming the body that signs the document (某县林业局, 某局党组)."""
    return bool(_SIGNER.match(line))
