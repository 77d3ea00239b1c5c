"""Small documents made on the spot (reportlab): the demo school's materials and
the tests' files — never binary blobs of unclear origin."""

import io
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from umka.consultations.publication.print_pdf import FONTS

FONT = "UmkaDejaVuSans"


@lru_cache(maxsize=1)
def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
    return FONT


def pdf_bytes(
    title: str, lines: list[str] | tuple[str, ...] = (), pages: int = 1
) -> bytes:
    """A PDF with `title` and `lines` in Cyrillic on its first page."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    for number in range(pages):
        page.setFont(_font(), 18)
        page.drawString(
            20 * mm, 270 * mm, title if number == 0 else f"{title} ({number + 1})"
        )
        page.setFont(_font(), 12)
        y = 255 * mm
        for line in lines if number == 0 else ():
            page.drawString(20 * mm, y, line)
            y -= 7 * mm
        page.showPage()
    page.save()
    return buffer.getvalue()
