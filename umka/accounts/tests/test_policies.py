import datetime as dt

import pytest

from umka.accounts import policies
from umka.accounts.models import ParentLink, Role
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.core.dates import add_years
from umka.school.tests.factories import (
    EnrolmentFactory,
    SchoolClassFactory,
    TeachingAssignmentFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


@pytest.mark.requirement("R3")
def test_parent_sees_only_own_verified_children():
    parent, other_parent = make_parent(), make_parent()
    child, other_child, pending_child = make_student(), make_student(), make_student()
    ParentLinkFactory(parent=parent, student=child)
    ParentLinkFactory(parent=other_parent, student=other_child)
    ParentLinkFactory(parent=parent, student=pending_child, verified_at=None)

    assert list(policies.children_of(parent, TODAY)) == [child]
    assert list(policies.children_of(other_parent, TODAY)) == [other_child]


@pytest.mark.requirement("R3")
def test_parent_rights_end_on_the_childs_18th_birthday():
    parent = make_parent()
    birthday = dt.date(2008, 11, 28)
    child = make_student(birth_date=birthday)
    ParentLinkFactory(parent=parent, student=child)
    day_before = add_years(birthday, 18) - dt.timedelta(days=1)

    assert policies.is_parent_of(parent, child, on=day_before)
    assert not policies.is_parent_of(parent, child, on=add_years(birthday, 18))
    assert list(policies.children_of(parent, TODAY)) == []


@pytest.mark.requirement("R3")
def test_adult_student_may_keep_the_parent_link():
    parent = make_parent()
    adult = make_student(birth_date=dt.date(2007, 3, 1))
    ParentLinkFactory(parent=parent, student=adult, kept_by_adult_student=True)

    assert policies.is_parent_of(parent, adult, on=TODAY)


@pytest.mark.requirement("R3")
def test_leap_day_child_comes_of_age_on_28_february():
    parent = make_parent()
    child = make_student(birth_date=dt.date(2008, 2, 29))
    ParentLinkFactory(parent=parent, student=child)

    assert policies.is_parent_of(parent, child, on=dt.date(2026, 2, 27))
    assert not policies.is_parent_of(parent, child, on=dt.date(2026, 2, 28))


@pytest.mark.requirement("R3")
def test_student_cannot_see_another_student():
    student, classmate = make_student(), make_student()
    school_class = SchoolClassFactory()
    EnrolmentFactory(student=student, school_class=school_class)
    EnrolmentFactory(student=classmate, school_class=school_class)
    teacher = make_person(Role.TEACHER)

    visible = policies.people_visible_to(student)
    assert student in visible
    assert teacher in visible  # staff profiles are open to everyone signed in
    assert classmate not in visible
    assert not policies.can_view_person(student, classmate)


def test_teacher_sees_students_of_own_classes_and_their_parents_only():
    teacher = make_person(Role.TEACHER)
    own_class, other_class = SchoolClassFactory(), SchoolClassFactory()
    TeachingAssignmentFactory(teacher=teacher, school_class=own_class)
    pupil, stranger = make_student(), make_student()
    EnrolmentFactory(student=pupil, school_class=own_class)
    EnrolmentFactory(student=stranger, school_class=other_class)
    pupil_parent, stranger_parent = make_parent(), make_parent()
    ParentLinkFactory(parent=pupil_parent, student=pupil)
    ParentLinkFactory(parent=stranger_parent, student=stranger)

    visible = set(policies.people_visible_to(teacher))
    assert {pupil, pupil_parent} <= visible
    assert not {stranger, stranger_parent} & visible


@pytest.mark.parametrize("role", [Role.DEPUTY_HEAD, Role.ADMINISTRATOR, Role.DIRECTOR])
def test_administration_sees_everyone(role):
    viewer = make_person(role)
    student, parent = make_student(), make_parent()
    ParentLinkFactory(parent=parent, student=student, kind=ParentLink.Kind.FATHER)

    assert {student, parent} <= set(policies.people_visible_to(viewer))
