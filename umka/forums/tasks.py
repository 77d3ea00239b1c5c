"""Background tasks (Huey) of forums."""

from huey import crontab

from umka.core.entry_points import school_periodic_task
from umka.forums import digest, discussions


@school_periodic_task(crontab(minute="7"))
def forums_digest() -> None:
    """Every hour: the digests that are due (never in the quiet hours)."""
    digest.digests_send()


@school_periodic_task(crontab(hour="2", minute="50"))
def discussions_nightly() -> None:
    """Every night: graded discussions whose period ended wait for grades."""
    discussions.discussions_close_ended()
