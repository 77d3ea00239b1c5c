"""The back office shows rooms, chat and attendance read-only, never Janus secrets."""

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.rooms import services
from umka.rooms.models import Attendance
from umka.rooms.tests.factories import approved_school, session_room

pytestmark = pytest.mark.django_db


def test_the_school_administrator_reads_rooms_chat_and_attendance(client):
    school = approved_school()
    room = session_room(school)
    room.janus_secret, room.janus_pin = "top-secret-value", "pin-value-123"
    room.save()
    services.post_message(actor=school.student, room=room, client_id="a", html="Вопрос")
    Attendance.objects.create(
        room=room,
        user=school.student,
        role="participant",
        peer="p1",
        joined_at=room.occurrence.starts_at,
    )
    client.force_login(make_person(Role.ADMINISTRATOR))
    for name, args in (
        ("admin:rooms_room_changelist", []),
        ("admin:rooms_room_change", [room.pk]),
        ("admin:rooms_chatmessage_changelist", []),
    ):
        page = client.get(reverse(name, args=args))
        assert page.status_code == 200, name
        html = page.content.decode()
        assert "top-secret-value" not in html
        assert "pin-value-123" not in html
    page = client.get(reverse("admin:rooms_room_change", args=[room.pk]))
    assert school.student.full_name in page.content.decode()
    assert client.get(reverse("admin:rooms_room_add")).status_code == 403
