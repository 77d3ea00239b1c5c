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


@register.filter
def chat_html(value: str) -> str:
    """A stored chat message, sanitised once more as it is shown (the template
    never marks stored HTML safe by itself)."""
    from django.utils.safestring import mark_safe

    from umka.core.sanitize import clean_html

    return mark_safe(clean_html(value))  # noqa: S308 — the allow-list's output
