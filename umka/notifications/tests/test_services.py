import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import HUEY

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_parent, make_person, make_student
from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.notifications import services
from umka.notifications.models import (
    EmailDelivery,
    Notification,
    NotificationPreference,
)
from umka.notifications.services import notify
from umka.notifications.tests.conftest import MOSCOW
from umka.notifications.tests.factories import KIND, NotificationFactory
from umka.school.selectors import forget_cached_school
from umka.school.tests.factories import SubjectFactory

pytestmark = pytest.mark.django_db


def _notify(recipients, **kwargs):
    return notify(
        recipients=recipients,
        kind=kwargs.pop("kind", KIND),
        title=kwargs.pop("title", "График изменён"),
        **kwargs,
    )


def _scheduled_etas() -> dict[int, dt.datetime]:
    """Delivery id → eta of the tasks waiting in Huey's schedule (UTC)."""
    return {task.args[0]: task.eta.replace(tzinfo=dt.UTC) for task in HUEY.scheduled()}


# --- In-app notices -------------------------------------------------------------


def test_notify_creates_one_notice_per_distinct_recipient(school, clock):
    student, parent = make_student(), make_parent()

    created = _notify([student, parent, student, parent, None], body="Текст")

    assert len(created) == 2
    assert Notification.objects.count() == 2
    assert {n.recipient_id for n in created} == {student.pk, parent.pk}
    assert all(n.pk for n in created)
    assert all(n.read_at is None and n.created_at == clock.now for n in created)


def test_notify_skips_inactive_people(school, clock):
    active, gone = make_student(), make_student(is_active=False)

    created = _notify([active, gone])

    assert [n.recipient_id for n in created] == [active.pk]
    assert not Notification.objects.filter(recipient=gone).exists()


def test_notify_with_nobody_does_nothing(school, clock, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert _notify([]) == []


def test_notify_keeps_actor_target_url_and_body(school, clock):
    teacher, student = make_person(Role.TEACHER), make_student()
    subject = SubjectFactory()

    (notice,) = _notify(
        [student], actor=teacher, target=subject, url="/schedule/", body=" Текст \n"
    )

    notice.refresh_from_db()
    assert notice.actor == teacher
    assert notice.target == subject
    assert notice.target_type == ContentType.objects.get_for_model(subject)
    assert notice.url == "/schedule/"
    assert notice.body == "Текст"
    assert notice.kind_label == "Test notice"


def test_notify_renders_lazy_text_in_the_school_language(school, clock):
    (notice,) = _notify([make_student()], title=gettext_lazy("Notifications"))

    assert notice.title == "Уведомления"


def test_notify_makes_the_title_one_line_and_cuts_it(school, clock):
    (notice,) = _notify([make_student()], title="Первая\nвторая  " + "я" * 300)

    assert "\n" not in notice.title
    assert notice.title.startswith("Первая вторая я")
    assert len(notice.title) == 200
    assert notice.title.endswith("…")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "nobody.registered"}, "Unknown notification kind"),
        ({"title": "  "}, "needs a title"),
        ({"url": "https://evil.example/"}, "local path"),
        ({"url": "//evil.example/"}, "local path"),
        ({"url": "schedule/"}, "local path"),
        ({"url": "/\\evil.example"}, "local path"),
    ],
)
def test_notify_refuses_what_a_caller_got_wrong(school, clock, kwargs, message):
    with pytest.raises(ValueError, match=message):
        _notify([make_student()], **kwargs)

    assert not Notification.objects.exists()


def test_notify_rolls_back_with_the_caller(
    school, clock, django_capture_on_commit_callbacks
):
    parent = make_parent()

    def caller_that_fails():
        with transaction.atomic():
            _notify([parent])
            raise RuntimeError("the caller failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        caller_that_fails()

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not EmailDelivery.objects.exists()
    assert mail.outbox == []


# --- E-mail: when and to whom -----------------------------------------------------


def test_email_is_queued_only_when_the_caller_commits(
    school, clock, django_capture_on_commit_callbacks
):
    teacher = make_person(Role.TEACHER)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notice,) = _notify([teacher])

    delivery = notice.email_delivery
    assert delivery.status == EmailDelivery.Status.PENDING
    assert delivery.address == teacher.email
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT


def test_no_email_when_the_person_switched_it_off(
    school, clock, django_capture_on_commit_callbacks
):
    parent = make_parent()
    NotificationPreference.objects.create(user=parent, email_enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([parent])

    assert notice.pk
    assert not EmailDelivery.objects.exists()
    assert mail.outbox == []


def test_no_email_for_a_kind_the_person_muted(
    school, clock, django_capture_on_commit_callbacks
):
    teacher = make_person(Role.TEACHER)
    NotificationPreference.objects.create(user=teacher, email_muted_kinds=[KIND])

    with django_capture_on_commit_callbacks(execute=True):
        _notify([teacher])

    assert Notification.objects.filter(recipient=teacher).exists()
    assert not EmailDelivery.objects.exists()


def test_no_email_without_an_address(school, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([make_person(Role.TEACHER, email="")])

    assert notice.pk
    assert not EmailDelivery.objects.exists()
    assert mail.outbox == []


def test_no_email_when_the_caller_asks_for_none(
    school, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([make_person(Role.TEACHER)], email=False)

    assert Notification.objects.count() == 1
    assert not EmailDelivery.objects.exists()


def test_quiet_hours_a_parent_at_21_gets_the_email_at_8_next_morning(
    school, clock, django_capture_on_commit_callbacks
):
    parent = make_parent()
    clock.set(2030, 3, 12, 21, 0)

    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([parent])

    delivery = notice.email_delivery
    morning = dt.datetime(2030, 3, 13, 8, 0, tzinfo=MOSCOW)
    assert delivery.scheduled_for == morning
    assert delivery.next_attempt_at == morning
    assert _scheduled_etas() == {delivery.pk: morning}
    assert mail.outbox == []
    # The in-app notice is there at once.
    assert notice.created_at == clock.now


def test_quiet_hours_a_teacher_at_21_gets_the_email_now(
    school, clock, django_capture_on_commit_callbacks
):
    teacher = make_person(Role.TEACHER)
    now = clock.set(2030, 3, 12, 21, 0)

    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([teacher])

    delivery = EmailDelivery.objects.get(notification=notice)
    assert delivery.scheduled_for == now
    assert delivery.status == EmailDelivery.Status.SENT
    assert len(mail.outbox) == 1


def test_quiet_hours_a_parent_who_opted_in_gets_the_email_now(
    school, clock, django_capture_on_commit_callbacks
):
    parent = make_parent()
    NotificationPreference.objects.create(user=parent, evening_email=True)
    now = clock.set(2030, 3, 12, 21, 0)

    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([parent])

    delivery = EmailDelivery.objects.get(notification=notice)
    assert delivery.scheduled_for == now
    assert delivery.status == EmailDelivery.Status.SENT
    assert mail.outbox[0].to == [parent.email]


def test_quiet_hours_a_student_after_midnight_waits_for_this_morning(
    school, clock, django_capture_on_commit_callbacks
):
    clock.set(2030, 3, 13, 0, 10)

    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([make_student()])

    assert notice.email_delivery.scheduled_for == dt.datetime(
        2030, 3, 13, 8, 0, tzinfo=MOSCOW
    )
    assert mail.outbox == []


def test_quiet_hours_one_call_splits_families_from_staff(
    school, clock, django_capture_on_commit_callbacks
):
    parent, student, teacher = (
        make_parent(),
        make_student(),
        make_person(Role.DEPUTY_HEAD),
    )
    teacher_parent = make_person(Role.TEACHER, Role.PARENT)
    clock.set(2030, 3, 12, 19, 0)

    with django_capture_on_commit_callbacks(execute=True):
        _notify([parent, student, teacher, teacher_parent])

    sent = {m.to[0] for m in mail.outbox}
    assert sent == {teacher.email}
    waiting = EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING)
    assert {d.address for d in waiting} == {
        parent.email,
        student.email,
        teacher_parent.email,
    }


def test_quiet_hours_follow_the_school_time_zone(
    school, clock, django_capture_on_commit_callbacks
):
    school.time_zone = "Asia/Vladivostok"
    school.save()
    forget_cached_school()
    clock.set(2030, 3, 12, 12, 30)  # 19:30 in Vladivostok

    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify([make_parent()])

    assert notice.email_delivery.scheduled_for == dt.datetime(
        2030, 3, 13, 8, 0, tzinfo=ZoneInfo("Asia/Vladivostok")
    )


def test_notify_query_count_does_not_grow_with_recipients(
    school, clock, django_assert_max_num_queries
):
    few = [make_parent() for _n in range(2)]
    many = [make_parent() for _n in range(30)]
    _notify(few)  # warm the caches (content types, school)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        _notify(few)
    with django_assert_max_num_queries(len(small.captured_queries)):
        _notify(many)


# --- Reading ------------------------------------------------------------------------


def test_mark_read_by_the_recipient(clock):
    notice = NotificationFactory()

    services.notification_mark_read(actor=notice.recipient, notification=notice)

    notice.refresh_from_db()
    assert notice.read_at == clock.now


def test_mark_read_keeps_the_first_time(clock):
    notice = NotificationFactory()
    services.notification_mark_read(actor=notice.recipient, notification=notice)
    first = clock.now
    clock.advance(hours=1)

    services.notification_mark_read(actor=notice.recipient, notification=notice)

    notice.refresh_from_db()
    assert notice.read_at == first


def test_mark_read_refuses_anyone_else(clock):
    notice = NotificationFactory()

    with pytest.raises(DomainError):
        services.notification_mark_read(
            actor=make_person(Role.DIRECTOR, is_superuser=True), notification=notice
        )

    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read_touches_only_the_persons_unread(clock):
    mine = NotificationFactory.create_batch(3)
    person = mine[0].recipient
    for notice in mine[1:]:
        notice.recipient = person
        notice.save()
    already = NotificationFactory(
        recipient=person, read_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    other = NotificationFactory()

    count = services.notifications_mark_all_read(actor=person)

    assert count == 3
    assert not Notification.objects.filter(
        recipient=person, read_at__isnull=True
    ).exists()
    already.refresh_from_db()
    assert already.read_at == dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    other.refresh_from_db()
    assert other.read_at is None


# --- Settings -----------------------------------------------------------------------


def test_preference_update_creates_the_row_and_records_the_change(clock):
    parent = make_parent()

    preference = services.preference_update(
        actor=parent,
        user=parent,
        email_enabled=True,
        evening_email=True,
        email_muted_kinds=[KIND],
    )

    assert preference.pk
    assert preference.evening_email is True
    assert preference.email_muted_kinds == [KIND]
    entry = AuditEntry.objects.get(action="notifications.preferences_changed")
    assert entry.actor == parent
    assert entry.target_id == str(parent.pk)
    assert entry.changes == {
        "evening_email": [False, True],
        "email_muted_kinds": [[], ["Test notice"]],
    }


def test_preference_update_without_change_records_nothing(clock):
    teacher = make_person(Role.TEACHER)

    services.preference_update(
        actor=teacher, user=teacher, email_enabled=True, evening_email=False
    )

    assert NotificationPreference.objects.filter(user=teacher).exists()
    assert not AuditEntry.objects.filter(
        action="notifications.preferences_changed"
    ).exists()


def test_preference_update_only_by_the_person(clock):
    parent = make_parent()

    with pytest.raises(DomainError):
        services.preference_update(
            actor=make_person(Role.ADMINISTRATOR),
            user=parent,
            email_enabled=False,
            evening_email=False,
        )

    assert not NotificationPreference.objects.exists()
    assert not AuditEntry.objects.exists()


def test_preference_update_refuses_an_unknown_kind(clock):
    parent = make_parent()

    with pytest.raises(DomainError):
        services.preference_update(
            actor=parent,
            user=parent,
            email_enabled=True,
            evening_email=False,
            email_muted_kinds=["nobody.registered"],
        )

    assert not NotificationPreference.objects.exists()
