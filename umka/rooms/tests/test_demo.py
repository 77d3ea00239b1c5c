"""`make run` opens a live demo room that is on now (manage.py demo_live_room)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from umka.accounts.models import User
from umka.rooms import policies
from umka.rooms.demo import live_demo_session
from umka.rooms.models import Room

DAY = dt.date(2026, 11, 26)

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_room_is_open_now_for_the_demo_accounts():
    from umka.demo.services import demo_school_load

    demo_school_load(today=DAY)
    now = timezone.make_aware(dt.datetime.combine(DAY, dt.time(16, 0)))
    room = live_demo_session(now)
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["teacher", "student", "parent", "deputy"]
        )
    }
    assert policies.role_in(people["teacher"], room) == "organiser"
    assert policies.role_in(people["student"], room) == "participant"
    assert policies.role_in(people["parent"], room) == "participant"
    assert policies.role_in(people["deputy"], room) == "observer"
    for role in ("organiser", "participant"):
        assert policies.is_open_for(room, role, now)
    # Running it again moves the same consultation's session, no pile-up.
    later = now + dt.timedelta(days=1)
    again = live_demo_session(later)
    assert again.occurrence.consultation_id == room.occurrence.consultation_id
    assert (
        Room.objects.filter(
            occurrence__consultation=again.occurrence.consultation
        ).count()
        == 1
    )
    assert policies.is_open_for(again, "participant", later)


def test_without_the_demo_school_it_says_what_to_do(capsys):
    call_command("demo_live_room")
    assert "load_demo_school" in capsys.readouterr().out
