"""Template files to download: CSV (header only) and XLSX (sheets «Данные»,
«Пример» and «Пояснения»). Only the first sheet is ever imported, so the examples
cannot slip into the school by accident."""

import csv
import io

from django.utils.translation import gettext as _

from umka.imports.columns import TEMPLATE_KEYS, Column
from umka.imports.models import ImportKind

EXAMPLES: dict[str, list[dict[str, str]]] = {
    ImportKind.STUDENTS: [
        {
            "last_name": "Иванова",
            "first_name": "Мария",
            "middle_name": "Петровна",
            "birth_date": "17.05.2013",
            "school_class": "7А",
        },
        {
            "last_name": "Петров",
            "first_name": "Пётр",
            "middle_name": "Сергеевич",
            "birth_date": "02.11.2012",
            "school_class": "7Б",
            "login": "petrov.ps",
            "email": "petrov.p@example.ru",
        },
    ],
    ImportKind.PARENTS: [
        {
            "last_name": "Иванова",
            "first_name": "Елена",
            "middle_name": "Викторовна",
            "email": "ivanova.ev@example.ru",
            "phone": "+7 916 123-45-67",
            "children": "Иванова Мария Петровна, 17.05.2013",
            "relation": "мать",
        },
        {
            "last_name": "Петров",
            "first_name": "Сергей",
            "middle_name": "Иванович",
            "phone": "8 (903) 765-43-21",
            "children": "petrov.ps; Петрова Анна Сергеевна, 09.03.2016",
            "relation": "отец",
        },
    ],
    ImportKind.STAFF: [
        {
            "last_name": "Смирнова",
            "first_name": "Ольга",
            "middle_name": "Николаевна",
            "position": "Учитель математики",
            "roles": "учитель",
            "subjects": "Математика: 5А 5, 5Б 5; Алгебра: 7А 3",
            "load": "18",
            "consultation_hours": "2",
            "email": "smirnova.on@example.ru",
        },
        {
            "last_name": "Кузнецов",
            "first_name": "Андрей",
            "middle_name": "Павлович",
            "position": "Заместитель директора по УВР",
            "roles": "заместитель директора",
            "working_time": "пн-пт 09:00-17:00",
            "email": "kuznetsov.ap@example.ru",
        },
    ],
}


def columns(kind: str) -> tuple[Column, ...]:
    return TEMPLATE_KEYS[kind]


def example_rows(kind: str) -> list[list[str]]:
    return [[row.get(c.key, "") for c in columns(kind)] for row in EXAMPLES[kind]]


def template_csv(kind: str) -> bytes:
    """The header line, «;»-separated UTF-8 with BOM: Excel in Russia opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in columns(kind)])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    data = workbook.active
    data.title = "Данные"
    example = workbook.create_sheet("Пример")
    notes = workbook.create_sheet("Пояснения")
    titles = [c.title for c in columns(kind)]
    for sheet in (data, example):
        sheet.append(titles)
        for position, column in enumerate(columns(kind), start=1):
            sheet.cell(row=1, column=position).font = Font(bold=True)
            width = max(14, len(column.title) + 4, len(column.example) + 2)
            sheet.column_dimensions[get_column_letter(position)].width = min(width, 48)
            # Text cells: Excel must not turn «7А 5» or a phone into something else.
            for row in range(2, 502 if sheet is data else 4):
                sheet.cell(row=row, column=position).number_format = "@"
        sheet.freeze_panes = "A2"
    for row in example_rows(kind):
        example.append(row)
    notes.append([_("Column"), _("Required"), _("How to fill it in")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns(kind):
        notes.append(
            [column.title, _("yes") if column.required else "", str(column.help)]
        )
    notes.append([])
    notes.append(
        [_("Only the first sheet («Данные») is imported. Row 1 is the header.")]
    )
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 14
    notes.column_dimensions["C"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
