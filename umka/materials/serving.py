"""Handing out a material's file after the policy's check — never from a public
URL. In production nginx sends the bytes (X-Accel-Redirect through
django-sendfile2, `MATERIALS_X_ACCEL_REDIRECT=1`; nginx answers range requests
itself); otherwise the app streams them from the storage (local or S3) and answers
a `Range: bytes=…` request with 206 and the part asked for, so a video can be
scrubbed on a phone."""

import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse

from umka.core.uploads import content_type_for
from umka.materials.files import INLINE_TYPES

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _disposition(name: str, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    ascii_name = name.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _headers(response, *, name: str, inline: bool) -> None:
    response["Content-Disposition"] = _disposition(name, inline)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A file shown in the browser runs nothing and reaches nothing of the site.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single `bytes=` range; None: no usable range (send
    everything); False: unsatisfiable (416)."""
    match = _RANGE.match((header or "").strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        return False
    if end < start:
        return None
    return start, end


def _stream(name: str, start: int, length: int):
    handle = default_storage.open(name, "rb")
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _with_nginx() -> bool:
    return settings.SENDFILE_BACKEND.endswith(".nginx")


def serve(request, stored_name: str, *, size: int, name: str, inline: bool, etag: str):
    """The file `stored_name` of the storage as `name`; `inline` only for kinds a
    browser shows safely (PDF, images, video)."""
    inline = inline and name.rsplit(".", 1)[-1].lower() in INLINE_TYPES
    content_type = content_type_for(name)
    if _with_nginx():
        from django_sendfile import sendfile

        try:
            path = default_storage.path(stored_name)
        except NotImplementedError:  # object storage: the app streams it
            path = None
        if path is not None:
            response = sendfile(
                request,
                path,
                attachment=not inline,
                attachment_filename=name,
                mimetype=content_type,
            )
            _headers(response, name=name, inline=inline)
            return response
    if not default_storage.exists(stored_name):
        raise Http404
    wanted = None
    if_range = request.headers.get("If-Range")
    if "Range" in request.headers and (if_range is None or if_range == etag):
        wanted = parse_range(request.headers["Range"], size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = wanted if wanted else (0, size - 1)
    length = end - start + 1
    if request.method == "HEAD":
        response = HttpResponse(status=206 if wanted else 200)
    else:
        response = StreamingHttpResponse(
            _stream(stored_name, start, length), status=206 if wanted else 200
        )
    response["Content-Type"] = content_type
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    _headers(response, name=name, inline=inline)
    return response
