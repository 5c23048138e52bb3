"""Evidence by chat: photos, albums and documents attach to their report, stored once."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.cli import main
from bot.config import Settings
from storage.models import Evidence, Report
from tests.scenario import converse, texts
from tests.test_reporting import LI, PLAN, START, rows, task_id


def image(folder: Path, name: str, colour: tuple[int, int, int], fmt: str = "PNG") -> str:
    """A small generated picture; tests never commit binaries."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, fmt)
    (folder / name).write_bytes(buffer.getvalue())
    return name


def stored_files(settings: Settings) -> list[Path]:
    return [p for p in (settings.data_dir / "evidence").rglob("*") if p.is_file()]


async def test_album_with_caption_is_one_evidence_set(settings: Settings) -> None:
    folder = settings.data_dir.parent
    names = [image(folder, f"p{i}.png", (40 * i, 90, 200)) for i in range(3)]
    out = await converse(
        settings, [START, LI, {"as": 2001, "album": names, "caption": "尾矿库排查已完成"}], plans=[PLAN],
    )
    said = texts(out, 2001)
    assert len(said) == 1  # one reply, after the last photo: the record, holding all three
    assert "已记录" in said[0] and "1-17" in said[0] and "3 份" in said[0]
    evidence = await rows(settings, Evidence)
    report = (await rows(settings, Report))[0]
    assert len(evidence) == 3 and {e.report_id for e in evidence} == {report.id}
    assert len({e.media_group_id for e in evidence}) == 1 and all(e.kind == "photo" for e in evidence)
    assert len(stored_files(settings)) == 3


async def test_same_photo_twice_is_stored_once(settings: Settings) -> None:
    folder = settings.data_dir.parent
    name = image(folder, "site.jpg", (10, 120, 30), "JPEG")
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"},
         {"as": 2001, "photo": name}, {"as": 2001, "photo": name, "caption": "现场照片"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "1 份" in said[1] and "1-17" in said[1]
    assert "未重复保存" in said[2]
    assert len(await rows(settings, Evidence)) == 1
    assert len(stored_files(settings)) == 1


async def test_photo_without_report_or_caption_waits_for_its_words_and_is_filed_with_none_otherwise(settings: Settings) -> None:
    name = image(settings.data_dir.parent, "lonely.png", (200, 10, 10))
    out = await converse(settings, [
        START, LI, {"as": 2001, "photo": name},
        {"clock": "2019-01-24T09:40"}, {"as": 2001, "text": "1-13 完成20%"},  # too late to explain it
    ], plans=[PLAN])
    said = texts(out, 2001)
    assert "暂未归档" in said[0] and "一并归档" not in said[1]
    assert [e.report_id for e in await rows(settings, Evidence)] == [None]


async def test_a_caption_naming_the_task_in_words_or_a_unit_with_one_task_files_the_photo(settings: Settings) -> None:
    site = image(settings.data_dir.parent, "site.png", (10, 120, 10))
    tv = image(settings.data_dir.parent, "tv.png", (10, 10, 120))
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "photo": site, "caption": "尾矿库现场排查照片"},
         {"bind": {"user": 2005, "unit": "商丘广播电视台", "name": "周丽"}}, {"as": 2005, "photo": tv}],
        plans=[PLAN],
    )
    assert "1-17" in texts(out, 2001)[-1] and "未保存" not in texts(out, 2001)[-1]
    assert "1-19" in texts(out, 2005)[-1]  # the unit's only task
    evidence = await rows(settings, Evidence)
    assert {e.task_id for e in evidence} == {await task_id(settings, "1-17"), await task_id(settings, "1-19")}


async def test_a_file_naming_no_task_asks_which_of_a_few(settings: Settings) -> None:
    name = image(settings.data_dir.parent, "press.png", (120, 10, 10))
    out = await converse(
        settings,
        [START, {"bind": {"user": 2006, "unit": "市委宣传部", "name": "吴敏"}}, {"as": 2006, "photo": name},
         {"as": 2006, "text": "这是1-19的"}],
        plans=[PLAN],
    )
    said = texts(out, 2006)
    assert "这份材料属于哪项任务" in said[0] and len(out[0]["buttons"]) == 3  # 1-1, 1-19, 都不是
    assert "已记录" in said[1] and "1-19" in said[1]
    (evidence,) = await rows(settings, Evidence)
    assert evidence.task_id == await task_id(settings, "1-19") and evidence.report_id is not None


async def test_a_late_photo_is_offered_the_tasks_its_sender_reported_on(settings: Settings) -> None:
    name = image(settings.data_dir.parent, "late.png", (10, 60, 160))
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}, {"clock": "2019-01-24T10:10"},
         {"as": 2001, "photo": name}, {"as": 2001, "text": "上面照片是1-17的"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "这份材料属于哪项任务" in said[1] and out[1]["buttons"][-1] == "都不是"
    assert "1-17" in out[1]["buttons"][0]
    (evidence,) = await rows(settings, Evidence)
    assert evidence.task_id == await task_id(settings, "1-17")


async def test_a_caption_naming_the_task_number_files_the_photo_there(settings: Settings) -> None:
    name = image(settings.data_dir.parent, "site.png", (10, 120, 10))
    out = await converse(settings, [START, LI, {"as": 2001, "photo": name, "caption": "1-17整改现场照片"}], plans=[PLAN])
    said = texts(out, 2001)
    assert "已记录" in said[0] and "1-17" in said[0]
    assert len(said) == 1 and "1 份" in said[0]  # one reply: the record names the photo filed with it
    (evidence,) = await rows(settings, Evidence)
    (report,) = await rows(settings, Report)
    assert evidence.report_id == report.id and report.task_id == await task_id(settings, "1-17")
    assert report.status_word is None and report.percent is None  # a photo states no progress


async def test_photo_after_the_window_is_not_attached_but_asked_about(settings: Settings) -> None:
    name = image(settings.data_dir.parent, "late.png", (0, 0, 90))
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}, {"clock": "2019-01-24T09:36"}, {"as": 2001, "photo": name}],
        plans=[PLAN],
    )
    assert "这份材料属于哪项任务" in texts(out, 2001)[-1]
    assert [e.report_id for e in await rows(settings, Evidence)] == [None]  # waits for the answer


async def test_unsupported_and_oversized_files_are_refused(settings: Settings) -> None:
    folder = settings.data_dir.parent
    (folder / "notes.exe").write_bytes(b"MZ" + bytes(100))
    with (folder / "big.pdf").open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(20 * 1024 * 1024 + 1)
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"},
         {"as": 2001, "document": "notes.exe"}, {"as": 2001, "document": "big.pdf"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "不支持" in said[1] and "notes.exe" in said[1]
    assert "超过 20 MB" in said[2]
    assert await rows(settings, Evidence) == []


async def test_files_after_a_report_attach_and_come_back(settings: Settings) -> None:
    folder = settings.data_dir.parent
    (folder / "验收报告.pdf").write_bytes(b"%PDF-1.4\n% acceptance report\n")
    photo = image(folder, "a.png", (1, 2, 3))
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "text": "尾矿库排查已完成"}, {"clock": "2019-01-24T09:34"},
         {"as": 2001, "photo": photo, "caption": "尾矿库现场"},
         {"as": 2001, "document": "验收报告.pdf", "caption": "尾矿库排查完成报告"},
         {"as": 2001, "text": "/evidence 1-17"}, {"as": 2001, "text": "/evidence"}, {"as": 2001, "text": "/evidence 9-99"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "用法" in said[-2] and "没有编号为 9-99" in said[-1]
    evidence = await rows(settings, Evidence)
    assert {e.original_name for e in evidence if e.kind == "document"} == {"验收报告.pdf"}
    assert len(evidence) == 2
    sent = [o for o in out if o.get("photo") or o.get("document")]
    assert len(sent) == 2
    assert any("共 2 份" in t for t in texts(out, 2001))


async def test_asking_for_a_tasks_evidence_in_words_sends_it(settings: Settings) -> None:
    photo = image(settings.data_dir.parent, "site2.png", (90, 90, 9))
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "photo": photo, "caption": "1-17尾矿库排查已完成"},
         {"as": 2001, "text": "看看1-17的佐证材料"}, {"as": 2001, "text": "1-17佐证材料已上传"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert any("共 1 份" in t for t in said)
    assert len([o for o in out if o.get("photo")]) == 1
    assert "共 1 份" not in said[-1]  # a statement about evidence is not a request for it


def test_export_writes_a_zip_with_an_index(
    settings: Settings, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = settings.data_dir.parent
    names = [image(folder, f"q{i}.png", (i, 50, 50)) for i in range(2)]
    asyncio.run(converse(settings, [START, LI, {"as": 2001, "album": names, "caption": "尾矿库排查已完成"}], plans=[PLAN]))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    target = tmp_path / "out.zip"
    capsys.readouterr()
    assert main(["evidence", "export", "1-17", "--out", str(target)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["files"] == 2 and result["task"] == "1-17"
    with zipfile.ZipFile(target) as archive:
        listed = archive.namelist()
        assert "index.xlsx" in listed and len([n for n in listed if n.startswith("files/")]) == 2
        sheet = load_workbook(io.BytesIO(archive.read("index.xlsx"))).active
        assert sheet is not None and sheet.cell(2, 1).value == "序号" and sheet.max_row == 4
    assert main(["evidence", "export", "9-99", "--out", str(tmp_path / "none.zip")]) == 1
    assert capsys.readouterr().out == ""


async def test_album_with_an_ambiguous_caption_waits_for_the_choice(settings: Settings) -> None:
    folder = settings.data_dir.parent
    names = [image(folder, f"w{i}.png", (9, 9 * i, 99)) for i in range(2)]
    out = await converse(
        settings,
        [START, LI, {"as": 2001, "album": names, "caption": "县级饮用水水源地保护区界碑都立好了，完成80%"},
         {"as": 2001, "press": "1-10"}],
        plans=[PLAN],
    )
    said = texts(out, 2001)
    assert "哪项任务" in said[0] and "2 份材料" in said[0]  # one question, counting the album's files
    assert "已记录" in said[1]
    report = (await rows(settings, Report))[0]
    evidence = await rows(settings, Evidence)
    assert len(evidence) == 2 and {e.report_id for e in evidence} == {report.id}
    assert {e.task_id for e in evidence} == {report.task_id}


def test_refusal_and_storage_are_decided_before_anything_is_kept(tmp_path: Path) -> None:
    from bot.evidence import MAX_BYTES, FileIn, refusal, store_bytes

    def doc(name: str, size: int) -> FileIn:
        return FileIn("document", "f", "u", name, None, size, "", None, 1, 1, 1)

    assert refusal(doc("台账.XLSX", 10)) is None
    assert refusal(doc("run.sh", 10)) == ("evidence.bad_type", {"name": "run.sh"})
    too_big = refusal(doc("a.pdf", MAX_BYTES + 1))
    assert too_big is not None and too_big[0] == "evidence.too_big"
    first = store_bytes(tmp_path, b"same bytes")
    again = store_bytes(tmp_path, b"same bytes")
    assert first == again and first[1].read_bytes() == b"same bytes"
    assert len([p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]) == 1


def test_evidence_asked_for_in_words_names_its_task() -> None:
    from bot.evidence import evidence_request

    assert evidence_request("1-17的佐证材料发我看看") == "1-17"
    assert evidence_request("把1-16的照片都发过来") == "1-16"
    assert evidence_request("1.1的佐证材料有哪些") == "1.1" and evidence_request("1-17的照片有没有？") == "1-17"
    assert evidence_request("1-17的照片已上传") is None
    assert evidence_request("1-16有佐证材料吗") == "1-16" and evidence_request("2-11交了哪些材料") == "2-11"
    assert evidence_request("1-16有照片没") == "1-16" and evidence_request("1-17有材料了") is None


async def test_a_photo_captioned_with_a_task_reported_today_backs_that_report(settings: Settings) -> None:
    """"1-13现场照片" two hours after "1-13 完成60%" is evidence for it, not a second, empty report."""
    folder = settings.data_dir.parent
    first, second = image(folder, "a.png", (1, 2, 3)), image(folder, "b.png", (9, 8, 7))
    out = await converse(settings, [
        START, LI,
        {"as": 2001, "text": "1-13 完成60%"},
        {"clock": "2019-01-24T11:30"},
        {"as": 2001, "photo": first, "caption": "1-13现场照片"},
        {"as": 2001, "photo": second, "caption": "1-16现场照片"},  # nothing reported on 1-16 yet
    ], plans=[PLAN])
    said = texts(out, 2001)
    assert "1-13" in said[1] and "已记录" not in said[1]
    reports = await rows(settings, Report)
    assert [r.task_id for r in reports] == [await task_id(settings, "1-13"), await task_id(settings, "1-16")]
    evidence = await rows(settings, Evidence)
    assert sorted(e.report_id for e in evidence) == sorted(r.id for r in reports)


async def test_photos_sent_before_the_words_that_explain_them_are_filed_with_that_report(settings: Settings) -> None:
    folder = settings.data_dir.parent
    names = [image(folder, f"h{i}.png", (30 * i, 60, 90)) for i in range(2)]
    late = image(folder, "late.png", (5, 5, 5))
    out = await converse(settings, [
        START, {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "album": names},
        {"as": 2002, "text": "以上是1-16危废仓库整改前后对比照片，整改已完成80%"},
        {"clock": "2019-01-24T09:50"},
        {"as": 2002, "photo": late},
        {"clock": "2019-01-24T09:58"},  # eight minutes later: these words do not explain it
        {"as": 2002, "text": "1-17 完成30%"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert said[0].startswith("已收到材料，暂未归档") and not any("请先选择所属任务" in t for t in said)
    assert said[2].startswith("这份材料属于哪项任务")  # a later photo: asked among the tasks reported on lately
    assert "已记录 #1：1-16" in said[1] and "刚才发送的 2 份材料已一并归档" in said[1]
    assert "已记录 #2：1-17" in said[-1] and "一并归档" not in said[-1]
    reports = await rows(settings, Report)
    evidence = await rows(settings, Evidence)
    assert sorted(e.report_id or 0 for e in evidence) == [0, reports[0].id, reports[0].id]


async def test_photos_asked_about_are_filed_with_the_report_that_follows(settings: Settings) -> None:
    """A unit with several recent tasks is asked which one each photo shows; the report
    typed next, within five minutes, answers for them."""
    folder = settings.data_dir.parent
    first, second = image(folder, "q1.png", (1, 1, 1)), image(folder, "q2.png", (2, 2, 2))
    out = await converse(settings, [
        START, {"bind": {"user": 2002, "unit": "市应急管理局", "name": "王强"}},
        {"as": 2002, "text": "1-13 完成10%"},
        {"as": 2002, "text": "1-16 完成10%"},
        {"clock": "2019-01-24T10:30"},
        {"as": 2002, "photo": first},
        {"as": 2002, "photo": second},
        {"as": 2002, "text": "以上是1-16危废仓库整改照片，完成60%"},
    ], plans=[PLAN])
    said = texts(out, 2002)
    assert said[2].startswith("这份材料属于哪项任务") and "刚才发送的 2 份材料已一并归档" in said[4]
    reports = await rows(settings, Report)
    assert {e.report_id for e in await rows(settings, Evidence)} == {reports[-1].id}
