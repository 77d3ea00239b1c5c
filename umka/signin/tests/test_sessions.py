"""«Where you are signed in»: rows written at sign-in and at most once a minute,
ending one session or all of them; nobody ends another person's session."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import PASSWORD, make_person
from umka.audit.models import AuditEntry
from umka.signin.models import SignedInSession
from umka.signin.sessions import SEEN_KEY

pytestmark = pytest.mark.django_db

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0 Safari/537.36"
)


def _browser(user, agent=CHROME) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR="10.0.0.7")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return client


def test_sign_in_records_session_and_page_lists_it():
    user = make_person(Role.PARENT)
    client = _browser(user)
    row = SignedInSession.objects.get(user=user)
    assert row.ip_address == "10.0.0.7"
    response = client.get(reverse("signin:security"))
    assert "Chrome, Windows" in response.content.decode()
    assert "10.0.0.7" in response.content.decode()


def test_last_seen_is_written_at_most_once_a_minute():
    user = make_person(Role.STUDENT)
    client = _browser(user)
    client.get(reverse("signin:security"))
    # Within the minute: no write; after it, one update.
    session = client.session
    session[SEEN_KEY] = time.time() - 61
    session.save()
    before = SignedInSession.objects.get(user=user).last_seen
    client.get(reverse("signin:security"))
    assert client.session[SEEN_KEY] > time.time() - 5
    assert SignedInSession.objects.get(user=user).last_seen >= before


def test_ending_one_session_signs_that_device_out():
    user = make_person(Role.TEACHER)
    laptop = _browser(user)
    phone = _browser(user, agent="Mozilla/5.0 (Linux; Android 14) Firefox/120.0")
    assert SignedInSession.objects.filter(user=user).count() == 2
    phone_row = SignedInSession.objects.get(user=user, user_agent__contains="Android")
    laptop.post(reverse("signin:session_end", args=[phone_row.pk]))
    assert phone.get("/").status_code == 302  # signed out
    assert laptop.get(reverse("signin:security")).status_code == 200
    assert AuditEntry.objects.filter(action="signin.session_ended").exists()


def test_sign_out_everywhere_ends_every_session():
    user = make_person(Role.PARENT)
    laptop, phone = _browser(user), _browser(user)
    response = laptop.post(reverse("signin:sessions_end_all"))
    assert response.url == reverse("accounts:login")
    for client in (laptop, phone):
        assert client.get(reverse("signin:security")).status_code == 302
    assert not SignedInSession.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="signin.sessions_ended").exists()


def test_nobody_ends_another_persons_session():
    owner, other = make_person(Role.PARENT), make_person(Role.DIRECTOR)
    owner_client = _browser(owner)
    row = SignedInSession.objects.get(user=owner)
    intruder = Client()
    intruder.force_login(other)
    response = intruder.post(reverse("signin:session_end", args=[row.pk]))
    assert response.status_code == 404
    assert owner_client.get(reverse("signin:security")).status_code == 200


def test_anonymous_is_sent_to_sign_in():
    client = Client()
    for name in ("signin:security", "signin:sessions_end_all"):
        assert client.post(reverse(name)).status_code == 302
    assert client.get(reverse("signin:security")).status_code == 302


def test_sign_out_forgets_the_session_row():
    user = make_person(Role.STUDENT)
    client = _browser(user)
    client.post(reverse("accounts:logout"))
    assert not SignedInSession.objects.filter(user=user).exists()


def test_a_seen_session_is_refreshed_with_one_update(clock):
    """The once-a-minute refresh runs inside whatever the person does (a booking
    rush too): one UPDATE, no transaction, no look-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_person(Role.STUDENT)
    client = _browser(user)
    session = client.session
    session[SEEN_KEY] = time.time() - 61
    session.save()
    row = SignedInSession.objects.get(user=user)
    clock.advance(minutes=2)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("signin:security"))
    touching = [q["sql"] for q in queries if "signin_signedinsession" in q["sql"]]
    assert touching[0].startswith("UPDATE")
    assert not any(sql.startswith("INSERT") for sql in touching)
    assert SignedInSession.objects.get(pk=row.pk).last_seen > row.last_seen
    assert SignedInSession.objects.filter(user=user).count() == 1
