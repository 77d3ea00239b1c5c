"""Issue 15: a Content-Security-Policy without 'unsafe-inline' scripts, no inline
script or on*= handler in any template, the camera and microphone only in the
live rooms, signed-in pages never kept by a shared cache."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.core.headers import PrivacyHeadersMiddleware

UMKA = Path(settings.BASE_DIR) / "umka"
#: <script> without src= that is not a JSON data block (json_script), and event
#: handler attributes (onclick=, onchange=, onsubmit=, …).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I
)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def _templates():
    return sorted(UMKA.glob("*/templates/**/*.html"))


def test_no_template_has_an_inline_script_or_an_event_handler():
    assert len(_templates()) > 100
    found = []
    for path in _templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, HANDLER, JAVASCRIPT_URL):
            found += [
                f"{path.relative_to(UMKA)}: {m.group(0)[:60]}"
                for m in pattern.finditer(text)
            ]
    assert found == []


def test_the_checks_would_see_one():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="c" type="application/json">{}')
    assert HANDLER.search('<button type="button"\n onclick="print()">')
    assert not HANDLER.search('<button data-print type="button">')


def test_chat_rendering_does_not_trust_stored_html():
    for path in (UMKA / "rooms").rglob("*"):
        if path.suffix == ".html":
            assert "|safe" not in path.read_text(), path
        if path.suffix == ".js":
            text = path.read_text()
            assert not re.search(r"\.innerHTML\s*=(?!=)\s*[^'\s]", text), path
            assert "insertAdjacentHTML" not in text, path


@pytest.mark.django_db
def test_every_page_carries_the_policy(client):
    response = client.get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    directives = {
        part.split()[0]: part.split()[1:] for part in policy.split("; ") if part
    }
    assert directives["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert "'self'" in directives["connect-src"]
    assert response["Permissions-Policy"].startswith("camera=(), microphone=()")


def test_janus_is_reachable_from_the_rooms_pages(monkeypatch):
    import importlib

    import config.settings as module

    monkeypatch.setenv("JANUS_URL", "https://media.school.example/janus")
    monkeypatch.setenv("SITE_URL", "https://umka.school.example")
    try:
        connect = importlib.reload(module).CONTENT_SECURITY_POLICY["DIRECTIVES"][
            "connect-src"
        ]
    finally:
        monkeypatch.undo()
        importlib.reload(module)
    assert "https://media.school.example" in connect
    assert "wss://media.school.example" in connect
    assert "wss://umka.school.example" in connect


def _headers(path: str, user, content_type="text/html; charset=utf-8"):
    from django.http import HttpResponse
    from django.urls import resolve

    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return PrivacyHeadersMiddleware(
        lambda r: HttpResponse("x", content_type=content_type)
    )(request)


@pytest.mark.django_db
def test_camera_and_microphone_only_in_the_rooms():
    from django.contrib.auth.models import AnonymousUser

    room = _headers("/rooms/1/", AnonymousUser())["Permissions-Policy"]
    other = _headers("/requests/", AnonymousUser())["Permissions-Policy"]

    assert "camera=(self)" in room
    assert "microphone=(self)" in room
    assert "camera=()" in other
    assert "microphone=()" in other
    assert "display-capture=()" in other


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARENT, Role.TEACHER])
def test_signed_in_pages_are_private_and_not_stored(client, role):
    client.force_login(make_person(role))

    response = client.get("/")

    assert response.status_code == 200
    cache = response["Cache-Control"]
    assert "private" in cache
    assert "no-store" in cache
    assert "public" not in cache


@pytest.mark.django_db
def test_a_signed_in_download_is_private():
    user = make_person(Role.TEACHER)
    response = _headers("/requests/", user, content_type="application/pdf")
    assert "private" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
