import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R14")]

URL = reverse("compliance:report")


@pytest.mark.parametrize(
    ("roles", "superuser", "status"),
    [
        ((Role.STUDENT,), False, 404),
        ((Role.PARENT,), False, 404),
        ((Role.TEACHER,), False, 404),
        ((Role.UNIT_HEAD,), False, 404),
        ((Role.STAFF,), False, 404),
        ((Role.DEPUTY_HEAD,), False, 200),
        ((Role.ADMINISTRATOR,), False, 200),
        ((Role.DIRECTOR,), False, 200),
        ((), True, 200),
    ],
)
@pytest.mark.parametrize("query", ["", "?format=json"])
def test_the_report_is_open_to_the_administration_only(
    client, roles, superuser, status, query
):
    client.force_login(make_person(*roles, is_superuser=superuser))

    response = client.get(URL + query)

    assert response.status_code == status


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_shows_every_requirement_and_the_menu_leads_to_it(client):
    director = make_person(Role.DIRECTOR)
    client.force_login(director)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)

    page = response.content.decode()
    for n in range(1, 15):
        assert f'<tr id="R{n}">' in page
    assert "3.8. Педагогическому работнику" in page
    assert f'href="{URL}"' in page
    assert "<script>" not in page
    # Reading the test files costs no query: only the session, the user and the
    # page's frame (menu, notifications).
    assert len(queries) <= 8


def test_json_gives_the_same_data(client):
    client.force_login(make_person(Role.DEPUTY_HEAD))

    data = client.get(URL + "?format=json").json()

    assert [r["id"] for r in data["requirements"]] == [f"R{n}" for n in range(1, 15)]
    assert data["unproved"] == []


def test_nobody_can_post(client):
    client.force_login(make_person(Role.DIRECTOR))

    assert client.post(URL).status_code == 405
