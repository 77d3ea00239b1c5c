"""Reading an uploaded CSV or XLSX file into rows of cells.

CSV: UTF-8 (with or without BOM), UTF-16 with BOM («Unicode text» from Excel), else
Windows-1251 (what Excel in Russia saves); the delimiter («;», «,» or tab) is taken
from the header line. XLSX: the first sheet, read-only, cached values of formulas.
Row numbers are those the user sees in Excel: the first line of the file is row 1.

A workbook is a zip: before openpyxl opens it, the sizes written in the zip's
directory are checked (the whole unpacked size and each part's packing ratio), so
a small «decompression bomb» is refused before anything is unpacked (zipfile
itself never unpacks more than the directory declares). A cell longer than
MAX_CELL_CHARS and a sheet with more than MAX_LINES rows, blank ones included,
are refused too. `umka.imports.bounded` runs this in a child process whose memory
is limited, so even a file these checks miss cannot take the worker's memory.
"""

import codecs
import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_noop

#: More rows than any school has; guards memory against a runaway spreadsheet.
MAX_ROWS = 20_000
#: Every row read counts, blank ones too: a sheet with one cell in row 1 000 000
#: is a million rows to openpyxl.
MAX_LINES = 2 * MAX_ROWS
#: Longer than any name, comment or list of topics.
MAX_CELL_CHARS = 10_000
#: The unpacked size of a workbook (all its parts) read at most; a school's list
#: of a few thousand rows unpacks to a few megabytes.
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: A part larger than XLSX_RATIO_FROM packed more tightly than this is a bomb: the
#: XML of real spreadsheets packs 5–30 times, deflate at most ~1000 times.
XLSX_MAX_RATIO = 200
XLSX_RATIO_FROM = 1024 * 1024
#: How many lines the CSV delimiter is guessed from.
_SNIFF_LINES = 10
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls


class FileProblem(Exception):
    """The file as a whole cannot be read; `message` is an English msgid."""

    def __init__(self, message: str, params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.params = params or {}


@dataclass
class Table:
    header_row: int
    headers: list[object]
    #: (row number as in Excel, cells) for every non-empty row below the header
    rows: list[tuple[int, list[object]]]

    def header_at(self, position: int) -> "Table":
        """The same rows with the `position`-th data row taken as the header: for
        files with a title («Список 7А») above the real header row."""
        number, headers = self.rows[position]
        return Table(number, headers, self.rows[position + 1 :])


def _is_blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _too_many_rows() -> FileProblem:
    return FileProblem(
        gettext_noop(
            "The file has more than %(max)s rows. Split it into several files."
        ),
        {"max": MAX_ROWS},
    )


def _check_cells(number: int, cells) -> None:
    for cell in cells:
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise FileProblem(
                gettext_noop(
                    "Row %(row)s has a cell longer than %(max)s characters: this is "
                    "not a list to import."
                ),
                {"row": number, "max": MAX_CELL_CHARS},
            )


def _table(numbered_rows) -> Table:
    header_row, headers, rows = 0, None, []
    for number, cells in numbered_rows:
        if number > MAX_LINES:
            raise _too_many_rows()
        _check_cells(number, cells)
        if _is_blank(cells):
            continue
        if headers is None:
            header_row, headers = number, list(cells)
            continue
        rows.append((number, list(cells)))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    if headers is None:
        raise FileProblem(gettext_noop("The file is empty."))
    return Table(header_row=header_row, headers=headers, rows=rows)


def decode_text(data: bytes) -> str:
    """Bytes of a CSV file → text, trying the encodings Russian offices produce."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            gettext_noop(
                "The file's encoding is not recognised. Save it as CSV UTF-8 or as "
                ".xlsx."
            )
        ) from exc


def sniff_delimiter(text: str) -> str:
    """The delimiter («;», tab or «,») that splits most of the first lines into the
    same number of cells: a title line above the header («Выгрузка: 7А, алгебра»)
    or a comma inside a cell does not decide it. «;» when nothing splits."""
    lines = [line for line in text.splitlines() if line.strip()][:_SNIFF_LINES]
    best, best_score = ";", (0, 0)
    for delimiter in (";", "\t", ","):
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        split = [(count, width) for width, count in widths.items() if width > 1]
        if split and max(split) > best_score:
            best, best_score = delimiter, max(split)
    return best


def read_csv(data: bytes) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise FileProblem(gettext_noop("This is not a CSV text file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        return _table(enumerate(reader, start=1))
    except csv.Error as exc:
        raise FileProblem(
            gettext_noop("The CSV file is damaged: %(detail)s"), {"detail": str(exc)}
        ) from exc


def _too_large_unpacked() -> FileProblem:
    return FileProblem(
        gettext_noop(
            "The workbook unpacks to more than %(max)s MB: it cannot be a list to "
            "import. Save only the needed sheet as a new .xlsx or CSV file."
        ),
        {"max": XLSX_MAX_UNPACKED_BYTES // (1024 * 1024)},
    )


def check_xlsx_sizes(data: bytes) -> None:
    """Refuse a workbook by the sizes its zip directory declares, before any part
    is unpacked (zipfile never unpacks more than declared: it stops there and the
    checksum fails)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(
            gettext_noop("The file is not a readable Excel workbook (.xlsx).")
        ) from exc
    if sum(part.file_size for part in parts) > XLSX_MAX_UNPACKED_BYTES:
        raise _too_large_unpacked()
    for part in parts:
        if part.file_size > XLSX_RATIO_FROM and part.file_size > XLSX_MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise _too_large_unpacked()


def read_xlsx(data: bytes) -> Table:
    # Imported here: openpyxl is only needed when someone uploads a workbook.
    from openpyxl import load_workbook

    check_xlsx_sizes(data)
    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise FileProblem(gettext_noop("The file is empty."))
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the file; read every row there is.
        sheet.reset_dimensions()
        return _table(enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1))
    except (FileProblem, MemoryError):
        raise
    except Exception as exc:
        # A damaged or foreign workbook fails anywhere inside openpyxl (zip, XML,
        # styles), also lazily while rows are read: all of it is the file's fault.
        raise FileProblem(
            gettext_noop("The file is not a readable Excel workbook (.xlsx).")
        ) from exc
    finally:
        if workbook is not None:
            workbook.close()


def read_table(data: bytes, file_name: str) -> Table:
    """Read the upload by its content (the extension only breaks a tie)."""
    if data.startswith(_OLE_MAGIC):
        raise FileProblem(
            gettext_noop(
                "This is the old Excel 97-2003 format (.xls). Save it as .xlsx or "
                "CSV and upload again."
            )
        )
    if data.startswith(_XLSX_MAGIC):
        return read_xlsx(data)
    if file_name.lower().endswith(".xlsx"):
        raise FileProblem(
            gettext_noop("The file is not a readable Excel workbook (.xlsx).")
        )
    return read_csv(data)
