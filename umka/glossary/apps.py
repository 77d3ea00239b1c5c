from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    """The glossary of a course space (R6): proposed terms, the teacher's
    decision, duplicates caught, Russian alphabetical order, graded entries."""

    name = "umka.glossary"
    verbose_name = _("Glossary")

    def ready(self) -> None:
        from umka.courses import policies as spaces
        from umka.courses import results as course_results
        from umka.courses import review_queue, sections
        from umka.glossary import audit_actions, policies, queue, results, section  # noqa: F401

        course_results.register(results.glossary_results)
        review_queue.register(queue.EntryQueue())
        sections.register(section.glossary_section, order=30)
        spaces.register_image_share(policies.shared_images)
