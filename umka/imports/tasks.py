"""Background tasks (Huey): running an import, erasing expired one-time passwords."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from umka.imports import services


@db_task()
def run_import(job_id: int) -> None:
    services.import_job_run(job_id=job_id)


@db_periodic_task(crontab(minute="13"))
def erase_expired_credentials() -> None:
    """Hourly: one-time passwords are kept IMPORT_CREDENTIALS_DAYS days at most."""
    services.import_credentials_expire()
