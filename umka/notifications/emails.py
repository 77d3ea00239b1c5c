"""The e-mail of a notification: plain text and HTML, in the school's language."""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from umka.notifications.models import Notification
from umka.school.selectors import current_school

#: Seconds an SMTP server may take to answer before the attempt counts as failed.
SMTP_TIMEOUT = 60


def absolute_url(path: str) -> str:
    """`path` on the site as people reach it (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


Attachment = tuple[str, bytes, str]  # file name, content, MIME type
_attachments: dict[str, Callable[[Notification], list[Attachment]]] = {}


def register_attachments(
    kind: str, provider: Callable[[Notification], list[Attachment]]
) -> None:
    """Attach files to the e-mail of a kind of notice, e.g. an iCalendar invite:
    `provider(notification)` returns (file name, bytes, MIME type) tuples."""
    _attachments[kind] = provider


def build_message(notification: Notification, address: str) -> EmailMultiAlternatives:
    """The e-mail for `notification` to `address`: the title, the text, the link
    (through the notification centre, so following it marks the notice read) and
    how to change the notification settings."""
    settings_url = absolute_url(reverse("notifications:settings"))
    if notification.url:
        link = absolute_url(reverse("notifications:open", args=[notification.pk]))
    else:
        link = absolute_url(reverse("notifications:list"))
    school = current_school()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "person": notification.recipient,
            "school": school,
            "link": link,
            "has_url": bool(notification.url),
            "settings_url": settings_url,
        }
        subject = _("%(school)s: %(title)s") % {
            "school": school.short_name if school else _("Umka"),
            "title": notification.title,
        }
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[address],
        headers={
            # RFC 3834: no auto-replies («I am on holiday») to a robot.
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{settings_url}>",
        },
        connection=get_connection(fail_silently=False, timeout=SMTP_TIMEOUT),
    )
    message.attach_alternative(html, "text/html")
    provider = _attachments.get(notification.kind)
    if provider is not None:
        for name, content, mimetype in provider(notification):
            message.attach(name, content, mimetype)
    return message
