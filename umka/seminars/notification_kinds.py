"""Notification kinds of seminars (grades use the courses' shared kinds)."""

from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

TO_ASSESS = register("seminars.to_assess", _("Works given to you to assess"))
PHASE = register("seminars.phase", _("A seminar moved to its next phase"))
