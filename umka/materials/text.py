"""The text inside an uploaded file, for search: PDF (pypdf), DOCX (python-docx),
ODT (odfpy), PPTX (python-pptx) and plain text. A file a parser cannot read is
still stored; its status says the text could not be read."""

import logging
import zipfile

from umka.materials.models import MaterialFile

logger = logging.getLogger(__name__)

Status = MaterialFile.TextStatus

#: Text kept for search at most (a textbook's worth).
MAX_CHARS = 1_000_000
#: Pages of a PDF read at most.
MAX_PAGES = 500
#: An Office or OpenDocument file whose parts unpack to more than this is refused
#: as a zip bomb (its text is not read; the file is still stored).
MAX_UNPACKED = 200 * 1024 * 1024

READABLE = frozenset({"pdf", "docx", "odt", "pptx", "txt"})


def _pdf(file) -> str:
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted:
        reader.decrypt("")
    parts, length = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length > MAX_CHARS:
            break
    return "\n".join(parts)


def _check_zip(file) -> None:
    with zipfile.ZipFile(file) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise ValueError("unpacks too large")
    file.seek(0)


def _docx(file) -> str:
    import docx

    _check_zip(file)
    document = docx.Document(file)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _odt(file) -> str:
    from odf import teletype
    from odf import text as odf_text
    from odf.opendocument import load

    _check_zip(file)
    document = load(file)
    return "\n".join(
        teletype.extractText(element)
        for kind in (odf_text.H, odf_text.P)
        for element in document.getElementsByType(kind)
    )


def _pptx(file) -> str:
    from pptx import Presentation

    _check_zip(file)
    parts = []
    for slide in Presentation(file).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return "\n".join(parts)


def _txt(file) -> str:
    raw = file.read(MAX_CHARS * 2)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace")


_READERS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "pptx": _pptx, "txt": _txt}


def extract(file, extension: str) -> tuple[str, str]:
    """(text, status) of a file already checked by `check_upload`."""
    reader = _READERS.get(extension)
    if reader is None:
        return "", Status.NONE
    file.seek(0)
    try:
        text = reader(file)
    except Exception:  # noqa: BLE001 — any parser failure means «could not read»
        logger.info("could not read the text of a .%s file", extension)
        return "", Status.UNREADABLE
    finally:
        file.seek(0)
    text = " ".join(text.replace("\x00", " ").split())[:MAX_CHARS]
    if not text:
        # A scan without a text layer: search cannot look inside it either.
        return "", Status.UNREADABLE
    return text, Status.READ
