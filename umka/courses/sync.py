"""Course spaces follow the school's teaching assignments (R6): one space per
subject × class of the year, its teachers those who teach the subject there.

`spaces_sync` makes what is missing and drops teachers whose teaching assignment
is gone (never a space: its work stays). It runs when a teaching assignment is
saved or deleted through the school's services (`school.teaching_change`), every
night (`tasks.py`) for bulk writes that bypass them, and after the demo load.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy

from umka.audit.services import record
from umka.core import clock
from umka.courses import audit_actions as actions
from umka.courses.models import CourseSpace, SpaceTeacher
from umka.school.models import AcademicYear, TeachingAssignment
from umka.school.selectors import current_year

SYSTEM_NAME = gettext_lazy("Umka (automatically)")


def space_title(subject, school_class) -> str:
    return f"{subject.name}, {school_class}"


def spaces_sync(
    *,
    year: AcademicYear | None = None,
    actor=None,
    exclude_assignment=None,
    audited: bool = True,
) -> dict[str, int]:
    """Bring the year's class spaces in step with its teaching assignments.

    A constant number of queries whatever the size of the school. Returns what
    changed: {"spaces": made, "teachers_added": n, "teachers_removed": n}. The
    demo loader passes `audited=False` (its one entry is «demo.loaded»).
    """
    year = year or current_year(clock.today())
    if year is None:
        return {"spaces": 0, "teachers_added": 0, "teachers_removed": 0}
    teaching = TeachingAssignment.objects.filter(school_class__year=year)
    if exclude_assignment is not None:
        teaching = teaching.exclude(pk=exclude_assignment)
    teaching = list(teaching.select_related("subject", "school_class"))
    with transaction.atomic():
        spaces = {
            (s.subject_id, s.school_class_id): s
            for s in CourseSpace.objects.filter(year=year, kind=CourseSpace.Kind.CLASS)
        }
        missing = {}
        for ta in teaching:
            pair = (ta.subject_id, ta.school_class_id)
            if pair not in spaces and pair not in missing:
                missing[pair] = CourseSpace(
                    year=year,
                    subject=ta.subject,
                    kind=CourseSpace.Kind.CLASS,
                    school_class=ta.school_class,
                    title=space_title(ta.subject, ta.school_class),
                )
        if missing:
            CourseSpace.objects.bulk_create(missing.values(), ignore_conflicts=True)
            spaces = {
                (s.subject_id, s.school_class_id): s
                for s in CourseSpace.objects.filter(
                    year=year, kind=CourseSpace.Kind.CLASS
                )
            }
        wanted = {
            (spaces[(ta.subject_id, ta.school_class_id)].pk, ta.teacher_id)
            for ta in teaching
        }
        links = {
            (link.space_id, link.teacher_id): link
            for link in SpaceTeacher.objects.filter(
                space__year=year, space__kind=CourseSpace.Kind.CLASS
            )
        }
        added = [
            SpaceTeacher(space_id=space_id, teacher_id=teacher_id, from_assignment=True)
            for space_id, teacher_id in sorted(wanted - set(links))
        ]
        SpaceTeacher.objects.bulk_create(added, ignore_conflicts=True)
        # A teacher added by hand who now has the teaching assignment follows it.
        SpaceTeacher.objects.filter(
            pk__in=[
                links[key].pk
                for key in wanted & set(links)
                if not links[key].from_assignment
            ]
        ).update(from_assignment=True)
        stale = [
            link.pk
            for key, link in links.items()
            if link.from_assignment and key not in wanted
        ]
        removed = SpaceTeacher.objects.filter(pk__in=stale).delete()[0]
        changes = {
            "spaces": len(missing),
            "teachers_added": len(added),
            "teachers_removed": removed,
        }
        if audited and any(changes.values()):
            record(
                actor=actor,
                actor_name="" if actor else str(SYSTEM_NAME),
                action=actions.SYNCED,
                changes={"year": year.name, **changes},
            )
    return changes


def follow_teaching_change(*, actor, assignment, deleted: bool) -> None:
    """`school.teaching_change` handler: re-sync the assignment's year."""
    spaces_sync(
        year=assignment.school_class.year,
        actor=actor,
        exclude_assignment=assignment.pk if deleted else None,
    )


def spaces_archive_ended(*, today=None) -> int:
    """Archive the spaces of academic years that have ended (read-only from then)."""
    today = today or clock.today()
    return CourseSpace.objects.filter(
        archived_at__isnull=True, year__ends_on__lt=today
    ).update(archived_at=clock.now())
