"""Template files of a grade import: CSV (header and examples) and XLSX (sheets
«Оценки» with the header, «Пример», «Пояснения»). Only the first sheet is read."""

import csv
import io

from django.utils.translation import gettext as _

from umka.grades.columns import TEMPLATE_COLUMNS

COLUMNS = TEMPLATE_COLUMNS
EXAMPLES = [
    {
        "full_name": "Иванова Мария Петровна",
        "school_class": "7А",
        "subject": "Алгебра",
        "date": "12.11.2026",
        "value": "3",
        "topic": "Линейные уравнения с параметром",
        "work_type": "самостоятельная работа",
    },
    {
        "full_name": "Петров Пётр Сергеевич",
        "school_class": "7А",
        "subject": "Алгебра",
        "date": "12.11.2026",
        "value": "5",
        "topic": "Линейные уравнения с параметром",
        "work_type": "ответ у доски",
    },
]


def example_rows() -> list[list[str]]:
    return [[example.get(c.key, "") for c in COLUMNS] for example in EXAMPLES]


def template_csv() -> bytes:
    """Header and the two example rows, «;»-separated, UTF-8 with BOM (Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in COLUMNS])
    writer.writerows(example_rows())
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    data = workbook.active
    data.title = "Оценки"
    data.append([c.title for c in COLUMNS])
    example = workbook.create_sheet("Пример")
    example.append([c.title for c in COLUMNS])
    for row in example_rows():
        example.append(row)
    notes = workbook.create_sheet("Пояснения")
    notes.append([_("Column"), _("How to fill it in")])
    for column in COLUMNS:
        notes.append([column.title, str(column.help)])
    for sheet in (data, example, notes):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for letter in "ABCDEFG":
            sheet.column_dimensions[letter].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
