"""Consent (152-ФЗ, ст. 9): a parent for themself and each minor child, an adult
student for themself; without it bookings, requests and submissions are refused
with a clear message; withdrawal has that effect again."""

import datetime as dt

import pytest

from umka.accounts.models import Role
from umka.accounts.tests.factories import ParentLinkFactory, make_parent
from umka.audit.models import AuditEntry
from umka.bookings.models import Booking
from umka.bookings.tests.factories import TUESDAY, booking_school, open_window, slots
from umka.core.errors import DomainError
from umka.privacy import policies, services, texts
from umka.privacy.models import Consent
from umka.requests.models import Request
from umka.requests.tests.factories import write

pytestmark = pytest.mark.django_db


def test_parent_consents_for_themself_and_their_minor_child(school):
    assert policies.consent_subjects_for(school.parent) == [
        school.parent,
        school.student,
    ]
    services.consent_give(actor=school.parent, subject=school.parent)
    consent = services.consent_give(actor=school.parent, subject=school.student)
    assert consent.given_by == school.parent
    assert consent.text_version == texts.current().version
    assert consent.given_at is not None
    assert consent.withdrawn_at is None
    assert AuditEntry.objects.filter(action="privacy.consent_given").count() == 2


def test_giving_consent_twice_keeps_one_active(school):
    first = services.consent_give(actor=school.parent, subject=school.student)
    again = services.consent_give(actor=school.parent, subject=school.student)
    assert first.pk == again.pk
    assert Consent.objects.filter(subject=school.student).count() == 1


@pytest.mark.parametrize(
    "actor", ["other_parent", "student", "teacher", "administrator"]
)
def test_nobody_else_consents_for_a_minor_child(school, actor):
    with pytest.raises(DomainError):
        services.consent_give(actor=getattr(school, actor), subject=school.student)
    assert not Consent.objects.exists()


def test_an_adult_student_consents_for_themself_and_the_parent_no_longer(school):
    school.student.birth_date = dt.date(2008, 1, 1)
    school.student.save()
    assert policies.consent_subjects_for(school.student) == [school.student]
    assert school.student not in policies.consent_subjects_for(school.parent)
    with pytest.raises(DomainError):
        services.consent_give(actor=school.parent, subject=school.student)
    services.consent_give(actor=school.student, subject=school.student)
    assert services.has_consent(school.student)


def test_an_unverified_parent_may_not_consent(school):
    stranger = make_parent()
    ParentLinkFactory(parent=stranger, student=school.classmate, verified_at=None)
    assert policies.consent_subjects_for(stranger) == [stranger]
    with pytest.raises(DomainError):
        services.consent_give(actor=stranger, subject=school.classmate)


def test_staff_need_no_consent(school):
    assert not policies.needs_consent(school.teacher)
    assert policies.consent_subjects_for(school.teacher) == []


def test_a_request_needs_consent_for_the_child_and_the_parent(school, consent_required):
    with pytest.raises(DomainError) as refused:
        write(school)
    assert refused.value.code == "no_consent"
    assert school.student.full_name in refused.value.messages[0]
    assert "Персональные данные" in refused.value.messages[0]
    services.consent_give(actor=school.parent, subject=school.student)
    with pytest.raises(DomainError):
        write(school)  # the parent's own consent is missing still
    services.consent_give(actor=school.parent, subject=school.parent)
    assert write(school).pk
    assert Request.objects.count() == 1


def test_withdrawal_refuses_new_requests_and_keeps_the_old(school, consent_required):
    services.consent_give(actor=school.parent, subject=school.parent)
    services.consent_give(actor=school.parent, subject=school.student)
    first = write(school)
    withdrawn = services.consent_withdraw(actor=school.parent, subject=school.student)
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_by == school.parent
    with pytest.raises(DomainError):
        write(school, topic="Другая тема")
    assert list(Request.objects.all()) == [first]
    assert AuditEntry.objects.filter(action="privacy.consent_withdrawn").count() == 1


def test_the_gate_is_off_when_the_setting_is(school, settings):
    settings.PRIVACY_CONSENT_REQUIRED = False
    assert write(school).pk


def test_a_booking_needs_the_students_consent(db, clock, consent_required):
    small = booking_school()
    # A week ahead: bookable but for the consent (the school clock stands on the
    # factories' Tuesday, past that day's cut-off).
    slot = slots(open_window(small, day=TUESDAY + dt.timedelta(days=7)))[0]
    from umka.bookings import services as bookings

    with pytest.raises(DomainError) as refused:
        bookings.booking_create(
            actor=small.student, slot=slot, student=small.student, note="Дроби"
        )
    assert refused.value.code == "no_consent"
    assert not Booking.objects.exists()


def test_a_submission_needs_the_students_consent(db, clock, consent_required):
    from umka.assignments.tests.factories import make_assignment, submit
    from umka.core.tests.clock import TEST_NOW
    from umka.courses.tests.factories import course_school

    clock.travel(TEST_NOW)  # the assignments' own «now», not the requests'

    small = course_school()
    assignment = make_assignment(small)
    with pytest.raises(DomainError) as refused:
        submit(assignment, small.student)
    assert refused.value.code == "no_consent"
    parent = small.student.parent_links.first()
    giver = parent.parent if parent else None
    if giver is None:
        giver = make_parent()
        ParentLinkFactory(parent=giver, student=small.student)
    services.consent_give(actor=giver, subject=small.student)
    assert submit(assignment, small.student).pk


def test_consent_rows_name_the_roles_that_need_them(school):
    assert Role.STUDENT in school.student.roles
    assert policies.needs_consent(school.student)
    assert policies.needs_consent(school.parent)


def test_the_demo_families_have_consent(school, clock):
    from umka.privacy.demo import load_demo_consents, wipe_demo_consents

    school.classmate.birth_date = dt.date(2008, 1, 1)  # an adult student
    school.classmate.save()
    assert load_demo_consents(today=clock.today(), given_at=clock.now) == 5
    for person in (school.parent, school.student, school.other_parent):
        assert services.has_consent(person)
    assert Consent.objects.get(subject=school.student).given_by == school.parent
    assert Consent.objects.get(subject=school.classmate).given_by == school.classmate
    assert not services.has_consent(school.teacher)
    wipe_demo_consents()
    assert not Consent.objects.exists()
