from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

SCHEDULE_AMENDED = register(
    "consultations.amended", _("Changes to the consultation schedule")
)
SESSION_REMINDER = register(
    "consultations.reminder", _("Reminder of a consultation you are invited to")
)
