"""Background tasks (Huey) of personal data."""

from huey import crontab

from umka.core.entry_points import school_periodic_task
from umka.privacy.retention import apply_retention


@school_periodic_task(crontab(hour="3", minute="20"))
def privacy_retention_nightly() -> None:
    """Every night: remove chat messages, request files and audit entries past
    their retention periods."""
    apply_retention()
