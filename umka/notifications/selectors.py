"""Reads of notifications and notification settings."""

from collections.abc import Iterable

from django.db.models import QuerySet

from umka.accounts.models import RoleAssignment
from umka.notifications.models import Notification, NotificationPreference
from umka.notifications.quiet_hours import QUIET_ROLES


def unread_count(user) -> int:
    """One COUNT over the partial index of unread notices."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for_centre(notifications: QuerySet[Notification]):
    """The notification centre's rows, newest first, with the sender."""
    return notifications.select_related("actor").order_by("-created_at", "-pk")


def preference_for(user) -> NotificationPreference:
    """The person's settings; an unsaved row with the defaults if never changed."""
    return preferences_of([user.pk])[user.pk]


def preferences_of(user_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    """Settings of many people in one query; defaults for those who have none."""
    ids = list(user_ids)
    found = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=ids)}
    return {pk: found.get(pk) or NotificationPreference(user_id=pk) for pk in ids}


def quiet_role_holders(user_ids: Iterable[int]) -> set[int]:
    """Those of `user_ids` who are students or parents (quiet hours apply)."""
    return set(
        RoleAssignment.objects.filter(
            user__in=list(user_ids), role__in=QUIET_ROLES
        ).values_list("user_id", flat=True)
    )
