from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    """Interactive e-assignments (R6): questions checked automatically and parts
    the teacher grades, the question bank with GIFT, submissions, grading with a
    written review."""

    name = "umka.assignments"
    verbose_name = _("Assignments")

    def ready(self) -> None:
        from umka.assignments import (
            audit_actions,  # noqa: F401
            queue,
            results,
            section,
            zone,
        )
        from umka.courses import results as course_results
        from umka.courses import review_queue, sections
        from umka.school import zone_change

        course_results.register(results.assignment_results)
        review_queue.register(queue.SubmissionQueue())
        sections.register(section.assignments_section, order=10)
        zone_change.register(zone.keep_wall_clock)
        from umka.assignments import report_sections  # noqa: F401
