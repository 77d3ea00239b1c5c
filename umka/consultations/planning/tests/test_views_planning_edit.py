"""Changing a saved consultation (issue 14, item 8): reachable from «My
consultations» and the consultation's page; what it is and for whom change, the
sessions' dates stay; once the schedule is approved the change is an amendment
with a reason (R8); the rules are checked again (R10)."""

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.consultations.models import Consultation
from umka.consultations.planning.tests.test_views_planning import (
    approve,
    as_user,
    page,
    plan,
    state,
)
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import small_school
from umka.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return small_school()


def edit_data(school, **overrides) -> dict:
    data = {
        "subject": str(school.maths.pk),
        "classes": [str(school.class_7a.pk)],
        "form": Consultation.Form.VIDEOCONFERENCE,
        "volume": Consultation.Volume.OVERVIEW,
        "topics": "",
        "purpose": Consultation.Purpose.ONGOING,
        "description": "Новое описание",
        "how_to_join": "https://meet.example.org/new",
    }
    data.update(overrides)
    return data


def test_the_edit_is_reachable_from_my_consultations_and_the_page(client, school):
    consultation = plan(school, description="Старое описание")
    url = reverse("consultations:edit", args=[consultation.pk])
    as_user(client, school.teacher)
    assert f'href="{url}"' in page(client.get(reverse("consultations:mine")))
    assert f'href="{url}"' in page(
        client.get(reverse("consultations:detail", args=[consultation.pk]))
    )
    html = page(client.get(url))
    assert "Старое описание" in html  # the form opens with what is saved
    assert 'name="starts_on"' not in html  # dates stay: sessions move one by one
    assert 'id="pick-students"' in html


def test_a_draft_consultation_is_changed_without_a_reason(client, school):
    consultation = plan(school)
    first = consultation.occurrences.get().starts_at
    response = as_user(client, school.teacher).post(
        reverse("consultations:edit", args=[consultation.pk]),
        edit_data(school, classes=[], students=[str(school.student.pk)]),
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.description == "Новое описание"
    assert list(consultation.audience_classes.all()) == []
    assert list(consultation.audience_students.all()) == [school.student]
    assert consultation.occurrences.get().starts_at == first
    event = AuditEntry.objects.filter(action="consultations.changed").get()
    assert event.actor == school.teacher
    school.schedule.refresh_from_db()
    assert school.schedule.version == 0  # a draft: no amendment


@pytest.mark.requirement("R10")
def test_the_rules_are_checked_again(client, school):
    consultation = plan(school)
    before = state()
    response = as_user(client, school.teacher).post(
        reverse("consultations:edit", args=[consultation.pk]),
        edit_data(school, volume=Consultation.Volume.TOPICAL, topics=" "),
    )
    assert response.status_code == 200
    assert "должны быть указаны темы" in page(response)
    assert state() == before


@pytest.mark.requirement("R8")
def test_once_approved_the_change_is_an_amendment_with_a_reason(client, school):
    consultation = plan(school)
    approve(school)
    before = state()
    url = reverse("consultations:edit", args=[consultation.pk])
    as_user(client, school.teacher)
    assert 'name="reason"' in page(client.get(url))
    response = client.post(url, edit_data(school))
    assert response.status_code == 200
    assert "каждое изменение вносится" in page(response)
    assert state() == before
    response = client.post(
        url, edit_data(school, classes=[str(school.class_7b.pk)], reason="Замена")
    )
    assert response.status_code == 302
    school.schedule.refresh_from_db()
    assert school.schedule.version == 2
    assert school.schedule.versions.last().reason == "Замена"
    told = set(Notification.objects.values_list("recipient", flat=True))
    # Those of the audience before (7А) and after (7Б) hear about it.
    assert {school.student.pk, school.other_student.pk} <= told


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 404),
        ("parent", 404),
        ("other_teacher", 404),
        ("administrator", 404),
        ("teacher", 302),
        ("deputy", 302),
    ],
)
def test_edit_role_matrix(client, school, name, status):
    consultation = plan(school)
    user = (
        make_person(Role.ADMINISTRATOR)
        if name == "administrator"
        else getattr(school, name)
    )
    url = reverse("consultations:edit", args=[consultation.pk])
    as_user(client, user)
    assert client.get(url).status_code == (200 if status == 302 else 404)
    before = state()
    response = client.post(url, edit_data(school))
    assert response.status_code == status
    if status == 404:
        assert state() == before
    else:
        consultation.refresh_from_db()
        assert consultation.description == "Новое описание"


def test_a_submitted_schedule_is_not_changed_by_a_teacher(client, school):
    consultation = plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    before = state()
    url = reverse("consultations:edit", args=[consultation.pk])
    as_user(client, school.teacher)
    assert 'href="' + url not in page(client.get(reverse("consultations:mine")))
    response = client.post(url, edit_data(school))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "consultations:detail", args=[consultation.pk]
    )
    assert state() == before


def test_the_field_lists_of_the_edit_form(client, school):
    consultation = plan(school, classes=[], students=[school.student])
    as_user(client, school.teacher)
    html = page(
        client.get(
            reverse("consultations:plan_fields"),
            {"consultation": consultation.pk, "classes": [school.class_7a.pk]},
        )
    )
    assert school.student.full_name in html
    as_user(client, school.other_teacher)
    response = client.get(
        reverse("consultations:plan_fields"), {"consultation": consultation.pk}
    )
    assert response.status_code == 404
