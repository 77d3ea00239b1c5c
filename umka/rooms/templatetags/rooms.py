"""{% room_attendance occurrence_or_booking %}: the live room's attendance (R13) on
the pages of other apps (a consultation session, a booking), without those apps
knowing about rooms."""

from django import template

from umka.rooms import services
from umka.rooms.models import Room

register = template.Library()


@register.inclusion_tag("rooms/_attendance_block.html", takes_context=True)
def room_attendance(context, owner):
    field = "booking" if owner.__class__.__name__ == "Booking" else "occurrence"
    room = Room.objects.filter(**{field: owner}).first()
    return {
        "room": room,
        "attendance": services.attendance_summary(room) if room else [],
        "request": context.get("request"),
    }
