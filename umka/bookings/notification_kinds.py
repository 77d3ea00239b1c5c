from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

BOOKED = register("bookings.booked", _("Individual consultation booked"))
CANCELLED = register("bookings.cancelled", _("Individual consultation cancelled"))
RESCHEDULED = register("bookings.rescheduled", _("Individual consultation moved"))
SLOT_FREED = register(
    "bookings.slot_freed", _("A watched slot became free and was booked for you")
)
REMINDER = register("bookings.reminder", _("Reminder of an individual consultation"))
OUTCOME = register("bookings.outcome", _("Outcome note of an individual consultation"))
