"""Bookings over the configured rate are refused with the note kept."""

import pytest
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.bookings.models import Booking
from umka.bookings.tests.factories import booking_school, open_window, slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return booking_school()


def test_booking_over_the_rate_is_refused_keeping_the_note(client, school, settings):
    settings.RATE_LIMITS = {"bookings.create": "0/h"}
    slot = slots(open_window(school))[1]
    client.force_login(school.parent)
    response = client.post(
        reverse("bookings:book", args=[slot.pk]),
        {"student": school.student.pk, "note": "Проценты и дроби"},
    )
    page = response.content.decode()
    assert "Слишком много попыток" in page
    assert "Проценты и дроби" in page
    assert not Booking.objects.exists()
    assert AuditEntry.objects.filter(action="core.rate_limited").count() == 1


def test_booking_within_the_rate_goes_through(client, school, settings):
    settings.RATE_LIMITS = {"bookings.create": "1/h"}
    slot = slots(open_window(school))[1]
    client.force_login(school.parent)
    response = client.post(
        reverse("bookings:book", args=[slot.pk]),
        {"student": school.student.pk, "note": "Проценты"},
    )
    assert response.status_code == 302
    assert Booking.objects.count() == 1
