"""Which schedules are public and what their page shows around the rows (R8): the
published schedules, the one current for today, the «УТВЕРЖДАЮ» block, the filters.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import (
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.consultations.models import (
    Consultation,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.core import clock
from umka.school.models import SchoolClass

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
