"""Back office for grades: to look up grades and their imports — not to change
them. Grades are entered and imported on the grade pages (umka.grades.services:
checks, all-or-nothing imports, the audit trail); the uploaded file is never
shown here."""

from django.contrib import admin
from django.urls import reverse

from umka.consultations.admin import ReadOnlyMixin
from umka.core.admin_site import UmkaModelAdmin
from umka.grades.models import Grade, GradeImport

_PERSON_SEARCH = ("last_name", "first_name", "middle_name", "username")


def _person_search(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in _PERSON_SEARCH)


@admin.register(Grade)
class GradeAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "student",
        "school_class",
        "subject",
        "date",
        "value",
        "topic",
        "work_type",
        "source",
        "teacher",
    )
    list_filter = ("subject", "school_class__year", "school_class", "source", "date")
    list_select_related = ("student", "school_class", "subject", "teacher")
    search_fields = ("topic", "work_type", *_person_search("student"))
    date_hierarchy = "date"
    fields = (
        "student",
        "school_class",
        "subject",
        "date",
        "value",
        "topic",
        "topic_key",
        "work_type",
        "teacher",
        "source",
        "batch",
        "created_at",
        "updated_at",
    )


@admin.register(GradeImport)
class GradeImportAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "__str__",
        "created_at",
        "status",
        "dry_run",
        "created_by",
        "total_rows",
        "error_count",
    )
    list_filter = ("status", "dry_run", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("file_name", *_person_search("created_by"))
    date_hierarchy = "created_at"
    # Not `source`: the raw file stays out of the back office.
    fields = (
        "file_name",
        "file_size",
        "file_sha256",
        "status",
        "dry_run",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "total_rows",
        "summary",
        "error_count",
        "errors",
        "failure",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source")

    def view_on_site(self, obj):
        return reverse("grades:import_detail", args=[obj.pk])
