"""Every room view for every role (anonymous, student, other student, parent,
other parent, teacher, deputy, administrator): the status code, and that nothing
changed when the person was refused (R4, R5, R3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from umka.bookings.tests.factories import ROLES, signed_in
from umka.rooms import services
from umka.rooms.models import Attendance, ChatMessage, Member, Room
from umka.rooms.tests.factories import approved_school, make_booking, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return approved_school()


def state() -> list:
    return [
        list(Room.objects.order_by("pk").values()),
        list(ChatMessage.objects.order_by("pk").values()),
        list(Member.objects.order_by("pk").values()),
        list(Attendance.objects.order_by("pk").values()),
    ]


def _with_file(school, room) -> ChatMessage:
    message, _created = services.post_message(
        actor=school.teacher,
        room=room,
        client_id="t-1",
        html="Разбор",
        upload=SimpleUploadedFile("разбор.txt", b"x = 2", "text/plain"),
    )
    return message


def _session(school):
    return services.room_for_occurrence(make_session(school))


def _booking(school):
    return services.room_for_booking(make_booking(school))


#: A session for 7А (parents not invited) and an individual consultation of the
#: student: the status of each page per role.
READS = {
    "session": {
        "anonymous": 302,
        "student": 200,
        "other_student": 404,
        "parent": 404,
        "other_parent": 404,
        "teacher": 200,
        "deputy": 200,
        "administrator": 200,
    },
    "booking": {
        "anonymous": 302,
        "student": 200,
        "other_student": 404,
        "parent": 200,
        "other_parent": 404,
        "teacher": 200,
        "deputy": 200,
        "administrator": 200,
    },
}


@pytest.mark.requirement("R4", "R5", "R3")
@pytest.mark.parametrize("kind", ["session", "booking"])
@pytest.mark.parametrize("name", ROLES)
def test_room_pages_role_matrix(client, school, kind, name):
    room = _session(school) if kind == "session" else _booking(school)
    message = _with_file(school, room)
    client = signed_in(client, school, name)
    status = READS[kind][name]
    before = state()
    for url in (
        reverse("rooms:room", args=[room.pk]),
        reverse("rooms:present", args=[room.pk]),
        reverse("rooms:transcript", args=[room.pk]),
        reverse("rooms:file", args=[room.pk, message.pk]),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert reverse("accounts:login") in response.url
    assert state() == before


@pytest.mark.requirement("R4", "R5", "R3")
@pytest.mark.parametrize("kind", ["session", "booking"])
@pytest.mark.parametrize("name", ROLES)
def test_room_link_role_matrix(client, school, kind, name):
    if kind == "session":
        occurrence = make_session(school)
        url = reverse("rooms:occurrence", args=[occurrence.uid])
    else:
        booking = make_booking(school)
        url = reverse("rooms:booking", args=[booking.uid])
    status = {200: 302, 302: 302, 404: 404}[READS[kind][name]]
    response = signed_in(client, school, name).get(url)
    assert response.status_code == status
    if name == "anonymous":
        assert reverse("accounts:login") in response.url
    # An outsider's visit creates no room.
    assert Room.objects.exists() == (status == 302 and name != "anonymous")


#: Opening and closing: the moderators (the organiser, the deputy who
#: coordinates) do it; the others in the audience are refused with a message.
MODERATES = {"teacher", "deputy"}


@pytest.mark.requirement("R4", "R3")
@pytest.mark.parametrize("action", ["rooms:open", "rooms:close"])
@pytest.mark.parametrize("name", ROLES)
def test_open_and_close_role_matrix(client, school, action, name):
    room = _session(school)
    before = state()
    response = signed_in(client, school, name).post(
        reverse(action, args=[room.pk]), {"confirmed": "yes"}
    )
    status = READS["session"][name]
    assert response.status_code == (302 if status != 404 else 404)
    changed = state() != before
    assert changed == (name in MODERATES)


@pytest.mark.requirement("R4", "R3")
@pytest.mark.parametrize("name", ROLES)
def test_attach_role_matrix(client, school, name):
    room = _session(school)
    before = state()
    response = signed_in(client, school, name).post(
        reverse("rooms:attach", args=[room.pk]),
        {
            "client_id": "m-1",
            "html": "Вопрос",
            "file": SimpleUploadedFile("вопрос.txt", b"?", "text/plain"),
        },
    )
    expected = {
        "anonymous": 302,
        "student": 201,
        "other_student": 404,
        "parent": 404,
        "other_parent": 404,
        "teacher": 201,
        "deputy": 201,
        "administrator": 201,
    }[name]
    assert response.status_code == expected
    assert (state() != before) == (expected == 201)
