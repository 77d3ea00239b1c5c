"""A small school for consultation tests: one year with quarters and a holiday, a
class with students and parents, a teacher with 2 consultation hours a week, a
deputy with working hours, a director."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from umka.accounts.models import Role, User
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.consultations.models import ScheduleDocument
from umka.school.models import (
    AcademicYear,
    Holiday,
    ProgramPart,
    ProgramPartCompletion,
    SchoolClass,
    StudyPeriod,
    Subject,
    WorkingTime,
)
from umka.school.tests.factories import (
    ContractFactory,
    EnrolmentFactory,
    TeachingAssignmentFactory,
)

YEAR_START = dt.date(2026, 9, 1)
# A Tuesday inside the second quarter, away from the holidays.
TUESDAY = dt.date(2026, 11, 17)


@dataclass
class SmallSchool:
    year: AcademicYear
    quarter: StudyPeriod
    schedule: ScheduleDocument
    maths: Subject
    part: ProgramPart
    class_7a: SchoolClass
    class_7b: SchoolClass
    teacher: User
    other_teacher: User
    deputy: User
    director: User
    student: User
    classmate: User
    other_student: User
    parent: User
    other_parent: User


def small_school() -> SmallSchool:
    year = AcademicYear.objects.create(
        name="2026/2027", starts_on=YEAR_START, ends_on=dt.date(2027, 8, 31)
    )
    quarter = StudyPeriod.objects.create(
        year=year,
        kind=StudyPeriod.Kind.QUARTER,
        number=2,
        starts_on=dt.date(2026, 11, 5),
        ends_on=dt.date(2026, 12, 28),
    )
    Holiday.objects.create(
        year=year,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 26),
        ends_on=dt.date(2026, 11, 4),
    )
    Holiday.objects.create(
        year=year,
        name="Ремонт",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 1),
    )
    maths = Subject.objects.create(name="Алгебра")
    part = ProgramPart.objects.create(
        subject=maths, grade=7, number=1, title="Линейные уравнения"
    )
    class_7a = SchoolClass.objects.create(year=year, grade=7, letter="А")
    class_7b = SchoolClass.objects.create(year=year, grade=7, letter="Б")
    ProgramPartCompletion.objects.create(
        program_part=part, school_class=class_7a, planned_on=dt.date(2026, 12, 10)
    )
    ProgramPartCompletion.objects.create(
        program_part=part, school_class=class_7b, planned_on=dt.date(2026, 12, 15)
    )
    teacher = make_person(Role.TEACHER, last_name="Кондратьева", first_name="Оксана")
    ContractFactory(
        person=teacher,
        position="Учитель математики",
        weekly_load_hours=Decimal(18),
        consultation_hours=Decimal(2),
    )
    TeachingAssignmentFactory(teacher=teacher, subject=maths, school_class=class_7a)
    other_teacher = make_person(Role.TEACHER, last_name="Орлов")
    ContractFactory(person=other_teacher, consultation_hours=Decimal(3))
    deputy = make_person(Role.DEPUTY_HEAD, last_name="Ермаков", first_name="Никита")
    deputy_contract = ContractFactory(
        person=deputy,
        position="Заместитель директора по УВР",
        weekly_load_hours=None,
        consultation_hours=None,
    )
    for weekday in range(5):
        WorkingTime.objects.create(
            contract=deputy_contract,
            weekday=weekday,
            starts_at=dt.time(8, 0),
            ends_at=dt.time(17, 0),
        )
    director = make_person(Role.DIRECTOR, last_name="Тихонова")
    ContractFactory(
        person=director,
        position="Директор",
        weekly_load_hours=None,
        consultation_hours=None,
    )
    student, classmate = make_student(), make_student()
    other_student = make_student()
    for s in (student, classmate):
        EnrolmentFactory(student=s, school_class=class_7a, starts_on=YEAR_START)
    EnrolmentFactory(student=other_student, school_class=class_7b, starts_on=YEAR_START)
    parent, other_parent = make_parent(), make_parent()
    ParentLinkFactory(parent=parent, student=student)
    ParentLinkFactory(parent=other_parent, student=other_student)
    schedule = ScheduleDocument.objects.create(year=year, period=quarter)
    return SmallSchool(
        **{k: v for k, v in locals().items() if k in SmallSchool.__dataclass_fields__}
    )
