"""The help ledger as a PDF (reportlab, as the schedule's PDF): A4, the header row
repeating on every page. DejaVu Sans (vendored with the consultations' static
files) prints Cyrillic; every text is escaped before it becomes a Paragraph."""

import io
from functools import lru_cache
from xml.sax.saxutils import escape

from django.contrib.staticfiles import finders
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

REGULAR, BOLD = "UmkaLedgerSans", "UmkaLedgerSans-Bold"
WIDTHS = (24 * mm, 30 * mm, 48 * mm, 32 * mm, 52 * mm)


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    regular = finders.find("consultations/fonts/DejaVuSans.ttf")
    bold = finders.find("consultations/fonts/DejaVuSans-Bold.ttf")
    pdfmetrics.registerFont(TTFont(REGULAR, regular))
    pdfmetrics.registerFont(TTFont(BOLD, bold))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def ledger_pdf(title: str, subtitle: str, header: list[str], rows: list[list]) -> bytes:
    _register_fonts()
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=BOLD)
    big = ParagraphStyle("title", parent=cell, fontName=BOLD, fontSize=14, leading=18)
    sub = ParagraphStyle("sub", parent=cell, fontSize=10, leading=13)
    data = [[_p(h, head) for h in header]]
    data += [[_p(value, cell) for value in row] for row in rows]
    table = LongTable(data, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
            ]
        )
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
    )
    document.build([_p(title, big), _p(subtitle, sub), table])
    return buffer.getvalue()
