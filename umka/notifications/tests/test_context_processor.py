"""The unread count in the header of every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_parent, make_person
from umka.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:password_change")  # any page on base.html


def _notification_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "notifications_notification" in q["sql"]]


def test_header_shows_the_unread_count_with_one_count_query(client, school):
    parent = make_parent()
    NotificationFactory.create_batch(3, recipient=parent)
    NotificationFactory(recipient=parent, read_at="2030-03-12T09:00:00Z")
    NotificationFactory.create_batch(2)  # someone else's
    client.force_login(parent)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)

    (sql,) = _notification_queries(queries)
    assert "COUNT(" in sql.upper()
    content = response.content.decode()
    assert 'aria-label="Уведомления, непрочитанных: 3"' in content
    assert '<span class="notification-count">3</span>' in content
    assert f'href="{reverse("notifications:list")}"' in content


def test_header_without_unread_notices(client, school):
    client.force_login(make_person(Role.TEACHER))

    content = client.get(PAGE).content.decode()

    assert 'aria-label="Уведомления, непрочитанных нет"' in content
    assert "notification-count" not in content


def test_header_in_english(client, school):
    person = make_person(Role.TEACHER)
    NotificationFactory.create_batch(2, recipient=person)
    client.force_login(person)
    client.cookies["django_language"] = "en"

    content = client.get(PAGE).content.decode()

    assert 'aria-label="Notifications, unread: 2"' in content


def test_anonymous_pages_count_nothing(client, school):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert _notification_queries(queries) == []
    assert "notification-link" not in response.content.decode()


def test_the_centre_reuses_the_header_count(client, school):
    person = make_parent()
    NotificationFactory.create_batch(2, recipient=person)
    client.force_login(person)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("notifications:list"))

    counts = [
        sql
        for sql in _notification_queries(queries)
        if "read_at" in sql and "IS NULL" in sql.upper()
    ]
    assert len(counts) == 1
