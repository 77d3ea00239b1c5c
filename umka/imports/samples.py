"""Template files to download for any kind: CSV (the header, and the examples when
the kind says so) and XLSX (the kind's data sheet, «Пример» and «Пояснения»). Only
the first sheet is ever imported, so the examples cannot slip in by accident."""

import csv
import io

from django.utils.translation import gettext as _

from umka.imports.registry import Kind


def example_rows(kind: Kind) -> list[list[str]]:
    return [[row.get(c.key, "") for c in kind.offered_columns] for row in kind.examples]


def template_csv(kind: Kind) -> bytes:
    """«;»-separated UTF-8 with BOM: Excel in Russia opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in kind.offered_columns])
    if kind.csv_examples:
        writer.writerows(example_rows(kind))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: Kind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = kind.offered_columns
    workbook = Workbook()
    data = workbook.active
    data.title = kind.sheet_title
    example = workbook.create_sheet("Пример")
    notes = workbook.create_sheet("Пояснения")
    titles = [c.title for c in columns]
    for sheet in (data, example):
        sheet.append(titles)
        for position, column in enumerate(columns, start=1):
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
    for column in columns:
        notes.append(
            [column.title, _("yes") if column.required else "", str(column.help)]
        )
    notes.append([])
    notes.append(
        [
            _("Only the first sheet («%(sheet)s») is imported. Row 1 is the header.")
            % {"sheet": kind.sheet_title}
        ]
    )
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 14
    notes.column_dimensions["C"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
