from functools import cached_property

from umka.notifications import selectors


class NotificationBadge:
    """The header's unread count, counted only when a template shows it."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def unread(self) -> int:
        return selectors.unread_count(self._user)


def notifications(request):
    """`notification_badge` for signed-in people: one COUNT when the page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_badge": NotificationBadge(user)}
