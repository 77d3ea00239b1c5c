"""The audit trail in the back office: to read and filter, never to edit (R13)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from umka.audit import registry
from umka.audit.models import AuditEntry
from umka.core.admin_site import UmkaModelAdmin


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return registry.choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(UmkaModelAdmin):
    list_display = (
        "at",
        "actor_name",
        "action_label",
        "target_type",
        "target_repr",
        "ip_address",
    )
    list_filter = (ActionFilter, ("at", admin.DateFieldListFilter), "target_type")
    list_select_related = ("target_type",)
    search_fields = ("actor_name", "target_repr", "target_id", "action")
    date_hierarchy = "at"
    fields = (
        "at",
        "actor",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "changes",
        "ip_address",
    )
    readonly_fields = fields

    # Append-only: the model refuses too, this keeps the buttons away.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return obj.action_label
