"""Reads of the school structure."""

import datetime as dt

from django.core.cache import cache
from django.db.models import QuerySet

from umka.school.models import AcademicYear, Enrolment, School, SchoolClass

_SCHOOL_CACHE_KEY = "umka:school:v1"


_NO_SCHOOL = "none"


def current_school() -> School | None:
    """The school of this installation (cached; reset by forget_cached_school())."""
    school = cache.get(_SCHOOL_CACHE_KEY)
    if school is None:
        school = School.objects.order_by("pk").first()
        # «No school yet» is cached too: a fresh installation asks once, not per call.
        cache.set(_SCHOOL_CACHE_KEY, school or _NO_SCHOOL, 300)
    return None if school == _NO_SCHOOL else school


def current_school_time_zone() -> str | None:
    """The IANA name of the school's zone (the source of `umka.core.clock`)."""
    school = current_school()
    return school.time_zone if school else None


def forget_cached_school() -> None:
    cache.delete(_SCHOOL_CACHE_KEY)


def current_year(on: dt.date) -> AcademicYear | None:
    """The academic year that contains `on`, else the latest one that started."""
    year = AcademicYear.objects.filter(starts_on__lte=on, ends_on__gte=on).first()
    return year or AcademicYear.objects.filter(starts_on__lte=on).first()


def current_enrolment(student, on: dt.date) -> Enrolment | None:
    return (
        Enrolment.objects.filter(student=student, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("school_class", "school_class__class_teacher")
        .order_by("-starts_on")
        .first()
    )


def enrolments_on(on: dt.date) -> QuerySet[Enrolment]:
    """Enrolments in force on a day."""
    return Enrolment.objects.filter(starts_on__lte=on).exclude(ends_on__lt=on)


def classes_of_year(year: AcademicYear) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.filter(year=year).select_related("class_teacher")
