"""Personal data held by bookings (see umka/privacy/registry.py).

The staff's private note on a booking is the school's working note and is not
part of the export.
"""

from umka.bookings.models import Booking, BookingWindow, SlotWatch
from umka.privacy import registry

registry.declare(
    BookingWindow,
    people=("organiser", "created_by"),
    fields=("organiser", "starts_at", "ends_at", "form", "cancelled_at"),
)
registry.declare(
    Booking,
    people=("student", "booked_by", "cancelled_by", "marked_by"),
    fields=(
        "slot",
        "student",
        "booked_by",
        "note",
        "status",
        "created_at",
        "cancelled_at",
        "cancel_reason",
        "outcome_note",
    ),
    texts={"booked_by": ("note",), "cancelled_by": ("cancel_reason",)},
)
registry.declare(
    SlotWatch,
    people=("watcher", "student"),
    fields=("slot", "student", "note", "created_at"),
    texts={"watcher": ("note",)},
)
