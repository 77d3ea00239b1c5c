"""Imports of grades become jobs of the import engine (kind «grades»).

Every `GradeImport` is carried over to an `imports.ImportJob` with the same status,
uploader, times, file facts, summary and errors; its old number is kept in
`options["grade_import_id"]` (old addresses /grades/imports/<number>/ redirect by
it), and each grade points at the new job. Reversible.
"""

import django.db.models.deletion
from django.db import migrations, models

#: The fields both models share, copied as they are.
SHARED = (
    "status",
    "dry_run",
    "created_by_id",
    "created_at",
    "started_at",
    "finished_at",
    "file_name",
    "file_size",
    "file_sha256",
    "source",
    "total_rows",
    "summary",
    "errors",
    "error_count",
    "failure",
)


def grade_imports_to_jobs(apps, schema_editor):
    GradeImport = apps.get_model("grades", "GradeImport")
    ImportJob = apps.get_model("imports", "ImportJob")
    Grade = apps.get_model("grades", "Grade")
    for old in GradeImport.objects.order_by("pk").iterator():
        job = ImportJob.objects.create(
            kind="grades",
            options={"grade_import_id": old.pk},
            **{name: getattr(old, name) for name in SHARED},
        )
        # auto_now_add set it to now: keep the upload's own time.
        ImportJob.objects.filter(pk=job.pk).update(created_at=old.created_at)
        Grade.objects.filter(batch_id=old.pk).update(import_job_id=job.pk)
    _check_now(schema_editor)


def _check_now(schema_editor):
    """Check the moved foreign keys now: PostgreSQL refuses to alter a table whose
    rows still have deferred checks pending, and the next operation drops a
    column of grades_grade."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def jobs_to_grade_imports(apps, schema_editor):
    GradeImport = apps.get_model("grades", "GradeImport")
    ImportJob = apps.get_model("imports", "ImportJob")
    Grade = apps.get_model("grades", "Grade")
    for job in ImportJob.objects.filter(kind="grades").order_by("pk").iterator():
        old = GradeImport.objects.create(
            **{name: getattr(job, name) for name in SHARED}
        )
        GradeImport.objects.filter(pk=old.pk).update(created_at=job.created_at)
        Grade.objects.filter(import_job_id=job.pk).update(batch_id=old.pk)
        job.delete()
    _check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("grades", "0001_initial"),
        ("imports", "0002_generic_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="grade",
            name="import_job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="grades",
                to="imports.importjob",
                verbose_name="import",
            ),
        ),
        migrations.RunPython(grade_imports_to_jobs, jobs_to_grade_imports),
        migrations.RemoveField(model_name="grade", name="batch"),
        migrations.DeleteModel(name="GradeImport"),
    ]
