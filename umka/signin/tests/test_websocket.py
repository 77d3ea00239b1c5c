"""The live rooms' and forums' WebSocket asks for the second factor as the pages
do: who owes one (a role that requires it, a session not verified with it) is
accepted and closed with 4404 before any consumer runs."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.signin.websocket import NOT_ALLOWED, TwoFactorGuard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """Channels closes «old» database connections around each sync call; in a test
    the connection holds the test's transaction (PostgreSQL would lose it)."""
    import channels.db

    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True  # the root conftest turns it off
    return settings


class Inner:
    """A consumer that says it ran."""

    def __init__(self):
        self.ran = False

    async def __call__(self, scope, receive, send):
        self.ran = True
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "inside"})


def _session(device=None) -> SessionStore:
    session = SessionStore()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    return session


def _open(user, session) -> tuple[bool, dict | None, bool]:
    """(connected, the first frame or close, whether the consumer ran)."""
    inner = Inner()

    async def go():
        communicator = WebsocketCommunicator(TwoFactorGuard(inner), "/ws/rooms/1/")
        communicator.scope["user"] = user
        communicator.scope["session"] = session
        connected, _ = await communicator.connect()
        first = await communicator.receive_output(timeout=2) if connected else None
        await communicator.disconnect()
        return connected, first

    connected, first = async_to_sync(go)()
    return connected, first, inner.ran


def test_a_deputy_whose_session_is_not_verified_gets_no_websocket(two_factor_on):
    deputy = make_person(Role.DEPUTY_HEAD)
    connected, first, ran = _open(deputy, _session())
    assert connected
    assert first == {"type": "websocket.close", "code": NOT_ALLOWED}
    assert not ran


def test_a_verified_deputy_gets_the_consumer(two_factor_on):
    deputy = make_person(Role.DEPUTY_HEAD)
    device = TOTPDevice.objects.create(user=deputy, name="Телефон", confirmed=True)
    connected, first, ran = _open(deputy, _session(device))
    assert ran
    assert first == {"type": "websocket.send", "text": "inside"}


def test_another_persons_device_does_not_verify_a_session(two_factor_on):
    deputy = make_person(Role.DEPUTY_HEAD)
    other = make_person(Role.DEPUTY_HEAD)
    device = TOTPDevice.objects.create(user=other, name="Чужой", confirmed=True)
    _connected, first, ran = _open(deputy, _session(device))
    assert first == {"type": "websocket.close", "code": NOT_ALLOWED}
    assert not ran


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARENT, Role.TEACHER])
def test_roles_without_a_required_second_factor_are_let_through(two_factor_on, role):
    _connected, first, ran = _open(make_person(role), _session())
    assert ran
    assert first["type"] == "websocket.send"


def test_anonymous_is_left_to_the_consumer(two_factor_on):
    _connected, _first, ran = _open(AnonymousUser(), _session())
    assert ran


def test_with_the_requirement_off_nobody_is_stopped(settings):
    settings.TWO_FACTOR_REQUIRED = False
    _connected, _first, ran = _open(make_person(Role.DEPUTY_HEAD), _session())
    assert ran
