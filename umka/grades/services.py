"""Grades entered by hand (R9 — the data the teacher's topic analysis is built on).

Files from the electronic journal are a kind of the import engine
(umka.grades.importing, run by umka.imports.services).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.topics import normalise_topic
from umka.grades import audit_actions, policies
from umka.grades.models import HIGHEST_GRADE, LOWEST_GRADE, Grade
from umka.grades.work_types import work_type
from umka.imports.cleaning import CellError, text
from umka.school.models import Enrolment, SchoolClass, Subject


@dataclass(frozen=True)
class EntryResult:
    created: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.created + self.changed + self.removed


def students_in_class_on(school_class: SchoolClass, day: dt.date):
    """The students of a class on a day (enrolment history counts), by name."""
    from umka.accounts.models import User

    enrolled = (
        Enrolment.objects.filter(school_class=school_class, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .values("student")
    )
    return User.objects.filter(pk__in=enrolled).order_by(
        "last_name", "first_name", "middle_name", "pk"
    )


def _entry_text(value: str, parser) -> str:
    try:
        return parser(value)
    except CellError as exc:
        raise DomainError(_(exc.message) % exc.params) from exc


#: What a lesson's sheet may give a student besides a mark.
NOT_MARKS = (Grade.Kind.ABSENT, Grade.Kind.PASS, Grade.Kind.FAIL)


def _entry(value: int | str | None) -> tuple[str, int | None] | None:
    """(kind, value) of one cell of the sheet; DomainError for anything else."""
    if value is None:
        return None
    if value in NOT_MARKS:
        return str(value), None
    if isinstance(value, int) and LOWEST_GRADE <= value <= HIGHEST_GRADE:
        return Grade.Kind.MARK, value
    raise DomainError(_("A grade is 2, 3, 4 or 5."))


def _audited(grade: Grade) -> int | str:
    """A mark's value, or the kind of an entry that is not one (for the trail)."""
    return grade.value if grade.is_mark else grade.kind


def grades_enter(
    *,
    actor,
    school_class: SchoolClass,
    subject: Subject,
    date: dt.date,
    topic: str,
    work_type_text: str,
    values: dict[int, int | str | None],
    request=None,
) -> EntryResult:
    """Set the grades of one lesson's work by hand (R9): `values` maps student
    ids to 2–5, to "absent", "pass" or "fail" (an absence, a pass/fail result), or
    None to take an entry back.

    Only the subject's teacher in that class or the administration; only students
    of the class on that day; a day of the class's academic year, not in the future.
    """
    if not policies.can_grade(actor, subject, school_class):
        raise DomainError(_("You do not teach this subject in this class."))
    year = school_class.year
    today = clock.today()
    if date > today:
        raise DomainError(_("Grades cannot be given for a day in the future."))
    if not year.starts_on <= date <= year.ends_on:
        raise DomainError(
            _("The date is outside the academic year %(year)s.") % {"year": year}
        )
    topic = " ".join(text(topic).split())
    if len(topic) > 300:
        raise DomainError(_("The topic is too long: at most 300 characters."))
    kind = _entry_text(work_type_text, work_type)
    key = normalise_topic(topic)
    if not key and not kind:
        raise DomainError(_("Give the topic or the kind of work."))
    entries = {student_id: _entry(value) for student_id, value in values.items()}
    with transaction.atomic():
        allowed = set(
            students_in_class_on(school_class, date)
            .filter(pk__in=values)
            .values_list("pk", flat=True)
        )
        if set(values) - allowed:
            raise DomainError(
                _("Only the students of %(class)s on that day can be graded.")
                % {"class": school_class}
            )
        stored = {
            g.student_id: g
            for g in Grade.objects.select_for_update().filter(
                student_id__in=values,
                subject=subject,
                date=date,
                topic_key=key,
                work_type=kind,
            )
        }
        created, changed, removed = [], [], []
        for student_id, entry in entries.items():
            grade = stored.get(student_id)
            if grade is None and entry is not None:
                created.append(
                    Grade(
                        student_id=student_id,
                        school_class=school_class,
                        subject=subject,
                        date=date,
                        kind=entry[0],
                        value=entry[1],
                        topic=topic,
                        topic_key=key,
                        work_type=kind,
                        teacher=actor,
                        source=Grade.Source.MANUAL,
                    )
                )
            elif grade is not None and entry is None:
                removed.append(grade)
            elif grade is not None and (grade.kind, grade.value, grade.topic) != (
                *entry,
                topic,
            ):
                changed.append([student_id, _audited(grade), values[student_id]])
                grade.kind, grade.value, grade.topic = *entry, topic
                grade.written = ""
                grade.school_class = school_class
                grade.teacher = actor
                grade.source = Grade.Source.MANUAL
                grade.save(
                    update_fields=[
                        "kind",
                        "value",
                        "written",
                        "topic",
                        "school_class",
                        "teacher",
                        "source",
                        "updated_at",
                    ]
                )
        Grade.objects.bulk_create(created)
        if removed:
            Grade.objects.filter(pk__in=[g.pk for g in removed]).delete()
        result = EntryResult(len(created), len(changed), len(removed))
        if result.total:
            record(
                actor=actor,
                action=audit_actions.GRADES_ENTERED,
                target=school_class,
                changes={
                    "subject": subject.name,
                    "date": date.isoformat(),
                    "topic": topic,
                    "work_type": kind,
                    "created": {str(g.student_id): _audited(g) for g in created},
                    "changed": {str(s): [old, new] for s, old, new in changed},
                    "removed": {str(g.student_id): _audited(g) for g in removed},
                },
                request=request,
            )
    return result
