"""The one way Umka hands out an uploaded file: as a download, after the caller's
permission check, never from a public media URL and never shown inline."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from umka.core.uploads import content_type_for


def download(file: FieldFile, name: str) -> FileResponse:
    """The file as an attachment named `name`; 404 if it is gone from storage."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type_for(name),
    )
    response["Cache-Control"] = "private, no-store"
    return response
