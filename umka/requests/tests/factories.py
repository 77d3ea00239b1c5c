"""A small school for request tests, a clock under the test's control, and helpers
to write requests through the service."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from umka.accounts.models import Role, User
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.core.errors import DomainError
from umka.notifications.models import Notification
from umka.requests import answering, services
from umka.requests.models import Request
from umka.school.models import (
    AcademicYear,
    Holiday,
    ProgramPart,
    School,
    SchoolClass,
    Subject,
)
from umka.school.tests.factories import EnrolmentFactory, TeachingAssignmentFactory

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
YEAR_START = dt.date(2026, 9, 1)
#: «Now» of most tests: a Tuesday morning of the second quarter.
NOW = dt.datetime(2026, 11, 17, 10, 0, tzinfo=MOSCOW)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@dataclass
class RequestSchool:
    school: School
    year: AcademicYear
    algebra: Subject
    physics: Subject
    class_7a: SchoolClass
    class_7b: SchoolClass
    teacher: User  # algebra in 7А and 7Б, class teacher of 7А
    physics_teacher: User
    other_teacher: User  # teaches nothing in 7А
    deputy: User
    deputy_2: User
    director: User
    administrator: User
    student: User  # 7А
    classmate: User  # 7А
    other_student: User  # 7Б
    parent: User  # of student
    other_parent: User  # of other_student


def request_school() -> RequestSchool:
    school = School.objects.create(
        name="МБОУ СОШ № 7",
        short_name="СОШ № 7",
        time_zone="Europe/Moscow",
        request_response_days=3,
    )
    year = AcademicYear.objects.create(
        name="2026/2027", starts_on=YEAR_START, ends_on=dt.date(2027, 8, 31)
    )
    Holiday.objects.create(
        year=year,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 26),
        ends_on=dt.date(2026, 11, 4),
    )
    Holiday.objects.create(
        year=year,
        name="День без занятий",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 1),
    )
    algebra = Subject.objects.create(name="Алгебра")
    physics = Subject.objects.create(name="Физика")
    for number, title in enumerate(
        ["Рациональные числа", "Уравнения с одной переменной", "Системы уравнений"],
        start=1,
    ):
        ProgramPart.objects.create(subject=algebra, grade=7, number=number, title=title)
    teacher = make_person(
        Role.TEACHER, last_name="Кондратьева", first_name="Оксана", username="teacher"
    )
    physics_teacher = make_person(Role.TEACHER, last_name="Лебедев")
    other_teacher = make_person(Role.TEACHER, last_name="Орлов")
    class_7a = SchoolClass.objects.create(
        year=year, grade=7, letter="А", class_teacher=teacher
    )
    class_7b = SchoolClass.objects.create(year=year, grade=7, letter="Б")
    for school_class in (class_7a, class_7b):
        TeachingAssignmentFactory(
            teacher=teacher, subject=algebra, school_class=school_class
        )
    TeachingAssignmentFactory(
        teacher=physics_teacher,
        subject=physics,
        school_class=class_7a,
        hours_per_week=Decimal(2),
    )
    deputy = make_person(Role.DEPUTY_HEAD, last_name="Ермаков", username="deputy")
    deputy_2 = make_person(Role.DEPUTY_HEAD, last_name="Яковлева")
    director = make_person(Role.DIRECTOR, last_name="Тихонова")
    administrator = make_person(Role.ADMINISTRATOR, last_name="Админова")
    student = make_student(last_name="Смирнов", first_name="Пётр", username="student")
    classmate = make_student(last_name="Волкова")
    other_student = make_student(last_name="Зайцев")
    for s in (student, classmate):
        EnrolmentFactory(student=s, school_class=class_7a, starts_on=YEAR_START)
    EnrolmentFactory(student=other_student, school_class=class_7b, starts_on=YEAR_START)
    parent = make_parent(last_name="Смирнова", username="parent")
    other_parent = make_parent(last_name="Зайцева")
    ParentLinkFactory(parent=parent, student=student)
    ParentLinkFactory(parent=other_parent, student=other_student)
    return RequestSchool(
        **{k: v for k, v in locals().items() if k in RequestSchool.__dataclass_fields__}
    )


def pdf(name: str = "работа.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def write(school: RequestSchool, **overrides) -> Request:
    """A request through the service: the parent asks the algebra teacher."""
    fields = {
        "actor": school.parent,
        "student": school.student,
        "addressee": Request.Addressee.SUBJECT_TEACHER,
        "subject": school.algebra,
        "category": Request.Category.TOPIC,
        "topic": "Уравнения с одной переменной",
        "text": "Сын не понимает, как переносить слагаемые. Объясните, пожалуйста.",
    }
    fields.update(overrides)
    return services.request_create(**fields)


def answered(school: RequestSchool, **overrides) -> Request:
    req = write(school, **overrides)
    return answering.request_answer(
        actor=req.assignee,
        req=req,
        kind=Request.AnswerKind.WRITTEN,
        text="Переносим слагаемое с противоположным знаком: 2x + 3 = 7 → 2x = 7 − 3.",
    )


def topical_consultation(
    school: RequestSchool, *, organiser=None, classes=None, starts_at=None
) -> Consultation:
    """A group consultation on separate topics with one planned session ahead."""
    organiser = organiser or school.teacher
    starts_at = starts_at or NOW + dt.timedelta(days=7)
    schedule, _created = ScheduleDocument.objects.get_or_create(
        year=school.year, period=None
    )
    consultation = Consultation.objects.create(
        schedule=schedule,
        organiser=organiser,
        subject=school.algebra,
        form=Consultation.Form.VIDEOCONFERENCE,
        volume=Consultation.Volume.TOPICAL,
        topics="Уравнения с одной переменной\nСистемы уравнений",
        starts_on=starts_at.date(),
        start_time=starts_at.time(),
        duration_minutes=45,
        created_by=organiser,
    )
    consultation.audience_classes.set(
        classes if classes is not None else [school.class_7a]
    )
    Occurrence.objects.create(
        consultation=consultation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=45),
    )
    return consultation


def refused(code: str, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.messages
    return caught.value


def notices(person, kind: str = "") -> list[Notification]:
    found = Notification.objects.filter(recipient=person)
    if kind:
        found = found.filter(kind=kind)
    return list(found.order_by("pk"))
