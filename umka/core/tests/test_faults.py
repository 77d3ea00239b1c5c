"""Faults survived (issue 15, item 12): Redis away is a cache miss, sessions stand
on the database, a task the queue refused waits in the outbox, and a database that
cannot answer gets a retryable 503, not a 500."""

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from redis.exceptions import ConnectionError as RedisConnectionError

from umka.bookings.tests.factories import booking_school, open_window, slots
from umka.core import outbox, views
from umka.core.cache import FailSoftRedisCache
from umka.core.models import PendingTask

#: Nothing listens on port 1: every connection is refused at once.
NO_REDIS = "redis://127.0.0.1:1/12"


@pytest.fixture
def no_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "umka.core.cache.FailSoftRedisCache",
            "LOCATION": NO_REDIS,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_a_cache_without_redis_is_a_miss_and_writes_do_nothing():
    cache = FailSoftRedisCache(NO_REDIS, {})
    assert cache.get("school", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("school") is False
    cache.set("school", {"name": "СОШ № 17"}, 30)  # no exception
    assert cache.add("school", 1) is False
    assert cache.delete("school") is False
    cache.delete_many(["a"])
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")


def test_a_cache_whose_client_raises_logs_once_and_answers_again(monkeypatch, caplog):
    cache = FailSoftRedisCache(NO_REDIS, {})
    store = {}

    class Client:
        broken = True

        def get(self, key):
            if self.broken:
                raise RedisConnectionError("Connection reset by peer")
            return store.get(key)

        def set(self, key, value, **kwargs):
            if self.broken:
                raise RedisConnectionError("Connection reset by peer")
            store[key] = value

    client = Client()
    monkeypatch.setattr(cache._cache, "get_client", lambda *a, **k: client)
    caplog.set_level("WARNING", logger="umka.core.cache")
    for _ in range(3):
        assert cache.get("k") is None
        cache.set("k", 1)
    assert len([r for r in caplog.records if "unreachable" in r.message]) == 1
    client.broken = False
    cache.set("k", 7)
    assert cache.get("k") == 7
    assert any("answers again" in r.message for r in caplog.records)


@pytest.mark.django_db
def test_signed_in_pages_answer_without_redis(client, no_redis_cache, clock):
    school = booking_school()
    open_window(school)
    client.force_login(school.parent)
    for url in (reverse("home"), reverse("bookings:mine")):
        assert client.get(url).status_code == 200, url
    # The session is the database's: the next request is still signed in.
    assert client.get(reverse("bookings:mine")).status_code == 200


@pytest.mark.django_db
def test_a_booking_is_made_without_redis(client, no_redis_cache, clock):
    school = booking_school()
    slot = slots(open_window(school))[0]
    client.force_login(school.parent)
    response = client.post(
        reverse("bookings:book", args=[slot.pk]),
        {"student": school.student.pk, "note": "Дроби"},
    )
    assert response.status_code in (200, 302), response.content.decode()[:500]
    assert slot.bookings.count() == 1


# --- The outbox ----------------------------------------------------------------------


@pytest.fixture
def queue_down(monkeypatch):
    """Huey's enqueue raises as RedisHuey's does with Redis stopped."""
    state = {"down": True}
    real = HUEY.enqueue

    def enqueue(task):
        if state["down"]:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        return real(task)

    monkeypatch.setattr(HUEY, "enqueue", enqueue)
    return state


@pytest.mark.django_db
def test_a_refused_task_waits_in_the_outbox_and_is_queued_when_the_queue_is_back(
    queue_down, django_capture_on_commit_callbacks
):
    from umka.imports import services
    from umka.imports.models import ImportJob
    from umka.imports.tests.helpers import csv_bytes, make_admin
    from umka.school.tests.factories import AcademicYearFactory, SchoolClassFactory

    year = AcademicYearFactory()
    SchoolClassFactory(year=year, grade=7, letter="А")
    data = csv_bytes(
        [
            ["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс", "Логин"],
            ["Иванова", "Мария", "Петровна", "17.05.2013", "7А", ""],
        ]
    )
    # The upload stands although the queue refused its task…
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            actor=make_admin(),
            kind="students",
            file_name="students.csv",
            data=data,
            year=year,
            options={},
            dry_run=False,
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    pending = PendingTask.objects.get()
    assert pending.task == "umka.imports.tasks:run_import"
    assert pending.args == [job.pk]
    assert "111" in pending.last_error
    # …a drain while the queue is still away keeps it…
    assert outbox.drain() == 0
    assert PendingTask.objects.get().attempts == 1
    # …and once the queue is back the task runs and leaves the outbox.
    queue_down["down"] = False
    assert outbox.drain() == 1
    assert not PendingTask.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors


@pytest.mark.django_db
def test_a_delayed_task_keeps_its_time_in_the_outbox(queue_down):
    import datetime as dt

    from django.utils import timezone

    from umka.notifications import tasks

    later = timezone.now() + dt.timedelta(hours=2)
    assert outbox.enqueue(tasks.deliver_email, 41, eta=later) is False
    pending = PendingTask.objects.get()
    assert (pending.task, pending.args, pending.eta) == (
        "umka.notifications.tasks:deliver_email",
        [41],
        later,
    )
    queue_down["down"] = False
    scheduled = []
    real = tasks.deliver_email.schedule
    tasks_schedule = lambda args, eta: scheduled.append((args, eta))  # noqa: E731
    try:
        tasks.deliver_email.schedule = tasks_schedule
        assert outbox.drain() == 1
    finally:
        tasks.deliver_email.schedule = real
    assert scheduled == [((41,), later)]


# --- The database away: 503, retryable -----------------------------------------------


def test_a_database_error_answers_503_with_retry_after():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Ничего не сохранено" in text
    assert "Traceback" not in text


def test_another_error_is_still_a_500():
    try:
        raise KeyError("x")
    except KeyError:
        response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500


@pytest.mark.django_db
def test_a_page_whose_database_is_away_answers_503(monkeypatch, clock):
    from django.contrib.sessions.backends.db import SessionStore

    school = booking_school()
    browser = Client(raise_request_exception=False)
    browser.force_login(school.parent)

    def away(self):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", away)
    response = browser.get(reverse("bookings:mine"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
