"""Background tasks (Huey): running an import, erasing expired one-time passwords."""

from huey import crontab

from umka.core.entry_points import school_periodic_task, school_task
from umka.imports import services


@school_task()
def run_import(job_id: int) -> None:
    services.import_job_run(job_id=job_id)


@school_periodic_task(crontab(minute="13"))
def erase_expired_credentials() -> None:
    """Hourly: one-time passwords are kept IMPORT_CREDENTIALS_DAYS days at most."""
    services.import_credentials_expire()


@school_periodic_task(crontab(minute="*/5"))
def fail_stale_imports() -> None:
    """Every 5 minutes: an import whose worker died is marked failed (nothing was
    applied: its one transaction rolled back)."""
    services.import_stale_fail()
