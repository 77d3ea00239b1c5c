"""Forgetting a person who left: name, contacts and their texts replaced; the
rows, the statistics and other people's records stay."""

import pytest
from django.core.management import call_command

from umka.accounts.models import User
from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.notifications.models import Notification
from umka.privacy.anonymise import PLACEHOLDER, person_anonymise
from umka.requests import answering
from umka.requests.models import Request, RequestMessage
from umka.requests.tests.factories import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def left(school):
    """The parent wrote a request the teacher answered, then left the school."""
    req = write(school)
    answering.request_answer(
        actor=req.assignee,
        req=req,
        kind=Request.AnswerKind.WRITTEN,
        text="Переносим слагаемое с противоположным знаком.",
    )
    school.parent.is_active = False
    school.parent.save()
    return req


def test_anonymising_replaces_name_contacts_and_texts(school, left):
    full_name = school.parent.full_name
    counts = (Request.objects.count(), RequestMessage.objects.count())
    person_anonymise(actor=school.administrator, person=school.parent)
    parent = User.objects.get(pk=school.parent.pk)
    assert parent.last_name == "Бывший пользователь"
    assert (parent.email, parent.phone, parent.middle_name) == ("", "", "")
    assert parent.username == f"anonymised-{parent.pk}"
    assert not parent.has_usable_password()
    req = Request.objects.get(pk=left.pk)
    assert req.text == PLACEHOLDER
    assert req.topic == PLACEHOLDER
    # The teacher's answer is the teacher's: intact. The counts are too.
    answer = RequestMessage.objects.filter(request=req).exclude(author=parent)
    assert "противоположным знаком" in answer.get().text
    assert (Request.objects.count(), RequestMessage.objects.count()) == counts
    assert req.student == school.student
    # Notices to others named the parent: the name is gone from them.
    assert not Notification.objects.filter(body__contains=full_name).exists()
    assert not Notification.objects.filter(title__contains=full_name).exists()
    entry = AuditEntry.objects.get(action="privacy.anonymised")
    assert entry.changes["texts"] >= 1


def test_an_active_person_is_not_anonymised(school):
    with pytest.raises(DomainError):
        person_anonymise(actor=school.administrator, person=school.parent)
    school.parent.refresh_from_db()
    assert school.parent.last_name == "Смирнова"
    assert not AuditEntry.objects.filter(action="privacy.anonymised").exists()


def test_the_command_anonymises(school, left):
    call_command("anonymise_person", str(school.parent.pk))
    school.parent.refresh_from_db()
    assert school.parent.last_name == "Бывший пользователь"
    assert AuditEntry.objects.get(action="privacy.anonymised").actor_name == (
        "manage.py"
    )


def test_chat_and_booking_texts_go_and_others_stay(db, clock):
    from umka.bookings.models import Booking
    from umka.rooms.models import ChatMessage
    from umka.rooms.tests.factories import approved_school, make_booking, session_room

    small = approved_school()
    room = session_room(small)
    mine = ChatMessage.objects.create(
        room=room, author=small.student, client_id="a", html="<p>Мой вопрос</p>"
    )
    theirs = ChatMessage.objects.create(
        room=room, author=small.teacher, client_id="b", html="<p>Ответ</p>"
    )
    booking = make_booking(small)
    small.student.is_active = False
    small.student.save()
    person_anonymise(actor=None, person=small.student)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.html == PLACEHOLDER
    assert theirs.html == "<p>Ответ</p>"
    assert Booking.objects.get(pk=booking.pk).note == PLACEHOLDER
