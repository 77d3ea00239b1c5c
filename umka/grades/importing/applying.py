"""Writing a checked file of grades: new grades in bulk, changed ones updated —
inside the engine's transaction, so every grade lands or none does (R9)."""

from django.utils import timezone

from umka.grades.importing.planning import GradePlan
from umka.grades.models import Grade
from umka.imports.registry import Context
from umka.imports.rows import Applied, Progress

_BATCH = 1000


def apply_grades(plan: GradePlan, context: Context, progress: Progress) -> Applied:
    actor, job_id = context.actor, context.job_id
    now = timezone.now()
    progress(0, len(plan.grades))
    new = [
        Grade(
            student_id=g.student_id,
            school_class_id=g.class_id,
            subject_id=g.subject_id,
            date=g.date,
            kind=g.kind,
            value=g.value,
            written=g.written,
            topic=g.topic,
            topic_key=g.topic_key,
            work_type=g.work_type,
            teacher=actor,
            source=Grade.Source.IMPORT,
            import_job_id=job_id,
        )
        for g in plan.grades
        if g.existing_id is None
    ]
    Grade.objects.bulk_create(new, batch_size=_BATCH)
    changed = [
        Grade(
            pk=g.existing_id,
            school_class_id=g.class_id,
            kind=g.kind,
            value=g.value,
            written=g.written,
            topic=g.topic,
            teacher=actor,
            source=Grade.Source.IMPORT,
            import_job_id=job_id,
            updated_at=now,
        )
        for g in plan.grades
        if g.existing_id is not None and g.changed
    ]
    Grade.objects.bulk_update(
        changed,
        [
            "school_class",
            "kind",
            "value",
            "written",
            "topic",
            "teacher",
            "source",
            "import_job",
            "updated_at",
        ],
        batch_size=_BATCH,
    )
    progress(len(plan.grades), len(plan.grades))
    return Applied(changes=plan.preview())
