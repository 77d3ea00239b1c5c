"""The demo's individual consultations (umka.bookings.demo)."""

import random

import pytest
from django.test import override_settings

from umka.bookings.demo import load_demo_bookings, wipe_demo_bookings
from umka.bookings.models import Booking, BookingWindow, SlotWatch
from umka.consultations import rules
from umka.consultations.recurrence import week_start
from umka.core import clock as school_clock
from umka.demo.builder import DEFAULT_SEED
from umka.demo.services import demo_school_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        demo_school_load(seed=DEFAULT_SEED, today=school_clock.today())


def test_demo_bookings_respect_the_rules(demo):
    today = school_clock.today()
    # The demo loader brings its bookings; load them again on their own.
    wipe_demo_bookings()
    counts = load_demo_bookings(rng=random.Random(DEFAULT_SEED), today=today)
    assert counts["windows"] >= 4
    assert counts["held"] == 1
    assert counts["watches"] == 1
    held = Booking.objects.get(status=Booking.Status.HELD)
    assert held.student.username == "student"
    assert held.booked_by.username == "parent"
    assert held.outcome_note
    assert held.private_note
    assert SlotWatch.objects.get().slot.bookings.filter(status="booked").exists()
    # R7: no week of any organiser over the contract, nothing overlapping.
    for window in BookingWindow.objects.select_related("organiser"):
        others = BookingWindow.objects.filter(organiser=window.organiser).exclude(
            pk=window.pk
        )
        assert not others.filter(
            starts_at__lt=window.ends_at, ends_at__gt=window.starts_at
        ).exists()
        contract = window.organiser.contract
        if contract.consultation_hours is not None:
            week = week_start(window.date)
            assert rules.weekly_load(window.organiser, week) <= (
                contract.consultation_hours
            )
    wipe_demo_bookings()
    assert not BookingWindow.objects.exists()
