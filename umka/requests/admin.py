"""Back office for requests: to look up a request, its thread and its files — not
to change them (every step goes through umka.requests.services: deadlines,
notices, the audit trail).

Requests are private (R3, R13): besides the people concerned only the deputy heads
and the director see them, and the school administrator as such does not. So this
part of the back office opens only to a back-office user who also oversees
requests (a superuser, or an administrator who is also a deputy head or the
director). Files are never linked to the media storage: only to requests:attachment,
which checks the reader again.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from umka.consultations.admin import ReadOnlyMixin
from umka.core.admin_site import UmkaModelAdmin, UmkaTabularInline
from umka.requests.models import (
    Request,
    RequestAttachment,
    RequestMessage,
    SharedTopicNotice,
)
from umka.requests.policies import can_browse_in_back_office

_PERSON_SEARCH = ("last_name", "first_name", "middle_name", "username")


def _person_search(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in _PERSON_SEARCH)


class RequestsAccess:
    """Read-only, and only for those who may see every request anyway."""

    def has_module_permission(self, request) -> bool:
        return can_browse_in_back_office(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_browse_in_back_office(request.user)


class RequestMessageInline(RequestsAccess, ReadOnlyMixin, UmkaTabularInline):
    model = RequestMessage
    fields = ("created_at", "kind", "author", "to", "text", "rating")
    ordering = ("created_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "to")


class RequestAttachmentInline(RequestsAccess, ReadOnlyMixin, UmkaTabularInline):
    model = RequestAttachment
    # Not `file`: its widget would link to the media storage.
    fields = ("download", "size", "message", "uploaded_by", "uploaded_at")
    extra_readonly = ("download",)
    ordering = ("uploaded_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "message")

    @admin.display(description=RequestAttachment._meta.get_field("name").verbose_name)
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("requests:attachment", args=[obj.pk]),
            obj.name,
        )


@admin.register(Request)
class RequestAdmin(RequestsAccess, ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "__str__",
        "student",
        "school_class",
        "addressee",
        "subject",
        "assignee",
        "status",
        "created_at",
        "due_at",
        "answered_at",
    )
    list_filter = (
        "status",
        "addressee",
        "category",
        "subject",
        "school_class",
        "created_at",
    )
    list_select_related = ("student", "school_class", "subject", "assignee")
    search_fields = (
        "topic",
        *_person_search("student"),
        *_person_search("author"),
        *_person_search("assignee"),
    )
    date_hierarchy = "created_at"
    inlines = [RequestMessageInline, RequestAttachmentInline]


@admin.register(SharedTopicNotice)
class SharedTopicNoticeAdmin(RequestsAccess, ReadOnlyMixin, UmkaModelAdmin):
    list_display = ("topic", "school_class", "subject", "request_count", "created_at")
    list_filter = ("subject", "school_class")
    list_select_related = ("school_class", "subject")
    search_fields = ("topic",)
    date_hierarchy = "created_at"
