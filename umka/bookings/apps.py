from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "umka.bookings"
    label = "bookings"
    verbose_name = _("Individual consultations")

    def ready(self) -> None:
        from umka.bookings import (  # noqa: F401
            audit_actions,
            menu_entries,  # noqa: F401
            notification_kinds,
            planned,
            profile_actions,  # noqa: F401
        )
        from umka.bookings.invite import invite_attachments
        from umka.bookings.time_zone import bookings_keep_wall_clock
        from umka.notifications.emails import register_attachments
        from umka.school import zone_change

        # A 15:00 slot stays 15:00 when the school changes its time zone.
        zone_change.register(bookings_keep_wall_clock)

        # The confirmation (and every later change) carries the iCalendar invite.
        for kind in (
            notification_kinds.BOOKED,
            notification_kinds.RESCHEDULED,
            notification_kinds.SLOT_FREED,
            notification_kinds.CANCELLED,
        ):
            register_attachments(kind, invite_attachments)
        from umka.bookings import report_sections  # noqa: F401
