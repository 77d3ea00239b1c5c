import datetime as dt
import io

import pytest
from openpyxl import Workbook

from umka.imports.readers import FileProblem, read_table, sniff_delimiter
from umka.imports.tests.helpers import csv_bytes, map_headers

HEADER = ["Фамилия", "Имя", "Дата рождения", "Класс"]
ROW = ["Иванова", "Мария", "17.05.2013", "7А"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
def test_csv_is_read_in_the_encodings_russian_offices_produce(encoding):
    table = read_table(csv_bytes([HEADER, ROW], encoding=encoding), "x.csv")

    assert table.headers == HEADER
    assert table.rows == [(2, ROW)]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiter_is_taken_from_the_header_line(delimiter):
    data = csv_bytes(
        [HEADER, ["Иванова", "Мария", "17.05.2013", "7А, углублённый"]],
        delimiter=delimiter,
    )

    table = read_table(data, "x.csv")

    assert table.headers == HEADER
    assert table.rows[0][1][3] == "7А, углублённый"


def test_sniffing_a_single_column_falls_back_to_semicolon():
    assert sniff_delimiter("Фамилия\nИванова\n") == ";"


def test_row_numbers_are_those_excel_shows_even_after_blank_lines():
    data = csv_bytes([["Список учеников 7А"], [], HEADER, [], ROW])

    table = read_table(data, "x.csv")

    # The title line is taken for the header; the real header is row 3, data row 5.
    assert table.header_row == 1
    assert [number for number, _cells in table.rows] == [3, 5]


def test_a_quoted_cell_may_span_lines_without_shifting_row_numbers():
    data = 'Фамилия;Имя\n"Иванова\nМария";Мария\nПетров;Пётр\n'.encode()

    table = read_table(data, "x.csv")

    assert [number for number, _cells in table.rows] == [2, 3]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Пример").append(["не", "читается"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_sheet_is_read_with_real_dates_and_numbers():
    data = _xlsx(
        [
            HEADER + ["Телефон"],
            ["Иванова", "Мария", dt.datetime(2013, 5, 17), "7А", 79161234567],
        ]
    )

    table = read_table(data, "list.xlsx")

    assert table.headers == HEADER + ["Телефон"]
    assert table.rows == [
        (2, ["Иванова", "Мария", dt.datetime(2013, 5, 17), "7А", 79161234567])
    ]


def test_xlsx_is_recognised_by_content_whatever_the_name():
    table = read_table(_xlsx([HEADER, ROW]), "export.csv")

    assert table.rows == [(2, ROW)]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "The file is empty."),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls", "old Excel 97-2003"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "not a readable Excel"),
        (b"plain text", "x.xlsx", "not a readable Excel"),
    ],
)
def test_unreadable_files_are_a_file_level_problem(data, name, message):
    with pytest.raises(FileProblem) as caught:
        read_table(data, name)

    assert message in caught.value.message


def test_headers_match_case_space_yo_and_english_variants():
    headers = [
        "  ФАМИЛИЯ ",
        "имя",
        "Отчество",
        "Дата рождения (ДД.ММ.ГГГГ)*",
        "class",
        "E-mail",
        "Примечание",
    ]

    mapped = map_headers("students", headers)

    assert mapped.problems == []
    assert mapped.index == {
        "last_name": 0,
        "first_name": 1,
        "middle_name": 2,
        "birth_date": 3,
        "school_class": 4,
        "email": 5,
    }
    assert mapped.ignored == ["Примечание"]


def test_missing_required_column_is_named():
    mapped = map_headers("students", ["Фамилия", "Имя", "Класс"])

    assert [(title, message) for title, message, _p in mapped.problems] == [
        ("Дата рождения", "The required column is missing.")
    ]


def test_full_name_in_one_column_replaces_the_three():
    assert map_headers("students", ["ФИО", "Дата рождения", "Класс"]).problems == []
    both = map_headers("students", ["ФИО", "Фамилия", "Дата рождения", "Класс"])
    assert len(both.problems) == 1


def test_a_parents_file_needs_a_contact_column():
    mapped = map_headers("parents", ["Фамилия", "Имя", "Дети", "Кем приходится"])

    assert [title for title, _m, _p in mapped.problems] == ["E-mail"]
