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

    def entry(g, **key) -> Grade:
        # What an import writes, whether the grade is new or corrected.
        return Grade(
            school_class_id=g.class_id,
            kind=g.kind,
            value=g.value,
            written=g.written,
            topic=g.topic,
            teacher=actor,
            source=Grade.Source.IMPORT,
            import_job_id=job_id,
            **key,
        )

    Grade.objects.bulk_create(
        [
            entry(
                g,
                student_id=g.student_id,
                subject_id=g.subject_id,
                date=g.date,
                topic_key=g.topic_key,
                work_type=g.work_type,
            )
            for g in plan.grades
            if g.existing_id is None
        ],
        batch_size=_BATCH,
    )
    Grade.objects.bulk_update(
        [
            entry(g, pk=g.existing_id, updated_at=now)
            for g in plan.grades
            if g.existing_id is not None and g.changed
        ],
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
