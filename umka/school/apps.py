from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolConfig(AppConfig):
    name = "umka.school"
    label = "school"
    verbose_name = _("School structure")

    def ready(self) -> None:
        from umka.core import clock
        from umka.school import (  # noqa: F401  (audit labels, system checks)
            checks,
            services,
        )
        from umka.school.selectors import current_school_time_zone

        clock.set_zone_source(current_school_time_zone)
