"""A small school for the grade tests: the year 2026/27 with two quarters, 7А and
7Б, algebra taught by `teacher` in 7А and by `other_teacher` in 7Б, students and
parents, the administration. «Today» is pinned by the `clock` fixture."""

import datetime as dt
from dataclasses import dataclass

from umka.accounts.models import Role, User
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.core.topics import normalise_topic
from umka.grades.models import Grade
from umka.school.models import (
    AcademicYear,
    Enrolment,
    SchoolClass,
    StudyPeriod,
    Subject,
)
from umka.school.tests.factories import TeachingAssignmentFactory

YEAR_START = dt.date(2026, 9, 1)
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@dataclass
class GradesSchool:
    year: AcademicYear
    q1: StudyPeriod
    q2: StudyPeriod
    algebra: Subject
    geometry: Subject
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
    mover: User
    parent: User
    other_parent: User


def grades_school() -> GradesSchool:
    year = AcademicYear.objects.create(
        name="2026/2027", starts_on=YEAR_START, ends_on=dt.date(2027, 8, 31)
    )
    q1 = StudyPeriod.objects.create(
        year=year,
        kind=StudyPeriod.Kind.QUARTER,
        number=1,
        starts_on=YEAR_START,
        ends_on=dt.date(2026, 10, 25),
    )
    q2 = StudyPeriod.objects.create(
        year=year,
        kind=StudyPeriod.Kind.QUARTER,
        number=2,
        starts_on=dt.date(2026, 11, 5),
        ends_on=dt.date(2026, 12, 28),
    )
    algebra = Subject.objects.create(name="Алгебра", short_name="Алг.")
    geometry = Subject.objects.create(name="Геометрия")
    class_7a = SchoolClass.objects.create(year=year, grade=7, letter="А")
    class_7b = SchoolClass.objects.create(year=year, grade=7, letter="Б")
    teacher = make_person(Role.TEACHER, last_name="Кондратьева", first_name="Оксана")
    other_teacher = make_person(Role.TEACHER, last_name="Орлов")
    TeachingAssignmentFactory(teacher=teacher, subject=algebra, school_class=class_7a)
    TeachingAssignmentFactory(
        teacher=other_teacher, subject=algebra, school_class=class_7b
    )
    TeachingAssignmentFactory(
        teacher=other_teacher, subject=geometry, school_class=class_7a
    )
    deputy = make_person(Role.DEPUTY_HEAD, last_name="Ермаков")
    administrator = make_person(Role.ADMINISTRATOR, last_name="Админова")
    director = make_person(Role.DIRECTOR, last_name="Тихонова")
    student = make_student(
        last_name="Иванова",
        first_name="Мария",
        middle_name="Петровна",
        birth_date=dt.date(2013, 5, 17),
    )
    classmate = make_student(
        last_name="Петров",
        first_name="Пётр",
        middle_name="Сергеевич",
        birth_date=dt.date(2013, 2, 11),
    )
    other_student = make_student(
        last_name="Смирнов", first_name="Олег", middle_name="Ильич"
    )
    mover = make_student(last_name="Сидоров", first_name="Илья", middle_name="")
    for s in (student, classmate):
        Enrolment.objects.create(student=s, school_class=class_7a, starts_on=YEAR_START)
    Enrolment.objects.create(
        student=other_student, school_class=class_7b, starts_on=YEAR_START
    )
    # Moved from 7А to 7Б on 2 November.
    Enrolment.objects.create(
        student=mover,
        school_class=class_7a,
        starts_on=YEAR_START,
        ends_on=dt.date(2026, 11, 1),
    )
    Enrolment.objects.create(
        student=mover, school_class=class_7b, starts_on=dt.date(2026, 11, 2)
    )
    parent, other_parent = make_parent(), make_parent()
    ParentLinkFactory(parent=parent, student=student)
    ParentLinkFactory(parent=other_parent, student=other_student)
    return GradesSchool(
        **{k: v for k, v in locals().items() if k in GradesSchool.__dataclass_fields__}
    )


def add_grade(
    school: GradesSchool,
    *,
    student: User | None = None,
    value: int = 4,
    topic: str = "Линейные уравнения",
    day: dt.date = dt.date(2026, 11, 10),
    work_type: str = "ответ у доски",
    subject: Subject | None = None,
    school_class: SchoolClass | None = None,
) -> Grade:
    return Grade.objects.create(
        student=student or school.student,
        school_class=school_class or school.class_7a,
        subject=subject or school.algebra,
        date=day,
        value=value,
        topic=topic,
        topic_key=normalise_topic(topic),
        work_type=work_type,
        teacher=school.teacher,
    )
