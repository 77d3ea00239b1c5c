"""Files of materials: the one upload check, the text inside, the school's quota,
and storing through Django's storage API (the local folder, or S3-compatible
object storage by setting — see README)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _

from umka.core.errors import DomainError
from umka.core.uploads import DEFAULT_TYPES, check_upload, extension_of
from umka.materials import text
from umka.materials.models import Material, MaterialFile

#: What a file material may be: the project's documents, tables, slides, images.
DOCUMENT_TYPES = DEFAULT_TYPES
VIDEO_TYPES = frozenset({"mp4", "webm"})
#: Served inline (a preview, a player) rather than as a download.
INLINE_TYPES = frozenset({"pdf", "png", "jpg", "jpeg", "mp4", "webm"})


def allowed_types(kind: str) -> frozenset[str]:
    return VIDEO_TYPES if kind == Material.Kind.VIDEO else DOCUMENT_TYPES


def max_mb() -> float:
    return float(settings.MATERIALS_MAX_MB)


def quota_bytes() -> int:
    return int(float(settings.MATERIALS_QUOTA_MB) * 1024 * 1024)


@dataclass(frozen=True)
class Usage:
    used: int
    quota: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.quota)) if self.quota else 100

    @property
    def free(self) -> int:
        return max(0, self.quota - self.used)


def usage() -> Usage:
    """The storage the school's materials take against its quota."""
    used = MaterialFile.objects.aggregate(total=Sum("size"))["total"] or 0
    return Usage(used=used, quota=quota_bytes())


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


@dataclass
class CheckedUpload:
    """An upload that passed every check, ready to store (nothing stored yet)."""

    upload: object
    name: str
    extension: str
    size: int
    text: str
    text_status: str


def check(upload, *, kind: str) -> CheckedUpload:
    """The one upload check (size, real content), the text inside and the quota;
    DomainError with a Russian message, before anything is stored."""
    name = check_upload(upload, max_mb=max_mb(), allowed=allowed_types(kind))
    size = upload.size
    current = usage()
    if size > current.free:
        raise DomainError(
            _(
                "The school's storage for materials is full: «%(name)s» needs "
                "%(size)s MB, %(free)s MB of %(quota)s MB are free. Ask the "
                "administration to delete old materials or raise the quota."
            )
            % {
                "name": name,
                "size": _megabytes(size),
                "free": _megabytes(current.free),
                "quota": _megabytes(current.quota),
            },
            code="quota",
        )
    extension = extension_of(name)
    content, status = text.extract(upload, extension)
    return CheckedUpload(upload, name, extension, size, content, status)


def store(checked: CheckedUpload, *, actor) -> MaterialFile:
    """Write the checked file to storage and its row (inside the caller's
    transaction; the caller removes the stored file if that transaction fails)."""
    stored = MaterialFile(
        name=checked.name,
        extension=checked.extension,
        size=checked.size,
        text=checked.text,
        text_status=checked.text_status,
        uploaded_by=actor,
    )
    checked.upload.seek(0)
    stored.file.save(checked.name, checked.upload, save=False)
    stored.save()
    return stored


def remove_from_storage(names: list[str]) -> None:
    """Delete stored files (after a rolled-back write, or once nothing refers to
    them)."""
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def drop_unused(files: list[MaterialFile]) -> list[str]:
    """Delete the rows of files no material or version refers to any more; return
    the stored names to remove once the caller commits."""
    names = []
    for stored in files:
        if stored.materials.exists() or stored.versions.exists():
            continue
        names += [stored.file.name, stored.thumbnail.name]
        stored.delete()
    return names
