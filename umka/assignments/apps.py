from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    """Interactive e-assignments (R6): questions checked automatically and parts
    the teacher grades, the question bank with GIFT, submissions, grading with a
    written review."""

    name = "umka.assignments"
    verbose_name = _("Assignments")

    def ready(self) -> None:
        from umka.assignments import audit_actions, queue, results, section  # noqa: F401
        from umka.courses import results as course_results
        from umka.courses import review_queue, sections

        course_results.register(results.assignment_results)
        review_queue.register(queue.SubmissionQueue())
        sections.register(section.assignments_section, order=10)
