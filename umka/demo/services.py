"""Loading the demo school into the database — once — and wiping it to reload.

The audit trail is append-only (R13), so a reset never touches it: `--reset` is
refused unless the trail shows the database was only ever a demo (the demo's own
entries and sign-ins). A database that has been used for anything else starts
over from scratch instead (delete var/umka.sqlite3, or drop the PostgreSQL
database).
"""

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.audit.models import AuditEntry
from umka.audit.registry import label
from umka.audit.services import record
from umka.consultations.models import (
    ApprovalDelegation,
    ChecklistItem,
    ChecklistMaterial,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.schedule.versions import schedule_rows
from umka.core import clock
from umka.core.errors import DomainError
from umka.demo.audit_actions import DEMO_LOADED, DEMO_RESET
from umka.demo.builder import DEFAULT_SEED, DemoPlan, build_demo_school
from umka.demo.logins import DEMO_PASSWORD
from umka.demo.schedule import rows_as_of
from umka.school.models import (
    AcademicYear,
    Contract,
    Enrolment,
    Holiday,
    ProgramPart,
    ProgramPartCompletion,
    School,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
    WorkingTime,
)
from umka.school.selectors import forget_cached_school

ACTOR_NAME = "manage.py load_demo_school"
#: What browsing a demo leaves in the audit trail; anything else is real use.
BROWSING_ACTIONS = frozenset(
    {
        "accounts.signed_in",
        "accounts.signed_out",
        "accounts.sign_in_failed",
        "accounts.locked_out",
        "accounts.password_changed",
    }
)
LOADED, ALREADY_LOADED, OTHER_DATA = "loaded", "already_loaded", "other_data"


@dataclass(frozen=True)
class LoadResult:
    status: str  # LOADED, ALREADY_LOADED or OTHER_DATA
    year: str = ""
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    digest: str = ""
    #: False when the loaded year does not contain today (time for --reset).
    year_is_current: bool = True


def school_has_data() -> bool:
    """Any school, academic year or person other than a superuser."""
    return (
        School.objects.exists()
        or AcademicYear.objects.exists()
        or User.objects.filter(is_superuser=False).exists()
    )


def demo_was_loaded() -> bool:
    return AuditEntry.objects.filter(action=DEMO_LOADED).exists()


def demo_school_load(
    *, seed: int = DEFAULT_SEED, today: dt.date | None = None, reset: bool = False
) -> LoadResult:
    """Fill an empty database with the demo school of the year containing `today`.

    Does nothing when the school already has data, unless `reset` — which wipes
    people and school data first, and only on a database used as a demo.
    Records one «demo.loaded» audit entry (not one per row).
    """
    today = today or clock.today()
    started = time.perf_counter()
    with transaction.atomic():
        if school_has_data():
            if not reset:
                return LoadResult(
                    status=ALREADY_LOADED if demo_was_loaded() else OTHER_DATA,
                    year=", ".join(AcademicYear.objects.values_list("name", flat=True)),
                    year_is_current=AcademicYear.objects.filter(
                        starts_on__lte=today, ends_on__gte=today
                    ).exists(),
                )
            _check_reset_allowed()
            removed = _wipe()
            record(
                actor=None, actor_name=ACTOR_NAME, action=DEMO_RESET, changes=removed
            )
        plan = build_demo_school(seed=seed, today=today)
        _write(plan)
        counts = plan_counts(plan)
        counts.update(_load_extras(seed=seed, today=today))
        record(
            actor=None,
            actor_name=ACTOR_NAME,
            action=DEMO_LOADED,
            target=plan.school,
            changes={"seed": seed, "today": today.isoformat(), **counts},
        )
        transaction.on_commit(forget_cached_school)
    return LoadResult(
        status=LOADED,
        year=plan.year.name,
        seconds=time.perf_counter() - started,
        counts=counts,
        digest=plan.digest(),
    )


def plan_counts(plan: DemoPlan) -> dict[str, int]:
    roles = Counter(str(a.role) for a in plan.roles)
    return {
        "people": len(plan.users),
        "classes": len(plan.classes),
        "students": roles[Role.STUDENT],
        "parents": roles[Role.PARENT],
        "teachers": roles[Role.TEACHER],
        "schedules": len(plan.schedule.documents),
        "consultations": len(plan.schedule.consultations),
        "sessions": len(plan.schedule.occurrences),
    }


def _check_reset_allowed() -> None:
    if not demo_was_loaded():
        raise DomainError(
            _(
                "The database holds school data that the demo did not load; "
                "it is not wiped."
            )
        )
    used = (
        AuditEntry.objects.exclude(action__startswith="demo.")
        .exclude(action__in=BROWSING_ACTIONS)
        .order_by("at", "pk")
        .first()
    )
    if used is not None:
        raise DomainError(
            _(
                "The demo school has been used (the audit trail records "
                "«%(action)s» on %(date)s) and the audit trail cannot be wiped. "
                "Start from an empty database instead: delete var/umka.sqlite3 "
                "or drop the PostgreSQL database, then migrate and load again."
            )
            % {"action": label(used.action), "date": f"{used.at:%Y-%m-%d}"}
        )


def _load_extras(*, seed: int, today: dt.date) -> dict[str, int]:
    """Other apps' demo data on top of the school: each app owns its own loader and
    gets its own seeded generator, so adding one does not change the others."""
    from umka.assignments.demo import load_demo_assignments
    from umka.bookings.demo import load_demo_bookings
    from umka.demo.grades import load_demo_grades
    from umka.forums.demo import load_demo_interaction
    from umka.materials.demo import load_demo_materials
    from umka.privacy.demo import load_demo_consents
    from umka.requests.demo import load_demo_requests

    consents = load_demo_consents(today=today, given_at=_first_school_day(today))
    bookings = load_demo_bookings(
        rng=random.Random(f"{seed}:bookings"),  # noqa: S311
        today=today,
    )
    requests = load_demo_requests(
        rng=random.Random(f"{seed}:requests"),  # noqa: S311
        today=today,
    )
    return {
        "consents": consents,
        **{f"bookings_{key}": value for key, value in bookings.items()},
        "requests": len(requests),
        # Demo data, not secrets: a seeded generator is the point.
        "grades": load_demo_grades(
            rng=random.Random(f"{seed}:grades"),  # noqa: S311
            today=today,
        ),
        **{
            f"deferred_{key}": value
            for key, value in load_demo_assignments(
                rng=random.Random(f"{seed}:assignments"),  # noqa: S311
                today=today,
            ).items()
        },
        **load_demo_materials(
            rng=random.Random(f"{seed}:materials"),  # noqa: S311
            today=today,
        ),
        **load_demo_interaction(seed=seed, today=today),
    }


def _first_school_day(today: dt.date) -> dt.datetime:
    """When the demo families gave their consents: 1 September, 9:00."""
    from zoneinfo import ZoneInfo

    from umka.demo.calendar import TIME_ZONE, academic_year_start

    start = dt.datetime(academic_year_start(today), 9, 1, 9, tzinfo=ZoneInfo(TIME_ZONE))
    return min(start, clock.now())


def _wipe_extras() -> None:
    from umka.bookings.demo import wipe_demo_bookings
    from umka.demo.grades import wipe_demo_grades
    from umka.privacy.demo import wipe_demo_consents
    from umka.ratings.demo import wipe_demo_ratings
    from umka.requests.demo import wipe_demo_requests

    wipe_demo_consents()
    wipe_demo_ratings()
    wipe_demo_requests()
    wipe_demo_grades()
    wipe_demo_bookings()


def _wipe() -> dict[str, int]:
    """Delete people (superusers stay), the consultation schedules and all school
    data; the trail stays."""
    _wipe_extras()
    # Leaves first: each is one plain DELETE instead of a cascade collected in Python.
    # Consultations go before people and school rows (they protect both).
    for model in (
        ChecklistMaterial,
        ChecklistItem,
        Occurrence,
        Consultation.audience_classes.through,
        Consultation.audience_students.through,
        Consultation,
        ScheduleVersion,
        ScheduleDocument,
        ApprovalDelegation,
        ProgramPartCompletion,
        TeachingAssignment,
        Enrolment,
        WorkingTime,
        Contract,
        ParentLink,
        RoleAssignment,
        SchoolClass,
        ProgramPart,
        StudyPeriod,
        Holiday,
    ):
        model.objects.all().delete()
    years, _detail = AcademicYear.objects.all().delete()
    Subject.objects.all().delete()
    # Audit entries keep the name of a deleted actor (actor is SET_NULL).
    people = User.objects.filter(is_superuser=False)
    removed = {"people": people.count(), "years": years}
    people.delete()
    School.objects.all().delete()
    return removed


def _write(plan: DemoPlan) -> None:
    """Save the plan in dependency order, a few bulk inserts per table."""
    plan.school.save()
    plan.year.save()
    StudyPeriod.objects.bulk_create(plan.periods)
    Holiday.objects.bulk_create(plan.holidays)
    Subject.objects.bulk_create(plan.subjects.values())
    # One hash for everyone: hashing ~2,000 passwords one by one takes minutes.
    password = make_password(DEMO_PASSWORD)
    for user in plan.users:
        user.password = password
    User.objects.bulk_create(plan.users, batch_size=500)
    RoleAssignment.objects.bulk_create(plan.roles, batch_size=1000)
    SchoolClass.objects.bulk_create(plan.classes)
    Enrolment.objects.bulk_create(plan.enrolments, batch_size=1000)
    ParentLink.objects.bulk_create(plan.links, batch_size=1000)
    Contract.objects.bulk_create(plan.contracts)
    WorkingTime.objects.bulk_create(plan.working_times)
    TeachingAssignment.objects.bulk_create(plan.assignments, batch_size=1000)
    ProgramPart.objects.bulk_create(plan.parts, batch_size=1000)
    ProgramPartCompletion.objects.bulk_create(plan.completions, batch_size=1000)
    _write_schedule(plan)


def _write_schedule(plan: DemoPlan) -> None:
    """The consultation schedules: documents, consultations and their classes,
    sessions, checklists, then the versions of the approved ones (R8)."""
    schedule = plan.schedule
    ScheduleDocument.objects.bulk_create(schedule.documents)
    Consultation.objects.bulk_create(schedule.consultations, batch_size=500)
    through = Consultation.audience_classes.through
    through.objects.bulk_create(
        [through(consultation=c, schoolclass=k) for c, k in schedule.audiences],
        batch_size=1000,
    )
    Occurrence.objects.bulk_create(schedule.occurrences, batch_size=1000)
    ChecklistItem.objects.bulk_create(schedule.checklist, batch_size=1000)
    # auto_now_add stamps the moment of the load; the demo's papers are older.
    for document in schedule.documents:
        created = schedule.created[id(document)]
        ScheduleDocument.objects.filter(pk=document.pk).update(created_at=created)
        document.created_at = created
        Consultation.objects.filter(schedule=document).update(
            created_at=created + dt.timedelta(days=1),
            updated_at=created + dt.timedelta(days=1),
        )
    rows = {
        id(document): schedule_rows(document)
        for document in {id(v.document): v.document for v in schedule.versions}.values()
    }
    versions = ScheduleVersion.objects.bulk_create(
        [
            ScheduleVersion(
                document=v.document,
                number=v.number,
                created_by=v.created_by,
                reason=v.reason,
                rows=rows_as_of(rows[id(v.document)], v, schedule),
            )
            for v in schedule.versions
        ]
    )
    for version, planned in zip(versions, schedule.versions, strict=True):
        ScheduleVersion.objects.filter(pk=version.pk).update(
            created_at=planned.created_at
        )
