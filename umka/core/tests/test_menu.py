"""The main menu comes from each app's policies: who sees which entry, per role."""

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.core import menu

pytestmark = pytest.mark.django_db

EVERYONE = ["home", "requests"]
EXPECTED = {
    Role.STUDENT: [
        *EVERYONE,
        *("bookings", "grades", "materials", "courses", "results", "forums"),
        *("ratings", "privacy"),
    ],
    Role.PARENT: [
        *EVERYONE,
        *("bookings", "grades", "materials", "courses", "results", "forums"),
        *("ratings", "privacy"),
    ],
    Role.TEACHER: [
        *EVERYONE,
        *("consultations", "bookings", "grades", "materials", "courses", "queue"),
        *("forums", "ratings", "privacy"),
    ],
    Role.STAFF: [
        *EVERYONE,
        *("consultations", "bookings", "materials", "ratings", "privacy"),
    ],
    Role.DEPUTY_HEAD: [
        *EVERYONE,
        *("consultations", "bookings", "grades", "materials", "courses", "queue"),
        *("forums", "schedules", "reports", "audit", "compliance", "ratings"),
        "privacy",
    ],
    Role.DIRECTOR: [
        *EVERYONE,
        *("consultations", "bookings", "grades", "materials", "courses", "queue"),
        *("forums", "schedules", "reports", "audit", "compliance", "ratings"),
        "privacy",
    ],
    Role.ADMINISTRATOR: [
        *EVERYONE,
        *("consultations", "bookings", "grades", "materials", "schedules"),
        *("reports", "audit", "compliance", "imports", "backoffice", "privacy"),
    ],
}


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_each_role_sees_the_entries_its_policies_allow(role):
    person = make_person(role)
    assert [link.key for link in menu.links_for(person)] == EXPECTED[role]


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_the_page_shows_the_menu_and_marks_the_current_section(client, role):
    person = make_person(role)
    client.force_login(person)
    html = client.get(reverse("home")).content.decode()
    for link in menu.links_for(person):
        assert f'href="{link.url}"' in html
    assert f'href="{reverse("home")}" aria-current="page"' in html


def test_a_signed_out_visitor_gets_no_menu():
    from django.contrib.auth.models import AnonymousUser

    assert menu.links_for(AnonymousUser()) == []


def test_an_inactive_person_is_not_offered_requests():
    person = make_person(Role.STUDENT, is_active=False)
    assert "requests" not in [link.key for link in menu.links_for(person)]


def test_the_current_section_is_the_longest_matching_link():
    person = make_person(Role.ADMINISTRATOR)
    links = menu.links_for(person, reverse("consultations:schedules") + "12/")
    assert [link.key for link in links if link.current] == ["schedules"]


def test_the_menu_runs_no_query_beyond_the_roles(django_assert_num_queries):
    person = make_person(Role.ADMINISTRATOR)
    assert person.roles  # loaded once per request with the user
    with django_assert_num_queries(0):
        menu.links_for(person)


def test_the_entries_addresses_are_worked_out_once(monkeypatch):
    """The menu is on every page: its addresses are reversed once per process,
    not per page (and stay right)."""
    person = make_person(Role.DEPUTY_HEAD)
    first = menu.links_for(person, "/")
    calls = []
    real = menu.reverse
    monkeypatch.setattr(menu, "reverse", lambda name: calls.append(name) or real(name))
    again = menu.links_for(person, "/")
    assert calls == []
    assert [link.url for link in again] == [link.url for link in first]
    assert all(
        link.url == reverse(e.url_name)
        for link in again
        for e in [menu._entries[link.key]]
    )
