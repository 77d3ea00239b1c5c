"""Background task (Huey): checking and applying a file of grades."""

from umka.core.entry_points import school_task
from umka.grades import services


@school_task()
def run_grade_import(import_id: int) -> None:
    services.grade_import_run(import_id=import_id)
