"""umka.rooms.janus against a real Janus started from deploy/janus (no database)."""

import secrets

import pytest

from umka.rooms import janus
from umka.rooms.tests.janus_fixture import janus_server  # noqa: F401 (fixture)


@pytest.fixture
def admin(settings, janus_server):  # noqa: F811 (the imported fixture)
    settings.JANUS_URL = janus_server.url
    settings.JANUS_ADMIN_URL = janus_server.admin_url
    settings.JANUS_ADMIN_SECRET = janus_server.admin_secret
    return janus_server


def _room_id() -> int:
    return secrets.randbelow(2**31) + 1


def test_is_configured_follows_janus_url(settings):
    settings.JANUS_URL = ""
    assert not janus.is_configured()
    settings.JANUS_URL = "http://127.0.0.1:8088/janus"
    assert janus.is_configured()


def test_create_exists_duplicate_destroy(admin):
    room = _room_id()
    secret, pin = secrets.token_urlsafe(16), secrets.token_urlsafe(8)
    assert not janus.room_exists(room)

    janus.create_room(
        room, secret=secret, pin=pin, description="Консультация 9А", publishers=6
    )
    assert janus.room_exists(room)

    with pytest.raises(janus.JanusError, match="already exists") as raised:
        janus.create_room(
            room, secret=secret, pin=pin, description="again", publishers=6
        )
    assert raised.value.code == janus.ROOM_EXISTS

    with pytest.raises(janus.JanusError, match="wrong secret"):
        janus.destroy_room(room, secret="not-the-secret")
    assert janus.room_exists(room)

    janus.destroy_room(room, secret=secret)
    assert not janus.room_exists(room)

    with pytest.raises(janus.JanusError) as raised:
        janus.destroy_room(room, secret=secret)
    assert raised.value.code == janus.NO_SUCH_ROOM


def test_wrong_admin_secret_is_refused(admin, settings):
    settings.JANUS_ADMIN_SECRET = "not-the-admin-secret"
    with pytest.raises(janus.JanusError, match="Unauthorized") as raised:
        janus.room_exists(_room_id())
    assert raised.value.code == 403
    with pytest.raises(janus.JanusError):
        janus.create_room(
            _room_id(), secret="s", pin="p", description="x", publishers=1
        )


def test_wrong_videoroom_admin_key_is_refused(admin, settings):
    """deploy/janus sets the VideoRoom admin_key: only Umka may create rooms."""
    settings.JANUS_VIDEOROOM_ADMIN_KEY = "not-the-key"
    with pytest.raises(janus.JanusError, match="admin_key"):
        janus.create_room(
            _room_id(), secret="s", pin="p", description="x", publishers=1
        )


def test_unreachable_janus_raises_clearly(settings):
    from umka.rooms.tests.janus_fixture import free_port

    settings.JANUS_ADMIN_URL = f"http://127.0.0.1:{free_port()}/admin"
    settings.JANUS_ADMIN_SECRET = "whatever"
    with pytest.raises(janus.JanusError, match="unreachable"):
        janus.room_exists(1)
