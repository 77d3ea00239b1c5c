"""Back office for grades: to look up grades — not to change them. Grades are
entered on the grade pages and imported through the import engine (checks,
all-or-nothing, the audit trail); their imports are with the other imports."""

from django.contrib import admin

from umka.consultations.admin import ReadOnlyMixin
from umka.core.admin_site import UmkaModelAdmin
from umka.grades.models import Grade

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
        "import_job",
        "created_at",
        "updated_at",
    )
