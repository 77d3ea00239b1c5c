"""Notifications in the back office: to read (who was told what, which e-mail went
out when and why not), never to edit. Failed e-mail may be sent again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from umka.core.admin_site import UmkaModelAdmin
from umka.notifications import kinds, services
from umka.notifications.models import (
    EmailDelivery,
    Notification,
    NotificationPreference,
)


class ReadOnlyAdmin(UmkaModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind_label", "title", "read_at")
    list_filter = (KindFilter, ("created_at", admin.DateFieldListFilter))
    list_select_related = ("recipient",)
    search_fields = ("title", "recipient__last_name", "recipient__username")
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "recipient",
        "kind",
        "title",
        "body",
        "url",
        "actor",
        "target_type",
        "target_id",
        "read_at",
    )
    readonly_fields = fields

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "address",
        "notification",
        "status",
        "scheduled_for",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", ("scheduled_for", admin.DateFieldListFilter))
    list_select_related = ("notification",)
    search_fields = ("address", "notification__title")
    date_hierarchy = "created_at"
    fields = (
        "notification",
        "address",
        "status",
        "created_at",
        "scheduled_for",
        "next_attempt_at",
        "attempts",
        "sent_at",
        "last_error",
        "claimed_until",
    )
    readonly_fields = fields
    actions = ("send_again",)

    @admin.action(description=_("Send the selected failed e-mail again"))
    def send_again(self, request, queryset):
        count = sum(
            services.email_delivery_retry(
                actor=request.user, delivery=delivery, request=request
            )
            for delivery in queryset.select_related("notification")
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again.",
                "%(count)d e-mails queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email_enabled", "evening_email", "updated_at")
    list_filter = ("email_enabled", "evening_email")
    list_select_related = ("user",)
    search_fields = ("user__last_name", "user__username")
    fields = (
        "user",
        "email_enabled",
        "evening_email",
        "email_muted_kinds",
        "updated_at",
    )
    readonly_fields = fields
