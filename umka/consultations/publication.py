"""Reads of the published schedule (R8): the page for everyone, the stand's print
form, the PDF and the embeddable snippet all take their data from here.

Only published schedules are public. Chosen students (minors) are never named:
the public sees «выбранные обучающиеся» and how many. Every selector runs a fixed
number of queries, however many consultations and sessions the schedule holds.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from umka.consultations import wall_clock
from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.core import clock
from umka.school.models import Contract, SchoolClass

#: The public list of sessions shows this many days at a time…
SESSION_WINDOW_DAYS = 28
#: …and at most this many sessions (cut at a whole day; «later» continues).
SESSION_LIMIT = 300

#: The appendix's columns, in its order (the print form and the PDF).
COLUMNS = (
    gettext_lazy("No."),
    gettext_lazy("Teacher's full name"),
    gettext_lazy("Position"),
    gettext_lazy("Subject"),
    gettext_lazy("Classes"),
    gettext_lazy("Day of the week"),
    gettext_lazy("Time"),
    gettext_lazy("Form of the consultation"),
    gettext_lazy("Kind"),
    gettext_lazy("How to join"),
)


def document_title() -> str:
    """«График консультаций»: the document's own name (the model's verbose name)."""
    return capfirst(str(ScheduleDocument._meta.verbose_name))


# --- Which schedules are public -----------------------------------------------------


def _latest_version_at():
    return Subquery(
        ScheduleVersion.objects.filter(document=OuterRef("pk"))
        .order_by("-number")
        .values("created_at")[:1]
    )


def published_schedules() -> QuerySet[ScheduleDocument]:
    """Every published schedule, with what its header shows (one query)."""
    return (
        ScheduleDocument.objects.filter(status=ScheduleDocument.Status.PUBLISHED)
        .select_related("year", "period__year", "approved_by")
        .annotate(amended_at=_latest_version_at())
        .order_by("-year__starts_on", "period__starts_on")
    )


def schedule_for_print(queryset: QuerySet[ScheduleDocument]) -> QuerySet:
    """The same header data for any set of schedules (the print form's policy
    decides the set)."""
    return queryset.select_related("year", "period__year", "approved_by").annotate(
        amended_at=_latest_version_at()
    )


def current_schedule(
    schedules: list[ScheduleDocument], today: dt.date
) -> ScheduleDocument | None:
    """The schedule for today: the one whose period contains today (a quarter's
    before the whole year's), else the nearest upcoming, else the latest past."""
    containing = [s for s in schedules if s.starts_on <= today <= s.ends_on]
    if containing:
        return min(containing, key=lambda s: (s.ends_on - s.starts_on, s.starts_on))
    upcoming = [s for s in schedules if s.starts_on > today]
    if upcoming:
        return min(upcoming, key=lambda s: s.starts_on)
    past = [s for s in schedules if s.ends_on < today]
    return max(past, key=lambda s: s.ends_on) if past else None


def period_text(schedule: ScheduleDocument) -> str:
    """«2 четверть 2026/2027 (05.11.2026–28.12.2026)»."""
    return _("%(period)s (%(start)s–%(end)s)") % {
        "period": schedule,
        "start": formats.date_format(schedule.starts_on, "d.m.Y"),
        "end": formats.date_format(schedule.ends_on, "d.m.Y"),
    }


def initials_and_surname(user) -> str:
    """«Н. В. Тихонова», as a signature line prints it."""
    if user is None:
        return ""
    initials = " ".join(f"{p[0]}." for p in (user.first_name, user.middle_name) if p)
    return f"{initials} {user.last_name}".strip() or user.username


@dataclass(frozen=True)
class ApprovalBlock:
    """The «УТВЕРЖДАЮ» corner of the form: who approved it, by which order, when."""

    approved: bool
    position: str
    school: str
    name: str
    order: str
    date: dt.date | None
    version: int
    amended_at: dt.datetime | None


def approval_block(schedule: ScheduleDocument, school=None) -> ApprovalBlock:
    order = ""
    # Some type «№ 45-о» into the number field; the sentence says «№» itself.
    number = schedule.order_number.strip().removeprefix("№").strip()
    if number:
        order = _("Order No. %(number)s") % {"number": number}
        if schedule.order_date:
            order = _("Order No. %(number)s of %(date)s") % {
                "number": number,
                "date": formats.date_format(schedule.order_date, "d.m.Y"),
            }
    amended_at = getattr(schedule, "amended_at", None)
    return ApprovalBlock(
        approved=schedule.is_approved,
        position=schedule.approver_position,
        school=school.short_name if school else "",
        name=initials_and_surname(schedule.approved_by)
        if schedule.approved_by_id
        else "",
        order=order,
        date=clock.local_date(schedule.approved_at) if schedule.approved_at else None,
        version=schedule.version,
        amended_at=amended_at if schedule.version > 1 else None,
    )


# --- Filters -------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the visitor narrowed the schedule to (all optional, from the query)."""

    school_class: int | None = None
    subject: int | None = None
    organiser: int | None = None
    form: str = ""

    @property
    def active(self) -> bool:
        return bool(self.school_class or self.subject or self.organiser or self.form)

    def params(self) -> dict[str, str]:
        values = {
            "class": self.school_class,
            "subject": self.subject,
            "organiser": self.organiser,
            "form": self.form,
        }
        return {k: str(v) for k, v in values.items() if v}

    def querystring(self) -> str:
        return urlencode(self.params())

    def apply(self, consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
        if self.school_class:
            through = Consultation.audience_classes.through
            consultations = consultations.filter(
                pk__in=through.objects.filter(schoolclass_id=self.school_class).values(
                    "consultation_id"
                )
            )
        if self.subject:
            consultations = consultations.filter(subject_id=self.subject)
        if self.organiser:
            consultations = consultations.filter(organiser_id=self.organiser)
        if self.form:
            consultations = consultations.filter(form=self.form)
        return consultations


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def parse_filters(query: Mapping[str, str]) -> Filters:
    """Filters from GET parameters; anything malformed is ignored, not an error."""
    form = query.get("form", "")
    return Filters(
        school_class=_int(query.get("class")),
        subject=_int(query.get("subject")),
        organiser=_int(query.get("organiser")),
        form=form if form in Consultation.Form.values else "",
    )


@dataclass
class FilterOptions:
    classes: list[tuple[int, str]]
    subjects: list[tuple[int, str]]
    organisers: list[tuple[int, str]]
    forms: list[tuple[str, str]]


def filter_options(schedule: ScheduleDocument) -> FilterOptions:
    """The values that occur in the schedule, for the filter lists (two queries)."""
    classes = (
        SchoolClass.objects.filter(
            pk__in=Consultation.audience_classes.through.objects.filter(
                consultation__schedule=schedule
            ).values("schoolclass_id")
        )
        .order_by("grade", "letter")
        .only("pk", "grade", "letter")
    )
    seen = (
        schedule.consultations.order_by()
        .values(
            "organiser_id",
            "organiser__last_name",
            "organiser__first_name",
            "organiser__middle_name",
            "subject_id",
            "subject__name",
            "form",
        )
        .distinct()
    )
    organisers, subjects, forms = {}, {}, set()
    for row in seen:
        name = " ".join(
            p
            for p in (
                row["organiser__last_name"],
                row["organiser__first_name"],
                row["organiser__middle_name"],
            )
            if p
        )
        organisers[row["organiser_id"]] = name
        if row["subject_id"]:
            subjects[row["subject_id"]] = row["subject__name"]
        forms.add(row["form"])
    return FilterOptions(
        classes=[(c.pk, str(c)) for c in classes],
        subjects=sorted(subjects.items(), key=lambda item: item[1]),
        organisers=sorted(organisers.items(), key=lambda item: item[1]),
        forms=[(v, label) for v, label in Consultation.Form.choices if v in forms],
    )


# --- Rows of the appendix -----------------------------------------------------------


@dataclass
class SessionChange:
    """A session that differs from the plan: cancelled, or moved."""

    starts_at: dt.datetime
    cancelled: bool
    moved_from: dt.datetime | None
    reason: str


@dataclass
class ConsultationRow:
    """One row of the «График консультаций» (the appendix's columns)."""

    pk: int
    number: int
    organiser_id: int
    organiser: str
    position: str
    subject: str
    classes: list[str]
    chosen_count: int
    for_parents: bool
    weekday: str
    dates: str
    time: str
    form: str
    form_value: str
    purpose: str
    volume: str
    topics: list[str]
    how_to_join: str
    description: str
    changes: list[SessionChange] = field(default_factory=list)

    @property
    def audience(self) -> str:
        """«7А, 7Б» and/or «выбранные обучающиеся: 3» — never their names."""
        parts = [", ".join(self.classes)] if self.classes else []
        if self.chosen_count:
            parts.append(chosen_students_text(self.chosen_count))
        return "; ".join(parts)

    @property
    def kind(self) -> str:
        """«текущая; обзорная» — the appendix's «вид» column."""
        return f"{self.purpose.lower()}; {self.volume.lower()}"


def chosen_students_text(count: int) -> str:
    return ngettext("%(count)s chosen student", "%(count)s chosen students", count) % {
        "count": count
    }


def _chosen_count():
    through = Consultation.audience_students.through
    return Coalesce(
        Subquery(
            through.objects.filter(consultation_id=OuterRef("pk"))
            .order_by()
            .values("consultation_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


class _Labels:
    """Translated labels looked up once per call, not once per row (a schedule has
    hundreds of rows)."""

    def __init__(self) -> None:
        self.forms = {v: str(label) for v, label in Consultation.Form.choices}
        self.purposes = {v: str(label) for v, label in Consultation.Purpose.choices}
        self.volumes = {v: str(label) for v, label in Consultation.Volume.choices}
        monday = dt.date(2024, 1, 1)
        self.weekdays = [
            formats.date_format(monday + dt.timedelta(days=i), "l").lower()
            for i in range(7)
        ]


def _changed_sessions() -> Prefetch:
    return Prefetch(
        "occurrences",
        queryset=Occurrence.objects.filter(
            Q(status=Occurrence.Status.CANCELLED) | Q(moved_from__isnull=False)
        ).order_by("starts_at"),
        to_attr="changed_sessions",
    )


def consultation_rows(
    schedule: ScheduleDocument, filters: Filters = Filters()
) -> list[ConsultationRow]:
    """The appendix's rows for the schedule as it stands now (four queries)."""
    consultations = (
        filters.apply(schedule.consultations.all())
        .select_related("organiser", "subject")
        .prefetch_related(
            Prefetch(
                "audience_classes",
                queryset=SchoolClass.objects.order_by("grade", "letter"),
            ),
            _changed_sessions(),
        )
        .annotate(
            chosen_count=_chosen_count(),
            last_planned=wall_clock.last_planned_subquery(),
        )
        .order_by(
            "organiser__last_name",
            "organiser__first_name",
            "organiser__middle_name",
            "starts_on",
            "start_time",
            "pk",
        )
    )
    consultations = list(consultations)
    positions = dict(
        Contract.objects.filter(
            person_id__in={c.organiser_id for c in consultations}
        ).values_list("person_id", "position")
    )
    labels = _Labels()
    rows = []
    for number, c in enumerate(consultations, start=1):
        regular = wall_clock.slot(c, c.last_planned)
        rows.append(
            ConsultationRow(
                pk=c.pk,
                number=number,
                organiser_id=c.organiser_id,
                organiser=c.organiser.full_name,
                position=positions.get(c.organiser_id, ""),
                subject=c.subject.name if c.subject_id else "",
                classes=[str(k) for k in c.audience_classes.all()],
                chosen_count=c.chosen_count,
                for_parents=c.for_parents,
                weekday=labels.weekdays[regular.weekday],
                dates=wall_clock.dates_text(c),
                time=regular.time_text,
                form=labels.forms.get(c.form, c.form),
                form_value=c.form,
                purpose=labels.purposes.get(c.purpose, c.purpose),
                volume=labels.volumes.get(c.volume, c.volume),
                topics=c.topic_list,
                how_to_join=c.how_to_join,
                description=c.description,
                changes=[
                    SessionChange(
                        starts_at=o.starts_at,
                        cancelled=o.status == Occurrence.Status.CANCELLED,
                        moved_from=o.moved_from,
                        reason=o.change_reason,
                    )
                    for o in c.changed_sessions
                ],
            )
        )
    return rows


# --- Sessions, day by day -----------------------------------------------------------


@dataclass
class Session:
    pk: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    moved_from: dt.datetime | None
    reason: str
    row: ConsultationRow

    @property
    def cancelled(self) -> bool:
        return self.status == Occurrence.Status.CANCELLED


@dataclass
class Day:
    date: dt.date
    sessions: list[Session]


@dataclass
class SessionWindow:
    start: dt.date
    end: dt.date  # the last day shown
    days: list[Day]
    next_start: dt.date | None  # where «later» continues
    previous_start: dt.date | None

    @property
    def count(self) -> int:
        return sum(len(day.sessions) for day in self.days)


def default_window_start(schedule: ScheduleDocument, today: dt.date) -> dt.date:
    """Today, kept inside the schedule's period."""
    return min(max(today, schedule.starts_on), schedule.ends_on)


def session_window(
    schedule: ScheduleDocument,
    rows: list[ConsultationRow],
    filters: Filters,
    start: dt.date,
    *,
    days: int = SESSION_WINDOW_DAYS,
    limit: int = SESSION_LIMIT,
) -> SessionWindow:
    """The sessions from `start` for `days` days (at most `limit`, cut at a whole
    day), grouped by date in the school's time zone (one query)."""
    tz = clock.zone()
    start = min(max(start, schedule.starts_on), schedule.ends_on)
    last = min(start + dt.timedelta(days=days - 1), schedule.ends_on)
    by_pk = {row.pk: row for row in rows}
    occurrences = list(
        Occurrence.objects.filter(
            consultation__in=filters.apply(schedule.consultations.all()).values("pk"),
            starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            starts_at__lt=dt.datetime.combine(
                last + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            ),
        )
        .order_by("starts_at", "pk")
        .only(
            "pk",
            "consultation_id",
            "starts_at",
            "ends_at",
            "status",
            "moved_from",
            "change_reason",
        )[: limit + 1]
    )
    if len(occurrences) > limit:
        # Cut before the day that did not fit whole; «later» starts on that day.
        cut_day = timezone.localtime(occurrences[limit].starts_at, tz).date()
        whole_days = [
            o
            for o in occurrences
            if timezone.localtime(o.starts_at, tz).date() < cut_day
        ]
        if whole_days:
            occurrences, last = whole_days, cut_day - dt.timedelta(days=1)
        else:  # one day busier than the limit: show its first `limit` sessions
            occurrences, last = occurrences[:limit], cut_day
    grouped: dict[dt.date, list[Session]] = {}
    for o in occurrences:
        row = by_pk.get(o.consultation_id)
        if row is None:
            continue
        local = timezone.localtime(o.starts_at, tz)
        grouped.setdefault(local.date(), []).append(
            Session(
                pk=o.pk,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                status=o.status,
                moved_from=o.moved_from,
                reason=o.change_reason,
                row=row,
            )
        )
    following = last + dt.timedelta(days=1)
    earlier = max(start - dt.timedelta(days=days), schedule.starts_on)
    return SessionWindow(
        start=start,
        end=last,
        days=[Day(date=d, sessions=s) for d, s in grouped.items()],
        next_start=following if following <= schedule.ends_on else None,
        previous_start=earlier if start > schedule.starts_on else None,
    )
