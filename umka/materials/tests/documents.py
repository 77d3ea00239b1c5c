"""Test files made in the tests themselves: PDF (reportlab), DOCX (python-docx),
ODT (odfpy), PPTX (python-pptx), a short MP4 header, and broken ones."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from umka.materials.samples import pdf_bytes


def pdf(text: str = "Линейные уравнения", title: str = "Карточка") -> bytes:
    return pdf_bytes(title, [text])


def docx(text: str) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def pptx(text: str) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = text
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


#: Starts like a PDF (the upload check's sniffing passes), nothing a parser reads.
BROKEN_PDF = b"%PDF-1.7\n" + b"\x00garbage that is not a PDF at all\n" * 50
#: An ISO media header, enough for the upload check (the range tests read bytes).
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
