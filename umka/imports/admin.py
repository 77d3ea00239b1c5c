"""Imports of every kind in the back office: a read-only record. Uploading and the
passwords live on the import pages; the file contents and passwords are never
shown here."""

from django.contrib import admin
from django.urls import reverse

from umka.core.admin_site import UmkaModelAdmin
from umka.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(UmkaModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "file_name",
        "status",
        "created_by",
        "total_rows",
        "error_count",
        "credentials_count",
    )
    list_filter = ("kind", "status")
    list_select_related = ("created_by",)
    search_fields = ("file_name",)
    date_hierarchy = "created_at"
    exclude = ("source", "credentials")
    readonly_fields = (
        "kind",
        "status",
        "dry_run",
        "options",
        "year",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "file_name",
        "file_size",
        "file_sha256",
        "total_rows",
        "summary",
        "error_count",
        "errors",
        "changes",
        "failure",
        "credentials_count",
        "credentials_expire_at",
        "credentials_erased_at",
    )

    def view_on_site(self, obj):
        return reverse("imports:detail", args=[obj.pk])

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source", "credentials")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
