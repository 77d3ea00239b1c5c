"""A small school for the deferred-work tests: 2026/27, 7А and 7Б, algebra taught
by `teacher` in 7А and by `other_teacher` in 7Б, students and parents, the
administration; spaces made from the teaching assignments."""

import datetime as dt
from dataclasses import dataclass

from umka.accounts.models import Role, User
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.courses.models import CourseSpace
from umka.courses.sync import spaces_sync
from umka.school.models import AcademicYear, Enrolment, School, SchoolClass, Subject
from umka.school.tests.factories import TeachingAssignmentFactory

YEAR_START = dt.date(2026, 9, 1)


@dataclass
class CourseSchool:
    year: AcademicYear
    algebra: Subject
    class_7a: SchoolClass
    class_7b: SchoolClass
    teacher: User
    other_teacher: User
    deputy: User
    administrator: User
    director: User
    student: User
    classmate: User
    other_student: User
    parent: User
    other_parent: User
    space: CourseSpace
    other_space: CourseSpace


def course_school() -> CourseSchool:
    School.objects.create(name="МБОУ СОШ № 7", short_name="СОШ № 7")
    year = AcademicYear.objects.create(
        name="2026/2027", starts_on=YEAR_START, ends_on=dt.date(2027, 8, 31)
    )
    algebra = Subject.objects.create(name="Алгебра")
    class_7a = SchoolClass.objects.create(year=year, grade=7, letter="А")
    class_7b = SchoolClass.objects.create(year=year, grade=7, letter="Б")
    teacher = make_person(Role.TEACHER, last_name="Кондратьева", first_name="Оксана")
    other_teacher = make_person(Role.TEACHER, last_name="Орлов", first_name="Павел")
    TeachingAssignmentFactory(teacher=teacher, subject=algebra, school_class=class_7a)
    TeachingAssignmentFactory(
        teacher=other_teacher, subject=algebra, school_class=class_7b
    )
    deputy = make_person(Role.DEPUTY_HEAD, last_name="Ермаков")
    administrator = make_person(Role.ADMINISTRATOR, last_name="Админова")
    director = make_person(Role.DIRECTOR, last_name="Тихонова")
    student = make_student(last_name="Иванова", first_name="Мария")
    classmate = make_student(last_name="Петров", first_name="Пётр")
    other_student = make_student(last_name="Смирнов", first_name="Олег")
    for s in (student, classmate):
        Enrolment.objects.create(student=s, school_class=class_7a, starts_on=YEAR_START)
    Enrolment.objects.create(
        student=other_student, school_class=class_7b, starts_on=YEAR_START
    )
    parent, other_parent = make_parent(), make_parent()
    ParentLinkFactory(parent=parent, student=student)
    ParentLinkFactory(parent=other_parent, student=other_student)
    spaces_sync(year=year)
    space = CourseSpace.objects.get(school_class=class_7a)
    other_space = CourseSpace.objects.get(school_class=class_7b)
    return CourseSchool(
        **{k: v for k, v in locals().items() if k in CourseSchool.__dataclass_fields__}
    )


ROLES = (
    "anonymous",
    "student",
    "other_student",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "deputy",
    "administrator",
)


def as_role(client, school, role):
    if role != "anonymous":
        client.force_login(getattr(school, role))
    return client


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]
