from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

SCHEDULE_AMENDED = register(
    "consultations.amended", _("Changes to the consultation schedule")
)
SESSION_REMINDER = register(
    "consultations.reminder", _("Reminder of a consultation you are invited to")
)

# The approval of the schedule document (R8): who must act next is told.
SCHEDULE_SUBMITTED = register(
    "consultations.schedule_submitted", _("A consultation schedule awaits approval")
)
SCHEDULE_APPROVED = register(
    "consultations.schedule_approved", _("A consultation schedule is approved")
)
SCHEDULE_RETURNED = register(
    "consultations.schedule_returned",
    _("A consultation schedule is returned for rework"),
)
SCHEDULE_PUBLISHED = register(
    "consultations.schedule_published", _("A consultation schedule is published")
)
