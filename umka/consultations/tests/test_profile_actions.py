"""A teacher's profile tells a family what they may do with that person (issue 14):
write a request, and the teacher's upcoming consultations they attend."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.consultations.models import Consultation
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    SchoolFactory()
    s = small_school()
    planning_services.consultation_plan(
        actor=s.teacher,
        schedule=s.schedule,
        organiser=s.teacher,
        form=Consultation.Form.VIDEOCONFERENCE,
        subject=s.maths,
        classes=[s.class_7a],
        starts_on=TUESDAY,
        start_time=dt.time(15, 0),
        duration_minutes=45,
        recurrence=Consultation.Recurrence.WEEKLY,
    )
    schedule_services.schedule_submit(actor=s.deputy, schedule=s.schedule)
    schedule_services.schedule_approve(actor=s.director, schedule=s.schedule)
    return s


def profile(client, viewer, person) -> str:
    client.force_login(viewer)
    response = client.get(reverse("accounts:person", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_parent_sees_what_they_may_do_with_the_childs_teacher(client, school):
    page = profile(client, school.parent, school.teacher)
    assert 'id="profile-action-request"' in page
    assert 'id="profile-action-consultations"' in page
    assert reverse("consultations:detail", args=[Consultation.objects.get().pk]) in page


def test_another_family_sees_no_consultation_of_another_class(client, school):
    page = profile(client, school.other_parent, school.teacher)
    assert 'id="profile-action-consultations"' not in page


def test_ones_own_profile_offers_nothing_to_do_with_oneself(client, school):
    page = profile(client, school.teacher, school.teacher)
    assert 'id="profile-actions"' not in page
