"""Every write of current grades: a file from the electronic journal, and grades
entered by hand (R9 — the data the teacher's topic analysis is built on).

An import is all-or-nothing like the people import: the whole file is checked
first, every bad row is reported, and only a clean file is applied, in one
transaction, with one audit entry for the upload and one for its outcome (R13).
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.topics import normalise_topic
from umka.grades import audit_actions, policies
from umka.grades.importing import GradePlan, build_plan, work_type
from umka.grades.models import HIGHEST_GRADE, LOWEST_GRADE, Grade, GradeImport
from umka.imports.cleaning import CellError, text
from umka.imports.planning import RowError
from umka.imports.progress import progress_clear, progress_set
from umka.imports.readers import FileProblem, read_table
from umka.school.models import Enrolment, SchoolClass, Subject

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 5_000
#: Arbitrary constant naming the PostgreSQL advisory lock that queues grade imports.
_LOCK_KEY = 7_734_209


def progress_id(import_id: int) -> str:
    """The import's key in umka.imports.progress (its own namespace: the ids of
    people imports and grade imports overlap)."""
    return f"grades-{import_id}"


def max_file_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_FILE_MB", 10)) * 1024 * 1024


def grade_import_create(
    *, actor, file_name: str, data: bytes, dry_run: bool = False, request=None
) -> GradeImport:
    """Store an uploaded file of grades and start checking it once this commits.

    R9: current grades come from the electronic journal. R13: the upload is
    recorded with the uploader's address.
    """
    if not policies.can_enter_grades(actor):
        raise DomainError(
            _("Only teachers and the school administration may import grades.")
        )
    if len(data) > max_file_bytes():
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": max_file_bytes() >> 20}
        )
    with transaction.atomic():
        job = GradeImport.objects.create(
            created_by=actor,
            file_name=file_name[:255],
            file_size=len(data),
            file_sha256=hashlib.sha256(data).hexdigest(),
            source=data,
            dry_run=dry_run,
        )
        record(
            actor=actor,
            action=audit_actions.IMPORT_CREATED,
            target=job,
            changes={
                "file": job.file_name,
                "size": job.file_size,
                "sha256": job.file_sha256,
                "dry_run": dry_run,
            },
            request=request,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(import_id: int) -> None:
    from umka.grades.tasks import run_grade_import

    run_grade_import(import_id)


def _serialise_imports() -> None:
    """One grade import applies at a time, so two files cannot add the same grade.

    SQLite already takes its write lock at BEGIN (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def grade_import_run(*, import_id: int) -> GradeImport:
    """Check the whole file, then write every grade in one transaction — or nothing.

    R9 (current grades), R13 (the outcome is recorded). Runs in the task worker; a
    job runs once, a repeated call does nothing.
    """
    claimed = GradeImport.objects.filter(
        pk=import_id, status=GradeImport.Status.QUEUED
    ).update(status=GradeImport.Status.RUNNING, started_at=timezone.now())
    job = GradeImport.objects.select_related("created_by").get(pk=import_id)
    if not claimed:
        return job
    with clock.school_time():
        try:
            return _run(job)
        except Exception as exc:
            # The transaction has rolled back; say so and keep the worker alive.
            logger.exception("Grade import %s failed", import_id)
            return _fail(job, exc)


def _run(job: GradeImport) -> GradeImport:
    key = progress_id(job.pk)
    progress_set(key, phase="reading")
    try:
        table = read_table(bytes(job.source), job.file_name)
    except FileProblem as problem:
        plan = GradePlan(errors=[RowError(None, "", problem.message, problem.params)])
        return _finish(job, GradeImport.Status.REJECTED, plan)

    def validating(done: int, of: int) -> None:
        progress_set(key, phase="validating", done=done, total=of)

    progress_set(key, phase="validating", total=len(table.rows))
    with transaction.atomic():
        _serialise_imports()
        plan = build_plan(
            table=table,
            actor=job.created_by,
            today=clock.today(),
            progress=validating,
        )
        if not plan.errors and not job.dry_run:
            progress_set(key, phase="applying", total=len(plan.grades))
            _apply(plan, actor=job.created_by, job=job)
            return _finish(job, GradeImport.Status.DONE, plan)
    if plan.errors:
        return _finish(job, GradeImport.Status.REJECTED, plan)
    return _finish(job, GradeImport.Status.CHECKED, plan)


def _apply(plan: GradePlan, *, actor, job: GradeImport) -> None:
    now = timezone.now()
    new = [
        Grade(
            student_id=g.student_id,
            school_class_id=g.class_id,
            subject_id=g.subject_id,
            date=g.date,
            value=g.value,
            topic=g.topic,
            topic_key=g.topic_key,
            work_type=g.work_type,
            teacher=actor,
            source=Grade.Source.IMPORT,
            batch=job,
        )
        for g in plan.grades
        if g.existing_id is None
    ]
    Grade.objects.bulk_create(new, batch_size=1000)
    changed = [
        Grade(
            pk=g.existing_id,
            school_class_id=g.class_id,
            value=g.value,
            topic=g.topic,
            teacher=actor,
            source=Grade.Source.IMPORT,
            batch=job,
            updated_at=now,
        )
        for g in plan.grades
        if g.existing_id is not None and g.changed
    ]
    Grade.objects.bulk_update(
        changed,
        ["school_class", "value", "topic", "teacher", "source", "batch", "updated_at"],
        batch_size=1000,
    )


_ACTIONS = {
    GradeImport.Status.DONE: audit_actions.IMPORT_APPLIED,
    GradeImport.Status.CHECKED: audit_actions.IMPORT_CHECKED,
    GradeImport.Status.REJECTED: audit_actions.IMPORT_REJECTED,
    GradeImport.Status.FAILED: audit_actions.IMPORT_FAILED,
}


def _finish(job: GradeImport, status: str, plan: GradePlan) -> GradeImport:
    job.status = status
    job.finished_at = timezone.now()
    job.total_rows = plan.total_rows
    job.source = b""
    job.error_count = len(plan.errors)
    job.errors = [e.as_dict() for e in plan.errors[:MAX_STORED_ERRORS]]
    job.summary = {"rows": plan.total_rows, "ignored_columns": plan.ignored_columns}
    if status in (GradeImport.Status.DONE, GradeImport.Status.CHECKED):
        job.summary.update(plan.counts())
    job.save()
    summary = {k: v for k, v in job.summary.items() if k != "ignored_columns"}
    record(
        actor=job.created_by,
        action=_ACTIONS[status],
        target=job,
        changes={"file": job.file_name, **summary, "errors": job.error_count},
    )
    progress_clear(progress_id(job.pk))
    return job


def _fail(job: GradeImport, exc: Exception) -> GradeImport:
    plan = GradePlan(
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
    return _finish(job, GradeImport.Status.FAILED, plan)


# --- Entering by hand --------------------------------------------------------------


@dataclass(frozen=True)
class EntryResult:
    created: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.created + self.changed + self.removed


def students_in_class_on(school_class: SchoolClass, day: dt.date):
    """The students of a class on a day (enrolment history counts), by name."""
    from umka.accounts.models import User

    enrolled = (
        Enrolment.objects.filter(school_class=school_class, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .values("student")
    )
    return User.objects.filter(pk__in=enrolled).order_by(
        "last_name", "first_name", "middle_name", "pk"
    )


def _entry_text(value: str, parser) -> str:
    try:
        return parser(value)
    except CellError as exc:
        raise DomainError(_(exc.message) % exc.params) from exc


def grades_enter(
    *,
    actor,
    school_class: SchoolClass,
    subject: Subject,
    date: dt.date,
    topic: str,
    work_type_text: str,
    values: dict[int, int | None],
    request=None,
) -> EntryResult:
    """Set the grades of one lesson's work by hand (R9): `values` maps student
    ids to 2–5, or None to take a grade back.

    Only the subject's teacher in that class or the administration; only students
    of the class on that day; a day of the class's academic year, not in the future.
    """
    if not policies.can_grade(actor, subject, school_class):
        raise DomainError(_("You do not teach this subject in this class."))
    year = school_class.year
    today = clock.today()
    if date > today:
        raise DomainError(_("Grades cannot be given for a day in the future."))
    if not year.starts_on <= date <= year.ends_on:
        raise DomainError(
            _("The date is outside the academic year %(year)s.") % {"year": year}
        )
    topic = " ".join(text(topic).split())
    if len(topic) > 300:
        raise DomainError(_("The topic is too long: at most 300 characters."))
    kind = _entry_text(work_type_text, work_type)
    key = normalise_topic(topic)
    if not key and not kind:
        raise DomainError(_("Give the topic or the kind of work."))
    for value in values.values():
        if value is not None and not LOWEST_GRADE <= value <= HIGHEST_GRADE:
            raise DomainError(_("A grade is 2, 3, 4 or 5."))
    with transaction.atomic():
        allowed = set(
            students_in_class_on(school_class, date)
            .filter(pk__in=values)
            .values_list("pk", flat=True)
        )
        if set(values) - allowed:
            raise DomainError(
                _("Only the students of %(class)s on that day can be graded.")
                % {"class": school_class}
            )
        stored = {
            g.student_id: g
            for g in Grade.objects.select_for_update().filter(
                student_id__in=values,
                subject=subject,
                date=date,
                topic_key=key,
                work_type=kind,
            )
        }
        created, changed, removed = [], [], []
        for student_id, value in values.items():
            grade = stored.get(student_id)
            if grade is None and value is not None:
                created.append(
                    Grade(
                        student_id=student_id,
                        school_class=school_class,
                        subject=subject,
                        date=date,
                        value=value,
                        topic=topic,
                        topic_key=key,
                        work_type=kind,
                        teacher=actor,
                        source=Grade.Source.MANUAL,
                    )
                )
            elif grade is not None and value is None:
                removed.append(grade)
            elif grade is not None and (grade.value, grade.topic) != (value, topic):
                changed.append([student_id, grade.value, value])
                grade.value, grade.topic = value, topic
                grade.school_class = school_class
                grade.teacher = actor
                grade.source = Grade.Source.MANUAL
                grade.save(
                    update_fields=[
                        "value",
                        "topic",
                        "school_class",
                        "teacher",
                        "source",
                        "updated_at",
                    ]
                )
        Grade.objects.bulk_create(created)
        if removed:
            Grade.objects.filter(pk__in=[g.pk for g in removed]).delete()
        result = EntryResult(len(created), len(changed), len(removed))
        if result.total:
            record(
                actor=actor,
                action=audit_actions.GRADES_ENTERED,
                target=school_class,
                changes={
                    "subject": subject.name,
                    "date": date.isoformat(),
                    "topic": topic,
                    "work_type": kind,
                    "created": {str(g.student_id): g.value for g in created},
                    "changed": {str(s): [old, new] for s, old, new in changed},
                    "removed": {str(g.student_id): g.value for g in removed},
                },
                request=request,
            )
    return result
