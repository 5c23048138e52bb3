"""Bad input: a clear PlanReadError with the right code, never a crash."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bot.importer import PlanReadError, dry_run_json, parse_bytes, parse_path
from bot.importer.errors import CODES, MAX_BYTES

DATA = Path(__file__).parent / "data" / "import"


def code_of(data: bytes, name: str) -> str:
    with pytest.raises(PlanReadError) as info:
        parse_bytes(data, name)
    err = info.value
    assert err.code in CODES
    assert str(err).endswith(")") and "(" in str(err)  # the sentence names the file
    return err.code


def blank_pdf() -> bytes:
    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF under the standard security handler whose user password is not empty."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"4 0 obj << /Filter /Standard /V 1 /R 2 /O <" + b"00" * 32 + b"> /U <" + b"11" * 32
        + b"> /P -4 >> endobj\ntrailer << /Root 1 0 R /Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef>"
        b" <0123456789abcdef0123456789abcdef>] /Size 5 >>\n%%EOF\n"
    )


def encrypted_office_file() -> bytes:
    """Office writes a password-protected .docx/.xlsx as a compound file holding an
    EncryptedPackage stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512


def zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    return buffer.getvalue()


def test_empty_files() -> None:
    assert code_of(b"", "plan.txt") == "empty"
    assert code_of(b"  \r\n\t ", "plan.txt") == "empty"


def test_not_a_plan() -> None:
    news = "今天全市天气晴朗,最高气温二十五度。市民纷纷外出踏青,公园游人如织。".encode()
    assert code_of(news, "news.txt") == "not_a_plan"
    assert code_of(b"just some english words\n", "notes.txt") == "not_a_plan"


def test_corrupt_documents() -> None:
    docx = (DATA / "shangqiu-annex2-table.docx").read_bytes()
    pdf = (DATA / "shangqiu-annex2-table.pdf").read_bytes()
    assert code_of(docx[:20000], "plan.docx") == "corrupt"
    assert code_of(pdf[:5000], "plan.pdf") == "corrupt"
    assert code_of(b"%PDF-1.4\n garbage", "plan.pdf") == "corrupt"
    assert code_of(b"PK\x03\x04" + b"\0" * 200, "ledger.xlsx") == "corrupt"
    assert code_of(b"not a zip at all", "ledger.xlsx") == "corrupt"
    assert code_of(zip_without_document(), "plan.docx") == "corrupt"


def test_encrypted_documents() -> None:
    assert code_of(encrypted_pdf(), "locked.pdf") == "encrypted"
    assert code_of(encrypted_office_file(), "locked.docx") == "encrypted"


def test_scanned_pdf_without_text_layer() -> None:
    assert code_of(blank_pdf(), "scan.pdf") == "no_text_layer"


def test_too_large(tmp_path: Path) -> None:
    assert code_of(b"a" * (MAX_BYTES + 1), "big.txt") == "too_large"
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(PlanReadError) as info:
        parse_path(big)
    assert info.value.code == "too_large"


def test_undecodable_bytes() -> None:
    assert code_of(bytes(range(256)) * 40, "plan.txt") == "undecodable"
    assert code_of(b"\xff\xfe" + b"\x00\xd8" * 10, "plan.txt") == "undecodable"


def test_unsupported_types() -> None:
    assert code_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc") == "unsupported_type"
    assert code_of(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "photo.png") == "unsupported_type"
    assert code_of(zip_without_document(), "archive.zip") == "unsupported_type"


def test_missing_path_is_a_plan_read_error(tmp_path: Path) -> None:
    payload, code = dry_run_json([tmp_path / "nope.docx"])
    assert code == 1 and payload["plans"] == []
    assert payload["errors"][0]["path"].endswith("nope.docx")
    assert payload["errors"][0]["reason"].startswith("The file could not be read")


def test_messages_say_what_is_needed() -> None:
    err = PlanReadError("no_text_layer", "scan.pdf")
    assert "text layer" in str(err) and "Word" in str(err)
    assert (err.code, err.detail) == ("no_text_layer", "scan.pdf")
    with pytest.raises(ValueError):
        PlanReadError("bogus")
