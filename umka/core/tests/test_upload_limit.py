"""Issue 15: an upload over the limit is refused by its Content-Length, before the
body is read, with a Russian page; nginx's limits in the deploy recipe agree."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from umka.core.upload_limit import UploadLimitMiddleware, body_limit_mb

MB = 1024 * 1024
NGINX = Path(settings.BASE_DIR) / "deploy" / "nginx" / "umka.conf"


class UnreadableBody:
    """A request body that fails the test when anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _post(path: str, length: int):
    request = RequestFactory().post(path, data=b"", content_type="application/zip")
    request.META["CONTENT_LENGTH"] = str(length)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()
    return request


def _not_reached(request):
    request.POST  # noqa: B018 — what the CSRF check does
    raise AssertionError("the view was reached")


@pytest.mark.parametrize(
    ("path", "setting"),
    [
        ("/requests/new/", "UPLOAD_MAX_MB"),
        ("/materials/new/", "MATERIALS_MAX_MB"),
        ("/materials/12/edit/", "MATERIALS_MAX_MB"),
        ("/imports/new/", "IMPORT_MAX_FILE_MB"),
    ],
)
def test_a_body_over_the_limit_is_refused_before_it_is_read(path, setting):
    limit = getattr(settings, setting) + 5
    response = UploadLimitMiddleware(_not_reached)(_post(path, int(limit * MB) + 1))

    assert response.status_code == 413
    html = response.content.decode()
    assert "Файл слишком большой" in html
    assert f"{limit:.0f} МБ" in html


def test_a_body_within_the_limit_reaches_the_view():
    seen = []
    middleware = UploadLimitMiddleware(lambda request: seen.append(request) or "ok")

    assert middleware(_post("/requests/new/", 25 * MB)) == "ok"
    assert len(seen) == 1


def test_the_limit_follows_the_settings(settings):
    settings.UPLOAD_MAX_MB = 1
    assert body_limit_mb("/forums/1/") == 6
    settings.MATERIALS_MAX_MB = 2000
    assert body_limit_mb("/materials/new/") == 2005


def test_the_page_through_the_whole_stack(client):
    response = client.generic(
        "POST", "/requests/new/", b"x", CONTENT_LENGTH=str(100 * MB)
    )
    assert response.status_code == 413
    assert "Файл слишком большой" in response.content.decode()


@pytest.mark.django_db
def test_nginx_shows_the_same_page(client):
    response = client.get("/too-large/", HTTP_X_ORIGINAL_URI="/materials/new/?x=1")
    assert response.status_code == 413
    assert f"{settings.MATERIALS_MAX_MB + 5:.0f} МБ" in response.content.decode()


def _nginx_limits() -> tuple[int, list[tuple[str, str, int]]]:
    """The server's client_max_body_size and each location's (kind, path, MB)."""
    text = re.sub(r"#[^\n]*", "", NGINX.read_text())
    server = text[text.index("listen 443") :]
    default = None
    locations = []
    depth, location = 0, None
    for token in re.finditer(
        r"location\s+(=|~)?\s*(\S+)\s*\{|client_max_body_size\s+(\d+)m;|[{}]", server
    ):
        if token.group(2):
            location = (token.group(1) or "", token.group(2))
            depth += 1
        elif token.group(3):
            size = int(token.group(3))
            if depth == 0:
                default = size
            else:
                locations.append((*location, size))
        elif token.group(0) == "{":
            depth += 1
        else:
            depth -= 1
    return default, locations


def test_nginx_and_the_app_agree_on_every_limit():
    default, locations = _nginx_limits()

    assert default == body_limit_mb("/requests/new/")
    examples = {"~": {"^/materials/[0-9]+/edit/$": "/materials/7/edit/"}}
    checked = set()
    for kind, path, size in locations:
        example = examples.get(kind, {}).get(path, path)
        assert size == body_limit_mb(example), (kind, path)
        checked.add(example)
    # Every path the app treats specially has its nginx location.
    assert {"/materials/new/", "/materials/7/edit/", "/imports/new/"} <= checked
