"""The one check every uploaded file passes: size, extension and content.

    from umka.core.uploads import check_upload

    name = check_upload(upload)  # DomainError with a clear message, or a safe name

The extension alone proves nothing (a renamed .exe is still an .exe), so the first
bytes of the file must match it: PDF, PNG, JPEG, the ZIP parts of Office and
OpenDocument files, plain text that decodes and has no NUL, MP4 and WebM video
(only where a caller allows them). Nothing is unpacked or
executed. Files are then served only through views that check who may see them.
"""

import codecs
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from umka.core.errors import DomainError

#: What may be attached unless a caller narrows it: documents, tables, slides, photos
#: and scans, plain text.
DEFAULT_TYPES = frozenset(
    {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "jpg", "jpeg", "png", "txt"}
)

#: Content-Type to serve each extension with (downloads are attachments anyway).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
    # Videos: never in DEFAULT_TYPES; a caller that takes them names them.
    "mp4": "video/mp4",
    "webm": "video/webm",
}

# The part every Office Open XML file of the kind has.
_OOXML_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# OpenDocument keeps its type in an uncompressed «mimetype» entry.
_ODF_MIMETYPE = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_HEAD_BYTES = 8192
# Characters never kept in a displayed file name: path separators, controls and
# those Windows refuses.
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_NAME_MAX = 120
# Bytes no text file has: NUL and the other control characters but tab, line and
# page breaks. (UTF-16 would pass as Windows-1251 otherwise.)
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def extension_of(name: str) -> str:
    """«Отчёт.PDF» → «pdf»; "" when there is none."""
    return PurePosixPath(str(name or "").replace("\\", "/")).suffix.lower().lstrip(".")


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(extension_of(name), "application/octet-stream")


def safe_name(name: str) -> str:
    """A file name safe to show and to offer in a download: no folders, no control
    or reserved characters, at most 120 characters, the extension in lower case."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE_IN_NAME.sub(" ", base)
    base = " ".join(base.split()).strip(" .")
    path = PurePosixPath(base or "file")
    suffix = path.suffix.lower() if len(path.suffix) <= 8 else ""
    stem = (path.stem if suffix else base).strip(" .") or "file"
    stem = stem[: _NAME_MAX - len(suffix)].rstrip(" .") or "file"
    return f"{stem}{suffix}"


def _allowed_text(allowed: Iterable[str]) -> str:
    return ", ".join(sorted(ext.upper() for ext in allowed))


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    return head


def _decodes_as(file, encoding: str) -> bool:
    """Does the whole file decode as `encoding`, with no NUL or other control
    character? Read in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)()
    file.seek(0)
    try:
        while chunk := file.read(64 * 1024):
            if _NOT_TEXT.search(chunk):
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def _is_text(file) -> bool:
    # UTF-8 (with or without BOM), else Windows-1251 — what a Russian office's
    # Notepad still saves (0x98 is its one undefined byte).
    return _decodes_as(file, "utf-8-sig") or _decodes_as(file, "cp1251")


def _zip_matches(file, extension: str) -> bool:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if extension in _ODF_MIMETYPE:
                if "mimetype" not in names:
                    return False
                info = archive.getinfo("mimetype")
                return (
                    info.file_size < 100
                    and archive.read(info).strip() == _ODF_MIMETYPE[extension]
                )
            return "[Content_Types].xml" in names and _OOXML_PART[extension] in names
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        file.seek(0)


def content_matches(file, extension: str) -> bool:
    """Do the file's bytes look like what its extension says?"""
    head = _read_head(file)
    if extension == "pdf":
        # Readers accept a little junk before the header; so do we, a little.
        return b"%PDF-" in head[:1024]
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "txt":
        return _is_text(file)
    if extension == "mp4":
        # An ISO media file starts with its «ftyp» box.
        return head[4:8] == b"ftyp"
    if extension == "webm":
        # Matroska/WebM: the EBML magic number.
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if extension in _OOXML_PART or extension in _ODF_MIMETYPE:
        return head.startswith(b"PK\x03\x04") and _zip_matches(file, extension)
    return False


def check_upload(
    file, *, max_mb: float | None = None, allowed: Iterable[str] = DEFAULT_TYPES
) -> str:
    """Check an uploaded file; return its safe display name.

    Raises DomainError (codes: empty, too_big, no_extension, type_not_allowed,
    content_mismatch) with a message that names the file. `max_mb` defaults to the
    UPLOAD_MAX_MB setting; `allowed` is a set of lower-case extensions, each of
    which this module knows how to recognise.
    """
    allowed = frozenset(ext.lower().lstrip(".") for ext in allowed)
    unknown = allowed - set(CONTENT_TYPES)
    if unknown:
        raise ValueError(f"check_upload cannot recognise {sorted(unknown)}")
    if max_mb is None:
        max_mb = settings.UPLOAD_MAX_MB
    name = safe_name(getattr(file, "name", "") or "")
    extension = extension_of(name)
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if not size:
        raise DomainError(
            _("The file «%(name)s» is empty.") % {"name": name}, code="empty"
        )
    if size > max_mb * 1024 * 1024:
        raise DomainError(
            _("The file «%(name)s» is larger than %(size)s MB.")
            % {"name": name, "size": f"{max_mb:g}"},
            code="too_big",
        )
    if not extension:
        raise DomainError(
            _("The file «%(name)s» has no extension. Allowed: %(allowed)s.")
            % {"name": name, "allowed": _allowed_text(allowed)},
            code="no_extension",
        )
    if extension not in allowed:
        raise DomainError(
            _("Files of type .%(extension)s cannot be attached. Allowed: %(allowed)s.")
            % {"extension": extension, "allowed": _allowed_text(allowed)},
            code="type_not_allowed",
        )
    if not content_matches(file, extension):
        raise DomainError(
            _(
                "The content of «%(name)s» does not match its extension "
                ".%(extension)s: the file may be damaged or renamed."
            )
            % {"name": name, "extension": extension},
            code="content_mismatch",
        )
    return name
