"""A report as XLSX (a sheet per section: its table and totals row) and as PDF (A4
landscape, DejaVu Sans for Cyrillic, the figures and the tables in black and
white)."""

import io
from functools import lru_cache
from xml.sax.saxutils import escape

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

from umka.core.spreadsheets import csv_safe
from umka.reports.build import Report

REGULAR, BOLD = "UmkaReportSans", "UmkaReportSans-Bold"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return csv_safe(str(value))


def xlsx_bytes(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for n, section in enumerate(report.sections, start=1):
        sheet = workbook.create_sheet(f"{n}. {section.title}"[:31])
        sheet.append([report.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([section.title])
        if report.filters_text():
            sheet.append([report.filters_text()])
        sheet.append([])
        result = section.result
        sheet.append([str(c) for c in result.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in result.rows:
            sheet.append([_cell(v) for v in row])
        if result.totals is not None:
            sheet.append([_cell(v) for v in result.totals])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        if result.note:
            sheet.append([])
            sheet.append([str(result.note)])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column[4:] or column)
            sheet.column_dimensions[column[0].column_letter].width = min(
                max(width + 2, 8), 50
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = finders.find("consultations/fonts/DejaVuSans.ttf")
    bold = finders.find("consultations/fonts/DejaVuSans-Bold.ttf")
    pdfmetrics.registerFont(TTFont(REGULAR, regular))
    pdfmetrics.registerFont(TTFont(BOLD, bold))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


def pdf_bytes(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )

    _register_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=base, fontName=BOLD)
    title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=14, leading=18)
    h2 = ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14)

    def p(text, style=base):
        return Paragraph(escape(str(text if text is not None else "")), style)

    story = [p(report.title, title)]
    if report.filters_text():
        story.append(p(report.filters_text()))
    for section in report.sections:
        result = section.result
        story += [Spacer(1, 5 * mm), p(section.title, h2)]
        story.append(
            p(
                "; ".join(
                    f"{f.label}: {section.chart.bars[i].value}"
                    for i, f in enumerate(result.figures)
                )
            )
        )
        data = [[p(c, head) for c in result.columns]]
        data += [[p(v) for v in row] for row in result.rows]
        if result.totals is not None:
            data.append([p(v, head) for v in result.totals])
        if not result.rows:
            data.append([p(_("Nothing in this period."))] + [""] * (len(data[0]) - 1))
        table = LongTable(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ]
            )
        )
        story += [Spacer(1, 2 * mm), table]
        if result.note:
            story += [Spacer(1, 1 * mm), p(result.note)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=report.title,
    )
    doc.build(story)
    return out.getvalue()
