from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course spaces of deferred work (R6): membership, the results page, the
    teacher's queue «Проверить» and the registries other forms plug into."""

    name = "umka.courses"
    verbose_name = _("Course spaces")

    def ready(self) -> None:
        from umka.core import richtext
        from umka.courses import (  # noqa: F401
            audit_actions,
            menu_entries,
            notification_kinds,
            sync,
        )
        from umka.school import teaching_change

        teaching_change.register(sync.follow_teaching_change)
        richtext.register_image_source(r"/courses/images/[0-9a-f-]{36}/")
