"""Kinds of notification about deferred work, shared by every form of it."""

from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

GRADED = register("courses.graded", _("A grade and a review of your work"))
RETURNED = register("courses.returned", _("Work returned to be done again"))
REVIEW_REMINDER = register("courses.review_reminder", _("Work to grade is due soon"))
REVIEW_ESCALATED = register("courses.review_escalated", _("An overdue review"))
