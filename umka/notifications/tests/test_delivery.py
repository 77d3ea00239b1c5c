"""The e-mail outbox: sending, the delivery log, retries, the sweep for lost tasks."""

import datetime as dt

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY
from huey.exceptions import RetryTask

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_parent, make_person
from umka.audit.models import AuditEntry
from umka.notifications import services, tasks
from umka.notifications.models import EmailDelivery, NotificationPreference
from umka.notifications.services import notify
from umka.notifications.tests.conftest import MOSCOW
from umka.notifications.tests.factories import KIND

pytestmark = pytest.mark.django_db

BROKEN = "umka.notifications.tests.backends.BrokenSMTPBackend"


@pytest.fixture
def teacher(db):
    return make_person(Role.TEACHER, first_name="Анна", last_name="Соколова")


def _notify_one(person, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = notify(
            recipients=[person],
            kind=KIND,
            title=kwargs.pop("title", "Консультация перенесена"),
            body=kwargs.pop("body", "Консультация по алгебре\nпереносится на среду."),
            url=kwargs.pop("url", "/schedule/?week=12"),
            **kwargs,
        )
    return EmailDelivery.objects.get(notification=notice)


def _scheduled() -> list[tuple[int, dt.datetime]]:
    return [(t.args[0], t.eta.replace(tzinfo=dt.UTC)) for t in HUEY.scheduled()]


@pytest.mark.requirement("R13")
def test_delivery_sends_through_django_mail_and_logs_it(
    school, clock, teacher, django_capture_on_commit_callbacks
):
    delivery = _notify_one(teacher, django_capture_on_commit_callbacks)

    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.sent_at == clock.now
    assert delivery.attempts == 1
    assert delivery.last_error == ""
    assert delivery.claimed_until is None
    assert delivery.address == teacher.email
    (message,) = mail.outbox
    assert message.to == [teacher.email]
    assert message.subject == "СОШ № 7: Консультация перенесена"
    link = f"https://umka.example.org/notifications/{delivery.notification_id}/open/"
    for text in (
        "Консультация перенесена",
        "Консультация по алгебре\nпереносится на среду.",
        link,
        "https://umka.example.org/notifications/settings/",
        "не отвечайте",
    ):
        assert text in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "Консультация по алгебре<br>переносится на среду." in html
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_email_without_a_link_points_to_the_centre(
    school, clock, teacher, django_capture_on_commit_callbacks
):
    _notify_one(teacher, django_capture_on_commit_callbacks, url="")

    assert "https://umka.example.org/notifications/\n" in mail.outbox[0].body


def test_email_escapes_html_but_not_the_plain_text(
    school, clock, teacher, django_capture_on_commit_callbacks
):
    _notify_one(
        teacher, django_capture_on_commit_callbacks, title="«A & B»", body="<b>x</b>"
    )

    message = mail.outbox[0]
    assert "«A & B»" in message.body
    assert "<b>x</b>" in message.body
    assert "<b>x</b>" not in message.alternatives[0][0]
    assert "&lt;b&gt;x&lt;/b&gt;" in message.alternatives[0][0]


def test_a_failed_attempt_is_logged_and_retried_with_backoff(
    school, clock, teacher, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN

    delivery = _notify_one(teacher, django_capture_on_commit_callbacks)

    assert delivery.status == EmailDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.sent_at is None
    assert delivery.claimed_until is None
    assert "SMTPServerDisconnected" in delivery.last_error
    retry_at = clock.now + dt.timedelta(minutes=1)
    assert delivery.next_attempt_at == retry_at
    assert _scheduled() == [(delivery.pk, retry_at)]

    # The server is back; the retry (run here by hand) sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.advance(minutes=1)
    tasks.deliver_email.call_local(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert len(mail.outbox) == 1


def test_the_retry_task_asks_huey_for_the_time_the_service_chose(
    school, clock, teacher, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN
    delivery = _notify_one(teacher, django_capture_on_commit_callbacks)
    clock.advance(minutes=1)

    with pytest.raises(RetryTask) as retry:
        tasks.deliver_email.call_local(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert retry.value.eta == clock.now + dt.timedelta(minutes=2)
    assert delivery.next_attempt_at == retry.value.eta


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (5, 16), (8, 128), (9, 180)]
)
def test_retry_delay_doubles_up_to_three_hours(attempts, minutes):
    assert services.retry_delay(attempts) == dt.timedelta(minutes=minutes)


def test_a_retry_respects_the_quiet_hours(
    school, clock, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN
    clock.set(2030, 3, 12, 18, 59, 30)

    delivery = _notify_one(make_parent(), django_capture_on_commit_callbacks)

    morning = dt.datetime(2030, 3, 13, 8, 0, tzinfo=MOSCOW)
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == morning
    assert _scheduled() == [(delivery.pk, morning)]


@pytest.mark.requirement("R13")
def test_delivery_gives_up_after_the_last_attempt_and_says_why(
    school, clock, teacher, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN
    delivery = _notify_one(teacher, django_capture_on_commit_callbacks)
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        attempts=services.MAX_ATTEMPTS - 1, next_attempt_at=clock.now
    )

    tasks.deliver_email.call_local(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert "SMTPServerDisconnected" in delivery.last_error
    # The notice itself is kept in the centre.
    assert delivery.notification.read_at is None


def test_a_row_is_sent_once_even_if_its_task_runs_twice(
    school, clock, teacher, django_capture_on_commit_callbacks
):
    delivery = _notify_one(teacher, django_capture_on_commit_callbacks)

    assert services.email_delivery_send(delivery_id=delivery.pk) is None

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_row_being_sent_by_another_worker_is_left_alone(
    school, clock, teacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        (notice,) = notify(recipients=[teacher], kind=KIND, title="Т")
    EmailDelivery.objects.filter(notification=notice).update(
        claimed_until=clock.now + dt.timedelta(minutes=1)
    )

    assert services.email_delivery_send(delivery_id=notice.email_delivery.pk) is None
    assert mail.outbox == []


def test_a_row_that_is_not_due_yet_is_left_alone(
    school, clock, django_capture_on_commit_callbacks
):
    clock.set(2030, 3, 12, 21, 0)
    delivery = _notify_one(make_parent(), django_capture_on_commit_callbacks)

    assert services.email_delivery_send(delivery_id=delivery.pk) is None
    clock.set(2030, 3, 13, 8, 0)
    services.email_delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert len(mail.outbox) == 1


def test_morning_email_is_cancelled_if_the_person_switched_email_off_meanwhile(
    school, clock, django_capture_on_commit_callbacks
):
    parent = make_parent()
    clock.set(2030, 3, 12, 21, 0)
    delivery = _notify_one(parent, django_capture_on_commit_callbacks)
    NotificationPreference.objects.create(user=parent, email_enabled=False)
    clock.set(2030, 3, 13, 8, 0)

    services.email_delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.CANCELLED
    assert "switched" in delivery.last_error
    assert mail.outbox == []


def test_morning_email_is_cancelled_for_a_deactivated_account(
    school, clock, django_capture_on_commit_callbacks
):
    parent = make_parent()
    clock.set(2030, 3, 12, 21, 0)
    delivery = _notify_one(parent, django_capture_on_commit_callbacks)
    parent.is_active = False
    parent.save()
    clock.set(2030, 3, 13, 8, 0)

    services.email_delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.CANCELLED
    assert mail.outbox == []


def test_morning_email_goes_to_the_address_the_person_has_now(
    school, clock, django_capture_on_commit_callbacks
):
    parent = make_parent()
    clock.set(2030, 3, 12, 21, 0)
    delivery = _notify_one(parent, django_capture_on_commit_callbacks)
    parent.email = "new@example.org"
    parent.save()
    clock.set(2030, 3, 13, 8, 0)

    services.email_delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.address == "new@example.org"
    assert mail.outbox[0].to == ["new@example.org"]


def test_the_sweep_sends_due_email_whose_task_was_lost(school, clock, teacher):
    # Rows committed, tasks never queued (on_commit callbacks not run).
    lost = notify(recipients=[teacher], kind=KIND, title="Потеряно")[0]
    notify(recipients=[make_parent()], kind=KIND, title="Днём")
    clock.set(2030, 3, 12, 21, 0)
    waiting = notify(recipients=[make_parent()], kind=KIND, title="Ночью")[0]
    clock.set(2030, 3, 12, 21, 5)

    assert services.email_deliveries_requeue() == 2  # not the one due at 08:00
    assert {m.subject for m in mail.outbox} == {"СОШ № 7: Потеряно", "СОШ № 7: Днём"}
    lost.email_delivery.refresh_from_db()
    assert lost.email_delivery.status == EmailDelivery.Status.SENT
    waiting.email_delivery.refresh_from_db()
    assert waiting.email_delivery.status == EmailDelivery.Status.PENDING


def test_the_sweep_leaves_recent_and_claimed_rows_alone(school, clock, teacher):
    recent = notify(recipients=[teacher], kind=KIND, title="Только что")[0]
    claimed = notify(recipients=[make_person(Role.TEACHER)], kind=KIND, title="Т")[0]
    clock.advance(minutes=11)
    EmailDelivery.objects.filter(notification=claimed).update(
        claimed_until=clock.now + dt.timedelta(minutes=2)
    )
    EmailDelivery.objects.filter(notification=recent).update(next_attempt_at=clock.now)

    assert services.email_deliveries_requeue() == 0
    assert mail.outbox == []


def test_administrator_sends_a_failed_email_again(
    school, clock, teacher, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN
    delivery = _notify_one(teacher, django_capture_on_commit_callbacks)
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=EmailDelivery.Status.FAILED, attempts=services.MAX_ATTEMPTS
    )
    delivery.refresh_from_db()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = make_person(Role.ADMINISTRATOR)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_delivery_retry(actor=admin, delivery=delivery)

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 1
    entry = AuditEntry.objects.get(action="notifications.email_retried")
    assert entry.actor == admin
    assert entry.changes["attempts"] == services.MAX_ATTEMPTS


def test_a_sent_email_is_not_sent_again_by_the_administrator(
    school, clock, teacher, django_capture_on_commit_callbacks
):
    delivery = _notify_one(teacher, django_capture_on_commit_callbacks)

    assert not services.email_delivery_retry(
        actor=make_person(Role.ADMINISTRATOR), delivery=delivery
    )
    assert len(mail.outbox) == 1
    assert not AuditEntry.objects.filter(action="notifications.email_retried").exists()
