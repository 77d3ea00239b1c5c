"""Every write of the imports app: upload, run, erase one-time passwords.

An import is all-or-nothing (R3 data, R13 accountability): the whole file is
checked first, every bad row is reported, and only a clean file is applied — in one
transaction, with an audit entry for the import and for each person it created or
changed.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.imports import audit_actions, policies
from umka.imports.applying import apply_plan
from umka.imports.models import ImportJob, ImportKind
from umka.imports.planning import Plan, RowError, build_plan
from umka.imports.progress import progress_clear, progress_set
from umka.imports.readers import FileProblem, read_table

logger = logging.getLogger(__name__)

#: Stored errors of one job; a file this bad needs fixing wholesale anyway.
MAX_STORED_ERRORS = 5_000
#: Arbitrary constant naming the PostgreSQL advisory lock that queues imports.
_LOCK_KEY = 7_734_201


def credentials_keep_days() -> int:
    """How long one-time passwords stay readable (setting IMPORT_CREDENTIALS_DAYS)."""
    return int(getattr(settings, "IMPORT_CREDENTIALS_DAYS", 7))


def max_file_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_FILE_MB", 10)) * 1024 * 1024


def import_job_create(
    *,
    actor,
    kind: str,
    file_name: str,
    data: bytes,
    year=None,
    verify_links: bool = True,
    dry_run: bool = False,
    request=None,
) -> ImportJob:
    """Store an uploaded file as a queued job and start it once this commits.

    R3 (people, roles, parent links come from the school's own lists), R13 (the
    upload is recorded with its address).
    """
    if not policies.can_import(actor):
        raise DomainError(_("Only the school administrator may import people."))
    if kind not in ImportKind.values:
        raise DomainError(_("Unknown kind of file."))
    if len(data) > max_file_bytes():
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": max_file_bytes() >> 20}
        )
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            created_by=actor,
            file_name=file_name[:255],
            file_size=len(data),
            file_sha256=hashlib.sha256(data).hexdigest(),
            source=data,
            year=year,
            verify_links=verify_links,
            dry_run=dry_run,
        )
        record(
            actor=actor,
            action=audit_actions.JOB_CREATED,
            target=job,
            changes={
                "kind": kind,
                "file": job.file_name,
                "size": job.file_size,
                "sha256": job.file_sha256,
                "year": str(year) if year else None,
                "verify_links": verify_links,
                "dry_run": dry_run,
            },
            request=request,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from umka.imports.tasks import run_import

    run_import(job_id)


def _serialise_imports() -> None:
    """One import applies at a time, so two files cannot create the same person.

    SQLite already takes its write lock at BEGIN (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def import_job_run(*, job_id: int) -> ImportJob:
    """Check the whole file, then apply it in one transaction — or change nothing.

    R13: the outcome (applied, rejected with every bad row, failed) is recorded, and
    so is each person created or changed. Runs in the task worker; a job runs
    once, a repeated call does nothing.
    """
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.QUEUED
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.select_related("created_by", "year").get(pk=job_id)
    if not claimed:
        return job
    with clock.school_time():
        try:
            return _run(job)
        except Exception as exc:
            # The transaction has rolled back; say so and keep the worker alive.
            logger.exception("Import job %s failed", job_id)
            return _fail(job, exc)


def _run(job: ImportJob) -> ImportJob:
    progress_set(job.pk, phase="reading")
    try:
        table = read_table(bytes(job.source), job.file_name)
    except FileProblem as problem:
        plan = Plan(job.kind, job.year)
        plan.errors = [RowError(None, "", problem.message, problem.params)]
        return _finish(job, ImportJob.Status.REJECTED, plan)
    total = len(table.rows)
    progress_set(job.pk, phase="validating", total=total)

    def validating(done: int, of: int) -> None:
        progress_set(job.pk, phase="validating", done=done, total=of)

    def applying(done: int, of: int) -> None:
        progress_set(job.pk, phase="applying", done=done, total=of)

    with transaction.atomic():
        _serialise_imports()
        plan = build_plan(
            kind=job.kind,
            table=table,
            year=job.year,
            today=clock.today(),
            verify_links=job.verify_links,
            progress=validating,
        )
        if not plan.errors and not job.dry_run:
            applied = apply_plan(
                plan,
                actor=job.created_by,
                job_id=job.pk,
                verify_links=job.verify_links,
                progress=applying,
            )
            # Inside the transaction: the accounts and their passwords land together.
            return _finish(
                job,
                ImportJob.Status.DONE,
                plan,
                changes=applied.changes,
                credentials=applied.credentials,
            )
    if plan.errors:
        return _finish(job, ImportJob.Status.REJECTED, plan)
    preview = [
        {"row": p.row, "name": p.full_name, "changes": p.changes}
        for p in plan.people
        if p.action == "changed"
    ]
    return _finish(job, ImportJob.Status.CHECKED, plan, changes=preview)


_ACTIONS = {
    ImportJob.Status.DONE: audit_actions.JOB_APPLIED,
    ImportJob.Status.CHECKED: audit_actions.JOB_CHECKED,
    ImportJob.Status.REJECTED: audit_actions.JOB_REJECTED,
    ImportJob.Status.FAILED: audit_actions.JOB_FAILED,
}


def _finish(
    job: ImportJob,
    status: str,
    plan: Plan,
    *,
    changes: list | None = None,
    credentials: list | None = None,
) -> ImportJob:
    now = timezone.now()
    job.status = status
    job.finished_at = now
    job.total_rows = plan.total_rows
    job.source = b""
    job.error_count = len(plan.errors)
    job.errors = [e.as_dict() for e in plan.errors[:MAX_STORED_ERRORS]]
    job.summary = {"rows": plan.total_rows, "ignored_columns": plan.ignored_columns}
    if status in (ImportJob.Status.DONE, ImportJob.Status.CHECKED):
        job.summary.update(plan.counts())
    job.changes = changes or []
    job.credentials = credentials or []
    job.credentials_count = len(job.credentials)
    if job.credentials:
        job.credentials_expire_at = now + dt.timedelta(days=credentials_keep_days())
    job.save()
    summary = {k: v for k, v in job.summary.items() if k != "ignored_columns"}
    record(
        actor=job.created_by,
        action=_ACTIONS[status],
        target=job,
        changes={
            "kind": job.kind,
            "file": job.file_name,
            **summary,
            "errors": job.error_count,
        },
    )
    progress_clear(job.pk)
    return job


def _fail(job: ImportJob, exc: Exception) -> ImportJob:
    plan = Plan(job.kind, job.year)
    plan.errors = [
        RowError(
            None,
            "",
            gettext_noop(
                "The import stopped because of an internal error; nothing was "
                "changed. Try again; if it repeats, tell the developers."
            ),
        )
    ]
    job.failure = f"{type(exc).__name__}: {exc}"[:2000]
    return _finish(job, ImportJob.Status.FAILED, plan)


def import_credentials_viewed(*, actor, job: ImportJob, request=None) -> None:
    """Opening the list of one-time passwords is itself recorded (R13)."""
    record(
        actor=actor,
        action=audit_actions.CREDENTIALS_VIEWED,
        target=job,
        changes={"accounts": job.credentials_count},
        request=request,
    )


def import_credentials_erase(
    *, actor, job: ImportJob, reason: str = "handed_out", request=None
) -> ImportJob:
    """Forget the one-time passwords of `job`: handed out, or expired (actor None).

    The accounts keep working: each person signs in with the password they were
    given and must choose their own at once.
    """
    if actor is not None and not policies.can_view_credentials(actor, job):
        raise DomainError(_("Only the administrator who ran the import may do this."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.credentials_erased_at is not None or not job.credentials_count:
            return job
        job.credentials = []
        job.credentials_erased_at = timezone.now()
        job.save(update_fields=["credentials", "credentials_erased_at"])
        record(
            actor=actor,
            action=audit_actions.CREDENTIALS_ERASED,
            target=job,
            changes={"accounts": job.credentials_count, "reason": reason},
            request=request,
        )
    return job


def import_credentials_expire(*, now: dt.datetime | None = None) -> int:
    """Erase every list of one-time passwords older than the keeping period."""
    now = now or timezone.now()
    due = ImportJob.objects.filter(
        credentials_erased_at__isnull=True,
        credentials_count__gt=0,
        credentials_expire_at__lte=now,
    ).only("pk")
    count = 0
    for job in due:
        import_credentials_erase(actor=None, job=job, reason="expired")
        count += 1
    return count
