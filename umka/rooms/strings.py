"""Translated strings for room.js (the page passes them in room_config).

The keys are the ones room.js looks up (with English fallbacks there); {name},
{count}, {max} and {mb} are filled in by the script.
"""

from django.utils.translation import gettext as _


def client_strings() -> dict[str, str]:
    return {
        "camera_ok": _("Camera works"),
        "camera_none": _("No camera found"),
        "mic_ok": _("Microphone works: say something and watch the level"),
        "mic_none": _("No microphone found"),
        "devices_denied": _(
            "The browser does not allow the camera and microphone. Allow them (the "
            "icon in the address bar) and check again."
        ),
        "devices_busy": _(
            "The camera or microphone is used by another application. Close it and "
            "check again."
        ),
        "devices_unsupported": _(
            "This browser cannot use a camera or microphone here. You can still "
            "watch, listen and write in the chat."
        ),
        "devices_failed": _("The camera and microphone could not be started."),
        "connecting": _("Connecting…"),
        "connected": _("You are in the room."),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "closed_by_organiser": _("The organiser has closed the room."),
        "closed_not_open": _("The room is not open now."),
        "room_closed": _("The room is closed."),
        "not_allowed": _("You cannot enter this room."),
        "left": _("You have left the room."),
        "you": _("(you)"),
        "mic_on": _("Microphone on"),
        "mic_off": _("Microphone off"),
        "cam_on": _("Camera on"),
        "cam_off": _("Camera off"),
        "screen_start": _("Share screen"),
        "screen_stop": _("Stop sharing"),
        "screen_failed": _("Screen sharing did not start."),
        "hand_raise": _("Raise hand"),
        "hand_lower": _("Lower hand"),
        "hand_raised": _("raised a hand"),
        "role_organiser": _("organiser"),
        "role_participant": _("participant"),
        "role_observer": _("observer"),
        "is_muted": _("muted"),
        "may_speak": _("speaks"),
        "mute": _("Mute"),
        "unmute": _("Unmute"),
        "allow_speak": _("Let speak"),
        "forbid_speak": _("Stop speaking"),
        "delete": _("Delete"),
        "message_deleted": _("Message deleted"),
        "sending": _("sending…"),
        "typing_one": _("{name} is typing…"),
        "typing_many": _("Several people are typing…"),
        "you_are_muted": _(
            "The organiser has muted you: you cannot write in the chat or speak."
        ),
        "you_may_speak": _(
            "The organiser has let you speak: your camera and microphone are on."
        ),
        "you_may_not_speak": _("The organiser has stopped your speaking."),
        "too_long": _("The message is too long: {count} characters of {max}."),
        "file_too_big": _("The file is too large: at most {mb} MB."),
        "file_failed": _("The file could not be sent."),
        "link_prompt": _("Link address (https://…)"),
        "link_invalid": _("Only http, https and mailto links are allowed."),
        "media_unavailable": _(
            "The video connection could not be established. The chat still works."
        ),
        "peer_failed": _("No video connection with {name}."),
        "hand_alert": _("{name} raised a hand."),
    }
