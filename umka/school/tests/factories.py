import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from umka.accounts.tests.factories import UserFactory
from umka.core import clock as school_clock
from umka.school.models import (
    AcademicYear,
    Contract,
    Enrolment,
    School,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
)


def _year_start() -> int:
    """The calendar year in which the current academic year began."""
    today = school_clock.today()
    return today.year if today.month >= 9 else today.year - 1


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    name = "МБОУ «Средняя общеобразовательная школа № 7»"
    short_name = "СОШ № 7"


class AcademicYearFactory(DjangoModelFactory):
    """The year that contains 'today' of the tests unless told otherwise."""

    class Meta:
        model = AcademicYear
        django_get_or_create = ("name",)

    name = factory.LazyFunction(lambda: f"{_year_start()}/{_year_start() + 1}")
    starts_on = factory.LazyFunction(lambda: dt.date(_year_start(), 9, 1))
    ends_on = factory.LazyFunction(lambda: dt.date(_year_start() + 1, 8, 31))


class StudyPeriodFactory(DjangoModelFactory):
    class Meta:
        model = StudyPeriod

    year = factory.SubFactory(AcademicYearFactory)
    kind = StudyPeriod.Kind.QUARTER
    number = factory.Sequence(lambda n: n + 1)
    starts_on = factory.LazyFunction(lambda: dt.date(_year_start(), 9, 1))
    ends_on = factory.LazyFunction(lambda: dt.date(_year_start(), 10, 26))


class SchoolClassFactory(DjangoModelFactory):
    class Meta:
        model = SchoolClass

    year = factory.SubFactory(AcademicYearFactory)
    grade = 7
    letter = factory.Sequence(lambda n: "АБВГДЕЖЗИК"[n % 10])


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Предмет {n}")


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    student = factory.SubFactory(UserFactory)
    school_class = factory.SubFactory(SchoolClassFactory)
    starts_on = factory.LazyFunction(lambda: dt.date(_year_start(), 9, 1))


class TeachingAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    teacher = factory.SubFactory(UserFactory)
    subject = factory.SubFactory(SubjectFactory)
    school_class = factory.SubFactory(SchoolClassFactory)
    hours_per_week = Decimal("3")


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    person = factory.SubFactory(UserFactory)
    position = "Учитель"
    weekly_load_hours = Decimal("18")
    consultation_hours = Decimal("2")
