"""Audit actions of notifications (R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

PREFERENCES_CHANGED = register(
    "notifications.preferences_changed", _("Changed notification settings")
)
EMAIL_RETRIED = register(
    "notifications.email_retried", _("Sent a notification e-mail again")
)
