"""Notification kinds of forums (grades use the courses' shared kinds)."""

from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

DIGEST = register("forums.digest", _("New messages in the forums you follow"))
REPORTED = register("forums.reported", _("A forum message reported to you"))
MODERATED = register("forums.moderated", _("Your forum message hidden"))
ANNOUNCEMENT = register("forums.announcement", _("A teacher's announcement"))
