"""Background work of materials: notices of a publication (at once, and every
minute for scheduled ones) and the first page of a PDF as a picture."""

from huey import crontab

from umka.core.entry_points import school_periodic_task, school_task


@school_task()
def material_notify(material_id: int) -> None:
    from umka.materials.notices import notify_published

    notify_published(material_id)


@school_periodic_task(crontab(minute="*"))
def materials_publish_due() -> None:
    from umka.materials.notices import publish_due

    publish_due()


@school_task()
def file_thumbnail(file_id: int) -> None:
    from umka.materials.thumbnails import make_thumbnail

    make_thumbnail(file_id)
