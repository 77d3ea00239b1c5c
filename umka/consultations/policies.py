"""Who may plan, submit, approve, publish and see consultations (R8, R3).

Yes/no checks `can_<verb>(user, obj)`, querysets `<things>_visible_to(user)` and the
fetch-and-authorise helpers `access_<thing>(user, pk)` (one 404 for missing and
forbidden, `umka.core.access.get_visible_or_404`). The views and the services call
these; neither writes a rule of its own. An `access_…` helper takes `related=`, a
function that adds the joins a page needs to the visible queryset (the page's
selector), so fetching and authorising stay one query.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from umka.accounts.models import STAFF_ROLES, Role, User
from umka.accounts.policies import children_of
from umka.consultations.models import (
    ApprovalDelegation,
    ChecklistItem,
    ChecklistMaterial,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.core import clock
from umka.core.access import get_visible_or_404
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


def can_submit_schedules(user: User) -> bool:
    """Coordinators assemble the school's schedule and submit it."""
    return is_coordinator(user)


def can_submit(user: User, schedule: ScheduleDocument) -> bool:
    return (
        can_submit_schedules(user) and schedule.status == ScheduleDocument.Status.DRAFT
    )


def can_return_schedules(user: User) -> bool:
    """Coordinators, and whoever may approve, send a submitted schedule back."""
    return is_coordinator(user) or can_approve(user)


def can_return(user: User, schedule: ScheduleDocument) -> bool:
    return schedule.status == ScheduleDocument.Status.SUBMITTED and (
        is_coordinator(user) or can_approve(user, schedule)
    )


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


def can_publish_schedules(user: User) -> bool:
    """Coordinators or the school administrator publish on the site (R8)."""
    return is_coordinator(user) or (user.is_authenticated and user.is_school_admin)


def can_publish(user: User, schedule: ScheduleDocument) -> bool:
    return schedule.status == ScheduleDocument.Status.APPROVED and (
        can_publish_schedules(user)
    )


def can_delegate_approval(user: User) -> bool:
    """The director authorises a deputy to approve schedules (R8)."""
    return user.is_authenticated and (user.is_superuser or Role.DIRECTOR in user.roles)


def can_open_schedule_draft(user: User) -> bool:
    """A period's draft is opened by whoever plans into it, or the administrator."""
    return can_organise(user) or is_coordinator(user) or user.is_school_admin


def can_open_schedules(user: User) -> bool:
    """The schedules page's «open»: coordinators and the administration."""
    return is_coordinator(user) or (user.is_authenticated and user.is_administration)


def can_read_schedules(user: User) -> bool:
    """The schedule document screens, drafts included: staff (R3) and the
    administration. Students and parents have the public page."""
    return user.is_authenticated and (can_organise(user) or user.is_administration)


def can_see_delegations(user: User) -> bool:
    """Who may approve in the director's stead is the administration's to see."""
    return user.is_authenticated and user.is_administration


def can_mark_held(user: User, occurrence: Occurrence) -> bool:
    """R12: the session's outcome and its checklist are the conductor's."""
    return can_conduct(user, occurrence.consultation)


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


# --- The planning screens -------------------------------------------------------------


def can_plan_consultations(user: User) -> bool:
    """The planning form: those who consult (R3) and coordinators."""
    return can_organise(user) or is_coordinator(user)


def can_conduct(user: User, consultation: Consultation) -> bool:
    """Move, cancel, mark held, fill the checklist: the organiser or a coordinator
    (the services check the finer rules)."""
    return user.is_authenticated and (
        user.pk == consultation.organiser_id or is_coordinator(user)
    )


def can_remove(user: User, consultation: Consultation) -> bool:
    """A consultation leaves a schedule only while it is not approved (then its
    sessions are cancelled with a reason, R8)."""
    return can_change(user, consultation) and not consultation.schedule.is_approved


def sees_chosen_students(user: User, consultation: Consultation) -> bool:
    """The names of chosen students (minors) are for those who conduct the
    consultation and the administration; its audience sees how many."""
    return can_conduct(user, consultation) or (
        user.is_authenticated and user.is_administration
    )


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    """Consultations whose page a person may open: coordinators and the
    administration all; everyone else their own, and — once approved — those they or
    their children attend (`consultations_for`)."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    if is_coordinator(user) or user.is_administration:
        return Consultation.objects.all()
    return consultations_for(user)


def consultations_conducted_by(user: User) -> QuerySet[Consultation]:
    """What `can_conduct` allows, as a queryset."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    if is_coordinator(user):
        return Consultation.objects.all()
    return Consultation.objects.filter(organiser=user)


Related = Callable[[QuerySet], QuerySet]


def _as_is(queryset: QuerySet) -> QuerySet:
    return queryset


def access_consultation(
    user: User, pk: int, *, related: Related = _as_is
) -> Consultation:
    return get_visible_or_404(related(consultations_visible_to(user)), pk=pk)


def access_consultation_to_conduct(
    user: User, pk: int, *, related: Related = _as_is
) -> Consultation:
    return get_visible_or_404(
        related(consultations_conducted_by(user)),
        pk=pk,
    )


def occurrences_visible_to(user: User) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(
        consultation__in=consultations_visible_to(user).values("pk")
    )


def access_occurrence(user: User, pk: int, *, related: Related = _as_is) -> Occurrence:
    return get_visible_or_404(related(occurrences_visible_to(user)), pk=pk)


def access_occurrence_to_conduct(
    user: User, pk: int, *, related: Related = _as_is
) -> Occurrence:
    conducted = Occurrence.objects.filter(
        consultation__in=consultations_conducted_by(user).values("pk")
    )
    return get_visible_or_404(related(conducted), pk=pk)


def access_checklist_item(
    user: User, pk: int, *, related: Related = _as_is
) -> ChecklistItem:
    """A checklist item to fill (R12): the conductor's."""
    conducted = ChecklistItem.objects.filter(
        occurrence__consultation__in=consultations_conducted_by(user).values("pk")
    )
    return get_visible_or_404(related(conducted), pk=pk)


def access_material(user: User, pk: int) -> ChecklistMaterial:
    """A checklist material to download: whoever may open the consultation."""
    return get_visible_or_404(
        ChecklistMaterial.objects.filter(
            item__occurrence__consultation__in=consultations_visible_to(user).values(
                "pk"
            )
        ),
        pk=pk,
    )


# --- The schedule document screens and the print form ---------------------------------


def schedules_readable_by(user: User) -> QuerySet[ScheduleDocument]:
    """The schedule document screens' schedules: all of them for those who may read
    the screens, none for anyone else (who gets 404, not the public page)."""
    if not can_read_schedules(user):
        return ScheduleDocument.objects.none()
    return ScheduleDocument.objects.all()


def access_schedule_document(
    user: User, pk: int, *, related: Related = _as_is
) -> ScheduleDocument:
    return get_visible_or_404(related(schedules_readable_by(user)), pk=pk)


def access_printable_schedule(
    user: User, pk: int, *, related: Related = _as_is
) -> ScheduleDocument:
    """The print form and the PDF: a published schedule for anyone, a draft for
    staff to sign (`schedules_visible_to`)."""
    return get_visible_or_404(related(schedules_visible_to(user)), pk=pk)


def feed_organisers() -> QuerySet[User]:
    """Whose consultations have a public calendar feed: people holding a staff
    role (R3)."""
    return User.objects.filter(role_assignments__role__in=STAFF_ROLES).distinct()
