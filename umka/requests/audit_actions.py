"""Audit actions of requests (R13): who did what with an обращение, and when."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

CREATED = register("requests.created", _("Wrote a request"))
TAKEN = register("requests.taken", _("Took a request into work"))
REPLIED = register("requests.replied", _("Wrote in a request's thread"))
ANSWERED = register("requests.answered", _("Answered a request"))
REDIRECTED = register("requests.redirected", _("Redirected a request"))
CLOSED = register("requests.closed", _("Closed a request"))
RATED = register("requests.rated", _("Rated the answer to a request"))
REOPENED = register("requests.reopened", _("Reopened a request"))
ESCALATED = register("requests.escalated", _("Overdue request escalated"))
SHARED_TOPIC = register(
    "requests.shared_topic", _("Told a teacher that a class shares a topic")
)
