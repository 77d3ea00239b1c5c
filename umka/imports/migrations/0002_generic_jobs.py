"""The job model serves every kind of import: the kind is a key of the registry
(no fixed choices), and a kind's choices live in `options` — the parents'
«links checked against documents» is carried over from its old column."""

from django.db import migrations, models


def links_to_options(apps, schema_editor):
    ImportJob = apps.get_model("imports", "ImportJob")
    for job in ImportJob.objects.only("pk", "verify_links").iterator():
        ImportJob.objects.filter(pk=job.pk).update(
            options={"verify_links": job.verify_links}
        )


def options_to_links(apps, schema_editor):
    ImportJob = apps.get_model("imports", "ImportJob")
    for job in ImportJob.objects.only("pk", "options").iterator():
        ImportJob.objects.filter(pk=job.pk).update(
            verify_links=bool(job.options.get("verify_links", True))
        )


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="options",
            field=models.JSONField(blank=True, default=dict, verbose_name="options"),
        ),
        migrations.RunPython(links_to_options, options_to_links),
        migrations.RemoveField(model_name="importjob", name="verify_links"),
        migrations.RemoveConstraint(
            model_name="importjob", name="import_kind_is_known"
        ),
        migrations.AlterField(
            model_name="importjob",
            name="kind",
            field=models.CharField(max_length=32, verbose_name="kind of file"),
        ),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", ""), _negated=True),
                name="import_kind_is_given",
            ),
        ),
    ]
