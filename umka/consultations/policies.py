"""Who may plan, submit, approve, publish and see consultations (R8, R3)."""

from django.db.models import Q, QuerySet

from umka.accounts.models import STAFF_ROLES, Role, User
from umka.accounts.policies import children_of
from umka.consultations.models import (
    ApprovalDelegation,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.core import clock
from umka.school.models import Enrolment

#: Who assembles the school's schedule and may plan for anyone.
COORDINATOR_ROLES = frozenset({Role.DEPUTY_HEAD, Role.DIRECTOR})


def is_coordinator(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or bool(user.roles & COORDINATOR_ROLES)
    )


def can_organise(user: User) -> bool:
    """R3: teachers, deputies, heads of units and other staff give the help."""
    return user.is_authenticated and bool(user.roles & STAFF_ROLES)


def can_open_own_consultations(user: User) -> bool:
    """«My consultations» and the weekly load: staff and coordinators."""
    return user.is_authenticated and (user.is_school_staff or is_coordinator(user))


def oversees_schedules(user: User) -> bool:
    """The menu's «Schedules»: the administration assembles and approves them (staff
    may read the pages too, from their own list)."""
    return user.is_authenticated and user.is_administration


def can_plan(user: User, schedule: ScheduleDocument, organiser: User) -> bool:
    """A staff member plans their own consultations while the schedule is a draft
    (or amends them once approved); a coordinator plans anyone's, any time."""
    if not can_organise(organiser):
        return False
    if is_coordinator(user):
        return True
    if user.pk != organiser.pk or not can_organise(user):
        return False
    return schedule.status != ScheduleDocument.Status.SUBMITTED


def can_change(user: User, consultation: Consultation) -> bool:
    return can_plan(user, consultation.schedule, consultation.organiser)


def can_submit(user: User, schedule: ScheduleDocument) -> bool:
    return is_coordinator(user) and schedule.status == ScheduleDocument.Status.DRAFT


def can_approve(user: User, schedule: ScheduleDocument | None = None) -> bool:
    """The director, or a deputy the director authorised (R8)."""
    if schedule is not None and schedule.status != ScheduleDocument.Status.SUBMITTED:
        return False
    if not user.is_authenticated:
        return False
    if user.is_superuser or Role.DIRECTOR in user.roles:
        return True
    today = clock.today()
    return (
        Role.DEPUTY_HEAD in user.roles
        and ApprovalDelegation.objects.filter(deputy=user, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )


def can_publish(user: User, schedule: ScheduleDocument) -> bool:
    return schedule.status == ScheduleDocument.Status.APPROVED and (
        is_coordinator(user) or user.is_school_admin
    )


def can_mark_held(user: User, occurrence: Occurrence) -> bool:
    return user.pk == occurrence.consultation.organiser_id or is_coordinator(user)


def schedules_visible_to(user: User) -> QuerySet[ScheduleDocument]:
    """Drafts are for staff; everyone else sees published schedules only."""
    if user.is_authenticated and (can_organise(user) or user.is_administration):
        return ScheduleDocument.objects.all()
    return ScheduleDocument.objects.filter(status=ScheduleDocument.Status.PUBLISHED)


def _class_ids_of(students) -> QuerySet:
    today = clock.today()
    return (
        Enrolment.objects.filter(student__in=students, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values("school_class")
    )


def consultations_for(user: User) -> QuerySet[Consultation]:
    """«My consultations»: what a person organises, attends, or their children do.

    Only approved (or published) schedules count for students and parents.
    """
    if not user.is_authenticated:
        return Consultation.objects.none()
    approved = Q(
        schedule__status__in=[
            ScheduleDocument.Status.APPROVED,
            ScheduleDocument.Status.PUBLISHED,
        ]
    )
    mine = Q(organiser=user)
    if user.is_student:
        mine |= approved & (
            Q(audience_classes__in=_class_ids_of([user])) | Q(audience_students=user)
        )
    if user.is_parent:
        # A parent follows what their children attend (and what parents are
        # invited to, which is the same audience).
        children = children_of(user)
        mine |= approved & (
            Q(audience_classes__in=_class_ids_of(children))
            | Q(audience_students__in=children)
        )
    return Consultation.objects.filter(mine).distinct()
