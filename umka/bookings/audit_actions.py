from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

WINDOW_OPENED = register(
    "bookings.window_opened", _("Opened a window for individual consultations")
)
WINDOW_CANCELLED = register(
    "bookings.window_cancelled", _("Cancelled a window for individual consultations")
)
BOOKED = register("bookings.booked", _("Booked an individual consultation"))
CANCELLED = register(
    "bookings.cancelled", _("Cancelled a booking of an individual consultation")
)
RESCHEDULED = register(
    "bookings.rescheduled", _("Moved a booking of an individual consultation")
)
MARKED = register(
    "bookings.marked", _("Marked an individual consultation held or missed")
)
ZONE_KEPT = register(
    "bookings.zone_kept",
    _("Kept the wall-clock time of an individual consultation in a new time zone"),
)
