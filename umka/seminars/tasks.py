"""Background tasks (Huey) of seminars."""

from huey import crontab

from umka.core import clock
from umka.core.entry_points import school_periodic_task
from umka.seminars import assessing, services


@school_periodic_task(crontab(minute="*/5"))
def seminars_follow_the_clock() -> None:
    """Every five minutes: seminars that follow their dates switch phases; a
    student who left the class leaves the seminars under way and the
    allocation is repaired (R6)."""
    now = clock.now()
    assessing.seminars_repair(now)
    services.phases_follow_dates(now)
