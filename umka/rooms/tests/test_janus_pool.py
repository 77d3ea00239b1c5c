"""A pool of Janus hosts: a new media room goes to the least loaded one, with two
real Janus processes (Debian's `janus`, started from deploy/janus)."""

import json
import urllib.request

import pytest

from umka.consultations.models import Consultation
from umka.rooms import janus, services
from umka.rooms.tests.factories import approved_school, make_session
from umka.rooms.tests.janus_fixture import janus_pool  # noqa: F401 (fixture)


@pytest.fixture
def pool(settings, janus_pool):  # noqa: F811 (the imported fixture)
    settings.JANUS_POOL = [f"{s.url}|{s.admin_url}" for s in janus_pool]
    settings.JANUS_URL = ""
    settings.JANUS_ADMIN_SECRET = janus_pool[0].admin_secret
    return janus.hosts()


def _browser_sessions(host: janus.Host, count: int) -> list[int]:
    """`count` sessions on a host, as browsers hold them (webinar viewers too)."""
    ids = []
    for n in range(count):
        body = json.dumps({"janus": "create", "transaction": f"t{n}"}).encode()
        request = urllib.request.Request(host.url, data=body, method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            ids.append(json.loads(response.read())["data"]["id"])
    return ids


def _end(host: janus.Host, ids: list[int]) -> None:
    for session in ids:
        body = json.dumps({"janus": "destroy", "transaction": "t"}).encode()
        request = urllib.request.Request(  # noqa: S310
            f"{host.url}/{session}", data=body, method="POST"
        )
        urllib.request.urlopen(request, timeout=5).read()  # noqa: S310


def test_the_pool_comes_from_the_setting_and_falls_back_to_janus_url(settings):
    settings.JANUS_POOL = ["https://a/janus|http://10.0.0.1:7088/admin", "bad"]
    assert janus.hosts() == [
        janus.Host("https://a/janus", "http://10.0.0.1:7088/admin")
    ]
    settings.JANUS_POOL = []
    settings.JANUS_URL = "https://b/janus"
    settings.JANUS_ADMIN_URL = "http://127.0.0.1:7088/admin"
    assert janus.hosts() == [
        janus.Host("https://b/janus", "http://127.0.0.1:7088/admin")
    ]
    assert janus.host_for("") == janus.hosts()[0]  # a room from before the pool
    settings.JANUS_URL = ""
    assert not janus.is_configured()


def test_the_least_loaded_host_comes_first(pool):
    first, second = pool
    busy = _browser_sessions(first, 3)
    try:
        assert janus.load(first)[0] >= 3
        assert janus.by_load()[0] == second
        more = _browser_sessions(second, 6)
        try:
            assert janus.by_load()[0] == first
        finally:
            _end(second, more)
    finally:
        _end(first, busy)


def test_a_host_that_does_not_answer_is_tried_last(settings, pool):
    dead = janus.Host("http://127.0.0.1:9/janus", "http://127.0.0.1:9/admin")
    settings.JANUS_POOL = [f"{dead.url}|{dead.admin_url}"] + [
        f"{h.url}|{h.admin_url}" for h in pool
    ]
    assert janus.by_load()[-1] == dead


@pytest.mark.django_db
def test_webinars_are_placed_on_the_least_loaded_janus_and_destroyed_there(pool, clock):
    first, second = pool
    school = approved_school()
    busy = _browser_sessions(first, 4)  # a webinar's viewers on the first host
    try:
        room = services.room_for_occurrence(
            make_session(school, form=Consultation.Form.WEBINAR)
        )
        assert room.transport == "janus"
        assert room.janus_host == second.admin_url
        assert janus.room_exists(room.janus_room, host=second)
        assert not janus.room_exists(room.janus_room, host=first)
    finally:
        _end(first, busy)
    other = services.room_for_occurrence(
        make_session(school, form=Consultation.Form.WEBINAR)
    )
    # The second host now holds a room, the first none: the next goes there.
    assert other.janus_host == first.admin_url
    services.release_media_server(room)
    assert not janus.room_exists(room.janus_room, host=second)
    services.release_media_server(other)
    assert not janus.room_exists(other.janus_room, host=first)


@pytest.mark.django_db
def test_when_the_chosen_host_refuses_the_next_one_is_used(
    settings, pool, clock, monkeypatch
):
    dead = janus.Host("http://127.0.0.1:9/janus", "http://127.0.0.1:9/admin")
    settings.JANUS_POOL = [f"{h.url}|{h.admin_url}" for h in (dead, pool[0])]
    # Dead at the moment of creating, though it answered the load question.
    monkeypatch.setattr(janus, "by_load", lambda: [dead, pool[0]])
    school = approved_school()
    room = services.room_for_occurrence(
        make_session(school, form=Consultation.Form.WEBINAR)
    )
    assert room.transport == "janus"
    assert room.janus_host == pool[0].admin_url
    assert janus.room_exists(room.janus_room, host=pool[0])
    services.release_media_server(room)
