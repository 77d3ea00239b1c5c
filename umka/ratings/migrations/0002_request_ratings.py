"""Ratings of request answers given before the common table existed are copied
into it (the request keeps its own fields for its thread)."""

from django.db import migrations


def copy_request_ratings(apps, schema_editor):
    Request = apps.get_model("requests", "Request")
    Rating = apps.get_model("ratings", "Rating")
    rated = Request.objects.filter(rating__isnull=False, rated_at__isnull=False)
    Rating.objects.bulk_create(
        [
            Rating(
                rater_id=req.author_id,
                student_id=req.student_id,
                staff_id=req.answered_by_id or req.assignee_id,
                kind="requests.request",
                object_id=req.pk,
                title=f"№ {req.pk}: {req.topic}"[:300],
                score=req.rating,
                comment=req.rating_comment,
                created_at=req.rated_at,
            )
            for req in rated.iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_initial"),
        ("requests", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_request_ratings, migrations.RunPython.noop),
    ]
