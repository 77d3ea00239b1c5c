"""Kinds of notification sent about requests (обращения)."""

from django.utils.translation import gettext_lazy as _

from umka.notifications.kinds import register

NEW = register("requests.new", _("A new request for you"))
TAKEN = register("requests.taken", _("Your request is being worked on"))
MESSAGE = register("requests.message", _("A new message about a request"))
ANSWERED = register("requests.answered", _("An answer to your request"))
REDIRECTED = register("requests.redirected", _("A request was redirected"))
CLOSED = register("requests.closed", _("A request was closed"))
RATED = register("requests.rated", _("Your answer was rated"))
REOPENED = register("requests.reopened", _("A request was reopened"))
REMINDER = register("requests.reminder", _("A request's answer is due soon"))
ESCALATED = register("requests.escalated", _("An overdue request"))
SHARED_TOPIC = register(
    "requests.shared_topic", _("Several requests from a class on one topic")
)
