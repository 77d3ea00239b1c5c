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


def video_bytes(seconds: int = 4, size: tuple[int, int] = (320, 180)) -> bytes | None:
    """A short WebM (VP8) of coloured frames with a moving bar, made with PyAV
    (`av`, a development dependency); None where PyAV is not installed."""
    try:
        import av
    except ImportError:
        return None
    fps, (width, height) = 10, size
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        frame = av.VideoFrame(width, height, "rgb24")
        plane = frame.planes[0]
        background, colour = b"\x20\x60\xa0", b"\xf0\xc0\x30"
        for number in range(seconds * fps):
            bar = (number * 8) % (width - 24)
            row = background * bar + colour * 24 + background * (width - bar - 24)
            row += b"\x00" * (plane.line_size - len(row))
            plane.update(row * height)
            frame.pts = number
            for packet in stream.encode(frame.reformat(format="yuv420p")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()
