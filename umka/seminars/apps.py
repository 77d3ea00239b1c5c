from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    """The seminar with peer review (R6): phases, allocation of works to peers,
    assessment against the teacher's criteria, the teacher's two grades and the
    written review."""

    name = "umka.seminars"
    verbose_name = _("Seminars")

    def ready(self) -> None:
        from umka.courses import results as course_results
        from umka.courses import review_queue, sections
        from umka.seminars import (  # noqa: F401
            audit_actions,
            notification_kinds,
            queue,
            results,
            section,
        )

        course_results.register(results.seminar_results)
        review_queue.register(queue.WorkQueue())
        sections.register(section.seminars_section, order=20)
