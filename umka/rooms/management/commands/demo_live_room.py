from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from umka.core.entry_points import SchoolCommand
from umka.rooms.demo import live_demo_session


class Command(SchoolCommand):
    help = "Open a live demo consultation that is on now (demo school only)."

    def handle(self, *args, **options):
        room = live_demo_session()
        if room is None:
            self.stdout.write(
                _("No demo school: run manage.py load_demo_school first.")
            )
            return
        url = settings.SITE_URL.rstrip("/") + reverse("rooms:room", args=[room.pk])
        self.stdout.write(
            _(
                "Live room to try now (for an hour): %(url)s\n"
                "  sign in as teacher, student or parent (password umka-demo),\n"
                "  each in its own browser window, and press «Join»."
            )
            % {"url": url}
        )
