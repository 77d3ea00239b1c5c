"""Who may open windows, book, change and read bookings (R5, R3).

A pair for each question: a yes/no for one object and a queryset for lists. A
student sees only their own bookings, a parent those of the children they have
rights over (active links), an organiser those in their windows, the
administration all. The private note is for staff only: the organiser and the
administration.
"""

import datetime as dt

from django.db.models import Q, QuerySet

from umka.accounts.models import STAFF_ROLES, Role, RoleAssignment, User
from umka.accounts.policies import children_of, is_parent_of
from umka.bookings.models import Booking, BookingWindow, SlotWatch
from umka.consultations.policies import can_organise, is_coordinator
from umka.core import clock
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
    return user.is_authenticated and can_organise(user)


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


def windows_visible_to(user: User) -> QuerySet[BookingWindow]:
    if not user.is_authenticated:
        return BookingWindow.objects.none()
    if user.is_administration:
        return BookingWindow.objects.all()
    return BookingWindow.objects.filter(organiser=user)


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


def may_book_with(student: User, organiser_id: int, on: dt.date | None = None) -> bool:
    """Whether `student` may book the organiser's windows: the same rule as
    bookable_organisers(), for one organiser, in a few cheap queries (it runs on
    every booking)."""
    if organiser_id == student.pk:
        return False
    roles = set(
        RoleAssignment.objects.filter(
            user_id=organiser_id, user__is_active=True
        ).values_list("role", flat=True)
    )
    if not roles & STAFF_ROLES:
        return False
    if Role.TEACHER not in roles:
        return True
    class_ids = list(_current_class_ids(student, on or clock.today()))
    return (
        TeachingAssignment.objects.filter(
            teacher_id=organiser_id, school_class__in=class_ids
        ).exists()
        or SchoolClass.objects.filter(
            pk__in=class_ids, class_teacher_id=organiser_id
        ).exists()
    )


# --- Reading bookings ----------------------------------------------------------------


def bookings_visible_to(user: User) -> QuerySet[Booking]:
    """The bookings a person may open; anything else answers 404."""
    if not user.is_authenticated:
        return Booking.objects.none()
    if user.is_administration:
        return Booking.objects.all()
    visible = Q(window__organiser=user)
    if user.is_student:
        visible |= Q(student=user)
    if user.is_parent:
        visible |= Q(student__in=children_of(user).values("pk"))
    return Booking.objects.filter(visible)


def can_view_booking(user: User, booking: Booking) -> bool:
    return bookings_visible_to(user).filter(pk=booking.pk).exists()


def is_family(user: User, booking: Booking) -> bool:
    """The student themself, or a parent with rights over them now."""
    if not user.is_authenticated:
        return False
    if user.pk == booking.student_id:
        return True
    return user.is_parent and is_parent_of(user, booking.student)


def can_manage_booking(user: User, booking: Booking) -> bool:
    """Mark held or no-show, write the notes, cancel at any time: the organiser or
    a coordinator."""
    return user.is_authenticated and (
        user.pk == booking.window.organiser_id or is_coordinator(user)
    )


def can_see_private_note(user: User, booking: Booking) -> bool:
    """Staff only: the organiser and the administration — never the family."""
    return user.is_authenticated and (
        user.pk == booking.window.organiser_id or user.is_administration
    )


def watches_visible_to(user: User) -> QuerySet[SlotWatch]:
    if not user.is_authenticated:
        return SlotWatch.objects.none()
    return SlotWatch.objects.filter(
        Q(watcher=user) | Q(student__in=[s.pk for s in students_for(user)])
    )


__all__ = [
    "bookable_organisers",
    "bookings_visible_to",
    "can_book_for",
    "can_manage_booking",
    "can_manage_window",
    "can_open_windows",
    "can_see_private_note",
    "can_view_booking",
    "changes_close_at",
    "cutoff_hours",
    "is_family",
    "may_book_with",
    "may_have_windows",
    "students_for",
    "watches_visible_to",
    "windows_visible_to",
]
