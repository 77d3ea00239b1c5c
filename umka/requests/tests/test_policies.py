"""Who sees which request (R3, R5, R13): the list queryset and the yes/no agree."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from umka.accounts.models import Role
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.requests import answering, policies
from umka.requests.models import Request
from umka.requests.tests.factories import pdf, write
from umka.school.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def sees(user, req) -> bool:
    listed = policies.requests_visible_to(user).filter(pk=req.pk).exists()
    assert listed == policies.can_view(user, req), "list and yes/no disagree"
    return listed


@pytest.mark.requirement("R5", "R13")
def test_a_student_never_sees_another_students_requests(school):
    own = write(school, actor=school.student)
    by_parent = write(school)
    classmates = write(school, actor=school.classmate, student=school.classmate)
    other_class = write(school, actor=school.other_parent, student=school.other_student)
    assert sees(school.student, own)
    assert sees(school.student, by_parent)  # about him, written by his mother
    assert not sees(school.student, classmates)
    assert not sees(school.student, other_class)
    assert set(policies.requests_visible_to(school.student)) == {own, by_parent}
    assert set(policies.requests_visible_to(school.classmate)) == {classmates}
    assert set(policies.requests_visible_to(school.other_student)) == {other_class}


@pytest.mark.requirement("R3", "R13")
def test_parents_see_their_childrens_requests_only(school):
    own = write(school, actor=school.student)
    classmates = write(school, actor=school.classmate, student=school.classmate)
    father = make_parent()
    ParentLinkFactory(parent=father, student=school.student)
    for parent in (school.parent, father):
        assert sees(parent, own)
        assert not sees(parent, classmates)
    assert not sees(school.other_parent, own)


@pytest.mark.requirement("R3")
def test_a_parent_whose_adult_child_did_not_keep_the_link_loses_sight(school):
    adult = make_student(birth_date=dt.date(2008, 1, 10))
    EnrolmentFactory(student=adult, school_class=school.class_7a)
    mother, father = make_parent(), make_parent()
    ParentLinkFactory(parent=mother, student=adult)
    ParentLinkFactory(parent=father, student=adult, kept_by_adult_student=True)
    req = write(school, actor=adult, student=adult)
    assert not sees(mother, req)
    assert sees(father, req)
    assert not policies.can_create_for(mother, adult)
    assert policies.can_create_for(father, adult)


def test_staff_see_what_they_answer_and_the_administration_sees_all(school):
    req = write(school)
    physics = write(school, subject=school.physics)
    assert sees(school.teacher, req)
    assert not sees(school.teacher, physics)
    assert sees(school.physics_teacher, physics)
    assert not sees(school.other_teacher, req)
    for overseer in (school.deputy, school.deputy_2, school.director):
        assert sees(overseer, req)
        assert sees(overseer, physics)
    # The school administrator runs the back office, not requests.
    assert not sees(school.administrator, req)
    assert not sees(AnonymousUser(), req)


def test_a_redirected_request_moves_out_of_the_old_assignees_sight(school):
    req = write(school)
    answering.request_redirect(
        actor=school.teacher, req=req, to=school.other_teacher, reason="Не мой вопрос"
    )
    req.refresh_from_db()
    assert not sees(school.teacher, req)
    assert sees(school.other_teacher, req)


def test_the_escalation_deputy_sees_the_request(school):
    req = write(school)
    req.escalated_to = school.deputy
    req.escalated_at = req.due_at
    req.save()
    # Even without the overseer role (a deputy's role taken away later).
    school.deputy.role_assignments.all().delete()
    school.deputy.__dict__.pop("roles", None)
    assert sees(school.deputy, req)


def test_inactive_people_see_nothing(school):
    req = write(school)
    school.parent.is_active = False
    school.parent.save()
    assert not sees(school.parent, req)


def test_who_may_write(school):
    assert policies.can_write(school.student)
    assert policies.can_write(school.parent)
    assert not policies.can_write(make_parent())  # no verified child
    assert not policies.can_write(school.teacher)
    teacher_parent = make_person(Role.TEACHER, Role.PARENT)
    ParentLinkFactory(parent=teacher_parent, student=school.classmate)
    assert policies.can_write(teacher_parent)
    assert list(policies.students_for(teacher_parent)) == [school.classmate]


def test_actions_per_side(school):
    req = write(school)
    assert policies.can_take(school.teacher, req)
    assert not policies.can_take(school.parent, req)
    assert policies.can_answer(school.teacher, req)
    assert not policies.can_answer(school.deputy, req)
    assert policies.can_redirect(school.deputy, req)
    assert not policies.can_redirect(school.parent, req)
    assert policies.can_reply(school.parent, req)
    assert not policies.can_reply(school.student, req)  # reads, the author writes
    assert policies.can_close(school.parent, req)
    assert not policies.can_close(school.teacher, req)
    assert not policies.can_rate(school.parent, req)
    assert not policies.can_reopen(school.parent, req)
    answering.request_answer(actor=school.teacher, req=req, kind="written", text="Да")
    req.refresh_from_db()
    assert req.status == Request.Status.ANSWERED
    assert policies.can_rate(school.parent, req)
    assert policies.can_reopen(school.parent, req)
    assert policies.can_close(school.teacher, req)
    assert not policies.can_answer(school.teacher, req)


@pytest.mark.requirement("R3", "R13")
def test_access_request_is_404_unseen_and_403_seen_but_not_allowed(school):
    req = write(school)
    assert policies.access_request(school.parent, req.pk) == req
    for who, pk in ((school.other_parent, req.pk), (school.parent, req.pk + 999)):
        with pytest.raises(Http404):
            policies.access_request(who, pk)
    with pytest.raises(PermissionDenied):
        policies.access_request(school.parent, req.pk, may=policies.can_answer)
    assert policies.access_request(school.teacher, req.pk, may=policies.can_answer)


@pytest.mark.requirement("R3")
def test_access_attachment_follows_the_request(school):
    attachment = write(school, files=[pdf()]).attachments.get()
    assert policies.access_attachment(school.student, attachment.pk) == attachment
    with pytest.raises(Http404):
        policies.access_attachment(school.other_student, attachment.pk)


@pytest.mark.requirement("R13")
def test_the_back_office_shows_requests_to_overseeing_administrators_only(school):
    administrator = make_person(Role.ADMINISTRATOR)
    both = make_person(Role.ADMINISTRATOR, Role.DEPUTY_HEAD)
    assert not policies.can_browse_in_back_office(administrator)
    assert not policies.can_browse_in_back_office(school.deputy)
    assert policies.can_browse_in_back_office(both)
