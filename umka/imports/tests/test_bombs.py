"""Issue 15: an .xlsx decompression bomb must not take the worker's memory.

The bombs are built in tmp: a valid workbook whose shared strings (or one cell)
unpack to far more than the file's size. Each is refused with a file-level problem
the teacher reads, quickly and without unpacking it.
"""

import io
import resource
import time
import zipfile

import pytest
from openpyxl import Workbook

from umka.imports import bounded, readers
from umka.imports.readers import FileProblem, read_table

HEADER = ["Фамилия", "Имя", "Дата рождения", "Класс"]
ROW = ["Иванова", "Мария", "17.05.2013", "7А"]


def _workbook(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb(path, cell_bytes: int) -> bytes:
    """A real workbook whose first cell, an inline string, is `cell_bytes` of «a»:
    about a megabyte on disk."""
    source = zipfile.ZipFile(io.BytesIO(_workbook([HEADER, ROW])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, source.read(item))
                continue
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                    b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                )
                chunk = b"a" * (1024 * 1024)
                for _ in range(cell_bytes // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return path.read_bytes()


@pytest.fixture(scope="module")
def big_bomb(tmp_path_factory) -> bytes:
    """256 MB in one cell, built once (it takes a few seconds)."""
    return _bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 256 * 1024 * 1024)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_bomb_is_refused_by_its_zip_directory_before_unpacking(big_bomb):
    data = big_bomb
    assert len(data) < 1.5 * 1024 * 1024  # 256 MB packed into about 1 MB
    before, started = _peak_rss_mb(), time.monotonic()

    with pytest.raises(FileProblem) as caught:
        read_table(data, "bomb.xlsx")

    assert "unpacks to more than" in caught.value.message
    assert time.monotonic() - started < 2
    assert _peak_rss_mb() - before < 50


def test_a_tightly_packed_part_is_refused_even_below_the_total(tmp_path, monkeypatch):
    data = _bomb(tmp_path / "bomb.xlsx", 20 * 1024 * 1024)
    assert len(data) < 100 * 1024  # below the total, packed over 200 times

    with pytest.raises(FileProblem) as caught:
        read_table(data, "bomb.xlsx")

    assert "unpacks to more than" in caught.value.message


def test_a_cell_longer_than_the_cap_is_refused():
    data = _workbook([HEADER, ["Иванова", "М" * 20_000, "17.05.2013", "7А"]])

    with pytest.raises(FileProblem) as caught:
        read_table(data, "list.xlsx")

    assert caught.value.params == {"row": 2, "max": readers.MAX_CELL_CHARS}


def test_blank_rows_count_towards_the_limit():
    """One cell a million rows down is a million rows to openpyxl."""
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.cell(row=readers.MAX_LINES + 5, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(FileProblem) as caught:
        read_table(buffer.getvalue(), "list.xlsx")

    assert "more than %(max)s rows" in caught.value.message


def test_a_workbook_is_read_in_a_child_and_gives_the_same_table(settings):
    settings.IMPORT_READ_MEMORY_MB = 512
    data = _workbook([HEADER, ROW])

    table = bounded.read_table_bounded(data, "list.xlsx")

    assert table.headers == HEADER
    assert table.rows == [(2, ROW)]


def test_the_child_refuses_what_its_readers_refuse(settings):
    settings.IMPORT_READ_MEMORY_MB = 512
    data = _workbook([HEADER, ["Иванова", "М" * 20_000, "17.05.2013", "7А"]])

    with pytest.raises(FileProblem) as caught:
        bounded.read_table_bounded(data, "list.xlsx")

    assert caught.value.params == {"row": 2, "max": readers.MAX_CELL_CHARS}


def test_memory_is_bounded_even_when_the_size_checks_are_lifted(
    big_bomb, settings, monkeypatch
):
    """The last line of defence: with the directory checks off, a 256 MB cell
    exhausts the child's 200 MB, never the worker's memory."""
    monkeypatch.setattr(readers, "XLSX_MAX_UNPACKED_BYTES", 10**12)
    monkeypatch.setattr(readers, "XLSX_MAX_RATIO", 10**9)
    settings.IMPORT_READ_MEMORY_MB = 200
    data = big_bomb
    before = _peak_rss_mb()

    with pytest.raises(FileProblem) as caught:
        bounded.read_table_bounded(data, "bomb.xlsx")

    assert "needs more than %(max)s MB of memory" in caught.value.message
    assert caught.value.params == {"max": 200}
    assert _peak_rss_mb() - before < 50


def test_reading_too_long_is_stopped(big_bomb, settings, monkeypatch):
    monkeypatch.setattr(readers, "XLSX_MAX_UNPACKED_BYTES", 10**12)
    monkeypatch.setattr(readers, "XLSX_MAX_RATIO", 10**9)
    settings.IMPORT_READ_MEMORY_MB = 4096
    settings.IMPORT_READ_SECONDS = 1
    with pytest.raises(FileProblem) as caught:
        bounded.read_table_bounded(big_bomb, "bomb.xlsx")

    assert caught.value.params == {"seconds": 1}
