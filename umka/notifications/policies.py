"""Who may see which notifications: a person sees only their own, whatever their role
(the administration included) — anything else answers 404."""

from django.db.models import QuerySet

from umka.core.access import get_visible_or_404
from umka.notifications.models import Notification


def notifications_visible_to(user) -> QuerySet[Notification]:
    if not (user.is_authenticated and user.is_active):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def access_notification(user, pk) -> Notification:
    """One of `user`'s own notifications, else 404 (another's answers the same)."""
    return get_visible_or_404(notifications_visible_to(user), pk=pk)


def can_open_notification(user, notification: Notification) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and notification.recipient_id == user.pk
    )


def can_change_preferences(user, person) -> bool:
    """Only the person chooses their own channels."""
    return bool(user.is_authenticated and user.is_active and user.pk == person.pk)
