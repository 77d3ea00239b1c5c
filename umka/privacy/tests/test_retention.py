"""Retention periods: what is older than its kind's period goes (with its
files), the rest stays, and the removal is audited."""

import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from umka.audit.models import AuditEntry
from umka.privacy.retention import apply_retention
from umka.requests.models import Request, RequestAttachment
from umka.requests.tests.factories import write

pytestmark = pytest.mark.django_db


def test_old_audit_entries_go_and_new_stay(school, clock, settings):
    settings.PRIVACY_RETENTION_AUDIT_DAYS = 30
    # The trail stamps entries with its own default (the real clock): set `at`.
    AuditEntry(at=clock.now, actor=school.teacher, action="accounts.signed_in").save()
    clock.advance(days=31)
    AuditEntry(at=clock.now, actor=school.teacher, action="accounts.signed_out").save()
    removed = apply_retention()
    assert removed["audit"] == 1
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "accounts.signed_in" not in actions
    assert "accounts.signed_out" in actions
    assert (
        AuditEntry.objects.get(action="privacy.retention_applied").changes["audit"] == 1
    )


def test_attachments_of_long_closed_requests_go(school, clock, settings):
    settings.PRIVACY_RETENTION_REQUEST_ATTACHMENTS_DAYS = 100
    settings.PRIVACY_RETENTION_AUDIT_DAYS = 0
    old, fresh = write(school), write(school, topic="Другое")
    files = []
    for req in (old, fresh):
        attachment = RequestAttachment(
            request=req,
            name="работа.pdf",
            size=3,
            uploaded_by=school.parent,
            uploaded_at=clock.now,
        )
        attachment.file.save("работа.pdf", ContentFile(b"pdf"), save=False)
        attachment.save()
        files.append(attachment.file.path)
    Request.objects.filter(pk=old.pk).update(
        status=Request.Status.CLOSED, closed_at=clock.now
    )
    clock.advance(days=101)
    assert apply_retention()["request_attachments"] == 1
    assert list(RequestAttachment.objects.values_list("request", flat=True)) == [
        fresh.pk
    ]
    assert Request.objects.count() == 2
    assert not os.path.exists(files[0])
    assert os.path.exists(files[1])


def test_old_chat_messages_go(db, clock, settings):
    from umka.rooms.models import ChatMessage
    from umka.rooms.tests.factories import approved_school, session_room

    settings.PRIVACY_RETENTION_CHAT_DAYS = 10
    small = approved_school()
    room = session_room(small)
    ChatMessage.objects.create(room=room, author=small.student, client_id="a", html="x")
    clock.advance(days=11)
    ChatMessage.objects.create(room=room, author=small.student, client_id="b", html="y")
    assert apply_retention()["chat"] == 1
    assert list(ChatMessage.objects.values_list("client_id", flat=True)) == ["b"]


def test_zero_keeps_for_ever_and_the_command_runs(school, clock, settings):
    settings.PRIVACY_RETENTION_AUDIT_DAYS = 0
    AuditEntry(at=clock.now, actor=school.teacher, action="accounts.signed_in").save()
    clock.advance(days=10000)
    call_command("apply_retention")
    assert AuditEntry.objects.filter(action="accounts.signed_in").exists()
    assert AuditEntry.objects.filter(action="privacy.retention_applied").exists()
