"""Reads for the import pages: job lists and the report in the reader's language."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.accounts.models import Role
from umka.imports.models import ImportJob
from umka.imports.policies import import_jobs_visible_to

# Heavy columns a list never shows.
_HEAVY = ("source", "errors", "changes", "credentials")


def jobs_for_list(user) -> QuerySet[ImportJob]:
    return (
        import_jobs_visible_to(user).select_related("created_by", "year").defer(*_HEAVY)
    )


def job_for_page(user) -> QuerySet[ImportJob]:
    return (
        import_jobs_visible_to(user)
        .select_related("created_by", "year")
        .defer("source")
    )


def error_text(error: dict) -> str:
    """One stored error in the active language (msgid + params → sentence)."""
    message = _(error.get("message", ""))
    try:
        return message % error.get("params", {})
    except (KeyError, TypeError, ValueError):
        return message


def error_rows(job: ImportJob) -> list[dict]:
    return [
        {
            "row": e.get("row"),
            "column": e.get("column", ""),
            "value": e.get("value", ""),
            "text": error_text(e),
        }
        for e in job.errors
    ]


_FIELD_LABELS = {
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "middle_name": gettext_lazy("Patronymic"),
    "birth_date": gettext_lazy("Birth date"),
    "class": gettext_lazy("Class"),
    "roles": gettext_lazy("Roles"),
    "children": gettext_lazy("Children"),
    "verified": gettext_lazy("Links verified"),
    "position": gettext_lazy("Position"),
    "weekly_load_hours": gettext_lazy("Weekly load, hours"),
    "consultation_hours": gettext_lazy("Consultation hours"),
    "working_time": gettext_lazy("Working time"),
    "lessons_added": gettext_lazy("Subjects and classes added"),
    "lessons_hours": gettext_lazy("Hours changed"),
}


def _readable(name: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if name == "roles":
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def change_rows(job: ImportJob) -> list[dict]:
    """[{"row", "name", "items": [(label, before, after)]}] of changed people."""
    return [
        {
            "row": change["row"],
            "name": change["name"],
            "items": [
                (
                    str(_FIELD_LABELS.get(name, name)),
                    _readable(name, pair[0]),
                    _readable(name, pair[1]),
                )
                for name, pair in change["changes"].items()
            ],
        }
        for change in job.changes
    ]
