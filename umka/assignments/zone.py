"""When the school changes its time zone, assignments still open and fall due at
the same wall-clock time («до 20:00» stays 20:00); `school.zone_change` handler."""

from umka.assignments.models import Assignment, Extension
from umka.core import clock
from umka.school.zone_change import same_wall_clock


def keep_wall_clock(*, actor, old_zone, new_zone, request=None) -> int:
    """Move the opening and due instants of work not yet due; returns how many
    assignments and extensions moved."""
    now = clock.now()
    moved = 0
    for assignment in Assignment.objects.filter(due_at__gt=now):
        if assignment.opens_at > now:
            assignment.opens_at = same_wall_clock(
                assignment.opens_at, old_zone, new_zone
            )
        assignment.due_at = same_wall_clock(assignment.due_at, old_zone, new_zone)
        assignment.save(update_fields=["opens_at", "due_at"])
        moved += 1
    for extension in Extension.objects.filter(due_at__gt=now):
        extension.due_at = same_wall_clock(extension.due_at, old_zone, new_zone)
        extension.save(update_fields=["due_at"])
        moved += 1
    return moved
