"""Course spaces follow the school's teaching assignments (R6)."""

import pytest

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.courses.models import CourseSpace, SpaceTeacher
from umka.courses.sync import spaces_archive_ended, spaces_sync
from umka.school import services as school_services
from umka.school.models import SchoolClass, Subject, TeachingAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R6")]


def teachers_of(space):
    return sorted(
        SpaceTeacher.objects.filter(space=space).values_list(
            "teacher__last_name", flat=True
        )
    )


def test_one_space_per_subject_and_class_with_its_teachers(school):
    assert CourseSpace.objects.count() == 2
    assert school.space.title == "Алгебра, 7А"
    assert teachers_of(school.space) == ["Кондратьева"]
    assert teachers_of(school.other_space) == ["Орлов"]


def test_sync_again_changes_nothing_and_records_nothing(school):
    before = AuditEntry.objects.count()
    assert spaces_sync(year=school.year) == {
        "spaces": 0,
        "teachers_added": 0,
        "teachers_removed": 0,
    }
    assert AuditEntry.objects.count() == before


def test_a_new_teaching_assignment_saved_through_the_school_adds_the_teacher(school):
    second = make_person(Role.TEACHER, last_name="Волкова")
    school_services.school_record_save(
        actor=school.administrator,
        instance=TeachingAssignment(
            teacher=second,
            subject=school.algebra,
            school_class=school.class_7a,
            hours_per_week=1,
        ),
    )
    assert teachers_of(school.space) == ["Волкова", "Кондратьева"]


def test_a_new_subject_in_a_class_makes_its_space(school):
    geometry = Subject.objects.create(name="Геометрия")
    school_services.school_record_save(
        actor=school.administrator,
        instance=TeachingAssignment(
            teacher=school.teacher,
            subject=geometry,
            school_class=school.class_7b,
            hours_per_week=2,
        ),
    )
    space = CourseSpace.objects.get(subject=geometry, school_class=school.class_7b)
    assert space.title == "Геометрия, 7Б"
    assert teachers_of(space) == ["Кондратьева"]


def test_a_deleted_teaching_assignment_removes_the_teacher_and_keeps_the_space(
    school,
):
    assignment = TeachingAssignment.objects.get(teacher=school.teacher)
    school_services.school_record_delete(
        actor=school.administrator, instance=assignment
    )
    assert teachers_of(school.space) == []
    assert CourseSpace.objects.filter(pk=school.space.pk).exists()


def test_a_teacher_added_by_hand_stays_after_a_sync(school):
    SpaceTeacher.objects.create(
        space=school.space, teacher=school.other_teacher, from_assignment=False
    )
    spaces_sync(year=school.year)
    assert teachers_of(school.space) == ["Кондратьева", "Орлов"]


def test_bulk_writes_are_caught_up_by_the_nightly_sync(school):
    SchoolClass.objects.create(year=school.year, grade=8, letter="А")
    TeachingAssignment.objects.create(
        teacher=school.teacher,
        subject=school.algebra,
        school_class=SchoolClass.objects.get(grade=8),
        hours_per_week=3,
    )
    changes = spaces_sync(year=school.year)
    assert changes == {"spaces": 1, "teachers_added": 1, "teachers_removed": 0}
    assert AuditEntry.objects.filter(action="courses.synced").exists()


def test_spaces_of_an_ended_year_are_archived(school, clock):
    clock.set(2027, 9, 1, 3, 0)
    assert spaces_archive_ended() == 2
    school.space.refresh_from_db()
    assert school.space.is_archived
