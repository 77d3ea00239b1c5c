"""Every write of the import engine: upload, run, erase one-time passwords.

An import is all-or-nothing (R13 accountability), whatever its kind: the whole
file is checked first, every bad row is reported, and only a clean file is
applied — in one transaction, with an audit entry for the upload and for its
outcome (and the kind's own entries, e.g. one per person created or changed).
Imports run one at a time, so two files cannot create the same person or grade.
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
from umka.core import clock, outbox
from umka.core.errors import DomainError
from umka.imports import audit_actions, policies, registry
from umka.imports.bounded import read_table_bounded
from umka.imports.headers import find_header
from umka.imports.models import ImportJob
from umka.imports.progress import progress_clear, progress_set
from umka.imports.readers import FileProblem, Table
from umka.imports.rows import Applied, Plan, Progress, RowError, no_progress

logger = logging.getLogger(__name__)

#: Stored errors of one job; a file this bad needs fixing wholesale anyway.
MAX_STORED_ERRORS = 5_000
#: Arbitrary constant naming the PostgreSQL advisory lock that queues imports.
_LOCK_KEY = 7_734_201

_ENGINE_ACTIONS = {
    "created": audit_actions.JOB_CREATED,
    ImportJob.Status.DONE: audit_actions.JOB_APPLIED,
    ImportJob.Status.CHECKED: audit_actions.JOB_CHECKED,
    ImportJob.Status.REJECTED: audit_actions.JOB_REJECTED,
    ImportJob.Status.FAILED: audit_actions.JOB_FAILED,
}


def _action(kind: registry.Kind | None, moment: str) -> str:
    own = kind.audit_actions.get(moment) if kind else None
    return own or _ENGINE_ACTIONS[moment]


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
    options: dict | None = None,
    dry_run: bool = False,
    request=None,
) -> ImportJob:
    """Store an uploaded file as a queued job and start it once this commits.

    R13: the upload is recorded with its address. Who may upload is the kind's
    rule (people: the administrator, R3; grades: who teaches it, R9).
    """
    spec = registry.get(kind)
    if spec is None:
        raise DomainError(_("Unknown kind of file."))
    if not policies.can_use_kind(actor, kind):
        raise DomainError(str(spec.refusal))
    if len(data) > max_file_bytes():
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": max_file_bytes() >> 20}
        )
    chosen = {
        name: (options or {}).get(name, default)
        for name, default in spec.option_defaults().items()
    }
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            created_by=actor,
            file_name=file_name[:255],
            file_size=len(data),
            file_sha256=hashlib.sha256(data).hexdigest(),
            source=data,
            year=year if spec.asks_year else None,
            options=chosen,
            dry_run=dry_run,
        )
        record(
            actor=actor,
            action=_action(spec, "created"),
            target=job,
            changes={
                "kind": kind,
                "file": job.file_name,
                "size": job.file_size,
                "sha256": job.file_sha256,
                **(
                    {"year": str(job.year) if job.year else None}
                    if spec.asks_year
                    else {}
                ),
                **chosen,
                "dry_run": dry_run,
            },
            request=request,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from umka.imports.tasks import run_import

    # A queue that is away keeps the job queued in the outbox: the upload stands.
    outbox.enqueue(run_import, job_id)


def _serialise_imports() -> None:
    """One import applies at a time, so two files cannot create the same person (or
    grade), and a grade file is checked against the classes as they stand.

    SQLite already takes its write lock at BEGIN (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def plan_file(
    kind: registry.Kind,
    table: Table,
    context: registry.Context,
    progress: Progress = no_progress,
) -> Plan:
    """Find the header, check it, then let the kind check every row: all errors,
    or the plan of what applying the file changes. Writes nothing."""
    table, headers = find_header(table, kind.map_headers)
    errors = [
        RowError(table.header_row, column, message, params)
        for column, message, params in headers.problems
    ]
    if kind.needs_year and context.year is None:
        errors.append(
            RowError(
                None,
                "",
                gettext_noop(
                    "No academic year is set up: create it and its classes in "
                    "the back office first."
                ),
            )
        )
    if not errors and not table.rows:
        errors.append(
            RowError(None, "", gettext_noop("The file has no rows below the header."))
        )
    if errors:
        plan = Plan(errors=errors)
    else:
        plan = kind.plan(table, headers, context, progress)
    plan.total_rows = len(table.rows)
    plan.ignored_columns = headers.ignored
    return plan


def import_job_run(*, job_id: int) -> ImportJob:
    """Check the whole file, then apply it in one transaction — or change nothing.

    R13: the outcome (applied, checked, rejected with every bad row, failed) is
    recorded. Runs in the task worker; a job runs once, a repeated call does
    nothing.
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
    kind = registry.get(job.kind)
    if kind is None:
        raise LookupError(f"No kind of import «{job.kind}» is registered.")
    progress_set(job.pk, phase="reading")
    try:
        table = read_table_bounded(bytes(job.source), job.file_name)
    except FileProblem as problem:
        plan = Plan(errors=[RowError(None, "", problem.message, problem.params)])
        return _finish(job, ImportJob.Status.REJECTED, plan)
    progress_set(job.pk, phase="validating", total=len(table.rows))
    context = registry.Context(
        job_id=job.pk,
        actor=job.created_by,
        today=clock.today(),
        year=job.year,
        options={**kind.option_defaults(), **job.options},
    )

    def validating(done: int, of: int) -> None:
        progress_set(job.pk, phase="validating", done=done, total=of)

    def applying(done: int, of: int) -> None:
        progress_set(job.pk, phase="applying", done=done, total=of)

    with transaction.atomic():
        _serialise_imports()
        plan = plan_file(kind, table, context, validating)
        if not plan.errors and not job.dry_run:
            applied = kind.apply(plan, context, applying)
            # Inside the transaction: the data and the job's record land together.
            return _finish(job, ImportJob.Status.DONE, plan, applied)
    if plan.errors:
        return _finish(job, ImportJob.Status.REJECTED, plan)
    return _finish(job, ImportJob.Status.CHECKED, plan, Applied(changes=plan.preview()))


def _finish(
    job: ImportJob, status: str, plan: Plan, applied: Applied | None = None
) -> ImportJob:
    applied = applied or Applied()
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
    job.changes = applied.changes
    job.credentials = applied.credentials
    job.credentials_count = len(job.credentials)
    if job.credentials:
        job.credentials_expire_at = now + dt.timedelta(days=credentials_keep_days())
    job.save()
    summary = {k: v for k, v in job.summary.items() if k != "ignored_columns"}
    record(
        actor=job.created_by,
        action=_action(registry.get(job.kind), status),
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
    plan = Plan(
        errors=[
            RowError(
                None,
                "",
                gettext_noop(
                    "The import stopped because of an internal error; nothing was "
                    "changed. Try again; if it repeats, tell the developers."
                ),
            )
        ]
    )
    job.failure = f"{type(exc).__name__}: {exc}"[:2000]
    return _finish(job, ImportJob.Status.FAILED, plan)


def stale_minutes() -> float:
    return float(getattr(settings, "IMPORT_STALE_MINUTES", 30))


def import_stale_fail(*, now: dt.datetime | None = None) -> int:
    """Jobs whose worker died (killed, restarted, out of memory) stay «running»:
    after IMPORT_STALE_MINUTES they are marked failed with a message. Their one
    transaction rolled back with the worker, so nothing was applied. Returns how
    many were marked."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=stale_minutes())
    marked = 0
    stale = ImportJob.objects.filter(
        status=ImportJob.Status.RUNNING, started_at__lt=cutoff
    ).select_related("created_by", "year")
    for job in stale:
        with transaction.atomic():
            # Conditional: a job that finished meanwhile keeps its outcome.
            taken = ImportJob.objects.filter(
                pk=job.pk, status=ImportJob.Status.RUNNING
            ).update(status=ImportJob.Status.FAILED)
            if not taken:
                continue
            plan = Plan(
                errors=[
                    RowError(
                        None,
                        "",
                        gettext_noop(
                            "The import was interrupted (the server stopped while "
                            "it ran); nothing was changed. Upload the file again."
                        ),
                    )
                ]
            )
            job.failure = (
                f"No answer from the task worker for {stale_minutes():g} minutes "
                f"after {job.started_at:%Y-%m-%d %H:%M:%S} UTC."
            )
            _finish(job, ImportJob.Status.FAILED, plan)
            marked += 1
    if marked:
        logger.warning("Marked %s interrupted import(s) as failed", marked)
    return marked


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
