"""Refusing an upload over the limit before its body is read (issue 15).

Django reads a request's body when a view first touches `request.POST` or
`request.FILES` (the CSRF check does it for every POST): an upload of a gigabyte
would arrive whole before the form said «too large». This middleware looks at the
Content-Length header first and answers 413 with a Russian page at once.

The limit of a path is the largest file allowed there plus FORM_MARGIN_MB for the
form around it (several files of one message share it): learning materials'
forms (MATERIALS_MAX_MB), the import upload (IMPORT_MAX_FILE_MB), everything else
UPLOAD_MAX_MB. The deploy recipe's nginx (deploy/nginx/umka.conf) sets the same
`client_max_body_size` per location; umka/core/tests/test_upload_limit.py reads it
and fails when the two disagree.
"""

import math
import re

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import get_language

#: The form around the files: other fields, multipart boundaries.
FORM_MARGIN_MB = 5
#: Paths with a larger (or smaller) limit than UPLOAD_MAX_MB, and the setting.
PATH_LIMITS = (
    (re.compile(r"^/materials/(new|[0-9]+/edit)/$"), "MATERIALS_MAX_MB"),
    (re.compile(r"^/imports/new/$"), "IMPORT_MAX_FILE_MB"),
)


def body_limit_mb(path: str) -> int:
    """The largest request body (whole megabytes) accepted at `path`."""
    setting = "UPLOAD_MAX_MB"
    for pattern, name in PATH_LIMITS:
        if pattern.match(path):
            setting = name
            break
    return math.ceil(float(getattr(settings, setting)) + FORM_MARGIN_MB)


def too_large_response(request, path: str) -> HttpResponse:
    # No context processors: nothing has touched the session or the database yet.
    html = loader.get_template("core/413.html").render(
        {"limit_mb": body_limit_mb(path), "LANGUAGE_CODE": get_language()}
    )
    return HttpResponse(html, status=413)


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit_mb(request.path_info) * 1024 * 1024:
            return too_large_response(request, request.path_info)  # body unread
        return self.get_response(request)
