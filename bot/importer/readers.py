"""Turn the bytes of a .txt, .docx, .pdf, .xlsx or .csv file into lines of text and tables.

Everything format-specific stays here, so the structure finder sees one shape of input
whatever the office sent. The type is decided by the file's content, not its name, because
officials rename files freely (a .doc saved as .docx, a PDF named .txt).
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, Final

from charset_normalizer import from_bytes

from bot.importer.cleaning import normalize_line
from bot.importer.errors import MAX_BYTES, PlanReadError
from bot.importer.fields import form_label, heading_of, label_role, match_label

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


@dataclass
class Table:
    """Rows of cell texts; ``page_starts`` marks rows that open a new PDF page, where a
    row cut by the page break continues; ``caption`` is the paragraph just above a Word
    table, where a form per problem names its problem; ``name`` is an Excel sheet's name,
    which a workbook of one ledger per 问题类别 uses as the category; ``above`` are the
    paragraphs between it and the table before, where fields for the whole list may stand."""

    rows: list[list[str]]
    page_starts: set[int] = field(default_factory=set)
    split_rows_continue: bool = False
    caption: str = ""
    name: str = ""
    above: list[str] = field(default_factory=list)


@dataclass
class Hidden:
    """What a workbook hides and the importer therefore left out: a whole sheet (``rows``
    empty) or the 1-based numbers of a sheet's hidden rows that hold text. ``read`` marks a
    hidden sheet read all the same, because no sheet on show lists any task."""

    sheet: str
    rows: list[int] = field(default_factory=list)
    read: bool = False


@dataclass
class RawDocument:
    """``unhidden`` is the same workbook with its hidden ledger sheets read as well, for
    when the sheets on show hold no task (see ``parse_document``)."""

    kind: str
    lines: list[str]
    tables: list[Table] = field(default_factory=list)
    hidden: list[Hidden] = field(default_factory=list)
    unhidden: RawDocument | None = None


def read_document(data: bytes, filename: str) -> RawDocument:
    if not data or not data.strip():
        raise PlanReadError("empty", filename)
    if len(data) > MAX_BYTES:
        raise PlanReadError("too_large", f"{filename}: {len(data) / 1024 / 1024:.1f} MB")
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(b"%PDF"):
        return _read_pdf(data, filename)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _read_zip(data, filename, suffix)
    if data.startswith(_CFB_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise PlanReadError("encrypted", filename)
        raise PlanReadError("unsupported_type", f"{filename}: legacy .doc/.xls; save it as .docx or .xlsx")
    if suffix in {".pdf", ".docx", ".xlsx", ".xlsm"}:
        raise PlanReadError("corrupt", f"{filename}: not a valid {suffix} file")
    if data.startswith(_IMAGE_MAGICS) or suffix in {".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp"}:
        raise PlanReadError("unsupported_type", f"{filename}: an image")
    text = decode_text(data, filename)
    if suffix == ".csv":
        rows = _delimited(text, ",")
        return RawDocument("csv", table_as_lines(_title_rows(rows)), [Table(rows)])
    lines = text.splitlines()
    if sum(1 for ln in lines if "\t" in ln.strip()) >= max(2, len([ln for ln in lines if ln.strip()]) // 2):
        # a ledger copied out of Excel: tab-separated cells; kept as text too, in case the
        # tabs are only indentation
        return RawDocument("txt", lines, [Table(_delimited(text, "\t"))])
    return RawDocument("txt", lines, _pasted_tables(lines))


def _pasted_tables(lines: list[str]) -> list[Table]:
    """A table pasted out of Excel or Word under the prose (附件 河湖问题整改任务表, then its
    rows with tabs between the cells): each run of two or more such lines is a table."""
    tables: list[Table] = []
    run: list[str] = []
    caption = ""
    for line in [*lines, ""]:
        if line.strip() and line.strip().count("\t") >= 2 and "\t" in line.strip():
            run.append(line)
            continue
        if len(run) >= 2:
            tables.append(Table(_delimited("\n".join(run), "\t"), caption=caption))
        run = []
        caption = line.strip() or caption
    return tables


def _delimited(text: str, delimiter: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [row for row in rows if any(row)]


def decode_text(data: bytes, filename: str = "") -> str:
    """UTF-8 first (it is strict, so a pass is proof); otherwise the detector's guess, accepted
    only when it yields Chinese text, because on random bytes any single-byte codec "works"."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise PlanReadError("undecodable", filename) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return text
        raise PlanReadError("undecodable", filename)
    candidates: list[str] = []
    best = from_bytes(data).best()
    if best is not None:
        candidates.append(str(best))
    for codec in ("gb18030", "big5"):
        try:
            candidates.append(data.decode(codec))
        except UnicodeDecodeError:
            continue
    for text in candidates:
        if _looks_like_text(text) and _cjk_share(text) >= 0.2:
            return text
    raise PlanReadError("undecodable", filename)


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd")
    private = sum(1 for ch in text if 0xE000 <= ord(ch) <= 0xF8FF)
    return (bad + private) / len(text) < 0.01


def _cjk_share(text: str) -> float:
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(1 for ch in visible if "\u4e00" <= ch <= "\u9fff") / len(visible)


def _read_zip(data: bytes, filename: str, suffix: str) -> RawDocument:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError) as exc:
        raise PlanReadError("corrupt", f"{filename}: {exc}") from exc
    if "word/document.xml" in names:
        return _read_docx(data, filename)
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, filename)
    if suffix in {".docx", ".xlsx", ".xlsm"}:
        raise PlanReadError("corrupt", f"{filename}: the archive has no document part")
    raise PlanReadError("unsupported_type", f"{filename}: a zip archive")


def _read_docx(data: bytes, filename: str) -> RawDocument:
    from docx import Document
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        tables: list[Table] = []
        numbering = _DocxNumbering()
        above = ""
        since: list[str] = []
        blocks = list(document.iter_inner_content())
        outline = _HeadingOutline(blocks)
        for block in blocks:
            if isinstance(block, Paragraph):
                text = numbering.prefix(block) + block.text
                text = outline.prefix(block, text) + text
                lines.extend(text.splitlines())
                above = text.strip() or above
                since.extend(ln.strip() for ln in text.splitlines() if ln.strip())
            elif isinstance(block, DocxTable):
                rows = _docx_rows(block, numbering)
                tables.append(Table(rows, caption=above, above=since))
                lines.extend(table_as_lines(rows))
                above, since = "", []
    except PlanReadError:
        raise
    except Exception as exc:  # python-docx raises bare KeyError/ValueError/lxml errors on damage
        raise PlanReadError("corrupt", f"{filename}: {type(exc).__name__}") from exc
    return RawDocument("docx", lines, tables)


_HEADING_STYLE: Final = re.compile(r"^(?:Heading|标题)\s*([1-4])$")
# the outline's numbers by heading level, as plans number their levels
_OUTLINE_MARKS: Final = (lambda n: f"{_chinese_number(n)}、", lambda n: f"({_chinese_number(n)})", lambda n: f"{n}.", lambda n: f"({n})")


class _HeadingOutline:
    """Headings set in Word's Heading styles without a number of their own (a task per
    Heading 2, its fields in the paragraphs below) are numbered as the outline they are, so
    that the structure finder sees them as headings. A level where any heading carries its
    own number is left as written, and so is the document's title."""

    def __init__(self, blocks: list[Any]) -> None:
        self._counters: dict[int, int] = {}
        self._levels: set[int] = set()
        opening = [b for b in blocks if getattr(b, "text", "").strip()][:3]
        # the title: the first paragraph, or the first heading under a 附件1 line above it
        self._titles = [b for k, b in enumerate(opening) if k == 0 or (self._level(b) is not None and all(self._level(o) is None for o in opening[:k]))][:2]
        numbered: set[int] = set()
        for block in blocks:
            level = self._level(block)
            if level is None or any(block is t for t in self._titles) or not block.text.strip():
                continue
            self._levels.add(level)
            if heading_of(normalize_line(block.text)) is not None or _numpr(block) is not None:
                numbered.add(level)
        self._all_levels = sorted(self._levels)
        self._levels -= numbered

    @staticmethod
    def _level(block: Any) -> int | None:
        style = getattr(getattr(block, "style", None), "name", "") or ""
        m = _HEADING_STYLE.match(style.strip())
        return int(m.group(1)) if m else None

    def prefix(self, block: Any, text: str) -> str:
        level = self._level(block)
        if level is None or level not in self._levels or any(block is t for t in self._titles) or not text.strip():
            return ""
        for deeper in [k for k in self._counters if k > level]:
            del self._counters[deeper]
        self._counters[level] = self._counters.get(level, 0) + 1
        rank = self._all_levels.index(level)
        return _OUTLINE_MARKS[min(rank, len(_OUTLINE_MARKS) - 1)](self._counters[level])


class _DocxNumbering:
    """Word's automatic list numbers are not in the paragraph text; plans number their tasks
    and measures that way, so the counters are rebuilt for decimal and Chinese formats."""

    def __init__(self) -> None:
        self._counters: dict[tuple[str, int], int] = {}

    def prefix(self, paragraph: object) -> str:
        numpr = _numpr(paragraph)
        if numpr is None or numpr.numId is None:
            return ""
        num_id = str(numpr.numId.val)
        level = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        if num_id == "0":
            return ""
        for key in [k for k in self._counters if k[0] == num_id and k[1] > level]:
            del self._counters[key]
        count = self._counters.get((num_id, level), 0) + 1
        self._counters[(num_id, level)] = count
        fmt = _numbering_format(paragraph, num_id, level)
        if fmt in {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"}:
            return f"{_chinese_number(count)}、" if level == 0 else f"({_chinese_number(count)})"
        if fmt == "decimal":
            return f"{count}、" if level == 0 else f"{count}."
        if fmt in {"decimalEnclosedParen", "decimalEnclosedCircleChinese"}:
            return f"({count})"
        return ""


def _numpr(paragraph: object) -> Any:
    """The list a paragraph belongs to: set on the paragraph, or inherited from its style
    (Word's "List Number" styles carry it there)."""
    ppr = getattr(getattr(paragraph, "_p", None), "pPr", None)
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = getattr(paragraph, "style", None)
    while style is not None:
        style_ppr = getattr(style.element, "pPr", None)
        if style_ppr is not None and style_ppr.numPr is not None:
            return style_ppr.numPr
        style = style.base_style
    return None


def _numbering_format(paragraph: object, num_id: str, level: int) -> str:
    try:
        part = paragraph.part.numbering_part  # type: ignore[attr-defined]
        root = part.element
        ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        w = f"{{{ns}}}"
        for num in root.findall(f"{w}num"):
            if num.get(f"{w}numId") != num_id:
                continue
            abstract = num.find(f"{w}abstractNumId").get(f"{w}val")
            for absnum in root.findall(f"{w}abstractNum"):
                if absnum.get(f"{w}abstractNumId") != abstract:
                    continue
                for lvl in absnum.findall(f"{w}lvl"):
                    if lvl.get(f"{w}ilvl") == str(level):
                        fmt = lvl.find(f"{w}numFmt")
                        return fmt.get(f"{w}val") if fmt is not None else ""
    except (AttributeError, KeyError, NotImplementedError):
        return ""
    return ""


def _chinese_number(n: int) -> str:
    import cn2an

    return str(cn2an.an2cn(n))


def _docx_rows(table: object, numbering: _DocxNumbering | None = None) -> list[list[str]]:
    """One text per grid column, so columns stay aligned with the header. A vertically
    merged cell repeats in each row it spans (a task's rows stay together); a horizontally
    merged one counts once, in its first column. A cell's automatic list numbers (a 序号
    column numbered by Word's 编号 button, whose text is empty) are written out, each cell
    counted once however many rows it spans."""
    rows: list[list[str]] = []
    seen: dict[int, tuple[Any, str]] = {}  # the element is kept, so that its id stays its own
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                cells.append("")
            else:
                known = seen.get(id(cell._tc))
                if known is None or known[0] is not cell._tc:
                    known = seen[id(cell._tc)] = (cell._tc, _docx_cell_text(cell, numbering))
                cells.append(known[1])
            previous = cell._tc
        rows.append(cells)
    return rows


_ROW_NUMBER: Final = re.compile(r"^\d{1,2}[.、]?$")


def _docx_cell_text(cell: Any, numbering: _DocxNumbering | None = None) -> str:
    """A cell's paragraphs, and the rows of a table nested in it (a measures cell laid out
    as a little 序号 | 措施 table), which python-docx leaves out of ``cell.text``: one line a
    row, its number written as an item number so that the rows stay numbered measures."""
    from docx.table import Table as DocxTable

    parts: list[str] = []
    for block in cell.iter_inner_content():
        if not isinstance(block, DocxTable):
            parts.append((numbering.prefix(block) if numbering is not None else "") + block.text)
            continue
        for row in _docx_rows(block, numbering):
            texts = [t.strip() for t in row if t.strip()]
            if len(texts) > 1 and _ROW_NUMBER.match(texts[0]):
                parts.append(texts[0].rstrip(".、") + "." + " ".join(texts[1:]))
            elif texts:
                parts.append(" ".join(texts))
    if not cell.tables:
        return "\n".join(parts)
    return "\n".join(p for p in parts if p.strip())


def table_as_lines(rows: list[list[str]]) -> list[str]:
    """A table that is not a task list (a report's label/value form) read as text lines,
    so labels like 整改措施 still open fields."""
    lines: list[str] = []
    for row in rows:
        cells = [c.strip() for c in row if c and c.strip()]
        distinct = list(dict.fromkeys(cells))
        if len(distinct) == 2 and len(distinct[0]) <= 12:
            lines.append(f"{form_label(distinct[0])}:")
            lines.extend(distinct[1].splitlines())
        else:
            for cell in distinct:
                lines.extend(cell.splitlines())
    return lines


def _title_rows(rows: list[list[str]]) -> list[list[str]]:
    """The rows above a ledger's header (title, 填报单位 and date); the header's column names
    (序号, 问题清单) are no title."""
    out: list[list[str]] = []
    for row in rows[:3]:
        cells = {c.strip() for c in row if c and c.strip()}
        if (len(cells) >= 3 and not _FILING_ROW.search(" ".join(cells))) or sum(1 for c in cells if label_role(c)) >= 2:
            break  # a header of two columns (序号 | 问题清单) is no title either
        out.append(row)
    return out


# 填报单位： | 市生态环境局 | 填报人： | 张三 | 填报时间：2024年3月5日: who filled the ledger in
# and when, however many cells it takes
_FILING_ROW: Final = re.compile(r"(?:^|\s)(?:填报|填表|制表|统计)(?:单位|时间|日期|人)\s*[(（:：]")


def _read_xlsx(data: bytes, filename: str) -> RawDocument:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types on damage
        raise PlanReadError("corrupt", f"{filename}: {type(exc).__name__}") from exc
    try:
        shown = _Workbook()
        with_hidden = _Workbook()
        for sheet in workbook.worksheets:
            rows = _hidden_rows(sheet)
            grid = _sheet_grid(sheet, set(rows))
            if sheet.sheet_state != "visible":
                if any(v is not None and str(v).strip() for row in sheet.iter_rows(values_only=True) for v in row):
                    ledger = _has_header(grid)
                    shown.hidden.append(Hidden(sheet.title))
                    with_hidden.hidden.append(Hidden(sheet.title, read=ledger))
                    if ledger:
                        with_hidden.add(sheet.title, grid, rows)
                continue
            shown.add(sheet.title, grid, rows)
            with_hidden.add(sheet.title, grid, rows)
    except Exception as exc:  # a damaged sheet fails while it is read, not while it loads
        raise PlanReadError("corrupt", f"{filename}: {type(exc).__name__}") from exc
    finally:
        workbook.close()
    raw = shown.document()
    if any(each.read for each in with_hidden.hidden):
        raw.unhidden = with_hidden.document()
    return raw


class _Workbook:
    """The sheets of a workbook as the importer reads them: each sheet a table, the title
    rows above its header and the short rows under it as lines."""

    def __init__(self) -> None:
        self.tables: list[Table] = []
        self.titles: list[tuple[bool, list[str]]] = []
        self.closing: list[str] = []  # 填报时间:2024年5月8日 under a ledger dates it as a line above does
        self.hidden: list[Hidden] = []

    def add(self, name: str, grid: list[list[str]], hidden_rows: list[int]) -> None:
        if hidden_rows:
            self.hidden.append(Hidden(name, hidden_rows))
        if grid:
            self.tables.append(Table(grid, name=name))
            self.titles.append((not _has_header(grid), table_as_lines(_title_rows(grid))))
            self.closing.extend(table_as_lines(_closing_rows(grid)))

    def document(self) -> RawDocument:
        titles = sorted(self.titles, key=lambda t: t[0])  # a ledger's title before a summary sheet's (stable)
        return RawDocument("xlsx", [*(line for _, each in titles for line in each), *self.closing], self.tables, self.hidden)


def _closing_rows(grid: list[list[str]]) -> list[list[str]]:
    """The short rows under a ledger (填表人, 填报时间), at most three."""
    out: list[list[str]] = []
    for row in reversed(grid[-3:]):
        if len({c.strip() for c in row if c and c.strip()}) > 2:
            break
        out.insert(0, row)
    return out if len(out) < len(grid) else []


def _has_header(grid: list[list[str]]) -> bool:
    """Whether a sheet opens with a ledger header (three or more column names of a task)."""
    return any(sum(1 for c in row if label_role(c) not in {None, "no", "category"}) >= 3 for row in grid[:10])


def _hidden_rows(sheet: Any) -> list[int]:
    """1-based numbers of the hidden rows that hold text: a deleted task or a template row
    the office hid rather than removed. Empty hidden rows are no news to anyone."""
    rows = []
    for number, dim in sorted(sheet.row_dimensions.items()):
        if not dim.hidden or number > sheet.max_row:
            continue
        if any(c.value is not None and str(c.value).strip() for c in sheet[number]):
            rows.append(number)
    return rows


def _sheet_grid(sheet: Any, hidden_rows: set[int] | None = None) -> list[list[str]]:
    """Cell texts with every merged range filled with its top-left value, as a reader sees
    the merge: a task's problem spans its measure rows. Hidden columns (old values, helper
    codes) and hidden rows (deleted tasks, templates) are left out, as the office reading
    the sheet does not see them; a merge that begins on a hidden row still fills the rows
    shown."""
    grid = [[_cell_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        r0, c0 = merged.min_row - 1, merged.min_col - 1
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        top = grid[r0][c0]
        for r in range(r0, min(merged.max_row, len(grid))):
            for c in range(c0, min(merged.max_col, len(grid[r]))):
                grid[r][c] = top
    hidden = _hidden_columns(sheet)
    skipped = hidden_rows or set()
    grid = [[text for c, text in enumerate(row) if c not in hidden] for r, row in enumerate(grid, 1) if r not in skipped]
    return [row for row in grid if any(row)]


def _hidden_columns(sheet: Any) -> set[int]:
    """0-based indexes of hidden columns; a dimension may cover a range of columns."""
    hidden: set[int] = set()
    for dim in sheet.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden.update(range(dim.min - 1, dim.max))
    return hidden


def _cell_text(value: object, number_format: str = "General") -> str:
    """Excel values as an office would read them: 1 not 1.0, dates written in Chinese, a
    fraction formatted as a percent (0.6 shown as 60%) as that percent."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (number_format or ""):
        return f"{round(value * 100, 2):g}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _RETURN.sub("\n", _ESCAPED_RETURN.sub("", str(value))).strip()


# A carriage return typed or pasted into a cell, which OA systems and Excel itself save as the
# escape _x000D_ and openpyxl does not undo: "问题描述_x000D_\n第二行" is two lines, not a word.
_ESCAPED_RETURN: Final = re.compile(r"_x000[Dd]_(?=\n)|\r(?=\n)")
_RETURN: Final = re.compile(r"_x000[Dd]_|\r")


def _read_pdf(data: bytes, filename: str) -> RawDocument:
    # pdfminer logs a warning per damaged object; the caller gets one PlanReadError instead
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or b"/Encrypt" in data:
            raise PlanReadError("encrypted", filename) from exc
        raise PlanReadError("corrupt", f"{filename}: {cause!r}") from exc
    except Exception as exc:
        raise PlanReadError("corrupt", f"{filename}: {type(exc).__name__}") from exc
    try:
        pages: list[list[_Line]] = []
        table = Table([], split_rows_continue=True)
        for page in pdf.pages:
            found = page.extract_tables()
            pages.append(_page_lines(page, columns=not found))
            first = True
            for rows in found:
                cleaned = [[_pdf_cell(c) for c in row] for row in rows]
                if first and table.rows:
                    table.page_starts.add(len(table.rows))
                first = False
                table.rows.extend(cleaned)
    except PlanReadError:
        raise
    except Exception as exc:
        raise PlanReadError("corrupt", f"{filename}: {type(exc).__name__}") from exc
    finally:
        _close_quietly(pdf)
    if sum(len("".join(line.text for line in lines).strip()) for lines in pages) < 20:
        raise PlanReadError("no_text_layer", filename)
    lines = [line for page in _drop_running_lines(pages) for line in page]
    return RawDocument("pdf", lines, [table] if table.rows else [])


def _close_quietly(pdf: object) -> None:
    """pdfplumber's close walks the pages again, which raises once more on a damaged file."""
    try:
        pdf.close()  # type: ignore[attr-defined]
    except Exception:  # the damage was already reported as "corrupt"
        return


def _pdf_cell(cell: str | None) -> str:
    """Word-to-PDF wraps a cell's text at the column width, often after two or three
    characters; the wrapped pieces are one text again. A break is kept only where a
    sentence ends or a numbered item starts, which is all that measure splitting needs."""
    if not cell:
        return ""
    lines = [ln.strip() for ln in cell.split("\n") if ln.strip()]
    out = lines[0] if lines else ""
    for prev, line in itertools.pairwise(lines):
        new_item = re.match(r"^(?:\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]是)", line)
        out += ("\n" if new_item or prev.endswith(("。", ";", "；")) else "") + line
    return out


_MARGIN: Final = 0.08


@dataclass(frozen=True)
class _Line:
    """A printed line: its text, its shape (what a running line keeps from page to page),
    its height on the page and whether it stands in the top or bottom margin."""

    text: str
    shape: str
    top: float
    margin: bool


def _shape(line: str) -> str:
    """A line as a running header or footer repeats it: page numbers differ, spaces vary."""
    return "".join("#" if ch.isdigit() else ch for ch in line if not ch.isspace())


def _page_lines(page: Any, columns: bool = False) -> list[_Line]:
    height = float(page.height)
    gutter = _gutter(page) if columns else None
    if gutter is not None:
        return [
            _Line(text, _shape(text), top, top < height * _MARGIN or bottom > height * (1 - _MARGIN))
            for text, top, bottom in _column_lines(page, gutter)
        ]
    return [
        _Line(
            line["text"],
            _shape(line["text"]),
            float(line["top"]),
            line["top"] < height * _MARGIN or line["bottom"] > height * (1 - _MARGIN),
        )
        for line in page.extract_text_lines()
    ]


_ROW_TOLERANCE: Final = 3.0


def _rows(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters in printed rows, top to bottom."""
    rows: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (round(float(c["top"])), float(c["x0"]))):
        if rows and abs(float(rows[-1][0]["top"]) - float(char["top"])) <= _ROW_TOLERANCE:
            rows[-1].append(char)
        else:
            rows.append([char])
    return rows


def _gutter(page: Any) -> float | None:
    """The x of the blank strip between two columns of text, when the page is set so: in
    the middle fifth of the page, a strip at least 8 points wide that only a few rows (the
    title, a page number) cross, with many rows of text on either side."""
    chars = [c for c in page.chars if str(c.get("text", "")).strip()]
    rows = _rows(chars)
    if len(rows) < 10:
        return None
    width = float(page.width)
    gutter = _blank_strip(rows, width * 0.4, width * 0.6)
    if gutter is None:
        return None
    left = sum(1 for row in rows if any(float(c["x1"]) < gutter for c in row))
    right = sum(1 for row in rows if any(float(c["x0"]) > gutter for c in row))
    if left < 5 or right < 5:
        return None
    # a borderless table has blank strips between all its columns, a page of two columns only one
    start = min(float(c["x0"]) for c in chars)
    end = max(float(c["x1"]) for c in chars)
    inner = (start + (gutter - start) * 0.2, gutter - (gutter - start) * 0.2, gutter + (end - gutter) * 0.2, end - (end - gutter) * 0.2)
    left_rows = [part for row in rows if (part := [c for c in row if float(c["x1"]) <= gutter])]
    right_rows = [part for row in rows if (part := [c for c in row if float(c["x0"]) >= gutter])]
    if _table_gap(left_rows, inner[0], inner[1]) or _table_gap(right_rows, inner[2], inner[3]):
        return None
    return gutter


def _table_gap(rows: list[list[dict[str, Any]]], low: float, high: float) -> bool:
    """Whether most rows have text on both sides of a blank strip between ``low`` and
    ``high``, as a table's rows do of the gap between two columns (a ragged column's short
    lines leave blank space on their right only)."""
    x = low
    while x <= high:
        crossing = sum(1 for row in rows if any(float(c["x0"]) - 4 < x < float(c["x1"]) + 4 for c in row))
        both = sum(1 for row in rows if any(float(c["x1"]) < x for c in row) and any(float(c["x0"]) > x for c in row))
        if crossing <= max(2, len(rows) // 10) and both * 2 >= len(rows):
            return True
        x += 2.0
    return False


def _blank_strip(rows: list[list[dict[str, Any]]], low: float, high: float) -> float | None:
    """The x between ``low`` and ``high`` that the fewest rows cross, when only a few do."""
    best: tuple[int, float] | None = None
    x = low
    while x <= high:
        crossing = sum(1 for row in rows if any(float(c["x0"]) - 4 < x < float(c["x1"]) + 4 for c in row))
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    return best[1] if best is not None and best[0] <= max(2, len(rows) // 10) else None


def _row_text(chars: list[dict[str, Any]]) -> str:
    out: list[str] = []
    previous: dict[str, Any] | None = None
    for char in sorted(chars, key=lambda c: float(c["x0"])):
        size = float(char.get("size", 0) or 0) or (float(char["x1"]) - float(char["x0"]))
        if previous is not None and float(char["x0"]) - float(previous["x1"]) > size * 0.6:
            out.append(" ")
        out.append(str(char["text"]))
        previous = char
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _column_lines(page: Any, gutter: float) -> list[tuple[str, float, float]]:
    """(text, top, bottom) of each printed line, read column by column: a row crossing the
    gutter (the title, a page number) stands where it is, and the rows between two such rows
    are read down the left column, then down the right one."""
    out: list[tuple[str, float, float]] = []
    left: list[tuple[str, float, float]] = []
    right: list[tuple[str, float, float]] = []
    for row in _rows(list(page.chars)):
        top = min(float(c["top"]) for c in row)
        bottom = max(float(c["bottom"]) for c in row)
        if any(float(c["x0"]) < gutter < float(c["x1"]) and str(c["text"]).strip() for c in row):
            out.extend([*left, *right])
            left, right = [], []
            out.append((_row_text(row), top, bottom))
            continue
        parts = ([c for c in row if float(c["x1"]) <= gutter], [c for c in row if float(c["x0"]) >= gutter])
        for part, column in zip(parts, (left, right), strict=True):
            if part:
                column.append((_row_text(part), top, bottom))
    out.extend([*left, *right])
    return out


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[str]]:
    """Headers and footers (the office's name, the plan's title, 第 N 页 共 M 页) repeat from
    page to page at one height; in the margin, where body text never stands, a third of the
    pages is enough (odd and even pages may have their own), elsewhere they must open or
    close half of them. Only the line at that height goes, so the same title opening page
    one stays, and a line the body repeats as often (整改时限：2024年12月底前) is content."""
    total = Counter(line.shape for lines in pages for line in lines)
    margin = [[line for line in lines if line.margin] for lines in pages]
    edges = [lines[:2] + lines[2:][-2:] for lines in pages]
    opening = {line.shape for line in pages[0][:4] if not line.margin} if pages else set()
    running = _running(margin, total, max(2, len(pages) / 3), opening)
    if len(pages) >= 3:
        found = _running(edges, total, len(pages) / 2, set())
        running.update({shape: top for shape, top in found.items() if match_label(shape) is None})
    apart = _set_apart(pages)
    return [
        [
            line.text
            for line in lines
            if not (line.shape in running and abs(line.top - running[line.shape]) < 2 and (line.margin or line in edge))
            and line not in apart
        ]
        for lines, edge in zip(pages, edges, strict=True)
    ]


def _set_apart(pages: list[list[_Line]]) -> set[_Line]:
    """A header or footer printed on too few pages to be seen repeating (odd and even pages
    with headers of their own on a three-page plan): a short line in the top or bottom
    margin, set apart from the body by a gap of several lines. The first page's top is its
    title's place and stays."""
    found: set[_Line] = set()
    gaps = sorted(b.top - a.top for lines in pages for a, b in itertools.pairwise(lines) if b.top - a.top > 1)
    if len(gaps) < 4:
        return found
    usual = gaps[len(gaps) // 2]
    for n, lines in enumerate(pages):
        tops = [line.top for line in lines]
        if len(lines) < 2:
            continue
        ends = ([(lines[0], tops[1] - tops[0])] if n > 0 else []) + [(lines[-1], tops[-1] - tops[-2])]
        for line, gap in ends:
            text = line.text.strip()
            if line.margin and gap > usual * 2.5 and len(text) <= 30 and match_label(text) is None and not re.search(r"(?:19|20)\d{2}\s*年", text):
                found.add(line)
    return found


def _running(places: list[list[_Line]], total: Counter[str], need: float, opening: set[str]) -> dict[str, float]:
    """Shapes printed at one height in ``places`` of at least ``need`` pages, more often
    there than anywhere else, with that height; the title opening page one counts as such a
    page when later pages print it in their margin (a first page is often printed bare)."""
    tops: dict[str, list[float]] = {}
    for lines in places:
        for line in {(ln.shape, ln.top) for ln in lines}:
            tops.setdefault(line[0], []).append(line[1])
    running: dict[str, float] = {}
    for shape, heights in tops.items():
        same, height = max((sum(1 for h in heights if abs(h - each) < 2), each) for each in heights)
        title = 1 if shape in opening else 0
        if shape and same + title >= need and total[shape] - same - title < same:
            running[shape] = height
    return running
