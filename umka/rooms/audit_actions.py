from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

OPENED = register("rooms.opened", _("Opened a live room"))
CLOSED = register("rooms.closed", _("Closed a live room"))
MESSAGE_DELETED = register("rooms.message_deleted", _("Deleted a chat message"))
MUTED = register("rooms.muted", _("Muted or unmuted a participant of a live room"))
SPEAK = register(
    "rooms.speak", _("Let a webinar participant speak, or took the word back")
)
ATTACHED = register("rooms.attached", _("Attached a file in a live room chat"))
AUTO_HELD = register(
    "rooms.auto_held", _("Marked a session held from the room's attendance")
)
