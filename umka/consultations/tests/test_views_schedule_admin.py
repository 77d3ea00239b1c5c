"""The back office shows schedules, versions, authorities and sessions, and
changes none of them: every change goes through the services (R8, R13)."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.consultations.models import (
    ApprovalDelegation,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import TUESDAY, small_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    school = small_school()
    planning_services.consultation_plan(
        actor=school.teacher,
        schedule=school.schedule,
        organiser=school.teacher,
        form=Consultation.Form.CHAT,
        subject=school.maths,
        classes=[school.class_7a],
        starts_on=TUESDAY,
        start_time=dt.time(15, 0),
        duration_minutes=45,
    )
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    schedule_services.schedule_approve(actor=school.director, schedule=school.schedule)
    schedule_services.approval_delegate(
        actor=school.director, deputy=school.deputy, valid_from=dt.date(2026, 11, 1)
    )
    return school


def _objects():
    return {
        "scheduledocument": ScheduleDocument.objects.get(),
        "scheduleversion": ScheduleVersion.objects.get(),
        "approvaldelegation": ApprovalDelegation.objects.get(),
        "consultation": Consultation.objects.get(),
        "occurrence": Occurrence.objects.get(),
    }


def _url(model, view="changelist", *args):
    return reverse(f"admin:consultations_{model}_{view}", args=args)


@pytest.mark.requirement("R13")
def test_administrator_views_every_consultation_record_read_only(client, approved):
    client.force_login(make_person(Role.ADMINISTRATOR))
    for model, obj in _objects().items():
        listing = client.get(_url(model))
        assert listing.status_code == 200, model
        assert _url(model, "add").encode() not in listing.content, model
        view = client.get(_url(model, "change", obj.pk))
        assert view.status_code == 200, model
        assert b'name="_save"' not in view.content, model
        assert client.get(_url(model, "add")).status_code == 403, model
        assert client.get(_url(model, "delete", obj.pk)).status_code == 403, model


def test_schedule_in_the_back_office_links_to_its_page(client, approved):
    client.force_login(make_person(Role.ADMINISTRATOR))
    schedule = approved.schedule
    response = client.get(_url("scheduledocument", "change", schedule.pk))
    assert response.status_code == 200
    link = reverse("consultations:schedule", args=[schedule.pk])
    assert f'href="{link}"'.encode() in response.content


def test_saving_through_the_back_office_changes_nothing(client, approved):
    client.force_login(make_person(Role.ADMINISTRATOR))
    schedule = approved.schedule
    response = client.post(
        _url("scheduledocument", "change", schedule.pk),
        {"status": "draft", "order_number": "X"},
    )
    assert response.status_code == 403
    schedule.refresh_from_db()
    assert schedule.status == ScheduleDocument.Status.APPROVED
    assert schedule.order_number == ""


@pytest.mark.parametrize("role", [Role.DEPUTY_HEAD, Role.DIRECTOR, Role.TEACHER])
def test_back_office_is_for_the_administrator_only(client, approved, role):
    client.force_login(make_person(role))
    for model in _objects():
        assert client.get(_url(model)).status_code == 404
