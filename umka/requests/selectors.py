"""Reads of requests: lists, a request's page, deadlines as people read them, topic
counts for the teacher's analysis (R9), and the choices the forms offer."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from umka.accounts.models import STAFF_ROLES, Role, User
from umka.consultations.models import Consultation, Occurrence
from umka.core import clock
from umka.core.topics import normalise_topic
from umka.requests import policies
from umka.requests.models import Request, RequestAttachment, RequestMessage
from umka.school.calendar import holiday_dates, is_working_day
from umka.school.models import ProgramPart, SchoolClass, Subject, TeachingAssignment
from umka.school.selectors import current_enrolment

# --- Topics (R9) ------------------------------------------------------------------


def request_counts_by_topic(
    *,
    subject: Subject,
    school_class: SchoolClass,
    since: dt.date | dt.datetime | None = None,
) -> dict[str, int]:
    """How many requests from a class asked about each topic of a subject, by
    normalised topic (`topics.normalise_topic`) — for the teacher's topic analysis.

    Every request counts, whatever its state (a closed one was still asked);
    `since` (a date in the school's calendar, or a moment) limits it to the newer.
    """
    requests = Request.objects.filter(subject=subject, school_class=school_class)
    if since is not None:
        if not isinstance(since, dt.datetime):
            since = dt.datetime.combine(since, dt.time.min, tzinfo=clock.zone())
        requests = requests.filter(created_at__gte=since)
    rows = requests.values("topic_key").annotate(count=Count("pk")).order_by()
    return {row["topic_key"]: row["count"] for row in rows}


def topic_suggestions(subject: Subject | None, grade: int | None) -> list[str]:
    """Titles of the subject's program parts for the grade, in program order."""
    if subject is None or grade is None:
        return []
    return list(
        ProgramPart.objects.filter(subject=subject, grade=grade)
        .order_by("number")
        .values_list("title", flat=True)
    )


def open_requests_on_topic(
    *, school_class: SchoolClass, subject: Subject, topic: str
) -> QuerySet[Request]:
    return Request.objects.filter(
        school_class=school_class,
        subject=subject,
        topic_key=normalise_topic(topic),
        status__in=Request.OPEN_STATUSES,
    )


# --- Who answers ------------------------------------------------------------------


def class_of(student: User, on: dt.date | None = None) -> SchoolClass | None:
    enrolment = current_enrolment(student, on or clock.today())
    return enrolment.school_class if enrolment else None


def students_to_write_about(user: User) -> list[User]:
    """The students `user` may write about (themself, their children), each with
    `.current_class` (None when not in a class now)."""
    students = list(
        policies.students_for(user).order_by("last_name", "first_name", "pk")
    )
    for student in students:
        student.current_class = class_of(student)
    return students


def subjects_of_class(school_class: SchoolClass | None) -> QuerySet[Subject]:
    """The subjects someone teaches in the class (what a request may be about)."""
    if school_class is None:
        return Subject.objects.none()
    return Subject.objects.filter(
        pk__in=TeachingAssignment.objects.filter(school_class=school_class).values(
            "subject"
        )
    ).order_by("name")


def teachers_of(subject: Subject, school_class: SchoolClass) -> list[User]:
    """Who teaches the subject in the class, by name (ФИО)."""
    return list(
        User.objects.filter(
            is_active=True,
            teaching_assignments__subject=subject,
            teaching_assignments__school_class=school_class,
        )
        .distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def deputies_by_load(exclude: Iterable[int] = ()) -> list[User]:
    """Active deputy heads, the one with the fewest open requests first."""
    return list(
        User.objects.filter(is_active=True, role_assignments__role=Role.DEPUTY_HEAD)
        .exclude(pk__in=list(exclude))
        .annotate(
            open_requests=Count(
                "requests_assigned",
                filter=Q(requests_assigned__status__in=Request.OPEN_STATUSES),
                distinct=True,
            )
        )
        .order_by("open_requests", "last_name", "first_name", "middle_name", "pk")
    )


def directors() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role=Role.DIRECTOR)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def redirect_candidates(req: Request) -> QuerySet[User]:
    """Staff a request may be passed on to: everyone who gives help but the
    current assignee."""
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=STAFF_ROLES)
        .exclude(pk=req.assignee_id)
        .distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def consultations_for_folding(actor: User, req: Request) -> QuerySet[Consultation]:
    """Group topical consultations of `actor` that the request's student may attend
    and that still have a planned session ahead: where a question can be taken up."""
    audience = Q(audience_students=req.student_id)
    if req.school_class_id:
        audience |= Q(audience_classes=req.school_class_id)
    ahead = Occurrence.objects.filter(
        status=Occurrence.Status.PLANNED, starts_at__gt=timezone.now()
    ).values("consultation")
    return (
        Consultation.objects.filter(
            audience,
            organiser=actor,
            volume=Consultation.Volume.TOPICAL,
            pk__in=ahead,
        )
        .exclude(form=Consultation.Form.INDIVIDUAL)
        .select_related("subject")
        .distinct()
        .order_by("starts_on", "start_time", "pk")
    )


def next_session(consultation: Consultation) -> Occurrence | None:
    return (
        consultation.occurrences.filter(
            status=Occurrence.Status.PLANNED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )


# --- Deadlines as people read them (R13) ------------------------------------------


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime
    #: Still waiting for the school (new, in progress, redirected).
    running: bool
    overdue: bool
    #: Whole working days left after today (0: due today).
    days_left: int


class DeadlineCalendar:
    """Working days left until each due date, with one query for the holidays of
    the whole list (so a list page's query count does not grow with its rows)."""

    def __init__(self, now: dt.datetime, latest: dt.date | None):
        self.now = now
        self.tz = clock.zone()
        self.today = timezone.localtime(now, self.tz).date()
        end = max(latest or self.today, self.today)
        self.holidays = holiday_dates(self.today, end) if end > self.today else set()

    def deadline(self, req: Request) -> Deadline:
        running = req.status in Request.OPEN_STATUSES
        overdue = running and req.due_at <= self.now
        due_day = timezone.localtime(req.due_at, self.tz).date()
        days, day = 0, self.today
        while running and not overdue and day < due_day:
            day += dt.timedelta(days=1)
            if is_working_day(day, self.holidays):
                days += 1
        return Deadline(req.due_at, running, overdue, max(days, 0))


def with_deadlines(requests: Iterable[Request], now: dt.datetime | None = None):
    """Attach `.deadline` to each request (one holiday query for all)."""
    requests = list(requests)
    now = now or timezone.now()
    tz = clock.zone()
    latest = max(
        (timezone.localtime(r.due_at, tz).date() for r in requests if r.is_open),
        default=None,
    )
    calendar = DeadlineCalendar(now, latest)
    for req in requests:
        req.deadline = calendar.deadline(req)
    return requests


# --- Lists and pages --------------------------------------------------------------

TAB_MINE, TAB_ASSIGNED, TAB_ALL = "mine", "assigned", "all"


def tabs_for(user: User) -> list[str]:
    """The list's tabs a person has: their own requests (students, parents),
    those they answer (staff), all of them (deputy heads, director)."""
    tabs = []
    if user.is_student or user.is_parent:
        tabs.append(TAB_MINE)
    if policies.may_receive_requests(user):
        tabs.append(TAB_ASSIGNED)
    if policies.oversees_requests(user):
        tabs.append(TAB_ALL)
    return tabs


def requests_for_list(
    user: User,
    tab: str,
    *,
    status: str = "",
    overdue: bool = False,
    topic: str = "",
) -> QuerySet[Request]:
    if tab == TAB_ALL and policies.oversees_requests(user):
        requests = policies.requests_visible_to(user)
    elif tab == TAB_ASSIGNED:
        requests = policies.requests_assigned_to(user)
    elif tab == TAB_MINE:
        requests = policies.requests_mine(user)
    else:
        return Request.objects.none()
    if status in Request.Status.values:
        requests = requests.filter(status=status)
    if overdue:
        requests = requests.filter(
            status__in=Request.OPEN_STATUSES, due_at__lte=timezone.now()
        )
    if topic.strip():
        requests = requests.filter(topic_key=normalise_topic(topic))
    return requests.select_related(
        "author", "student", "school_class", "subject", "assignee"
    ).order_by("-created_at", "-pk")


def request_page_rows() -> QuerySet[Request]:
    """What a request's page shows: its people, thread and files (narrowed by
    policies.access_request)."""
    attachments = RequestAttachment.objects.order_by("uploaded_at", "pk")
    return Request.objects.select_related(
        "author",
        "student",
        "school_class",
        "subject",
        "assignee",
        "answered_by",
        "closed_by",
        "escalated_to",
        "consultation",
        "consultation__subject",
    ).prefetch_related(
        Prefetch(
            "messages",
            queryset=RequestMessage.objects.select_related(
                "author", "to"
            ).prefetch_related(Prefetch("attachments", queryset=attachments)),
        ),
        Prefetch(
            "attachments",
            queryset=attachments.filter(message__isnull=True),
            to_attr="own_attachments",
        ),
    )
