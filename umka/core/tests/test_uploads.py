"""The project's upload check: size, extension and content sniffing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from umka.core.errors import DomainError
from umka.core.uploads import (
    DEFAULT_TYPES,
    check_upload,
    content_type_for,
    extension_of,
    safe_name,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})
PPTX = _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def code_of(name: str, data: bytes, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        check_upload(upload(name, data), **kwargs)
    return caught.value.code


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("Контрольная.pdf", PDF),
        ("фото.PNG", PNG),
        ("scan.jpg", JPEG),
        ("scan.jpeg", JPEG),
        ("Решение.docx", DOCX),
        ("оценки.xlsx", XLSX),
        ("слайды.pptx", PPTX),
        ("сочинение.odt", ODT),
        ("таблица.ods", ODS),
        ("вопрос.txt", "Не понимаю тему «Дроби»".encode()),
        ("вопрос.txt", "\ufeffС BOM".encode()),
        ("вопрос.txt", "Старый Блокнот".encode("cp1251")),
    ],
)
def test_check_upload_accepts_what_it_says(name, data):
    assert check_upload(upload(name, data)) == safe_name(name)


def test_check_upload_refuses_an_empty_file():
    assert code_of("пусто.pdf", b"") == "empty"


def test_check_upload_refuses_a_file_over_the_limit(settings):
    settings.UPLOAD_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    assert code_of("big.pdf", big) == "too_big"
    assert check_upload(upload("big.pdf", big), max_mb=2) == "big.pdf"


def test_check_upload_default_limit_is_20_mb(settings):
    assert settings.UPLOAD_MAX_MB == 20


def test_check_upload_message_names_the_file_and_the_limit():
    with pytest.raises(DomainError) as caught:
        check_upload(upload("big.pdf", PDF * 1000), max_mb=0.01)
    message = caught.value.messages[0]
    assert "big.pdf" in message
    assert "0.01" in message


@pytest.mark.parametrize("name", ["run.exe", "page.html", "script.js", "doc.docm"])
def test_check_upload_refuses_other_types(name):
    assert code_of(name, PDF) == "type_not_allowed"


def test_check_upload_refuses_a_name_without_extension():
    assert code_of("README", b"text") == "no_extension"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is a program"),
        ("fake.png", JPEG),
        ("fake.jpg", PNG),
        ("fake.docx", XLSX),
        ("fake.xlsx", b"PK\x03\x04 not really a zip"),
        ("fake.odt", ODS),
        ("fake.ods", DOCX),
        ("binary.txt", b"abc\x00def"),
        ("control.txt", b"abc\x04def"),
        ("undefined.txt", b"\x98\x98\xff\xfe"),
        ("utf16.txt", "Привет".encode("utf-16")),
    ],
)
def test_check_upload_refuses_content_that_does_not_match(name, data):
    assert code_of(name, data) == "content_mismatch"


def test_check_upload_narrows_to_the_callers_types():
    assert code_of("a.pdf", PDF, allowed={"png", "jpg"}) == "type_not_allowed"
    assert check_upload(upload("a.png", PNG), allowed={".PNG"}) == "a.png"


def test_check_upload_refuses_a_type_it_cannot_recognise():
    with pytest.raises(ValueError, match="cannot recognise"):
        check_upload(upload("a.exe", b"MZ"), allowed={"exe"})


def test_check_upload_leaves_the_file_at_its_start():
    file = upload("a.docx", DOCX)
    check_upload(file)
    assert file.read(4) == b"PK\x03\x04"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\Мама\\Фото 1.JPG", "Фото 1.jpg"),
        ('evil<script>"name".pdf', "evil script name.pdf"),
        ("  пробелы   внутри .pdf", "пробелы внутри.pdf"),
        ("line\nbreak.txt", "line break.txt"),
        (".pdf", "pdf"),
        ("", "file"),
        ("а" * 300 + ".pdf", "а" * 116 + ".pdf"),
    ],
)
def test_safe_name(raw, safe):
    assert safe_name(raw) == safe


def test_extension_and_content_type():
    assert extension_of("Отчёт.PDF") == "pdf"
    assert extension_of("no_extension") == ""
    assert content_type_for("a.docx").startswith("application/vnd.openxml")
    assert content_type_for("a.bin") == "application/octet-stream"
    assert set(DEFAULT_TYPES) == {
        "pdf",
        "docx",
        "xlsx",
        "pptx",
        "odt",
        "ods",
        "jpg",
        "jpeg",
        "png",
        "txt",
    }


MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 32


def test_check_upload_recognises_videos_only_when_the_caller_allows_them():
    videos = {"mp4", "webm"}
    assert check_upload(upload("урок.mp4", MP4), allowed=videos) == "урок.mp4"
    assert check_upload(upload("урок.webm", WEBM), allowed=videos) == "урок.webm"
    assert code_of("урок.mp4", WEBM, allowed=videos) == "content_mismatch"
    assert code_of("урок.webm", PDF, allowed=videos) == "content_mismatch"
    assert code_of("урок.mp4", MP4) == "type_not_allowed"
