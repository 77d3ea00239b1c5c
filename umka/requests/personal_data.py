"""Personal data held by requests (see umka/privacy/registry.py), and the
retention period of their attachments."""

from umka.privacy import registry
from umka.requests.models import Request, RequestAttachment, RequestMessage

registry.declare(
    Request,
    people=(
        "author",
        "student",
        "assignee",
        "answered_by",
        "closed_by",
        "escalated_to",
    ),
    fields=(
        "author",
        "student",
        "subject",
        "category",
        "topic",
        "text",
        "status",
        "created_at",
        "answered_at",
        "closed_at",
        "rating",
        "rating_comment",
    ),
    texts={"author": ("topic", "text", "rating_comment")},
)
registry.declare(
    RequestMessage,
    people=("author", "to"),
    fields=("request", "author", "kind", "text", "created_at"),
    texts={"author": ("text",)},
)
registry.declare(
    RequestAttachment,
    people=("uploaded_by",),
    fields=("request", "name", "size", "uploaded_at"),
    texts={"uploaded_by": ("file", "name")},
)


def purge_attachments(cutoff) -> int:
    """Files of requests closed before `cutoff` (the request and its texts stay)."""
    old = RequestAttachment.objects.filter(
        request__status=Request.Status.CLOSED, request__closed_at__lt=cutoff
    )
    removed = 0
    for attachment in old.iterator():
        attachment.file.delete(save=False)
        attachment.delete()
        removed += 1
    return removed


registry.retention(
    "request_attachments",
    setting="PRIVACY_RETENTION_REQUEST_ATTACHMENTS_DAYS",
    purge=purge_attachments,
)
