"""Who may use imports: school administrators only; the one-time passwords of an
import only the administrator who ran it (and superusers). Anyone else gets 404."""

from django.db.models import QuerySet

from umka.accounts.policies import can_administer_school
from umka.imports.models import ImportJob


def can_import(user) -> bool:
    return can_administer_school(user)


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """Every administrator sees every import (they share the work of setting up)."""
    if not can_import(user):
        return ImportJob.objects.none()
    return ImportJob.objects.all()


def can_view_credentials(user, job: ImportJob) -> bool:
    """Passwords are for the uploader's eyes: another administrator gets 404."""
    return can_import(user) and (
        user.is_superuser
        or (job.created_by_id is not None and job.created_by_id == user.pk)
    )
