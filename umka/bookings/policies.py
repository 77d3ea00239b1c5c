"""Who may open windows, book, change and read bookings (R5, R3).

A pair for each question: a yes/no for one object and a queryset for lists. A
student sees only their own bookings, a parent those of the children they have
rights over (active links), an organiser those in their windows, the
administration all. The private note is for staff only: the organiser and the
administration.

Views fetch through the `access_*` helpers (one 404 for missing and forbidden);
a view and the service it calls ask the same question here (`can_cancel_booking`,
`acts_for_family`, `can_manage_booking`, ...), so a rule is written once.
"""

import datetime as dt

from django.db import connection
from django.db.models import Q, QuerySet

from umka.accounts.models import STAFF_ROLES, Role, RoleAssignment, User
from umka.accounts.policies import children_of, is_parent_of
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.consultations.policies import can_organise, is_coordinator
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.school.models import Enrolment, SchoolClass, TeachingAssignment
from umka.school.selectors import current_school

#: When the school has not said otherwise (School.booking_cutoff_hours).
DEFAULT_CUTOFF_HOURS = 12


# --- The cut-off ---------------------------------------------------------------------


def cutoff_hours() -> int:
    school = current_school()
    return school.booking_cutoff_hours if school else DEFAULT_CUTOFF_HOURS


def changes_close_at(starts_at: dt.datetime) -> dt.datetime:
    """Booking, cancelling and moving close this long before a slot (the school's
    booking_cutoff_hours, 12 by default)."""
    return starts_at - dt.timedelta(hours=cutoff_hours())


# --- Windows -------------------------------------------------------------------------


def can_open_windows(actor: User, organiser: User) -> bool:
    """A staff member opens their own windows; a coordinator anyone's (R3)."""
    if not actor.is_authenticated or not can_organise(organiser):
        return False
    return actor.pk == organiser.pk or is_coordinator(actor)


def may_have_windows(user: User) -> bool:
    """Staff who organise consultations open windows of their own."""
    return user.is_authenticated and can_organise(user)


def can_see_windows(user: User) -> bool:
    """«My windows»: an organiser's own; the administration reads everyone's."""
    return may_have_windows(user) or (user.is_authenticated and user.is_administration)


def can_open_bookings(user: User) -> bool:
    """The menu's «Individual consultations»: families book, staff open windows."""
    return user.is_authenticated and (
        user.is_student or user.is_parent or user.is_school_staff
    )


def can_manage_window(user: User, window: BookingWindow) -> bool:
    """Cancel the window, mark its meetings: the organiser or a coordinator."""
    return user.is_authenticated and (
        user.pk == window.organiser_id or is_coordinator(user)
    )


def windows_visible_to(
    user: User, among: QuerySet[BookingWindow] | None = None
) -> QuerySet[BookingWindow]:
    """An organiser's own windows; the administration's, everyone's. `among` is a
    page's queryset (a selector's joins and prefetches) to narrow."""
    rows = BookingWindow.objects.all() if among is None else among
    if not user.is_authenticated:
        return rows.none()
    if user.is_administration:
        return rows
    return rows.filter(organiser=user)


def access_window(
    user: User, pk, *, among: QuerySet[BookingWindow] | None = None
) -> BookingWindow:
    """A window `user` may see, else 404 (missing or not theirs alike)."""
    return get_visible_or_404(windows_visible_to(user, among), pk=pk)


# --- Who books for whom --------------------------------------------------------------


def can_book_for(actor: User, student: User) -> bool:
    """A student books for themself; a parent for a child they have rights over."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.pk == student.pk:
        return actor.is_student
    return actor.is_parent and is_parent_of(actor, student)


def students_for(actor: User) -> list[User]:
    """Whom `actor` may book for: themself (a student) and their children."""
    if not actor.is_authenticated:
        return []
    people = [actor] if actor.is_student else []
    if actor.is_parent:
        people += list(children_of(actor).order_by("last_name", "first_name", "pk"))
    return people


def access_student(user: User, pk=None) -> tuple[User, list[User]]:
    """The student a booking page is about — one `user` may book for, chosen by
    `pk` or, without a choice, the first of them (a student: themself) — and all
    of them; 404 when there is none or the choice is not theirs."""
    students = students_for(user)
    require(bool(students))
    if pk in (None, ""):
        return students[0], students
    chosen = next((s for s in students if str(s.pk) == str(pk)), None)
    require(chosen is not None)
    return chosen, students


def access_my_bookings(user: User) -> tuple[list[User], bool]:
    """«Individual consultations»: whom `user` books for and whether they have (or
    read) windows; 404 for a person with neither."""
    students = students_for(user)
    has_windows = can_see_windows(user)
    require(bool(students) or has_windows)
    return students, has_windows


def _current_class_ids(student: User, on: dt.date) -> QuerySet:
    return (
        Enrolment.objects.filter(student=student, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .values_list("school_class", flat=True)
    )


def bookable_organisers(student: User, on: dt.date | None = None) -> QuerySet[User]:
    """Whose windows a student may book: the teachers of their class (subject
    teachers and the class teacher) and the staff who are not teachers — deputies,
    the psychologist, heads of units — who help every student (R3)."""
    on = on or clock.today()
    class_ids = _current_class_ids(student, on)
    staff = RoleAssignment.objects.filter(
        role__in=STAFF_ROLES, user__is_active=True
    ).values("user")
    teachers = RoleAssignment.objects.filter(role=Role.TEACHER).values("user")
    return (
        User.objects.filter(pk__in=staff)
        .filter(
            Q(
                pk__in=TeachingAssignment.objects.filter(
                    school_class__in=class_ids
                ).values("teacher")
            )
            | Q(
                pk__in=SchoolClass.objects.filter(pk__in=class_ids).values(
                    "class_teacher"
                )
            )
            | ~Q(pk__in=teachers)
        )
        .exclude(pk=student.pk)
    )


_STAFF = tuple(sorted(STAFF_ROLES))


def _may_book_with_sql() -> str:
    user, role = User._meta.db_table, RoleAssignment._meta.db_table
    enrolment, teaching = Enrolment._meta.db_table, TeachingAssignment._meta.db_table
    school_class = SchoolClass._meta.db_table
    staff = ", ".join(["%s"] * len(_STAFF))
    in_class = (
        "e.student_id = %s AND e.starts_on <= %s "
        "AND (e.ends_on IS NULL OR e.ends_on >= %s)"
    )
    return f"""
        SELECT 1 FROM {user} u
        WHERE u.id = %s AND u.is_active
          AND EXISTS (SELECT 1 FROM {role} r
                      WHERE r.user_id = u.id AND r.role IN ({staff}))
          AND (NOT EXISTS (SELECT 1 FROM {role} r
                           WHERE r.user_id = u.id AND r.role = %s)
               OR EXISTS (SELECT 1 FROM {teaching} t
                          JOIN {enrolment} e ON e.school_class_id = t.school_class_id
                          WHERE t.teacher_id = u.id AND {in_class})
               OR EXISTS (SELECT 1 FROM {school_class} c
                          JOIN {enrolment} e ON e.school_class_id = c.id
                          WHERE c.class_teacher_id = u.id AND {in_class}))
    """  # noqa: S608 (table names from the models, values as parameters)


def may_book_with(student: User, organiser_id: int, on: dt.date | None = None) -> bool:
    """Whether `student` may book the organiser's windows: the same rule as
    bookable_organisers() — a staff member who is not a teacher, or a teacher of
    the student's class (a subject teacher or the class teacher) — for one
    organiser. It runs twice on every booking (the page's access, the service),
    so it is one plain query: the ORM takes longer to build its subqueries than
    the database to answer them."""
    if organiser_id == student.pk:
        return False
    on = on or clock.today()
    in_class = [student.pk, on, on]
    with connection.cursor() as cursor:
        cursor.execute(
            _may_book_with_sql(),
            [organiser_id, *_STAFF, Role.TEACHER.value, *in_class, *in_class],
        )
        return cursor.fetchone() is not None


# --- Which slots may be booked --------------------------------------------------------


def slots_open_for_booking(now: dt.datetime | None = None) -> QuerySet[Slot]:
    """Slots of live windows whose cut-off has not passed."""
    now = now or clock.now()
    return Slot.objects.filter(
        window__cancelled_at__isnull=True,
        starts_at__gt=now + dt.timedelta(hours=cutoff_hours()),
    )


def slot_bookable_by(student: User, pk, now: dt.datetime | None = None) -> Slot | None:
    """A slot `student` may book or watch now (before its cut-off, of an organiser
    who helps them), or None."""
    now = now or clock.now()
    # The window with it, not the organiser (a page that shows the name loads
    # it), and no ORDER BY: building the joins and the ordering took longer than
    # the database's answer.
    slot = next(
        iter(
            slots_open_for_booking(now)
            .filter(pk=pk)
            .select_related("window")
            .order_by()[:1]
        ),
        None,
    )
    if slot is None or not may_book_with(
        student, slot.window.organiser_id, clock.local_date(now)
    ):
        return None
    # The service checks the organiser again unless the slot it is handed says
    # it was checked for this student, here, in this request.
    slot.organiser_checked_for = student.pk
    return slot


def access_slot(user: User, pk, *, student=None) -> tuple[Slot, User]:
    """A slot `user` may book or watch for one of their students (`student`, or
    the first of them), and that student; 404 otherwise."""
    chosen, _students = access_student(user, student)
    slot = slot_bookable_by(chosen, pk)
    require(slot is not None)
    return slot, chosen


# --- Reading bookings ----------------------------------------------------------------


def bookings_visible_to(
    user: User, among: QuerySet[Booking] | None = None
) -> QuerySet[Booking]:
    """The bookings a person may open; anything else answers 404. `among` is a
    page's queryset (a selector's joins) to narrow."""
    rows = Booking.objects.all() if among is None else among
    if not user.is_authenticated:
        return rows.none()
    if user.is_administration:
        return rows
    visible = Q(window__organiser=user)
    if user.is_student:
        visible |= Q(student=user)
    if user.is_parent:
        visible |= Q(student__in=children_of(user).values("pk"))
    return rows.filter(visible)


def access_booking(
    user: User, pk, *, among: QuerySet[Booking] | None = None
) -> Booking:
    """A booking `user` may see, else 404 (missing or not theirs alike)."""
    return get_visible_or_404(bookings_visible_to(user, among), pk=pk)


def can_view_booking(user: User, booking: Booking) -> bool:
    return bookings_visible_to(user).filter(pk=booking.pk).exists()


def is_family(user: User, booking: Booking) -> bool:
    """The student themself, or a parent with rights over them now."""
    if not user.is_authenticated:
        return False
    if user.pk == booking.student_id:
        return True
    return user.is_parent and is_parent_of(user, booking.student)


def acts_for_family(user: User, booking: Booking) -> bool:
    """The family side of a booking: the student, or a parent, who may book for
    the student now — they cancel and move it until the cut-off."""
    return is_family(user, booking) and can_book_for(user, booking.student)


def can_manage_booking(user: User, booking: Booking) -> bool:
    """Mark held or no-show, write the notes, cancel at any time: the organiser or
    a coordinator."""
    return user.is_authenticated and (
        user.pk == booking.window.organiser_id or is_coordinator(user)
    )


def can_cancel_booking(user: User, booking: Booking) -> bool:
    """The family (until the cut-off) or the organiser and coordinators (until it
    starts, with a reason); the service says which limit applies."""
    return acts_for_family(user, booking) or can_manage_booking(user, booking)


def can_reschedule_booking(user: User, booking: Booking) -> bool:
    """Only the family moves a booking (to another slot of the same organiser)."""
    return acts_for_family(user, booking)


def can_see_private_note(user: User, booking: Booking) -> bool:
    """Staff only: the organiser and the administration — never the family."""
    return user.is_authenticated and (
        user.pk == booking.window.organiser_id or user.is_administration
    )


def booking_rights(user: User, booking: Booking, now: dt.datetime) -> dict:
    """What a booking's page offers `user` now: the family's cancel and move
    until the cut-off, the staff's cancel until the start, marking once it has
    started, the private note."""
    family = acts_for_family(user, booking)
    manage = can_manage_booking(user, booking)
    booked = booking.status == Booking.Status.BOOKED
    close_at = changes_close_at(booking.slot.starts_at)
    return {
        "family": family,
        "manage": manage,
        "close_at": close_at,
        "may_change": family and booked and now < close_at,
        "may_cancel_as_staff": manage
        and not family
        and booked
        and now < booking.slot.starts_at,
        "may_mark": manage and booking.is_active and now >= booking.slot.starts_at,
        "see_private": can_see_private_note(user, booking),
    }


def watches_visible_to(user: User) -> QuerySet[SlotWatch]:
    if not user.is_authenticated:
        return SlotWatch.objects.none()
    return SlotWatch.objects.filter(
        Q(watcher=user) | Q(student__in=[s.pk for s in students_for(user)])
    )


def access_watch(user: User, pk) -> SlotWatch:
    """A place in a queue `user` holds (for themself or a child), else 404."""
    return get_visible_or_404(watches_visible_to(user), pk=pk)


def can_remove_watch(user: User, watch: SlotWatch) -> bool:
    """Whoever queued, or anyone who may book for the student."""
    return user.pk == watch.watcher_id or can_book_for(user, watch.student)


__all__ = [
    "access_booking",
    "access_my_bookings",
    "access_slot",
    "access_student",
    "access_watch",
    "access_window",
    "acts_for_family",
    "bookable_organisers",
    "booking_rights",
    "bookings_visible_to",
    "can_book_for",
    "can_cancel_booking",
    "can_manage_booking",
    "can_manage_window",
    "can_open_windows",
    "can_remove_watch",
    "can_reschedule_booking",
    "can_see_private_note",
    "can_see_windows",
    "can_view_booking",
    "changes_close_at",
    "cutoff_hours",
    "is_family",
    "may_book_with",
    "may_have_windows",
    "slot_bookable_by",
    "slots_open_for_booking",
    "students_for",
    "watches_visible_to",
    "windows_visible_to",
]
