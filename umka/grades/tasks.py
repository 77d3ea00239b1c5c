"""Background task (Huey): checking and applying a file of grades."""

from huey.contrib.djhuey import db_task

from umka.grades import services


@db_task()
def run_grade_import(import_id: int) -> None:
    services.grade_import_run(import_id=import_id)
