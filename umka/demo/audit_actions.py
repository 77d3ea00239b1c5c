from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

DEMO_LOADED = register("demo.loaded", _("Loaded the demo school"))
DEMO_RESET = register("demo.reset", _("Wiped the demo school to load it again"))
