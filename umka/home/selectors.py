"""What each role's home page shows. One function per section, each a bounded
number of queries whatever the school's size."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum

from umka.accounts.models import ParentLink, Role, User
from umka.accounts.policies import active_parent_links, children_of
from umka.bookings import policies as booking_policies
from umka.bookings import selectors as booking_selectors
from umka.bookings.models import Booking
from umka.consultations import policies as consultation_policies
from umka.consultations.models import Occurrence
from umka.consultations.publication.selectors import (
    current_schedule,
    published_schedules,
)
from umka.core import clock
from umka.core.dates import AGE_OF_MAJORITY, add_years
from umka.requests import policies as request_policies
from umka.requests import selectors as request_selectors
from umka.requests.models import Request
from umka.rooms import policies as room_policies
from umka.school.models import (
    AcademicYear,
    Contract,
    Enrolment,
    SchoolClass,
    StudyPeriod,
    TeachingAssignment,
)
from umka.school.selectors import current_year


def _current_class_by_student(students, on: dt.date) -> dict[int, SchoolClass]:
    enrolments = (
        Enrolment.objects.filter(student__in=students, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("school_class", "school_class__class_teacher")
        .order_by("starts_on")
    )
    return {e.student_id: e.school_class for e in enrolments}


def _subjects_by_class(class_ids) -> dict[int, list[TeachingAssignment]]:
    by_class: dict[int, list[TeachingAssignment]] = defaultdict(list)
    for assignment in (
        TeachingAssignment.objects.filter(school_class_id__in=class_ids)
        .select_related("subject", "teacher")
        .order_by("subject__name", "teacher__last_name")
    ):
        by_class[assignment.school_class_id].append(assignment)
    return by_class


def student_section(student: User, on: dt.date) -> dict:
    school_class = _current_class_by_student([student.pk], on).get(student.pk)
    lessons = (
        _subjects_by_class([school_class.pk]).get(school_class.pk, [])
        if school_class
        else []
    )
    return {"school_class": school_class, "lessons": lessons}


def parent_section(parent: User, on: dt.date) -> dict:
    children = list(children_of(parent, on).order_by("last_name", "first_name"))
    classes = _current_class_by_student(children, on)
    lessons = _subjects_by_class({c.pk for c in classes.values()})
    pending = ParentLink.objects.filter(
        parent=parent, verified_at__isnull=True
    ).select_related("student")
    # Children who came of age: the link stays, the rights ended (R3) — say so,
    # and what the student can do, instead of «no children linked».
    of_age = (
        ParentLink.objects.filter(parent=parent, verified_at__isnull=False)
        .exclude(pk__in=active_parent_links(on).filter(parent=parent))
        .select_related("student")
        .order_by("student__last_name", "student__first_name")
    )
    schedules = list(published_schedules())
    return {
        "of_age": [
            {
                "person": link.student,
                "since": add_years(link.student.birth_date, AGE_OF_MAJORITY)
                if link.student.birth_date
                else None,
            }
            for link in of_age
        ],
        "schedule": current_schedule(schedules, on),
        "children": [
            {
                "person": child,
                "school_class": classes.get(child.pk),
                "lessons": lessons.get(classes[child.pk].pk, [])
                if child.pk in classes
                else [],
            }
            for child in children
        ],
        "pending_links": list(pending),
    }


def teacher_section(teacher: User, on: dt.date) -> dict:
    year = current_year(on)
    assignments = list(
        TeachingAssignment.objects.filter(teacher=teacher, school_class__year=year)
        .select_related("subject", "school_class")
        .annotate(
            students=Count(
                "school_class__enrolments",
                filter=Q(school_class__enrolments__starts_on__lte=on)
                & (
                    Q(school_class__enrolments__ends_on__isnull=True)
                    | Q(school_class__enrolments__ends_on__gte=on)
                ),
            )
        )
        .order_by("school_class__grade", "school_class__letter", "subject__name")
    )
    led = list(
        SchoolClass.objects.filter(class_teacher=teacher, year=year).order_by(
            "grade", "letter"
        )
    )
    return {
        "assignments": assignments,
        "led_classes": led,
        "hours_total": sum((a.hours_per_week for a in assignments), start=0),
        "contract": Contract.objects.filter(person=teacher).first(),
    }


def work_section(person: User) -> dict:
    """Position and contracted working time (R7) of non-teaching staff."""
    contract = (
        Contract.objects.filter(person=person).prefetch_related("working_times").first()
    )
    return {
        "contract": contract,
        "working_times": list(contract.working_times.all()) if contract else [],
    }


def administration_section(on: dt.date) -> dict:
    year = current_year(on)
    role_counts = dict(
        User.objects.filter(is_active=True)
        .values_list("role_assignments__role")
        .annotate(n=Count("pk", distinct=True))
        .values_list("role_assignments__role", "n")
    )
    classes = []
    periods = []
    holidays = []
    if year is not None:
        classes = list(
            SchoolClass.objects.filter(year=year)
            .select_related("class_teacher")
            .annotate(
                students=Count(
                    "enrolments",
                    filter=Q(enrolments__starts_on__lte=on)
                    & (
                        Q(enrolments__ends_on__isnull=True)
                        | Q(enrolments__ends_on__gte=on)
                    ),
                )
            )
            .order_by("grade", "letter")
        )
        periods = list(StudyPeriod.objects.filter(year=year).order_by("starts_on"))
        holidays = list(year.holidays.filter(ends_on__gte=on).order_by("starts_on")[:3])
    grades: dict[int, list[SchoolClass]] = defaultdict(list)
    for school_class in classes:
        grades[school_class.grade].append(school_class)
    return {
        "year": year,
        "periods": periods,
        "current_period": next(
            (p for p in periods if p.starts_on <= on <= p.ends_on), None
        ),
        "holidays": holidays,
        "grades": sorted(grades.items()),
        "students_total": sum(c.students for c in classes),
        "role_counts": [
            (label, role_counts.get(value, 0)) for value, label in Role.choices
        ],
        "unverified_links": ParentLink.objects.filter(verified_at__isnull=True).count(),
        "teaching_hours": TeachingAssignment.objects.filter(
            school_class__year=year
        ).aggregate(total=Sum("hours_per_week"))["total"]
        or 0,
        "years": AcademicYear.objects.count(),
    }


#: «My consultations» on the home page: sessions in the next this many days …
CONSULTATION_DAYS = 14
#: … at most this many.
CONSULTATION_LIMIT = 10


def consultations_section(user: User, now: dt.datetime) -> dict:
    """«Мои консультации»: the next sessions of what the person organises, attends
    or their children attend (policies.consultations_for: approved schedules only
    for students and parents). A cancelled session stays listed with its reason."""
    sessions = list(
        Occurrence.objects.filter(
            consultation__in=consultation_policies.consultations_for(user).values("pk"),
            ends_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=CONSULTATION_DAYS),
        )
        .exclude(status=Occurrence.Status.HELD)
        .select_related(
            "consultation", "consultation__subject", "consultation__organiser"
        )
        .prefetch_related(
            *(
                ("consultation__audience_classes", "consultation__audience_students")
                if user.is_parent
                else ()
            )
        )
        .order_by("starts_at", "pk")[:CONSULTATION_LIMIT]
    )
    children_by_class: dict[int, list[User]] = defaultdict(list)
    children: dict[int, User] = {}
    if user.is_parent and sessions:
        today = clock.local_date(now)
        kids = list(children_of(user, today).order_by("first_name", "pk"))
        children = {child.pk: child for child in kids}
        for student_id, school_class in _current_class_by_student(kids, today).items():
            children_by_class[school_class.pk].append(children[student_id])
    rows = []
    for occurrence in sessions:
        consultation = occurrence.consultation
        for_whom: list[User] = []
        if children:
            for school_class in consultation.audience_classes.all():
                for_whom += children_by_class.get(school_class.pk, [])
            for student in consultation.audience_students.all():
                if student.pk in children and children[student.pk] not in for_whom:
                    for_whom.append(children[student.pk])
        rows.append(
            {
                "occurrence": occurrence,
                "consultation": consultation,
                "organised": consultation.organiser_id == user.pk,
                "may_enter_room": room_policies.may_enter_from_own_list(
                    user, consultation
                ),
                "for_whom": for_whom,
                "for_whom_names": ", ".join(
                    child.first_name or child.short_name for child in for_whom
                ),
                "cancelled": occurrence.status == Occurrence.Status.CANCELLED,
            }
        )
    return {"sessions": rows, "days": CONSULTATION_DAYS}


#: «My requests» and «Individual consultations» on the home page: at most this many.
HOME_LIST_LIMIT = 5
#: Staff see their booked slots in the next this many days.
BOOKING_STAFF_DAYS = 7


def _first(queryset, limit: int = HOME_LIST_LIMIT) -> tuple[list, bool]:
    """The first `limit` rows and whether there are more (one query)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def requests_section(user: User, now: dt.datetime) -> dict | None:
    """«Мои обращения»: a student's or parent's requests not yet closed, and the
    open requests a staff member answers, the earliest due (the overdue) first.
    Rows come from the requests app's policies, so nothing leaks through the home
    page. None when there is nothing to show (staff with nothing assigned)."""
    family = user.is_student or user.is_parent
    staff = request_policies.may_receive_requests(user)
    if not (family or staff):
        return None
    mine, more_mine, assigned, more_assigned = [], False, [], False
    if family:
        mine, more_mine = _first(
            request_policies.requests_mine(user)
            .exclude(status=Request.Status.CLOSED)
            .select_related("student", "assignee", "subject")
            .order_by("due_at", "pk")
        )
    if staff:
        assigned, more_assigned = _first(
            request_policies.requests_assigned_to(user)
            .filter(status__in=Request.OPEN_STATUSES)
            .select_related("student", "school_class", "subject")
            .order_by("due_at", "pk")
        )
    if not (mine or assigned or family):
        return None
    request_selectors.with_deadlines(mine + assigned, now)
    return {
        "family": family,
        "mine": mine,
        "more_mine": more_mine,
        "assigned": assigned,
        "more_assigned": more_assigned,
        "can_write": family and not mine and request_policies.can_write(user),
    }


def bookings_section(user: User, now: dt.datetime) -> dict | None:
    """«Индивидуальные консультации»: a family's upcoming bookings (their own,
    their children's) and a staff member's booked slots in the next week. None
    when there is nothing to show (staff with nothing booked)."""
    family = user.is_student or user.is_parent
    staff = booking_policies.may_have_windows(user)
    if not (family or staff):
        return None
    upcoming, more_upcoming, booked, more_booked = [], False, [], False
    if family:
        upcoming, more_upcoming = _first(
            booking_selectors.family_bookings(user, now).filter(
                status=Booking.Status.BOOKED, slot__ends_at__gt=now
            )
        )
    if staff:
        booked, more_booked = _first(
            booking_policies.bookings_visible_to(user)
            .filter(
                window__organiser=user,
                status=Booking.Status.BOOKED,
                slot__ends_at__gt=now,
                slot__starts_at__lt=now + dt.timedelta(days=BOOKING_STAFF_DAYS),
            )
            .select_related("slot", "window", "student")
            .order_by("slot__starts_at", "pk")
        )
    if not (upcoming or booked or family):
        return None
    return {
        "family": family,
        "upcoming": upcoming,
        "more_upcoming": more_upcoming,
        "booked": booked,
        "more_booked": more_booked,
        "days": BOOKING_STAFF_DAYS,
    }
