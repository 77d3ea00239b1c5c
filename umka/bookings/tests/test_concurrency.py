"""A slot holds one booking under load (R5): 50 people press «Book» at once.

On PostgreSQL the attempts really run in parallel — 50 threads, each with its own
connection, released together by a barrier. On SQLite (one writer at a time) the
same refusal is checked one attempt after another.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils.translation import override

from umka.accounts.tests.factories import make_student
from umka.bookings import services
from umka.bookings.models import Booking
from umka.bookings.tests.factories import booking_school, open_window, slots
from umka.core.errors import DomainError
from umka.school.tests.factories import EnrolmentFactory

ATTEMPTS = 50


def _classmates(school, count: int) -> list:
    students = [make_student() for _ in range(count)]
    for student in students:
        EnrolmentFactory(
            student=student,
            school_class=school.class_7a,
            starts_on=school.year.starts_on,
        )
    return students


def _attempt(slot, student, barrier, results) -> None:
    try:
        barrier.wait(timeout=30)
        with override("ru"):
            try:
                services.booking_create(
                    actor=student, slot=slot, student=student, note="Срочно"
                )
            except DomainError as refused:
                results.append(("refused", refused.code, refused.messages[0]))
            else:
                results.append(("booked", "", ""))
    except Exception as error:  # noqa: BLE001 — reported by the test
        results.append(("error", type(error).__name__, str(error)))
    finally:
        connections.close_all()


@pytest.mark.requirement("R5")
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel writers need PostgreSQL; SQLite runs the sequential test below",
)
def test_fifty_parallel_attempts_on_one_slot_make_exactly_one_booking(monkeypatch):
    school = booking_school()
    slot = slots(open_window(school))[0]
    students = _classmates(school, ATTEMPTS)
    barrier = threading.Barrier(ATTEMPTS)
    results: list[tuple[str, str, str]] = []
    threads = [
        threading.Thread(target=_attempt, args=(slot, s, barrier, results))
        for s in students
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [r for r in results if r[0] == "error"] == []
    assert len(results) == ATTEMPTS
    assert sum(1 for r in results if r[0] == "booked") == 1
    refused = [r for r in results if r[0] == "refused"]
    assert len(refused) == ATTEMPTS - 1
    assert {code for _, code, _ in refused} == {"slot_taken"}
    assert all("слот уже занят" in message for _, _, message in refused)
    assert Booking.objects.filter(slot=slot).count() == 1


@pytest.mark.requirement("R5")
@pytest.mark.django_db
def test_fifty_attempts_on_one_slot_one_after_another_make_one_booking(monkeypatch):
    school = booking_school()
    slot = slots(open_window(school))[0]
    booked, refused = 0, []
    for student in _classmates(school, ATTEMPTS):
        with override("ru"):
            try:
                services.booking_create(
                    actor=student, slot=slot, student=student, note="Срочно"
                )
            except DomainError as error:
                refused.append(error.messages[0])
            else:
                booked += 1
    assert booked == 1
    assert len(refused) == ATTEMPTS - 1
    assert all("слот уже занят" in message for message in refused)
    assert Booking.objects.filter(slot=slot).count() == 1
