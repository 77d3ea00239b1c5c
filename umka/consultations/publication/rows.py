"""The published schedule's rows (R8): the appendix's rows as the schedule stands
now (`consultation_rows`) and its sessions day by day (`session_window`), in a fixed
number of queries. Chosen students (minors) are never named: a count is shown.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import ngettext

from umka.consultations import wall_clock
from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.publication.selectors import Filters
from umka.core import clock
from umka.school.models import Contract, SchoolClass

#: The public list of sessions shows this many days at a time…
SESSION_WINDOW_DAYS = 28


#: …and at most this many sessions (cut at a whole day; «later» continues).
SESSION_LIMIT = 300


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


def chosen_count(consultation: str = "pk") -> Coalesce:
    """How many chosen students a consultation has, as an annotation (`consultation`
    names the consultation's key in the outer query). A count, never the names."""
    through = Consultation.audience_students.through
    return Coalesce(
        Subquery(
            through.objects.filter(consultation_id=OuterRef(consultation))
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
    schedule: ScheduleDocument, filters: Filters | None = None
) -> list[ConsultationRow]:
    """The appendix's rows for the schedule as it stands now (four queries)."""
    filters = filters or Filters()
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
            chosen_count=chosen_count(),
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
