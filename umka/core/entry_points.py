"""Entry points that are not web requests run on the school's clock too.

A Huey task and a management command run with the server's `TIME_ZONE`; the school
may be in another zone. Every Umka task is declared with `school_task` /
`school_periodic_task` and every Umka command derives from `SchoolCommand`, so what
they compute and render is on the school's wall clock (`clock.school_time()`). The
web middleware (`school.middleware`) does the same for requests; the WebSocket
consumers read the zone through `clock` explicitly. `tests/test_entry_points.py`
checks that nothing bypasses these.
"""

import functools

from django.core.management.base import BaseCommand
from huey.contrib.djhuey import db_periodic_task, db_task

from umka.core import clock


def _on_school_clock(fn):
    @functools.wraps(fn)
    def inner(*args, **kwargs):
        with clock.school_time():
            return fn(*args, **kwargs)

    inner.on_school_clock = True
    return inner


def school_task(*args, **kwargs):
    """`db_task` whose body runs on the school's clock."""

    def decorator(fn):
        return db_task(*args, **kwargs)(_on_school_clock(fn))

    return decorator


def school_periodic_task(validate_datetime, *args, **kwargs):
    """`db_periodic_task` whose body runs on the school's clock. The schedule
    (`crontab`) itself is the worker's; the tasks check what is due by instants."""

    def decorator(fn):
        return db_periodic_task(validate_datetime, *args, **kwargs)(
            _on_school_clock(fn)
        )

    return decorator


class SchoolCommand(BaseCommand):
    """Base of every Umka management command: `handle` runs on the school's clock."""

    def execute(self, *args, **options):
        with clock.school_time():
            return super().execute(*args, **options)
