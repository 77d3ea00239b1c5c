from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    """Forums of course spaces and parents' forums of classes (R6): threads,
    replies, moderation, reports, digests, live posts, graded discussions."""

    name = "umka.forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from umka.courses import policies as spaces
        from umka.courses import results as course_results
        from umka.courses import review_queue, sections
        from umka.forums import (  # noqa: F401
            audit_actions,
            menu_entries,
            notification_kinds,
            policies,
            queue,
            results,
            section,
        )

        course_results.register(results.discussion_results)
        review_queue.register(queue.DiscussionQueue())
        sections.register(section.forum_section, order=40)
        spaces.register_image_share(policies.shared_images)
