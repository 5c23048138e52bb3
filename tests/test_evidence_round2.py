"""Evidence round 2: what is asked for is what is sent back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Settings
from storage.models import Evidence, Report
from tests.scenario import converse, texts
from tests.test_evidence import image
from tests.test_reporting import LI, PLAN, START, rows, task_id

ADMIN = {"bind": {"user": 1, "role": "admin"}}
LEADER = {"bind": {"user": 1002, "person": "倪玉民", "role": "leader"}}


def _sent(out: list[dict[str, Any]], chat: int) -> tuple[int, int]:
    items = [o for o in out if o.get("chat") == chat]
    return len([o for o in items if o.get("photo")]), len([o for o in items if o.get("document")])


async def _photo_and_report(settings: Settings) -> list[dict[str, Any]]:
    folder = settings.data_dir.parent
    site = image(folder, "site.png", (10, 120, 30))
    (folder / "排查报告.pdf").write_bytes(b"%PDF-1.4\n% tailings survey\n")
    return [START, LI, LEADER,
            {"as": 2001, "text": "尾矿库排查已完成"},
            {"as": 2001, "photo": site, "caption": "尾矿库现场"},
            {"as": 2001, "document": "排查报告.pdf", "caption": "尾矿库排查报告"}]


async def test_asking_for_the_photos_sends_the_photos_only_and_says_what_else_there_is(settings: Settings) -> None:
    events = await _photo_and_report(settings)
    out = await converse(settings, [*events, {"as": 1002, "text": "把1-17的照片发我"}], plans=[PLAN])
    assert _sent(out, 1002) == (1, 0)
    head = texts(out, 1002)[0]
    assert "照片共 1 张" in head and "另有文件材料 1 份" in head and "/evidence 1-17" in head


async def test_asking_for_the_report_file_sends_the_documents_only(settings: Settings) -> None:
    events = await _photo_and_report(settings)
    out = await converse(settings, [*events, {"as": 1002, "text": "1-17的报告发我看看"}], plans=[PLAN])
    assert _sent(out, 1002) == (0, 1)
    assert "文件材料共 1 份" in texts(out, 1002)[0] and "另有照片 1 张" in texts(out, 1002)[0]


async def test_asking_for_photos_of_a_task_with_only_files_says_so(settings: Settings) -> None:
    folder = settings.data_dir.parent
    (folder / "验收报告.pdf").write_bytes(b"%PDF-1.4\n% acceptance\n")
    out = await converse(settings, [
        START, LI, LEADER, {"as": 2001, "text": "尾矿库排查已完成"},
        {"as": 2001, "document": "验收报告.pdf"}, {"as": 1002, "text": "1-17的现场照片发我"},
    ], plans=[PLAN])
    assert _sent(out, 1002) == (0, 0)
    said = texts(out, 1002)[-1]
    assert "暂无照片" in said and "文件材料 1 份" in said


async def test_materials_send_everything_and_english_asks_work(settings: Settings) -> None:
    events = await _photo_and_report(settings)
    out = await converse(settings, [
        *events, ADMIN, {"as": 1002, "text": "1-17的佐证材料发我"},
        {"as": 1, "text": "Send me the photos for 1-17", "lang": "en"},
    ], plans=[PLAN])
    assert "共 2 份" in texts(out, 1002)[0] and _sent(out, 1002) == (1, 1)
    assert _sent(out, 1) == (1, 0)
    assert "1 photo(s)" in texts(out, 1)[0] and "1 document(s)" in texts(out, 1)[0]


def test_file_requests_need_a_verb_asking_for_them() -> None:
    from bot.evidence import evidence_request, requested_kinds

    assert evidence_request("1-17的报告发我") == "1-17" and evidence_request("把1-17整改报告发过来") == "1-17"
    assert evidence_request("1-17的报告") is None and evidence_request("1-17报告已上传") is None
    assert evidence_request("Send me the evidence for task 1-17") == "1-17" and evidence_request("show the evidence for 1-10") is None
    assert requested_kinds("把1-17的照片发我") == {"photo"}
    assert requested_kinds("1-17的报告发我") == {"document"}
    assert requested_kinds("1-17的佐证材料") == {"photo", "document"}
    assert requested_kinds("1-17的照片和报告发我") == {"photo", "document"}


async def test_a_file_named_for_a_task_is_filed_there_without_a_caption(settings: Settings) -> None:
    folder = settings.data_dir.parent
    (folder / "1-13整改情况报告.pdf").write_bytes(b"%PDF-1.4\n% soil\n")
    out = await converse(settings, [START, LI, {"as": 2001, "document": "1-13整改情况报告.pdf"}], plans=[PLAN])
    said = texts(out, 2001)
    assert len(said) == 1 and "1-13" in said[0] and "暂未归档" not in said[0]
    (evidence,) = await rows(settings, Evidence)
    assert evidence.task_id == await task_id(settings, "1-13") and evidence.report_id is not None


async def test_a_file_whose_name_is_about_another_task_is_not_filed_under_the_last_report(settings: Settings) -> None:
    """"水源地整治报告.docx" a minute after a report on the tailings ponds is not about them."""
    folder = settings.data_dir.parent
    (folder / "水源地整治报告.docx").write_bytes(b"PK\x03\x04 water sources")
    (folder / "会议纪要.docx").write_bytes(b"PK\x03\x04 minutes")
    out = await converse(settings, [
        START, LI, {"as": 2001, "text": "尾矿库排查已完成"},
        {"as": 2001, "document": "会议纪要.docx"},  # names no task: backs the report just made
        {"as": 2001, "document": "水源地整治报告.docx"},
    ], plans=[PLAN])
    said = texts(out, 2001)
    assert "1-17" in said[1]
    assert said[2].startswith("这份材料属于哪项任务") and "1-17" not in said[2]
    minutes, water = await rows(settings, Evidence)
    seventeen = await task_id(settings, "1-17")
    assert minutes.task_id == seventeen and water.task_id != seventeen


async def test_a_photo_captioned_with_a_task_not_the_units_gets_one_answer(settings: Settings) -> None:
    photo = image(settings.data_dir.parent, "meeting.png", (5, 50, 5))
    out = await converse(settings, [START, LI, {"as": 2001, "photo": photo, "caption": "1-2 会议照片"}], plans=[PLAN])
    said = texts(out, 2001)
    assert len(said) == 1 and "不在本单位" in said[0]
    assert [e.report_id for e in await rows(settings, Evidence)] == [None]
    assert await rows(settings, Report) == []


async def test_a_units_evidence_is_listed_task_by_task(settings: Settings) -> None:
    events = await _photo_and_report(settings)
    soil = image(settings.data_dir.parent, "soil.png", (90, 60, 30))
    out = await converse(settings, [
        *events, ADMIN, {"as": 2001, "photo": soil, "caption": "1-13 土壤详查现场照片"},
        {"as": 1, "text": "市生态环境局的佐证材料"},
        {"as": 1002, "text": "市水利局的照片发我"},
    ], plans=[PLAN])
    admin = texts(out, 1)[-1]
    assert "市生态环境局" in admin and "共 3 份" in admin
    assert "1-13" in admin and "照片 1 张，文件 0 份" in admin
    assert "1-17" in admin and "照片 1 张，文件 1 份" in admin
    assert admin.index("1-13") < admin.index("1-17") and "/evidence" in admin
    assert "暂无已归档的佐证材料" in texts(out, 1002)[-1]
    assert not [o for o in out if o.get("chat") in (1, 1002) and (o.get("photo") or o.get("document"))]


def test_a_units_evidence_asked_for_is_read_from_the_shape_of_the_words() -> None:
    from bot.evidence import unit_evidence_request

    assert unit_evidence_request("市水利局的佐证材料") == "市水利局"
    assert unit_evidence_request("把商丘广播电视台的照片发我") == "商丘广播电视台"
    assert unit_evidence_request("市水利局佐证材料已上传") is None
    assert unit_evidence_request("1-17的佐证材料") is None and unit_evidence_request("整改前后的照片") is None





async def test_a_photo_from_someone_with_no_unit_is_refused_plainly(settings: Settings) -> None:
    """A leader's "1-10现场" is not "no report found, name the task": the caption named it, but a leader has no share to prove."""
    folder = settings.data_dir.parent
    site, office = image(folder, "site.png", (3, 3, 3)), image(folder, "office.png", (4, 4, 4))
    out = await converse(settings, [
        START, LEADER, ADMIN,
        {"as": 1002, "photo": site, "caption": "1-10现场"},
        {"as": 1, "photo": office},
    ], plans=[PLAN])
    leader = texts(out, 1002)
    assert len(leader) == 1 and "没有所属单位" in leader[0] and "未找到对应的报送" not in leader[0]
    admin = texts(out, 1)
    assert len(admin) == 1 and "没有所属单位" in admin[0] and "/onbehalf" in admin[0]
    assert await rows(settings, Evidence) == []



async def test_a_file_named_for_a_task_with_a_caption_that_names_nothing_is_filed_by_its_name(settings: Settings) -> None:
    (settings.data_dir.parent / "1-13整改情况报告.pdf").write_bytes(b"%PDF-1.4\n% soil\n")
    out = await converse(settings, [START, LI, {"as": 2001, "document": "1-13整改情况报告.pdf", "caption": "请查收"}], plans=[PLAN])
    said = texts(out, 2001)
    assert len(said) == 1 and "1-13" in said[0] and "暂未归档" not in said[0]
    (evidence,) = await rows(settings, Evidence)
    assert evidence.task_id == await task_id(settings, "1-13") and evidence.caption == "请查收"


async def test_an_album_captioned_with_a_task_not_the_units_is_told_so_once(settings: Settings) -> None:
    folder = settings.data_dir.parent
    names = [image(folder, f"m{i}.png", (i, 70, 7)) for i in range(3)]
    out = await converse(settings, [START, LI, {"as": 2001, "album": names, "caption": "1-2 会议照片"}], plans=[PLAN])
    said = texts(out, 2001)
    assert len(said) == 1 and "不在本单位" in said[0]
    assert await rows(settings, Report) == []
    assert {e.task_id for e in await rows(settings, Evidence)} == {None}



async def test_the_ledger_shows_a_sign_off_waiting_for_the_office_and_the_units_files(settings: Settings) -> None:
    from openpyxl import load_workbook

    folder = settings.data_dir.parent
    site = image(folder, "site.png", (8, 80, 8))
    out = await converse(settings, [
        START, LI, ADMIN, {"as": 1, "text": "/start"},
        {"as": 2001, "text": "尾矿库排查已完成"},
        {"as": 2001, "photo": site, "caption": "尾矿库现场"},
        {"as": 2001, "text": "销号 1-17 尾矿库排查整治全部完成，验收材料已上传"},
        {"as": 1, "text": "/export"},
    ], plans=[PLAN])
    sheet = load_workbook(Path(next(o for o in out if o.get("document"))["document"])).worksheets[0]
    seventeen = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "1-17"]
    assert len(seventeen) == 2 * 4  # two measures × four units
    ours = [r for r in seventeen if r[6] == "市生态环境局"]
    assert {r[10] for r in ours} == {"临期（销号待审核）"} and {r[12] for r in ours} == {1}
    assert ours[0][8] == "尾矿库排查已完成" and ours[0][9] == 1
    others = [r for r in seventeen if r[6] != "市生态环境局"]
    assert {r[10] for r in others} == {"临期"} and {r[12] for r in others} == {0}


async def test_office_formats_are_taken_and_a_picture_sent_as_a_file_counts_as_a_photo(settings: Settings) -> None:
    """WPS and iPhone files are what officials send; an .heic sent as a file is still a photo to whoever asks for photos."""
    folder = settings.data_dir.parent
    (folder / "尾矿库现场.heic").write_bytes(b"\x00\x00\x00\x18ftypheic site")
    (folder / "整改报告.wps").write_bytes(b"\xd0\xcf\x11\xe0 wps report")
    (folder / "tool.exe").write_bytes(b"MZ" + bytes(10))
    out = await converse(settings, [
        START, LI, LEADER, {"as": 2001, "text": "尾矿库排查已完成"},
        {"as": 2001, "document": "尾矿库现场.heic"}, {"as": 2001, "document": "整改报告.wps"},
        {"as": 2001, "document": "tool.exe"},
        {"as": 1002, "text": "把1-17的照片发我"},
    ], plans=[PLAN])
    said = texts(out, 2001)
    assert "1-17" in said[1] and "1-17" in said[2] and "不支持" in said[3] and "wps" in said[3]
    assert {e.original_name for e in await rows(settings, Evidence)} == {"尾矿库现场.heic", "整改报告.wps"}
    sent = [o for o in out if o.get("chat") == 1002 and (o.get("photo") or o.get("document"))]
    assert len(sent) == 1 and str(sent[0]["document"]).endswith(".heic")
    assert "照片共 1 张" in texts(out, 1002)[0] and "另有文件材料 1 份" in texts(out, 1002)[0]



async def test_a_photo_sent_as_a_reply_to_a_report_is_filed_with_that_report(settings: Settings) -> None:
    folder = settings.data_dir.parent
    folder.mkdir(parents=True, exist_ok=True)
    first = await converse(settings, [
        START, LI,
        {"as": 2001, "text": "1-17尾矿库排查完成七成"},
        {"as": 2001, "text": "1-12 黑臭水体整治完成60%"},
    ], plans=[PLAN], name="reports")
    recorded = next(o["id"] for o in first if o.get("chat") == 2001 and "1-17" in (o.get("text") or ""))
    site = image(folder, "tailings.png", (120, 90, 30))
    out = await converse(settings, [{"as": 2001, "photo": site, "reply_to": recorded}], plans=[PLAN], name="photo")
    assert "1-17" in texts(out, 2001)[-1]
    (kept,) = await rows(settings, Evidence)
    assert kept.task_id == await task_id(settings, "1-17")  # not 1-12, the newer report
