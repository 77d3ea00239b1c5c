"""Personal data pages: role matrix (anonymous, student, other student, parent,
other parent, teacher, deputy, administrator), nothing changed when refused,
every export audited, and the consent page's query count pinned."""

import json

import pytest
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.privacy import services
from umka.privacy.models import Consent

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "student",
    "other_student",
    "parent",
    "other_parent",
    "teacher",
    "deputy",
    "administrator",
]


def as_(client, school, role):
    if role != "anonymous":
        client.force_login(getattr(school, role))
    return client


#: Who may export the student's data: themself, their parent, the administration
#: that answers requests (administrator; the director too, not in the matrix).
EXPORT_STATUS = {
    "anonymous": 302,
    "student": 200,
    "other_student": 404,
    "parent": 200,
    "other_parent": 404,
    "teacher": 404,
    "deputy": 404,
    "administrator": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_export_of_the_students_data_by_role(client, school, role):
    url = reverse("privacy:export_json", args=[school.student.pk])
    response = as_(client, school, role).get(url)
    assert response.status_code == EXPORT_STATUS[role]
    exported = AuditEntry.objects.filter(action="privacy.exported")
    if response.status_code == 200:
        document = json.loads(response.content)
        assert document["person"]["last_name"] == "Смирнов"
        assert exported.get().target_id == str(school.student.pk)
    else:
        assert not exported.exists()


@pytest.mark.parametrize("role", ROLES)
def test_readable_export_by_role(client, school, role):
    url = reverse("privacy:export_html", args=[school.student.pk])
    response = as_(client, school, role).get(url)
    assert response.status_code == EXPORT_STATUS[role]


def test_the_export_holds_the_persons_records_and_a_parents_children(client, school):
    from umka.requests.tests.factories import write

    write(school)
    client.force_login(school.parent)
    response = client.get(reverse("privacy:export_json", args=[school.parent.pk]))
    document = json.loads(response.content)
    request = document["records"]["requests.Request"]["rows"][0]
    assert request["as"] == ["author"]
    assert "переносить слагаемые" in request["text"]
    assert [c["person"]["id"] for c in document["children"]] == [school.student.pk]
    child = document["children"][0]
    assert child["records"]["requests.Request"]["rows"][0]["as"] == ["student"]
    assert "school.Enrolment" in child["records"]
    page = client.get(reverse("privacy:export_html", args=[school.parent.pk]))
    assert "переносить слагаемые" in page.content.decode()


def test_a_parent_no_longer_exports_an_adult_childs_data(client, school):
    import datetime as dt

    school.student.birth_date = dt.date(2008, 1, 1)
    school.student.save()
    client.force_login(school.parent)
    url = reverse("privacy:export_json", args=[school.student.pk])
    assert client.get(url).status_code == 404


CONSENT_STATUS = {
    "anonymous": 302,
    "student": 404,  # a minor: the parent consents
    "other_student": 404,
    "parent": 302,
    "other_parent": 404,
    "teacher": 404,
    "deputy": 404,
    "administrator": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_consent_for_the_student_by_role(client, school, role):
    url = reverse("privacy:consent", args=[school.student.pk])
    response = as_(client, school, role).post(url, {"action": "give"})
    assert response.status_code == CONSENT_STATUS[role]
    assert Consent.objects.filter(subject=school.student).exists() == (role == "parent")


def test_withdrawal_through_the_page(client, school):
    services.consent_give(actor=school.parent, subject=school.student)
    client.force_login(school.parent)
    client.post(
        reverse("privacy:consent", args=[school.student.pk]), {"action": "withdraw"}
    )
    assert not services.has_consent(school.student)
    page = client.get(reverse("privacy:index")).content.decode()
    assert 'data-consent="missing"' in page


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_page_opens_for_everyone_signed_in(client, school, role):
    response = as_(client, school, role).get(reverse("privacy:index"))
    assert response.status_code == 200


def test_the_page_states_what_works_without_consent(client, school):
    client.force_login(school.parent)
    page = client.get(reverse("privacy:index")).content.decode()
    assert "Без согласия нельзя записаться" in page
    assert "Без согласия доступны расписание" in page
    assert page.count('data-consent="missing"') == 2
    assert "Я даю согласие образовательной организации" in page


def test_the_consent_page_query_count(client, school, django_assert_max_num_queries):
    client.force_login(school.parent)
    with django_assert_max_num_queries(25):
        client.get(reverse("privacy:index"))


ADMIN_STATUS = {
    "anonymous": 302,
    "student": 404,
    "other_student": 404,
    "parent": 404,
    "other_parent": 404,
    "teacher": 404,
    "deputy": 404,
    "administrator": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_administrations_page_for_a_person(client, school, role):
    url = reverse("privacy:person", args=[school.student.pk])
    assert as_(client, school, role).get(url).status_code == ADMIN_STATUS[role]


@pytest.mark.parametrize("role", ROLES)
def test_anonymising_by_role(client, school, role):
    school.classmate.is_active = False
    school.classmate.save()
    url = reverse("privacy:anonymise", args=[school.classmate.pk])
    response = as_(client, school, role).post(url, {"confirm": "1"})
    school.classmate.refresh_from_db()
    if role == "administrator":
        assert response.status_code == 302
        assert school.classmate.last_name == "Бывший пользователь"
    else:
        assert response.status_code in (302, 404)
        assert school.classmate.last_name == "Волкова"
