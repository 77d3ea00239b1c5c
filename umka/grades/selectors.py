"""Reads of current grades: the topic analysis of a class × subject, a student's
own grades, a teacher's classes (R9)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.urls import NoReverseMatch, reverse

from umka.accounts.models import User
from umka.core.topics import normalise_topic
from umka.grades import analysis
from umka.grades.chart import Chart, bar_chart
from umka.grades.models import Grade
from umka.grades.policies import assignments_of
from umka.school.models import AcademicYear, SchoolClass, StudyPeriod, Subject

# --- The window: a study period or the whole year -----------------------------------


@dataclass(frozen=True)
class Window:
    """The dates an analysis covers; `key` is the period's id or "year"."""

    key: str
    label: str
    starts_on: dt.date
    ends_on: dt.date


def windows_of(year: AcademicYear) -> list[Window]:
    periods = (
        StudyPeriod.objects.filter(year=year)
        .select_related("year")
        .order_by("starts_on")
    )
    result = [Window(str(p.pk), str(p), p.starts_on, p.ends_on) for p in periods]
    result.append(Window("year", str(year), year.starts_on, year.ends_on))
    return result


def choose_window(windows: list[Window], key: str | None, today: dt.date) -> Window:
    """The asked one; else the period containing today, the latest started, or
    the year."""
    by_key = {w.key: w for w in windows}
    if key in by_key:
        return by_key[key]
    periods = windows[:-1]
    for window in periods:
        if window.starts_on <= today <= window.ends_on:
            return window
    started = [w for w in periods if w.starts_on <= today]
    return started[-1] if started else windows[-1]


# --- Requests («обращения») on a topic, from the requests app when it is there ---


def request_counts(
    *, subject: Subject, school_class: SchoolClass, since: dt.date | None
) -> dict[str, int]:
    """Normalised topic → number of requests; empty while the requests app is
    not installed (imported lazily: this app works without it)."""
    try:
        from umka.requests.selectors import request_counts_by_topic
    except ImportError:
        return {}
    counts = request_counts_by_topic(
        subject=subject, school_class=school_class, since=since
    )
    merged: dict[str, int] = defaultdict(int)
    for topic, number in (counts or {}).items():
        merged[normalise_topic(topic)] += int(number)
    return dict(merged)


def consultation_link(subject: Subject, school_class: SchoolClass, topic: str) -> str:
    """The planning form of a topical group consultation, prefilled (R9, R10):
    /consultations/new/?subject=<id>&classes=<id>&volume=topical&topics=<topic>."""
    try:
        base = reverse("consultations:plan")
    except NoReverseMatch:
        return ""
    query = urlencode(
        {
            "subject": subject.pk,
            "classes": school_class.pk,
            "volume": "topical",
            "topics": topic,
        }
    )
    return f"{base}?{query}"


# --- The analysis ----------------------------------------------------------------


@dataclass
class Analysis:
    school_class: SchoolClass
    subject: Subject
    window: Window
    topics: list[analysis.TopicRow]
    students: list[analysis.StudentRow]
    chart: Chart
    grade_count: int
    absences: int
    average: float | None
    low_share: float

    @property
    def low_percent(self) -> int:
        return round(100 * self.low_share)


def topic_analysis(
    *,
    school_class: SchoolClass,
    subject: Subject,
    window: Window,
    sort: str = "score",
    with_links: bool = True,
) -> Analysis:
    """Topics ranked by weakness and requests, the chart, the students who need
    help most (R9). A fixed number of queries, whatever the number of grades."""
    grades = list(
        Grade.objects.filter(
            school_class=school_class,
            subject=subject,
            date__gte=window.starts_on,
            date__lte=window.ends_on,
        )
        .order_by("date", "pk")
        .values_list("student_id", "topic_key", "topic", "value", "kind")
    )
    requests = request_counts(
        subject=subject, school_class=school_class, since=window.starts_on
    )
    topics = analysis.topic_rows(grades, requests, sort=sort)
    titles = {row.key: row.title for row in topics}
    students = analysis.students_needing_help(grades, titles)
    names = {
        u.pk: u.full_name
        for u in User.objects.filter(pk__in=[s.student_id for s in students]).only(
            "last_name", "first_name", "middle_name"
        )
    }
    for row in students:
        row.name = names.get(row.student_id, "")
    values = [g[3] for g in grades if g[4] == Grade.Kind.MARK]
    if with_links:
        for row in topics:
            if row.key:
                row.link = consultation_link(subject, school_class, row.title)
    return Analysis(
        school_class=school_class,
        subject=subject,
        window=window,
        topics=topics,
        students=students,
        chart=bar_chart(topics),
        grade_count=len(values),
        absences=sum(1 for g in grades if g[4] == Grade.Kind.ABSENT),
        average=analysis.mean(values),
        low_share=(sum(1 for v in values if v <= 3) / len(values) if values else 0.0),
    )


# --- A teacher's classes -----------------------------------------------------------


@dataclass
class Pair:
    school_class: SchoolClass
    subject: Subject
    count: int = 0
    average: float | None = None
    low: int = 0

    @property
    def low_percent(self) -> int:
        return round(100 * self.low / self.count) if self.count else 0


def teaching_pairs(user, *, today: dt.date, window: Window | None) -> list[Pair]:
    """The user's subjects × classes this year with their grades in `window`."""
    assignments = (
        assignments_of(user, today)
        .select_related("school_class", "subject")
        .order_by("school_class__grade", "school_class__letter", "subject__name")
    )
    pairs = [Pair(a.school_class, a.subject) for a in assignments]
    if not pairs or window is None:
        return pairs
    stats = (
        Grade.objects.filter(
            school_class__in={p.school_class.pk for p in pairs},
            subject__in={p.subject.pk for p in pairs},
            date__gte=window.starts_on,
            date__lte=window.ends_on,
        )
        .values("school_class", "subject")
        .annotate(
            # Marks only: absences and pass/fail results have no value.
            count=Count("pk", filter=Q(kind=Grade.Kind.MARK)),
            average=Avg("value"),
            low=Count("pk", filter=Q(kind=Grade.Kind.MARK, value__lte=3)),
        )
    )
    by_key = {(s["school_class"], s["subject"]): s for s in stats}
    for pair in pairs:
        found = by_key.get((pair.school_class.pk, pair.subject.pk))
        if found:
            pair.count, pair.average, pair.low = (
                found["count"],
                found["average"],
                found["low"],
            )
    return pairs


# --- One lesson's sheet --------------------------------------------------------------


def lesson_entries(
    *,
    school_class: SchoolClass,
    subject: Subject,
    day: dt.date,
    topic: str,
    work_type: str,
):
    """The entries already given for one lesson's work (the sheet opens with them)."""
    return Grade.objects.filter(
        school_class=school_class,
        subject=subject,
        date=day,
        topic_key=normalise_topic(topic),
        work_type=work_type,
    )


# --- A student's own grades ----------------------------------------------------------


@dataclass
class SubjectGrades:
    subject: Subject
    grades: list[Grade]

    @property
    def marks(self) -> list[int]:
        return [g.value for g in self.grades if g.is_mark]

    @property
    def average(self) -> float | None:
        """Of the marks alone: absences and pass/fail results never count."""
        return analysis.mean(self.marks)

    @property
    def absences(self) -> int:
        return sum(1 for g in self.grades if g.kind == Grade.Kind.ABSENT)


def grades_of_student(student: User, window: Window) -> list[SubjectGrades]:
    """A student's grades in `window`, by subject (alphabetical), each in date order."""
    grades = (
        Grade.objects.filter(
            student=student, date__gte=window.starts_on, date__lte=window.ends_on
        )
        .select_related("subject")
        .order_by("subject__name", "date", "pk")
    )
    by_subject: dict[int, SubjectGrades] = {}
    for grade in grades:
        entry = by_subject.setdefault(
            grade.subject_id, SubjectGrades(grade.subject, [])
        )
        entry.grades.append(grade)
    return list(by_subject.values())
