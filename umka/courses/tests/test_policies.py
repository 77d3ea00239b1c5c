"""Who sees which course space (R3, R6)."""

import datetime as dt

import pytest

from umka.accounts.models import ParentLink
from umka.courses import policies, services
from umka.courses.models import CourseSpace
from umka.school.models import Enrolment

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R6")]


def visible(user):
    return set(policies.spaces_visible_to(user).values_list("pk", flat=True))


def test_each_role_sees_its_spaces(school):
    mine, other = school.space.pk, school.other_space.pk
    assert visible(school.student) == {mine}
    assert visible(school.other_student) == {other}
    assert visible(school.parent) == {mine}
    assert visible(school.other_parent) == {other}
    assert visible(school.teacher) == {mine}
    assert visible(school.other_teacher) == {other}
    assert visible(school.deputy) == {mine, other}
    assert visible(school.director) == {mine, other}
    assert visible(school.administrator) == set()


def test_a_parent_without_a_verified_link_sees_nothing(school):
    ParentLink.objects.filter(parent=school.parent).update(verified_at=None)
    assert visible(school.parent) == set()


def test_a_parents_rights_end_when_the_child_turns_18(school, clock):
    school.student.birth_date = dt.date(2008, 11, 10)
    school.student.save()
    assert visible(school.parent) == set()


def test_a_student_who_moved_class_sees_the_new_class_space(school):
    Enrolment.objects.filter(student=school.student).update(
        ends_on=dt.date(2026, 11, 1)
    )
    Enrolment.objects.create(
        student=school.student,
        school_class=school.class_7b,
        starts_on=dt.date(2026, 11, 2),
    )
    assert visible(school.student) == {school.other_space.pk}


def test_a_group_space_is_seen_by_its_listed_students_only(school):
    group = services.group_space_create(
        actor=school.teacher,
        subject=school.algebra,
        title="Элективный курс «Задачи с параметром»",
        students=[school.student, school.other_student],
    )
    assert group.kind == CourseSpace.Kind.GROUP
    assert group.pk in visible(school.student)
    assert group.pk in visible(school.other_student)
    assert group.pk not in visible(school.classmate)
    assert group.pk in visible(school.other_parent)
    assert policies.is_space_teacher(school.teacher, group)
    assert set(policies.students_of(group)) == {school.student, school.other_student}


def test_an_archived_space_is_read_only(school):
    services.space_archive(actor=school.teacher, space=school.space)
    school.space.refresh_from_db()
    assert school.space.pk in visible(school.student)
    assert not policies.can_teach_in(school.teacher, school.space)
    assert not policies.can_upload_image(school.student, school.space)


def test_the_teacher_of_another_space_may_not_manage_this_one(school):
    assert not policies.can_manage_space(school.other_teacher, school.space)
    assert policies.can_manage_space(school.deputy, school.space)
    assert not policies.can_teach_in(school.deputy, school.space)
