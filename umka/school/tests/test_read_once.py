"""The school's settings are read from the cache once per request, and a change
within the request is seen at once."""

import pytest
from django.core.cache import cache

from umka.school import selectors
from umka.school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _counting_gets(monkeypatch) -> list:
    """The keys the school's selectors ask the cache for."""
    calls = []

    class Counting:
        def get(self, key, *args, **kwargs):
            calls.append(key)
            return cache.get(key, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(cache, name)

    monkeypatch.setattr(selectors, "cache", Counting())
    return calls


def test_inside_a_request_the_school_is_read_once(monkeypatch):
    school = SchoolFactory(short_name="Гимназия")
    selectors.forget_cached_school()
    calls = _counting_gets(monkeypatch)
    with selectors.read_once():
        assert selectors.current_school() == school
        assert selectors.current_school_time_zone() == school.time_zone
        assert selectors.current_school().short_name == "Гимназия"
    assert len(calls) == 1
    # Outside a request (a task, a command) each call asks the cache.
    selectors.current_school()
    selectors.current_school()
    assert len(calls) == 3


def test_a_change_inside_the_request_is_seen_at_once():
    SchoolFactory(short_name="Старое имя")
    selectors.forget_cached_school()
    with selectors.read_once():
        school = selectors.current_school()
        school.short_name = "Новое имя"
        school.save()  # the model forgets the cached school
        assert selectors.current_school().short_name == "Новое имя"


def test_no_school_yet_is_remembered_too(monkeypatch):
    selectors.forget_cached_school()
    calls = _counting_gets(monkeypatch)
    with selectors.read_once():
        assert selectors.current_school() is None
        assert selectors.current_school() is None
    assert len(calls) == 1


def test_every_page_reads_the_school_once(client, monkeypatch):
    SchoolFactory()
    selectors.forget_cached_school()
    calls = _counting_gets(monkeypatch)
    client.get("/schedule/")
    assert calls.count("umka:school:v1") == 1
