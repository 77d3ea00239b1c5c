"""Personal data held by notifications (see umka/privacy/registry.py)."""

from umka.notifications.models import Notification, NotificationPreference
from umka.privacy import registry

registry.declare(
    Notification,
    people=("recipient", "actor"),
    fields=("recipient", "actor", "kind", "title", "body", "created_at", "read_at"),
    # A notice to someone else may name the person («Иванов записался…»).
    mentions=("title", "body"),
)
registry.declare(
    NotificationPreference,
    people=("user",),
    fields=("email_enabled", "evening_email", "email_muted_kinds", "updated_at"),
)
