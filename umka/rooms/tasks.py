"""Background tasks (Huey): turn finished rooms' attendance into «held» (R13)."""

from huey import crontab

from umka.core.entry_points import school_periodic_task
from umka.rooms import services


@school_periodic_task(crontab(minute="*/5"))
def apply_room_attendance() -> None:
    """Every 5 minutes: rooms whose time is over — close what is left open, free the
    Janus room, mark sessions held where the organiser was present."""
    services.apply_attendance()
