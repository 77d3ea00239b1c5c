"""The booking rules in one place: the fetch-and-authorise helpers answer one 404
for what is missing and what is forbidden, and the view and the service ask the
same policy (R3, R5)."""

import datetime as dt

import pytest
from django.http import Http404

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.bookings import policies, services
from umka.bookings.models import Booking
from umka.bookings.tests.factories import booking_school, open_window, slots
from umka.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return booking_school()


@pytest.fixture
def window(school):
    return open_window(school)


@pytest.fixture
def booking(school, window):
    return services.booking_create(
        actor=school.parent,
        slot=slots(window)[0],
        student=school.student,
        note="Дроби",
    )


@pytest.mark.requirement("R3")
def test_access_booking_answers_the_same_404_for_missing_and_forbidden(school, booking):
    assert policies.access_booking(school.parent, booking.pk) == booking
    assert policies.access_booking(school.teacher, booking.pk) == booking
    with pytest.raises(Http404):
        policies.access_booking(school.other_parent, booking.pk)
    with pytest.raises(Http404):
        policies.access_booking(school.parent, booking.pk + 1000)
    with pytest.raises(Http404):
        policies.access_booking(school.parent, "not a number")


@pytest.mark.requirement("R3")
def test_access_window_is_the_organisers_and_the_administrations(school, window):
    assert policies.access_window(school.teacher, window.pk) == window
    assert policies.access_window(school.deputy, window.pk) == window
    for outsider in (school.student, school.parent, make_person(Role.TEACHER)):
        with pytest.raises(Http404):
            policies.access_window(outsider, window.pk)


@pytest.mark.requirement("R3", "R5")
def test_access_student_is_oneself_or_ones_child(school):
    assert policies.access_student(school.student)[0] == school.student
    assert policies.access_student(school.parent, school.student.pk)[0] == (
        school.student
    )
    with pytest.raises(Http404):
        policies.access_student(school.other_parent, school.student.pk)
    with pytest.raises(Http404):
        policies.access_student(school.teacher)


@pytest.mark.requirement("R5")
def test_access_slot_needs_an_organiser_of_the_students_class(school, window):
    slot = slots(window)[0]
    assert policies.access_slot(school.student, slot.pk) == (slot, school.student)
    with pytest.raises(Http404):
        policies.access_slot(school.other_student, slot.pk)


@pytest.mark.requirement("R3")
def test_access_watch_is_the_families_own(school, window, booking):
    watch = services.watch_create(
        actor=school.classmate,
        slot=slots(window)[0],
        student=school.classmate,
        note="Тоже дроби",
    )
    assert policies.access_watch(school.classmate, watch.pk) == watch
    assert policies.can_remove_watch(school.classmate, watch)
    for outsider in (school.student, school.parent, school.teacher):
        with pytest.raises(Http404):
            policies.access_watch(outsider, watch.pk)
        assert not policies.can_remove_watch(outsider, watch)


@pytest.mark.requirement("R5")
@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("student", True),
        ("parent", True),
        ("other_student", False),
        ("other_parent", False),
        ("teacher", True),
        ("deputy", True),
    ],
)
def test_the_view_and_the_service_share_the_cancel_rule(school, booking, name, allowed):
    user = getattr(school, name)
    assert policies.can_cancel_booking(user, booking) is allowed
    if allowed:
        services.booking_cancel(actor=user, booking=booking, reason="Болезнь")
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    else:
        with pytest.raises(DomainError):
            services.booking_cancel(actor=user, booking=booking, reason="Болезнь")
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.BOOKED


@pytest.mark.requirement("R5")
def test_the_administrator_reads_windows_but_opens_none(school):
    administrator = make_person(Role.ADMINISTRATOR)
    assert policies.can_see_windows(administrator)
    assert not policies.can_open_windows(administrator, administrator)
    assert policies.can_see_windows(school.teacher)
    assert not policies.can_see_windows(school.parent)


@pytest.mark.requirement("R5")
def test_booking_rights_follow_the_cutoff_and_the_start(school, booking, clock):
    family = policies.booking_rights(school.parent, booking, clock.now)
    assert family["family"]
    assert family["may_change"]
    assert not family["manage"]
    assert not family["see_private"]
    staff = policies.booking_rights(school.teacher, booking, clock.now)
    assert staff["may_cancel_as_staff"]
    assert not staff["may_mark"]
    assert staff["see_private"]
    clock.travel(booking.slot.starts_at)
    late = policies.booking_rights(school.parent, booking, clock.now)
    assert not late["may_change"]
    assert policies.booking_rights(school.teacher, booking, clock.now)["may_mark"]


@pytest.mark.requirement("R3", "R5")
def test_may_book_with_agrees_with_bookable_organisers_for_everyone(school):
    """The one-query check of every booking gives the answer of the list page's
    queryset, for each student and each person of the school (a teacher of the
    class, one of another class, a deputy, a student, a parent)."""
    from umka.accounts.models import User

    psychologist = make_person(Role.STAFF)
    school.class_7b.class_teacher = school.other_teacher
    school.class_7b.save()
    people = list(User.objects.all())
    assert psychologist in people
    for student in (school.student, school.classmate, school.other_student):
        allowed = set(
            policies.bookable_organisers(student).values_list("pk", flat=True)
        )
        for person in people:
            assert policies.may_book_with(student, person.pk) == (
                person.pk in allowed
            ), (student, person)
    assert policies.may_book_with(school.student, psychologist.pk)
    assert policies.may_book_with(school.student, school.teacher.pk)


@pytest.mark.requirement("R3", "R5")
def test_may_book_with_refuses_an_inactive_organiser_and_a_left_class(school, clock):
    assert policies.may_book_with(school.student, school.teacher.pk)
    school.teacher.is_active = False
    school.teacher.save()
    assert not policies.may_book_with(school.student, school.teacher.pk)
    school.teacher.is_active = True
    school.teacher.save()
    from umka.school.models import Enrolment

    Enrolment.objects.filter(student=school.student).update(
        ends_on=clock.today() - dt.timedelta(days=1)
    )
    assert not policies.may_book_with(school.student, school.teacher.pk)
