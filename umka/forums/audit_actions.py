"""Audit actions of forums (R6, R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

THREAD_CREATED = register("forums.thread_created", _("Started a forum thread"))
POSTED = register("forums.posted", _("Replied in a forum"))
EDITED = register("forums.edited", _("Edited a forum message"))
HIDDEN = register("forums.hidden", _("Hid a forum message"))
SHOWN = register("forums.shown", _("Showed a hidden forum message again"))
LOCKED = register("forums.locked", _("Closed a forum thread"))
UNLOCKED = register("forums.unlocked", _("Reopened a forum thread"))
PINNED = register("forums.pinned", _("Pinned or unpinned an announcement"))
MOVED = register("forums.moved", _("Moved a forum thread"))
REPORTED = register("forums.reported", _("Reported a forum message"))
REPORT_DISMISSED = register("forums.report_dismissed", _("Dismissed a report"))
SUBSCRIBED = register("forums.subscribed", _("Followed or stopped following"))
DISCUSSION_CREATED = register("forums.discussion_created", _("Set a graded discussion"))
DISCUSSION_CLOSED = register(
    "forums.discussion_closed", _("Closed a graded discussion for grading")
)
DISCUSSION_GRADED = register(
    "forums.discussion_graded", _("Graded a student's discussion with a review")
)
