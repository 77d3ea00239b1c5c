"""Back office for live rooms: to look up rooms, their chat and attendance — not to
change them (opening, closing and moderation go through umka.rooms.services, with
the audit trail)."""

from django.contrib import admin
from django.urls import reverse

from umka.consultations.admin import ReadOnlyMixin
from umka.core.admin_site import UmkaModelAdmin, UmkaTabularInline
from umka.rooms.models import Attendance, ChatMessage, Room


class AttendanceInline(ReadOnlyMixin, UmkaTabularInline):
    model = Attendance
    fields = ("user", "role", "joined_at", "left_at")
    ordering = ("joined_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Room)
class RoomAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = ("__str__", "kind", "transport", "created_at", "closed_at")
    list_filter = ("kind", "transport", "created_at")
    list_select_related = (
        "occurrence__consultation__organiser",
        "occurrence__consultation__subject",
        "booking__slot",
        "booking__student",
    )
    date_hierarchy = "created_at"
    inlines = [AttendanceInline]
    #: The Janus room's secret and PIN stay out of the back office.
    hidden = ("janus_secret", "janus_pin")

    def get_readonly_fields(self, request, obj=None):
        return [
            f for f in super().get_readonly_fields(request, obj) if f not in self.hidden
        ]

    def get_fields(self, request, obj=None):
        return [f for f in super().get_fields(request, obj) if f not in self.hidden]

    def view_on_site(self, obj):
        return reverse("rooms:room", args=[obj.pk])


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = ("created_at", "room", "author", "attachment_name", "deleted_at")
    list_filter = ("created_at", "deleted_at")
    list_select_related = ("author", "room__occurrence__consultation__organiser")
    search_fields = ("html", "author__last_name", "author__first_name")
    date_hierarchy = "created_at"
