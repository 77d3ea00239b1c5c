"""Reads for the import pages: job lists and the report in the reader's language."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.imports import registry
from umka.imports.models import ImportJob
from umka.imports.policies import import_jobs_visible_to

# Heavy columns a list never shows.
_HEAVY = ("source", "errors", "changes", "credentials")


def jobs_for_list(user, kind: str | None = None) -> QuerySet[ImportJob]:
    jobs = import_jobs_visible_to(user)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.select_related("created_by", "year").defer(*_HEAVY)


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


def readable_value(value) -> str:
    """A before/after value of the changes table: «—» for nothing, lists joined."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def change_rows(job: ImportJob) -> list[dict]:
    """[{"row", "name", "items": [(label, before, after)]}] of changed items, in
    the kind's words."""
    kind = registry.get(job.kind)
    labels = kind.change_labels if kind else {}
    readable = (kind.change_value if kind else None) or (
        lambda _name, value: readable_value(value)
    )
    return [
        {
            "row": change["row"],
            "name": change["name"],
            "items": [
                (
                    str(labels.get(name, name)),
                    readable(name, pair[0]),
                    readable(name, pair[1]),
                )
                for name, pair in change["changes"].items()
            ],
        }
        for change in job.changes
    ]


def credential_slips(job: ImportJob) -> list[dict]:
    """The job's one-time passwords, each marked `used` once its person has signed
    in and chosen their own password."""
    ids = [c["user_id"] for c in job.credentials]
    signed_in = (
        set(
            User.objects.filter(pk__in=ids, must_change_password=False).values_list(
                "pk", flat=True
            )
        )
        if ids
        else set()
    )
    return [{**c, "used": c["user_id"] in signed_in} for c in job.credentials]
