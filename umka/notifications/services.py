"""Every write of notifications: `notify()`, reading, settings and the e-mail outbox.

Other apps call `notify()` from their services, inside their own transaction; the
in-app notices land (or roll back) with the caller's change, and e-mail is queued
only once that change is committed.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from umka.audit.services import diff, record
from umka.core import clock, outbox
from umka.core.errors import DomainError
from umka.notifications import emails, kinds, policies, selectors
from umka.notifications.audit_actions import EMAIL_RETRIED, PREFERENCES_CHANGED
from umka.notifications.models import (
    EmailDelivery,
    Notification,
    NotificationPreference,
)
from umka.notifications.quiet_hours import deliver_at, is_quiet_for

logger = logging.getLogger(__name__)

#: Attempts before an e-mail is given up (status «failed»; the in-app notice stays,
#: and the administrator may send it again from the back office).
MAX_ATTEMPTS = 10
FIRST_RETRY_DELAY = dt.timedelta(minutes=1)
MAX_RETRY_DELAY = dt.timedelta(hours=3)
#: How long a worker holds a row while it sends (longer than the SMTP timeout).
CLAIM_FOR = dt.timedelta(minutes=5)
#: A due e-mail still waiting this long after its time lost its task: queue it again.
LOST_AFTER = dt.timedelta(minutes=10)
#: A task may start a little before the row's time (clocks of two machines).
CLOCK_TOLERANCE = dt.timedelta(minutes=1)

_TITLE_MAX = Notification._meta.get_field("title").max_length
_URL_MAX = Notification._meta.get_field("url").max_length


class DeliveryDeferred(Exception):
    """Sending failed and will be tried again at `retry_at` (the task reschedules)."""

    def __init__(self, retry_at: dt.datetime):
        super().__init__(retry_at)
        self.retry_at = retry_at


def _is_local_path(url: str) -> bool:
    parts = urlsplit(url)
    return (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not parts.scheme
        and not parts.netloc
    )


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor=None,
    target: Model | None = None,
    email: bool = True,
) -> list[Notification]:
    """Notify people: one in-app notice per distinct active recipient, and an e-mail
    to those who want one (after the quiet hours), queued when the caller commits.

    `kind` must be registered (`kinds.register`); `url` is a local path («/…») the
    notice links to; lazy translations in `title` and `body` are rendered in the
    school's language. Returns the created notices, by recipient.
    """
    if not kinds.is_registered(kind):
        raise ValueError(f"Unknown notification kind {kind!r}: register it first.")
    with translation.override(settings.LANGUAGE_CODE):
        # One line: the title is also the e-mail's subject.
        title = " ".join(str(title).split())
        body = str(body).strip()
    if not title:
        raise ValueError("A notification needs a title.")
    title = Truncator(title).chars(_TITLE_MAX)
    url = str(url).strip()
    if url and (not _is_local_path(url) or len(url) > _URL_MAX):
        raise ValueError(f"A notification links to a local path, not {url!r}.")

    wanted = {person.pk for person in recipients if person is not None and person.pk}
    if not wanted:
        return []
    # Current state from the database: the caller's objects may be stale.
    people = dict(
        get_user_model()
        .objects.filter(pk__in=wanted, is_active=True)
        .values_list("pk", "email")
    )
    if not people:
        return []
    target_type, target_id = None, ""
    if target is not None:
        target_type = ContentType.objects.get_for_model(
            target, for_concrete_model=False
        )
        target_id = str(target.pk)
    now = clock.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient_id=pk,
                kind=kind,
                title=title,
                body=body,
                url=url,
                actor_id=getattr(actor, "pk", None),
                target_type=target_type,
                target_id=target_id,
                created_at=now,
            )
            for pk in sorted(people)
        )
        deliveries = _plan_emails(notifications, people, kind, now) if email else []
        if deliveries:
            EmailDelivery.objects.bulk_create(deliveries)
            due = [(d.pk, d.next_attempt_at) for d in deliveries]
            # robust: a queue that is down must not fail the caller's request; the
            # periodic sweep sends what was not queued.
            transaction.on_commit(partial(_enqueue, due), robust=True)
    return notifications


def _plan_emails(
    notifications: list[Notification],
    people: dict[int, str],
    kind: str,
    now: dt.datetime,
) -> list[EmailDelivery]:
    with_address = [pk for pk, address in people.items() if address]
    if not with_address:
        return []
    preferences = selectors.preferences_of(with_address)
    quiet_people = selectors.quiet_role_holders(with_address)
    tz = clock.zone()
    deliveries = []
    for notification in notifications:
        pk = notification.recipient_id
        preference = preferences.get(pk)
        if preference is None or not preference.wants_email(kind):
            continue
        quiet = pk in quiet_people and not preference.evening_email
        at = deliver_at(now, tz, quiet)
        deliveries.append(
            EmailDelivery(
                notification=notification,
                address=people[pk],
                scheduled_for=at,
                next_attempt_at=at,
                created_at=now,
            )
        )
    return deliveries


def _enqueue(due: list[tuple[int, dt.datetime]]) -> None:
    """Queue the delivery task of each row: at once, or with an eta (Huey). A queue
    that is away keeps them in the outbox (umka.core.outbox)."""
    from umka.notifications.tasks import deliver_email

    now = clock.now()
    for pk, at in due:
        outbox.enqueue(deliver_email, pk, eta=at if at > now else None)


# --- Reading ------------------------------------------------------------------------


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """The recipient has seen the notice (opening its link does this)."""
    if not policies.can_open_notification(actor, notification):
        raise DomainError(_("Only its recipient may mark a notification as read."))
    if notification.read_at is None:
        now = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notice of `actor` as read; returns how many."""
    return (
        policies.notifications_visible_to(actor)
        .filter(read_at__isnull=True)
        .update(read_at=clock.now())
    )


# --- Settings ------------------------------------------------------------------------


def _preference_values(preference: NotificationPreference) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        muted = sorted(kinds.label(code) for code in preference.email_muted_kinds or [])
    return {
        "email_enabled": preference.email_enabled,
        "evening_email": preference.evening_email,
        "email_muted_kinds": muted,
        "remind_day_before": preference.remind_day_before,
        "remind_hour_before": preference.remind_hour_before,
    }


def preference_update(
    *,
    actor,
    user,
    email_enabled: bool,
    evening_email: bool,
    email_muted_kinds: Iterable[str] = (),
    remind_day_before: bool | None = None,
    remind_hour_before: bool | None = None,
    request=None,
) -> NotificationPreference:
    """A person chooses their channels and reminders; the change is recorded in the
    audit trail.

    The row is created on the first save (until then the defaults apply). A reminder
    choice left as None keeps its stored value.
    """
    if not policies.can_change_preferences(actor, user):
        raise DomainError(_("Only the person may change their notification settings."))
    muted = sorted({str(code) for code in email_muted_kinds})
    unknown = [code for code in muted if not kinds.is_registered(code)]
    if unknown:
        raise DomainError(
            _("Unknown kind of notification «%(kind)s».") % {"kind": unknown[0]}
        )
    with transaction.atomic():
        preference, _created = (
            NotificationPreference.objects.select_for_update().get_or_create(user=user)
        )
        before = _preference_values(preference)
        preference.email_enabled = email_enabled
        preference.evening_email = evening_email
        preference.email_muted_kinds = muted
        if remind_day_before is not None:
            preference.remind_day_before = remind_day_before
        if remind_hour_before is not None:
            preference.remind_hour_before = remind_hour_before
        changes = diff(before, _preference_values(preference))
        if changes:
            preference.save(
                update_fields=[
                    "email_enabled",
                    "evening_email",
                    "email_muted_kinds",
                    "remind_day_before",
                    "remind_hour_before",
                    "updated_at",
                ]
            )
            record(
                actor=actor,
                action=PREFERENCES_CHANGED,
                target=user,
                changes=changes,
                request=request,
            )
    return preference


# --- The e-mail outbox ---------------------------------------------------------------


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most 3 hours."""
    return min(FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def _cancel_reason(person, preference: NotificationPreference, kind: str) -> str:
    if not person.is_active:
        return "The person's account is switched off."
    if not person.email:
        return "The person has no e-mail address."
    if not preference.wants_email(kind):
        return "The person switched this e-mail off."
    return ""


def _finish(delivery: EmailDelivery, **values) -> EmailDelivery:
    values["claimed_until"] = None
    EmailDelivery.objects.filter(pk=delivery.pk).update(**values)
    for name, value in values.items():
        setattr(delivery, name, value)
    return delivery


def email_delivery_send(*, delivery_id: int) -> EmailDelivery | None:
    """Send one e-mail of the outbox and log the attempt on its row (R13).

    The row is claimed first, so two workers never send it twice at once; a row
    that is sent, given up, not yet due or being sent is left alone (returns None).
    Who gets it is checked again now: the person may have switched e-mail off or
    changed their address since. A failure raises `DeliveryDeferred` with the time
    of the next attempt (backoff, quiet hours respected) until MAX_ATTEMPTS.
    """
    now = clock.now()
    claimed = (
        EmailDelivery.objects.filter(
            pk=delivery_id,
            status=EmailDelivery.Status.PENDING,
            next_attempt_at__lte=now + CLOCK_TOLERANCE,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    delivery = EmailDelivery.objects.select_related(
        "notification", "notification__recipient"
    ).get(pk=delivery_id)
    person = delivery.notification.recipient
    preference = selectors.preference_for(person)
    if reason := _cancel_reason(person, preference, delivery.notification.kind):
        return _finish(
            delivery, status=EmailDelivery.Status.CANCELLED, last_error=reason
        )
    try:
        emails.build_message(delivery.notification, person.email).send()
    except Exception as exc:  # any failure: keep the row, try again later
        return _failed(delivery, person, preference, exc, now)
    return _finish(
        delivery,
        status=EmailDelivery.Status.SENT,
        sent_at=clock.now(),
        address=person.email,
        last_error="",
    )


def _failed(delivery, person, preference, exc, now) -> EmailDelivery:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        logger.error(
            "Notification e-mail %s given up after %s attempts: %s",
            delivery.pk,
            delivery.attempts,
            error,
        )
        return _finish(delivery, status=EmailDelivery.Status.FAILED, last_error=error)
    quiet = is_quiet_for(person.roles, preference.evening_email)
    retry_at = deliver_at(now + retry_delay(delivery.attempts), clock.zone(), quiet)
    logger.warning(
        "Notification e-mail %s failed (attempt %s), next at %s: %s",
        delivery.pk,
        delivery.attempts,
        retry_at.isoformat(),
        error,
    )
    _finish(delivery, next_attempt_at=retry_at, last_error=error)
    raise DeliveryDeferred(retry_at) from exc


def email_deliveries_requeue(*, limit: int = 500) -> int:
    """Queue again the due e-mails whose task was lost (a queue flushed, a worker
    killed): pending, overdue by LOST_AFTER and not being sent. Returns how many."""
    now = clock.now()
    ids = list(
        EmailDelivery.objects.filter(
            status=EmailDelivery.Status.PENDING,
            next_attempt_at__lte=now - LOST_AFTER,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        logger.warning("Queueing %s notification e-mails again", len(ids))
        _enqueue([(pk, now) for pk in ids])
    return len(ids)


def email_delivery_retry(*, actor, delivery: EmailDelivery, request=None) -> bool:
    """The administrator sends a failed or cancelled e-mail again (from now, a fresh
    series of attempts). Returns False for one that is sent or still waiting."""
    if delivery.status not in (
        EmailDelivery.Status.FAILED,
        EmailDelivery.Status.CANCELLED,
    ):
        return False
    now = clock.now()
    with transaction.atomic():
        updated = EmailDelivery.objects.filter(
            pk=delivery.pk, status=delivery.status
        ).update(
            status=EmailDelivery.Status.PENDING,
            attempts=0,
            next_attempt_at=now,
            claimed_until=None,
        )
        if not updated:
            return False
        record(
            actor=actor,
            action=EMAIL_RETRIED,
            target=delivery.notification,
            changes={
                "status": [delivery.status, EmailDelivery.Status.PENDING],
                "attempts": delivery.attempts,
                "last_error": delivery.last_error,
            },
            request=request,
        )
        transaction.on_commit(partial(_enqueue, [(delivery.pk, now)]), robust=True)
    delivery.refresh_from_db()
    return True
