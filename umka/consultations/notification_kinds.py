from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

SCHEDULE_AMENDED = register(
    "consultations.amended", _("Changes to the consultation schedule")
)
