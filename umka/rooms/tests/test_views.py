"""Room pages for every role: outsiders get 404, the audience gets the lobby, the
organiser opens/closes; files and the transcript follow the same rules (R4, R5)."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.consultations.models import Consultation, Occurrence
from umka.rooms import services
from umka.rooms.models import Attendance, ChatMessage, Room
from umka.rooms.tests.factories import (
    approved_school,
    make_booking,
    make_session,
    session_room,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return approved_school()


def _config(response) -> dict:
    return response.context["room_config"]


@pytest.mark.requirement("R4")
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 302),
        ("student", 302),
        ("deputy", 302),
        ("other_student", 404),
        ("parent", 404),  # parents are not invited to this one
        ("other_teacher", 404),
    ],
)
def test_the_session_link_per_role(client, school, who, status):
    occurrence = make_session(school)
    client.force_login(getattr(school, who))
    response = client.get(reverse("rooms:occurrence", args=[occurrence.uid]))
    assert response.status_code == status
    if status == 404:
        assert not Room.objects.exists()  # nothing created for an outsider
    else:
        room = Room.objects.get(occurrence=occurrence)
        assert response.url == reverse("rooms:room", args=[room.pk])


def test_an_anonymous_visitor_is_sent_to_sign_in(client, school):
    room = session_room(school)
    response = client.get(reverse("rooms:room", args=[room.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


@pytest.mark.requirement("R4")
def test_the_room_page_for_the_organiser_and_a_student(client, school):
    room = session_room(school, form=Consultation.Form.WEBINAR)
    client.force_login(school.teacher)
    page = client.get(reverse("rooms:room", args=[room.pk]))
    assert page.status_code == 200
    config = _config(page)
    assert config["role"] == "organiser"
    assert config["can_moderate"] is True
    assert config["may_publish"] is True
    assert config["ws"] == f"/ws/rooms/{room.pk}/"
    assert config["janus"] is None
    assert 'id="room-config"' in page.content.decode()

    client.force_login(school.student)
    config = _config(client.get(reverse("rooms:room", args=[room.pk])))
    assert config["role"] == "participant"
    assert config["can_moderate"] is False
    assert config["may_publish"] is False  # a webinar viewer until let speak


@pytest.mark.requirement("R4")
@pytest.mark.parametrize(
    "who", ["other_student", "other_parent", "parent", "classmate"]
)
def test_outsiders_get_404_on_every_room_page(client, school, who):
    room = session_room(school, classes=[], students=[school.student])
    message, _ = services.post_message(
        actor=school.student,
        room=room,
        client_id="f",
        html="",
        upload=SimpleUploadedFile("ответ.txt", "Решение".encode(), "text/plain"),
    )
    client.force_login(getattr(school, who))
    urls = [
        reverse("rooms:room", args=[room.pk]),
        reverse("rooms:present", args=[room.pk]),
        reverse("rooms:transcript", args=[room.pk]),
        reverse("rooms:file", args=[room.pk, message.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in ("rooms:open", "rooms:close", "rooms:attach"):
        assert client.post(reverse(url, args=[room.pk])).status_code == 404, url


@pytest.mark.requirement("R4")
def test_a_participant_sees_when_the_room_opens(client, school):
    room = session_room(school, starts_in=dt.timedelta(hours=3))
    client.force_login(school.student)
    page = client.get(reverse("rooms:room", args=[room.pk]))
    assert page.context["can_enter"] is False
    # A countdown to the opening (static countdown.js), not «reload the page».
    html = page.content.decode()
    assert 'id="room-countdown" data-countdown-to="' in html
    assert "umka/countdown.js" in html
    client.force_login(school.teacher)
    assert client.get(reverse("rooms:room", args=[room.pk])).context["can_enter"]
    response = client.post(reverse("rooms:open", args=[room.pk]))
    assert response.status_code == 302
    client.force_login(school.student)
    assert client.get(reverse("rooms:room", args=[room.pk])).context["can_enter"]


def test_a_student_cannot_open_or_close(client, school):
    room = session_room(school, starts_in=dt.timedelta(hours=3))
    client.force_login(school.student)
    client.post(reverse("rooms:open", args=[room.pk]))
    client.post(reverse("rooms:close", args=[room.pk]), {"confirmed": "yes"})
    room.refresh_from_db()
    assert room.opened_at is None
    assert room.closed_at is None


def test_the_organiser_closes_the_room(client, school):
    room = session_room(school)
    client.force_login(school.teacher)
    response = client.post(reverse("rooms:close", args=[room.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.closed_at is not None
    client.force_login(school.student)
    assert (
        client.get(reverse("rooms:room", args=[room.pk])).context["can_enter"] is False
    )


def test_closing_the_room_asks_first(client, school):
    """One tap never ends a consultation: the first POST (no JavaScript, so no
    dialog) gets the confirm page, the second with confirmed=yes closes."""
    room = session_room(school)
    client.force_login(school.teacher)
    page = client.get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert 'id="close-room-form" data-confirm="' in page
    assert 'id="close-room" class="btn danger"' in page
    url = reverse("rooms:close", args=[room.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert response.templates[0].name == "core/confirm.html"
    html = response.content.decode()
    assert 'name="confirmed" value="yes"' in html
    assert f'action="{url}"' in html
    room.refresh_from_db()
    assert room.closed_at is None
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.closed_at is not None


@pytest.mark.requirement("R4")
def test_attaching_a_file_and_downloading_it(client, school):
    room = session_room(school)
    client.force_login(school.student)
    response = client.post(
        reverse("rooms:attach", args=[room.pk]),
        {
            "client_id": "u-1",
            "html": "<i>моё решение</i>",
            "file": SimpleUploadedFile("решение.txt", b"x = 2", "text/plain"),
        },
    )
    assert response.status_code == 201
    data = response.json()
    assert data["attachment"]["name"] == "решение.txt"
    assert data["html"] == "<i>моё решение</i>"
    client.force_login(school.classmate)
    download = client.get(data["attachment"]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"x = 2"
    assert "attachment" in download["Content-Disposition"]


def test_a_refused_attachment_says_why_in_russian(client, school):
    room = session_room(school)
    client.force_login(school.student)
    response = client.post(
        reverse("rooms:attach", args=[room.pk]),
        {
            "client_id": "u-2",
            "file": SimpleUploadedFile(
                "run.exe", b"MZ\x90\x00", "application/x-msdownload"
            ),
        },
    )
    assert response.status_code == 400
    error = json.loads(response.content)["error"]
    assert any("а" <= ch <= "я" for ch in error.lower())
    assert not ChatMessage.objects.exists()
    missing = client.post(reverse("rooms:attach", args=[room.pk]), {"client_id": "u-3"})
    assert missing.status_code == 400


@pytest.mark.requirement("R5")
def test_a_parent_reads_the_chat_of_their_childs_individual_consultation(
    client, school
):
    booking = make_booking(school)
    room = services.room_for_booking(booking)
    services.post_message(
        actor=school.teacher, room=room, client_id="t", html="Повторите §12"
    )
    client.force_login(school.parent)
    page = client.get(reverse("rooms:transcript", args=[room.pk]))
    assert page.status_code == 200
    assert "Повторите §12" in page.content.decode()
    assert page.context["show_attendance"] is False
    client.force_login(school.other_parent)
    assert client.get(reverse("rooms:transcript", args=[room.pk])).status_code == 404
    client.force_login(school.classmate)
    assert client.get(reverse("rooms:booking", args=[booking.uid])).status_code == 404


@pytest.mark.requirement("R13")
def test_the_session_page_shows_who_attended_and_how_long(client, school):
    occurrence = make_session(school, starts_in=dt.timedelta(minutes=-30))
    room = services.room_for_occurrence(occurrence)
    start = occurrence.starts_at
    for user, role, minutes in (
        (school.teacher, "organiser", 40),
        (school.student, "participant", 25),
    ):
        Attendance.objects.create(
            room=room,
            user=user,
            role=role,
            peer=f"p{user.pk}",
            joined_at=start,
            left_at=start + dt.timedelta(minutes=minutes),
        )
    client.force_login(school.teacher)
    page = client.get(reverse("consultations:session", args=[occurrence.pk]))
    html = page.content.decode()
    assert school.student.full_name in html
    assert ">25<" in html
    assert ">40<" in html
    assert reverse("rooms:occurrence", args=[occurrence.uid]) in html


@pytest.mark.requirement("R13")
def test_the_organiser_corrects_held_to_not_held(client, school):
    occurrence = make_session(school, starts_in=dt.timedelta(minutes=-60))
    Occurrence.objects.filter(pk=occurrence.pk).update(status=Occurrence.Status.HELD)
    client.force_login(school.student)
    url = reverse("consultations:session_not_held", args=[occurrence.pk])
    client.post(url, {"reason": "Не было связи"})
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.HELD
    client.force_login(school.teacher)
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200  # the reason is required
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.HELD
    client.post(url, {"reason": "Не было связи"})
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.PLANNED


def test_the_booking_page_links_the_room(client, school):
    booking = make_booking(school)
    client.force_login(school.parent)
    page = client.get(reverse("bookings:detail", args=[booking.pk]))
    assert reverse("rooms:booking", args=[booking.uid]) in page.content.decode()


def test_present_lists_each_person_once(client, school):
    room = session_room(school)
    for n in range(2):
        Attendance.objects.create(
            room=room,
            user=school.classmate,
            role="participant",
            peer=f"tab{n}",
            joined_at=room.occurrence.starts_at,
        )
    admin = make_person(Role.ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(reverse("rooms:present", args=[room.pk]))
    assert page.content.decode().count(school.classmate.full_name) == 1


def test_a_janus_room_runs_peer_to_peer_once_janus_is_switched_off(
    client, school, settings
):
    room = session_room(school)
    Room.objects.filter(pk=room.pk).update(
        transport="janus", janus_room=424242, janus_secret="s", janus_pin="pin-1"
    )
    settings.JANUS_URL = "http://127.0.0.1:8088/janus"
    client.force_login(school.student)
    config = _config(client.get(reverse("rooms:room", args=[room.pk])))
    assert config["transport"] == "janus"
    assert config["janus"]["room"] == 424242
    assert config["janus"]["pin"] == "pin-1"
    settings.JANUS_URL = ""
    config = _config(client.get(reverse("rooms:room", args=[room.pk])))
    assert config["transport"] == "p2p"
    assert config["janus"] is None
