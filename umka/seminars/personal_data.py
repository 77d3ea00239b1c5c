"""Personal data held by seminars (see umka/privacy/registry.py)."""

from umka.privacy import registry
from umka.seminars.models import Assessment, Seminar, Work

registry.declare(
    Seminar, people=("created_by",), fields=("title", "phase", "created_at")
)
registry.declare(
    Work,
    people=("author", "graded_by", "escalated_to"),
    fields=(
        "seminar",
        "author",
        "title",
        "text",
        "submitted_at",
        "status",
        "mark",
        "review",
    ),
    texts={"author": ("title", "text")},
)
registry.declare(
    Assessment,
    people=("reviewer", "author"),
    fields=("work", "reviewer", "total", "comment", "assessed_at"),
    texts={"reviewer": ("comment",)},
)
