"""Who may use which kind of import and see which job; anyone else gets 404.

Each kind says who may upload it (`Kind.may_use`) and which of its jobs a person
sees (`Kind.visible_jobs`): people imports are the school administrator's, a
teacher imports the grades of what they teach. The one-time passwords of an
import only the administrator who ran it reads (and superusers).
"""

from django.db.models import Q, QuerySet

from umka.accounts.policies import can_administer_school
from umka.core.access import get_visible_or_404, require
from umka.imports import registry
from umka.imports.models import ImportJob


def can_import_people(user) -> bool:
    """Students, parents and staff are imported by the school administrator (R3)."""
    return can_administer_school(user)


def kinds_for(user) -> list[registry.Kind]:
    """The kinds `user` may upload, in the order the upload form offers them."""
    if user is None or not user.is_authenticated:
        return []
    return [kind for kind in registry.all_kinds() if kind.may_use(user)]


def can_use_kind(user, key: str) -> bool:
    kind = registry.get(key)
    return bool(
        kind is not None
        and user is not None
        and user.is_authenticated
        and kind.may_use(user)
    )


def can_open_imports(user) -> bool:
    """The import pages (list, upload): for whoever may upload some kind."""
    return bool(kinds_for(user))


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """Every job of every kind the user may see, as each kind decides."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ImportJob.objects.none()
    visible = None
    for kind in registry.all_kinds():
        part = kind.visible_jobs(user)
        if part is None:
            continue
        part = Q(kind=kind.key) & part
        visible = part if visible is None else visible | part
    if visible is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(visible)


def _credential_kinds() -> list[str]:
    return [kind.key for kind in registry.all_kinds() if kind.issues_credentials]


def can_view_credentials(user, job: ImportJob) -> bool:
    """Passwords are for the uploader's eyes: another administrator gets 404."""
    return (
        job.kind in _credential_kinds()
        and can_use_kind(user, job.kind)
        and (
            user.is_superuser
            or (job.created_by_id is not None and job.created_by_id == user.pk)
        )
    )


def credentials_visible_to(user) -> QuerySet[ImportJob]:
    jobs = import_jobs_visible_to(user).filter(kind__in=_credential_kinds())
    if user.is_authenticated and user.is_superuser:
        return jobs
    return jobs.filter(created_by=user.pk)


# --- fetch and authorise ------------------------------------------------------------


def access_kind(user, key: str | None) -> registry.Kind:
    """The kind `key` if `user` may upload it; else 404."""
    require(can_use_kind(user, key or ""))
    return registry.get(key)


def require_imports(user) -> list[registry.Kind]:
    """The kinds `user` may upload; 404 for someone who may upload none."""
    kinds = kinds_for(user)
    require(bool(kinds))
    return kinds


def access_job(user, pk: int) -> ImportJob:
    """A job `user` may see (report, progress), without its file; else 404."""
    return get_visible_or_404(
        import_jobs_visible_to(user)
        .select_related("created_by", "year")
        .defer("source"),
        pk=pk,
    )


def access_credentials(user, pk: int) -> ImportJob:
    """A job whose one-time passwords `user` may read and erase; else 404."""
    return get_visible_or_404(
        credentials_visible_to(user).select_related("created_by").defer("source"),
        pk=pk,
    )
