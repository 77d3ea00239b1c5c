"""Rules of live rooms: who enters in which role and when, the chat's checks, and
attendance (R4, R5, R13)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.bookings.models import BookingWindow
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.rooms import ice, policies, services
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


# --- Who is in the audience --------------------------------------------------------


@pytest.mark.requirement("R4", "R3")
def test_access_room_answers_one_404_for_missing_and_outsiders(school):
    room = session_room(school)
    assert policies.access_room(school.student, room.pk) == (room, "participant")
    for pk, who in ((room.pk, school.other_student), (room.pk + 99, school.student)):
        with pytest.raises(Http404):
            policies.access_room(who, pk)
    occurrence, booking = room.occurrence, make_booking(school)
    assert policies.access_occurrence(school.student, occurrence.uid) == occurrence
    assert policies.access_booking(school.parent, booking.uid) == booking
    with pytest.raises(Http404):
        policies.access_occurrence(school.parent, occurrence.uid)
    with pytest.raises(Http404):
        policies.access_booking(school.other_parent, booking.uid)


@pytest.mark.requirement("R4")
def test_a_deleted_or_plain_message_has_no_file_to_download(school):
    room = session_room(school)
    plain, _ = services.post_message(
        actor=school.student, room=room, client_id="p", html="Привет"
    )
    with pytest.raises(Http404):
        policies.access_chat_file(school.student, room.pk, plain.pk)


@pytest.mark.requirement("R13")
def test_attendance_is_for_moderators_and_the_administration(school):
    room = session_room(school)
    assert policies.can_see_attendance(school.teacher, room)
    assert policies.can_see_attendance(make_person(Role.ADMINISTRATOR), room)
    assert not policies.can_see_attendance(school.student, room)


@pytest.mark.requirement("R4")
def test_roles_in_a_class_consultation(school):
    room = session_room(school)
    admin = make_person(Role.ADMINISTRATOR)
    assert policies.role_in(school.teacher, room) == "organiser"
    assert policies.role_in(school.student, room) == "participant"
    assert policies.role_in(school.classmate, room) == "participant"
    assert policies.role_in(school.deputy, room) == "observer"
    assert policies.role_in(school.director, room) == "observer"
    assert policies.role_in(admin, room) == "observer"
    # Not invited: another class, a parent (parents not invited), another teacher.
    assert policies.role_in(school.other_student, room) is None
    assert policies.role_in(school.parent, room) is None
    assert policies.role_in(school.other_teacher, room) is None


@pytest.mark.requirement("R4")
def test_parents_enter_when_invited_and_only_for_their_children(school):
    room = session_room(school, for_parents=True)
    assert policies.role_in(school.parent, room) == "participant"
    assert policies.role_in(school.other_parent, room) is None


@pytest.mark.requirement("R4")
def test_chosen_students_enter_a_consultation_of_another_class(school):
    room = session_room(school, classes=[], students=[school.other_student])
    assert policies.role_in(school.other_student, room) == "participant"
    assert policies.role_in(school.student, room) is None


def test_a_draft_schedule_has_no_room_for_students(school):
    ScheduleDocument.objects.filter(pk=school.schedule.pk).update(
        status=ScheduleDocument.Status.DRAFT
    )
    school.schedule.refresh_from_db()
    room = session_room(school)
    assert policies.role_in(school.student, room) is None
    assert policies.role_in(school.teacher, room) == "organiser"


@pytest.mark.parametrize("for_parents", [False, True])
def test_the_home_list_shortcut_agrees_with_the_full_check(school, for_parents):
    room = session_room(school, for_parents=for_parents)
    consultation = room.occurrence.consultation
    # Everyone whose «Мои консультации» lists it: organiser, students, parents.
    for person in (school.teacher, school.student, school.classmate, school.parent):
        assert policies.may_enter_from_own_list(person, consultation) == (
            policies.role_in(person, room) is not None
        ), person


@pytest.mark.requirement("R5")
def test_roles_in_an_individual_consultation(school):
    room = services.room_for_booking(make_booking(school))
    assert room.kind == Room.Kind.INDIVIDUAL
    assert room.transport == "p2p"
    assert policies.role_in(school.teacher, room) == "organiser"
    assert policies.role_in(school.student, room) == "participant"
    assert policies.role_in(school.parent, room) == "participant"
    assert policies.role_in(school.deputy, room) == "observer"
    for outsider in (school.classmate, school.other_parent, school.other_teacher):
        assert policies.role_in(outsider, room) is None


def test_a_chat_only_booking_window_gives_a_chat_room(school):
    booking = make_booking(school, form=BookingWindow.Form.CHAT)
    room = services.room_for_booking(booking)
    assert room.kind == Room.Kind.CHAT
    assert room.media is False


def test_one_room_per_session_whoever_comes_first(school):
    occurrence = make_session(school)
    first = services.room_for_occurrence(occurrence)
    assert services.room_for_occurrence(occurrence) == first
    assert Room.objects.filter(occurrence=occurrence).count() == 1


# --- When it is open -----------------------------------------------------------------


@pytest.mark.requirement("R4")
def test_opening_times(school, settings):
    settings.ROOM_OPENS_MINUTES_BEFORE = 15
    settings.ROOM_CLOSES_MINUTES_AFTER = 60
    room = session_room(school, starts_in=dt.timedelta(hours=1), minutes=45)
    starts_at = room.occurrence.starts_at
    before = starts_at - dt.timedelta(minutes=16)
    assert not policies.is_open_for(room, "participant", before)
    assert policies.is_open_for(room, "organiser", before)
    assert policies.is_open_for(
        room, "participant", starts_at - dt.timedelta(minutes=15)
    )
    end = room.occurrence.ends_at
    assert policies.is_open_for(room, "participant", end + dt.timedelta(minutes=60))
    assert not policies.is_open_for(room, "participant", end + dt.timedelta(minutes=61))
    assert not policies.is_open_for(room, "organiser", end + dt.timedelta(minutes=61))
    assert not policies.is_open_for(room, None, starts_at)


@pytest.mark.requirement("R4")
def test_the_organiser_opens_early_and_closes(school):
    room = session_room(school, starts_in=dt.timedelta(hours=2))
    assert not policies.is_open_for(room, "participant")
    with pytest.raises(ValidationError):
        services.room_open(actor=school.student, room=room)
    services.room_open(actor=school.teacher, room=room)
    assert policies.is_open_for(room, "participant")
    services.room_close(actor=school.teacher, room=room)
    assert not policies.is_open_for(room, "participant")
    assert not policies.is_open_for(room, "organiser")
    actions = set(
        AuditEntry.objects.filter(target_id=str(room.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"rooms.opened", "rooms.closed"} <= actions


def test_a_cancelled_session_is_closed(school):
    room = session_room(school)
    Occurrence.objects.filter(pk=room.occurrence_id).update(
        status=Occurrence.Status.CANCELLED, change_reason="Болезнь"
    )
    room.occurrence.refresh_from_db()
    assert not policies.is_open_for(room, "organiser")


def test_who_may_publish(school):
    webinar = session_room(school, form=Consultation.Form.WEBINAR)
    assert policies.may_publish(webinar, "organiser", may_speak=False, muted=False)
    assert not policies.may_publish(
        webinar, "participant", may_speak=False, muted=False
    )
    assert policies.may_publish(webinar, "participant", may_speak=True, muted=False)
    assert not policies.may_publish(webinar, "observer", may_speak=True, muted=False)
    conference = session_room(school)
    assert policies.may_publish(conference, "participant", may_speak=False, muted=False)
    chat = session_room(school, form=Consultation.Form.CHAT)
    assert not chat.media
    assert not policies.may_publish(chat, "organiser", may_speak=True, muted=False)


# --- Chat ---------------------------------------------------------------------------


@pytest.mark.requirement("R4")
def test_a_message_is_sanitised_stored_once_and_checked(school, settings):
    room = session_room(school)
    message, created = services.post_message(
        actor=school.student,
        room=room,
        client_id="a",
        html='<p onclick="x()">Смотрите <a href="javascript:alert(1)">тут</a></p>',
    )
    assert created
    assert "onclick" not in message.html
    assert "javascript" not in message.html
    again, created = services.post_message(
        actor=school.student, room=room, client_id="a", html="другой текст"
    )
    assert not created
    assert again.pk == message.pk
    with pytest.raises(ValidationError) as empty:
        services.post_message(
            actor=school.student,
            room=room,
            client_id="b",
            html="<p> </p><script>x</script>",
        )
    assert empty.value.code == "empty"
    settings.ROOM_CHAT_MAX_CHARS = 10
    with pytest.raises(ValidationError) as long:
        services.post_message(
            actor=school.student, room=room, client_id="c", html="слишком длинное"
        )
    assert long.value.code == "too_long"
    assert "15" in long.value.messages[0]


def test_an_outsider_cannot_post(school):
    room = session_room(school)
    with pytest.raises(ValidationError):
        services.post_message(
            actor=school.other_student, room=room, client_id="a", html="привет"
        )
    assert not ChatMessage.objects.exists()


def test_an_attachment_passes_the_upload_check(school):
    room = session_room(school)
    upload = SimpleUploadedFile("задача.txt", "Условие задачи".encode(), "text/plain")
    message, created = services.post_message(
        actor=school.student, room=room, client_id="f", html="", upload=upload
    )
    assert created
    assert message.attachment_name == "задача.txt"
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")
    with pytest.raises(ValidationError):
        services.post_message(
            actor=school.student, room=room, client_id="g", html="", upload=bad
        )
    fake_pdf = SimpleUploadedFile("scan.pdf", b"not a pdf", "application/pdf")
    with pytest.raises(ValidationError):
        services.post_message(
            actor=school.student, room=room, client_id="h", html="", upload=fake_pdf
        )
    assert ChatMessage.objects.count() == 1


def test_moderation_is_for_the_organiser_and_coordinators(school):
    room = session_room(school)
    message, _ = services.post_message(
        actor=school.student, room=room, client_id="a", html="текст"
    )
    with pytest.raises(ValidationError):
        services.delete_message(
            actor=school.classmate, room=room, message_id=message.pk
        )
    with pytest.raises(ValidationError):
        services.set_muted(
            actor=school.classmate, room=room, user_id=school.student.pk, muted=True
        )
    services.delete_message(actor=school.deputy, room=room, message_id=message.pk)
    member = services.set_muted(
        actor=school.teacher, room=room, user_id=school.student.pk, muted=True
    )
    assert member.muted
    with pytest.raises(ValidationError):
        services.set_muted(
            actor=school.teacher, room=room, user_id=school.other_student.pk, muted=True
        )
    with pytest.raises(ValidationError) as not_webinar:
        services.set_may_speak(
            actor=school.teacher, room=room, user_id=school.student.pk, allowed=True
        )
    assert not_webinar.value.code == "not_webinar"


def test_history_is_the_latest_messages_in_order(school, settings):
    settings.ROOM_HISTORY_MESSAGES = 3
    room = session_room(school)
    for n in range(5):
        services.post_message(
            actor=school.student, room=room, client_id=str(n), html=f"m{n}"
        )
    assert [m.html for m in services.history(room)] == ["m2", "m3", "m4"]
    first = ChatMessage.objects.get(client_id="0")
    assert [m.html for m in services.history(room, after=first.pk)] == [
        "m1",
        "m2",
        "m3",
        "m4",
    ]


# --- Attendance (R13) ---------------------------------------------------------------


def _visit(room, user, role, start, end):
    return Attendance.objects.create(
        room=room,
        user=user,
        role=role,
        peer=f"{user.pk}-{start:%H%M%S}",
        joined_at=start,
        left_at=end,
    )


@pytest.mark.requirement("R13")
def test_attendance_summary_counts_overlaps_once(school):
    room = session_room(school)
    t = room.occurrence.starts_at
    minute = dt.timedelta(minutes=1)
    _visit(room, school.teacher, "organiser", t, t + 45 * minute)
    # Two tabs and a reconnect: 0–20 and 10–30 overlap, then 40–45.
    _visit(room, school.student, "participant", t, t + 20 * minute)
    _visit(room, school.student, "participant", t + 10 * minute, t + 30 * minute)
    _visit(room, school.student, "participant", t + 40 * minute, t + 45 * minute)
    rows = services.attendance_summary(room)
    assert [r.user for r in rows] == [school.teacher, school.student]
    student = rows[1]
    assert student.minutes == 35
    assert student.connections == 3
    assert student.first_joined == t
    assert student.last_left == t + 45 * minute


@pytest.mark.requirement("R13")
def test_a_session_with_its_organiser_present_is_marked_held(school):
    room = session_room(school, starts_in=dt.timedelta(minutes=-120), minutes=45)
    t = room.occurrence.starts_at
    _visit(room, school.teacher, "organiser", t, t + dt.timedelta(minutes=40))
    empty = session_room(school, starts_in=dt.timedelta(minutes=-120), minutes=45)
    # The organiser looked in before the session only: that is not holding it.
    early = empty.occurrence.starts_at - dt.timedelta(minutes=30)
    _visit(empty, school.teacher, "organiser", early, early + dt.timedelta(minutes=5))
    counts = services.apply_attendance()
    assert counts == {"rooms": 2, "held": 1}
    room.occurrence.refresh_from_db()
    empty.occurrence.refresh_from_db()
    assert room.occurrence.status == Occurrence.Status.HELD
    assert room.occurrence.held_by == school.teacher
    assert empty.occurrence.status == Occurrence.Status.PLANNED
    assert AuditEntry.objects.filter(action="rooms.auto_held").count() == 1
    # Once per room: the organiser's correction stands.
    Occurrence.objects.filter(pk=room.occurrence_id).update(
        status=Occurrence.Status.PLANNED
    )
    assert services.apply_attendance() == {"rooms": 0, "held": 0}


@pytest.mark.requirement("R12")
def test_an_attestation_session_without_its_checklist_stays_planned(school):
    room = session_room(
        school,
        starts_in=dt.timedelta(minutes=-120),
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
    )
    for kind in ChecklistItem.Kind.values:
        ChecklistItem.objects.create(occurrence=room.occurrence, kind=kind)
    t = room.occurrence.starts_at
    _visit(room, school.teacher, "organiser", t, t + dt.timedelta(minutes=40))
    assert services.apply_attendance() == {"rooms": 1, "held": 0}
    room.occurrence.refresh_from_db()
    assert room.occurrence.status == Occurrence.Status.PLANNED


def test_connections_left_open_are_closed_when_the_room_ends(school):
    room = session_room(school, starts_in=dt.timedelta(minutes=-200), minutes=45)
    visit = _visit(room, school.student, "participant", room.occurrence.starts_at, None)
    services.apply_attendance()
    visit.refresh_from_db()
    assert visit.left_at == policies.closes_at(room)


def test_turn_credentials_follow_coturns_shared_secret_scheme(settings):
    import base64
    import hashlib
    import hmac

    settings.TURN_SECRET = "s3cret"
    settings.TURN_URLS = ["turn:turn.school.example:3478"]
    settings.STUN_URLS = ["stun:turn.school.example:3478"]
    settings.TURN_CREDENTIAL_HOURS = 1
    username, credential = ice.turn_credentials(7, now=1_000_000)
    assert username == "1003600:umka-7"
    expected = hmac.new(b"s3cret", username.encode(), hashlib.sha1).digest()
    assert base64.b64decode(credential) == expected
    servers = ice.ice_servers(7)
    assert servers[0] == {"urls": ["stun:turn.school.example:3478"]}
    assert servers[1]["urls"] == ["turn:turn.school.example:3478"]


def test_no_ice_servers_by_default(settings):
    settings.TURN_URLS, settings.STUN_URLS = [], []
    assert ice.ice_servers(1) == []


def test_the_transport_is_p2p_without_janus(school, settings):
    settings.JANUS_URL = ""
    room = session_room(school, form=Consultation.Form.WEBINAR)
    assert room.transport == "p2p"
    assert room.janus_room is None


def test_janus_failure_falls_back_to_p2p(school, settings, monkeypatch):

    settings.JANUS_URL = "http://127.0.0.1:9/janus"
    settings.JANUS_ADMIN_URL = "http://127.0.0.1:9/admin"

    # Nothing listens there: Janus is down.
    room = session_room(school, form=Consultation.Form.WEBINAR)
    assert room.transport == "p2p"
    assert room.janus_room is None


def test_webinars_and_large_groups_use_janus_when_configured(
    school, settings, monkeypatch
):
    from umka.rooms import janus

    settings.JANUS_URL = "http://127.0.0.1:8088/janus"
    settings.ROOM_P2P_MAX_PARTICIPANTS = 4
    created = []
    monkeypatch.setattr(
        janus, "create_room", lambda room_id, **kw: created.append((room_id, kw))
    )
    webinar = session_room(school, form=Consultation.Form.WEBINAR)
    assert webinar.transport == "janus"
    assert created[0][0] == webinar.janus_room
    assert created[0][1]["pin"] == webinar.janus_pin
    assert created[0][1]["secret"] == webinar.janus_secret
    # 7А has 2 students + the organiser: small enough for peer to peer.
    small = session_room(school)
    assert small.transport == "p2p"
    settings.ROOM_P2P_MAX_PARTICIPANTS = 2
    large = session_room(school)
    assert large.transport == "janus"
    # Chat never needs a media server.
    assert session_room(school, form=Consultation.Form.CHAT).transport == "p2p"


def test_closing_a_room_while_janus_is_down_keeps_trying_later(school, settings):
    from umka.rooms.models import Room as RoomModel

    settings.JANUS_URL = "http://127.0.0.1:9/janus"
    settings.JANUS_ADMIN_URL = "http://127.0.0.1:9/admin"
    room = session_room(school)
    RoomModel.objects.filter(pk=room.pk).update(
        transport="janus", janus_room=123456, janus_secret="s", janus_pin="p"
    )
    room.refresh_from_db()
    services.room_close(actor=school.teacher, room=room)
    room.refresh_from_db()
    assert room.closed_at is not None
    assert room.janus_destroyed_at is None  # retried by apply_attendance
