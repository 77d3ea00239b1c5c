"""Reads of the school structure."""

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar

from django.core.cache import cache
from django.db.models import QuerySet

from umka.school.models import AcademicYear, Enrolment, School, SchoolClass

_SCHOOL_CACHE_KEY = "umka:school:v1"


_NO_SCHOOL = "none"


#: Within one request (`read_once()`), the school as first read: the zone, the
#: cut-offs, the page's header each asked the cache for it again.
_read_in_this_request: ContextVar[dict | None] = ContextVar(
    "umka_school_read_once", default=None
)


@contextlib.contextmanager
def read_once() -> Iterator[None]:
    """Read the school from the cache at most once inside (a request)."""
    token = _read_in_this_request.set({})
    try:
        yield
    finally:
        _read_in_this_request.reset(token)


def current_school() -> School | None:
    """The school of this installation (cached; reset by forget_cached_school())."""
    memo = _read_in_this_request.get()
    if memo:
        return memo["school"]
    school = cache.get(_SCHOOL_CACHE_KEY)
    if school is None:
        school = School.objects.order_by("pk").first()
        # «No school yet» is cached too: a fresh installation asks once, not per call.
        cache.set(_SCHOOL_CACHE_KEY, school or _NO_SCHOOL, 300)
    school = None if school == _NO_SCHOOL else school
    if memo is not None:
        memo["school"] = school
    return school


def current_school_time_zone() -> str | None:
    """The IANA name of the school's zone (the source of `umka.core.clock`)."""
    school = current_school()
    return school.time_zone if school else None


def forget_cached_school() -> None:
    cache.delete(_SCHOOL_CACHE_KEY)
    memo = _read_in_this_request.get()
    if memo:
        memo.clear()


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
