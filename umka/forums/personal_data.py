"""Personal data held by forums (see umka/privacy/registry.py)."""

from umka.forums.models import (
    Digest,
    Discussion,
    DiscussionGrade,
    Post,
    Report,
    Subscription,
    Thread,
)
from umka.privacy import registry

registry.declare(
    Thread,
    people=("author", "locked_by"),
    fields=("forum", "title", "created_at"),
    texts={"author": ("title",)},
)
registry.declare(
    Post,
    people=("author", "edited_by", "hidden_by"),
    fields=("thread", "body", "created_at", "edited_at"),
    texts={"author": ("body",)},
)
registry.declare(
    Report,
    people=("reporter", "resolved_by"),
    fields=("post", "reason", "created_at"),
    texts={"reporter": ("reason",)},
)
registry.declare(
    Subscription, people=("user",), fields=("forum", "thread", "created_at")
)
registry.declare(Digest, people=("user",), fields=("sent_at",))
registry.declare(
    Discussion, people=("created_by",), fields=("title", "starts_on", "ends_on")
)
registry.declare(
    DiscussionGrade,
    people=("student", "graded_by", "escalated_to"),
    fields=("discussion", "student", "posts", "status", "mark", "review"),
)
