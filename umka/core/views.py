"""Error pages: a clear message in the user's language, never a stack trace."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "core/error.html", {"status": 400}, status=400)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


#: The database is away (restarting, unreachable): the request may simply be
#: repeated, so the answer is 503 with Retry-After, not 500.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request):
    # No context processors and no database: this page must render when they fail.
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return service_unavailable(request)
    try:
        html = loader.get_template("core/500.html").render({})
    except Exception:  # noqa: BLE001 - the last line of defence
        html = "<h1>500</h1>"
    return HttpResponseServerError(html)


def service_unavailable(request):
    """The database cannot answer for a moment: nothing was saved, try again."""
    try:
        html = loader.get_template("core/503.html").render({})
    except Exception:  # noqa: BLE001 - the last line of defence
        html = "<h1>503</h1>"
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def too_large(request):
    """The «file too large» page nginx shows when it refuses a body by its
    Content-Length (deploy/nginx/umka.conf, error_page 413): the same page the
    app's UploadLimitMiddleware answers with."""
    from urllib.parse import urlsplit

    from umka.core.upload_limit import too_large_response

    path = urlsplit(request.headers.get("X-Original-URI", "")).path or "/"
    return too_large_response(request, path)
