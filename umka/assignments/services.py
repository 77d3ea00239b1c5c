"""Setting assignments (R6): the assignment, its parts, rubric, files and
extensions. Each checks the policy, validates, writes in a transaction and is
audited. Submitting is in `submitting.py`, grading in `grading.py`, the bank in
`bank.py`."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from umka.assignments import audit_actions as actions
from umka.assignments import policies, questions
from umka.assignments.models import (
    Assignment,
    AssignmentFile,
    BankQuestion,
    Criterion,
    Extension,
    Kind,
    Part,
)
from umka.audit.services import record
from umka.core import clock, richtext
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.courses import policies as spaces

TITLE_MAX = 200
MAX_PARTS = 100
MAX_FILES = 10
#: The fields of an assignment a teacher sets (the rest the services keep).
FIELDS = (
    "title",
    "topic",
    "instructions",
    "program_part",
    "consultation",
    "opens_at",
    "due_at",
    "late_allowed",
    "attempts_allowed",
    "counts",
    "scale",
    "show_scores",
)


def deny() -> DomainError:
    return DomainError(_("You may not do this with this assignment."), code="forbidden")


def when(moment: dt.datetime) -> str:
    """A moment as the school's wall clock shows it: «17.11.2026 18:00»."""
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def check_text(value: str, *, what: str, limit: int = richtext.MAX_CHARS) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(
            _("%(what)s is too long: %(length)s characters, at most %(limit)s.")
            % {"what": what, "length": len(value), "limit": limit},
            code="too_long",
        )
    return value


def _validate(assignment: Assignment) -> None:
    assignment.title = (assignment.title or "").strip()
    assignment.topic = (assignment.topic or "").strip()
    if not assignment.title:
        raise DomainError(_("Give the assignment a title."), code="required")
    if not assignment.topic:
        raise DomainError(
            _("Give the topic, as the e-journal shows it."), code="required"
        )
    assignment.instructions = check_text(
        assignment.instructions, what=_("The instructions")
    )
    if assignment.due_at <= assignment.opens_at:
        raise DomainError(
            _("The due date (%(due)s) must come after the opening (%(opens)s).")
            % {"due": when(assignment.due_at), "opens": when(assignment.opens_at)},
            code="dates",
        )
    if not 1 <= assignment.attempts_allowed <= 20:
        raise DomainError(_("Attempts: from 1 to 20."), code="attempts")
    part = assignment.program_part
    if part is not None and part.subject_id != assignment.space.subject_id:
        raise DomainError(
            _("The program part belongs to another subject."), code="program_part"
        )


def assignment_create(*, actor, space, request=None, **values) -> Assignment:
    """A new assignment of a space, as a draft (students see it once published
    and opened)."""
    if not spaces.can_teach_in(actor, space):
        raise deny()
    assignment = Assignment(space=space, author=actor)
    for name in FIELDS:
        if name in values:
            setattr(assignment, name, values[name])
    _validate(assignment)
    with transaction.atomic():
        assignment.save()
        record(
            actor=actor,
            action=actions.CREATED,
            target=assignment,
            changes={"space": space.title, "due_at": when(assignment.due_at)},
            request=request,
        )
    return assignment


def assignment_update(*, actor, assignment, request=None, **values) -> Assignment:
    """Change the settings (dates, attempts, scale…); audited with what changed."""
    with transaction.atomic():
        current = Assignment.objects.select_for_update().get(pk=assignment.pk)
        current.space = assignment.space
        if not policies.can_edit(actor, current):
            raise deny()
        before = {name: getattr(current, name) for name in FIELDS}
        for name in FIELDS:
            if name in values:
                setattr(current, name, values[name])
        if (
            current.scale != before["scale"]
            and current.submissions.filter(status="graded").exists()
        ):
            raise DomainError(
                _("Graded work exists: the grading scale can no longer change."),
                code="scale_locked",
            )
        _validate(current)
        current.save()
        changed = {
            name: [str(before[name]), str(getattr(current, name))]
            for name in FIELDS
            if before[name] != getattr(current, name) and name != "instructions"
        }
        if before["instructions"] != current.instructions:
            changed["instructions"] = ["…", "…"]
        if changed:
            record(
                actor=actor,
                action=actions.CHANGED,
                target=current,
                changes=changed,
                request=request,
            )
    return current


def assignment_publish(*, actor, assignment, request=None) -> Assignment:
    if not policies.can_edit(actor, assignment):
        raise deny()
    if not assignment.parts.exists():
        raise DomainError(
            _("Add at least one part before publishing."), code="no_parts"
        )
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(
            status=Assignment.Status.PUBLISHED
        )
        assignment.status = Assignment.Status.PUBLISHED
        record(
            actor=actor,
            action=actions.PUBLISHED,
            target=assignment,
            changes={"opens_at": when(assignment.opens_at)},
            request=request,
        )
    return assignment


def assignment_delete(*, actor, assignment, request=None) -> None:
    """Only work nobody has submitted may be deleted (results are kept)."""
    if not policies.can_edit(actor, assignment):
        raise deny()
    if assignment.submissions.exists():
        raise DomainError(
            _("Students have submitted work: the assignment cannot be deleted."),
            code="has_submissions",
        )
    with transaction.atomic():
        record(
            actor=actor,
            action=actions.DELETED,
            target=assignment,
            changes={"title": assignment.title},
            request=request,
        )
        assignment.delete()


# --- Parts and rubric --------------------------------------------------------------


def recount_max_points(assignment: Assignment) -> Decimal:
    parts = assignment.parts.aggregate(total=Sum("points"))["total"] or Decimal(0)
    rubric = assignment.criteria.aggregate(total=Sum("max_points"))["total"] or 0
    total = parts + Decimal(rubric)
    Assignment.objects.filter(pk=assignment.pk).update(max_points=total)
    assignment.max_points = total
    return total


def _parts_locked(assignment: Assignment) -> None:
    if assignment.submissions.exists():
        raise DomainError(
            _(
                "Students have submitted work: the parts can no longer change. "
                "Make a new assignment instead."
            ),
            code="parts_locked",
        )


def check_question(kind: str, text: str, data: dict, points) -> Decimal:
    """Refuse a question that cannot be shown, answered or scored; the points."""
    if kind not in Kind.values:
        raise DomainError(_("Unknown kind of question."), code="kind")
    if not (text or "").strip():
        raise DomainError(_("Write the question."), code="required")
    check_text(text, what=_("The question"))
    questions.validate(kind, data)
    points = Decimal(str(points))
    if points < 0 or points > 1000:
        raise DomainError(_("Points: from 0 to 1000."), code="points")
    return points


def _audit_parts(actor, assignment, change: str, request) -> None:
    record(
        actor=actor,
        action=actions.PARTS_CHANGED,
        target=assignment,
        changes={"change": change, "max_points": str(assignment.max_points)},
        request=request,
    )


def part_add(
    *,
    actor,
    assignment,
    kind: str,
    text: str,
    data: dict,
    points=1,
    feedback: str = "",
    source: BankQuestion | None = None,
    request=None,
) -> Part:
    if not policies.can_edit(actor, assignment):
        raise deny()
    points = check_question(kind, text, data, points)
    with transaction.atomic():
        Assignment.objects.select_for_update().get(pk=assignment.pk)
        _parts_locked(assignment)
        if assignment.parts.count() >= MAX_PARTS:
            raise DomainError(
                _("At most %(count)s parts.") % {"count": MAX_PARTS}, code="too_many"
            )
        last = assignment.parts.aggregate(last=Max("position"))["last"] or 0
        part = Part.objects.create(
            assignment=assignment,
            position=last + 1,
            kind=kind,
            text=text.strip(),
            data=data,
            points=points,
            feedback=(feedback or "").strip(),
            source=source,
        )
        recount_max_points(assignment)
        _audit_parts(actor, assignment, f"+{part.position}", request)
    return part


def part_update(
    *, actor, part: Part, text: str, data: dict, points, feedback="", request=None
) -> Part:
    assignment = part.assignment
    if not policies.can_edit(actor, assignment):
        raise deny()
    points = check_question(part.kind, text, data, points)
    with transaction.atomic():
        Assignment.objects.select_for_update().get(pk=assignment.pk)
        _parts_locked(assignment)
        part.text, part.data, part.points = text.strip(), data, points
        part.feedback = (feedback or "").strip()
        part.save(update_fields=["text", "data", "points", "feedback"])
        recount_max_points(assignment)
        _audit_parts(actor, assignment, f"~{part.position}", request)
    return part


def part_remove(*, actor, part: Part, request=None) -> None:
    assignment = part.assignment
    if not policies.can_edit(actor, assignment):
        raise deny()
    with transaction.atomic():
        Assignment.objects.select_for_update().get(pk=assignment.pk)
        _parts_locked(assignment)
        position = part.position
        part.delete()
        _renumber(assignment)
        recount_max_points(assignment)
        _audit_parts(actor, assignment, f"-{position}", request)


def _renumber(assignment: Assignment, order: list[int] | None = None) -> None:
    """Positions 1…n in `order` (part ids) or the current order; through a
    shifted range so the unique (assignment, position) holds at every step."""
    ids = order or list(
        assignment.parts.order_by("position").values_list("pk", flat=True)
    )
    for offset in (1000, 0):
        for position, pk in enumerate(ids, start=1):
            Part.objects.filter(pk=pk).update(position=position + offset)


def part_move(*, actor, part: Part, up: bool, request=None) -> None:
    assignment = part.assignment
    if not policies.can_edit(actor, assignment):
        raise deny()
    with transaction.atomic():
        Assignment.objects.select_for_update().get(pk=assignment.pk)
        ids = list(assignment.parts.order_by("position").values_list("pk", flat=True))
        i = ids.index(part.pk)
        j = i - 1 if up else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
            _renumber(assignment, ids)
            _audit_parts(actor, assignment, f"{i + 1}↔{j + 1}", request)


def parts_from_bank(*, actor, assignment, bank_questions, request=None) -> list[Part]:
    """Copy questions of the actor's bank into the assignment (a copy: the bank
    may change later without changing set work)."""
    added = []
    own = policies.bank_visible_to(actor)
    for question in bank_questions:
        if not own.filter(pk=question.pk).exists():
            raise deny()
        added.append(
            part_add(
                actor=actor,
                assignment=assignment,
                kind=question.kind,
                text=question.text,
                data=question.data,
                points=question.points,
                feedback=question.feedback,
                source=question,
                request=request,
            )
        )
    return added


def criteria_set(*, actor, assignment, rows: list[tuple[str, Decimal]], request=None):
    """The rubric: criteria with their maximum points (replaces the old one)."""
    if not policies.can_edit(actor, assignment):
        raise deny()
    cleaned = []
    for title, max_points in rows:
        title = (title or "").strip()[:300]
        if not title:
            continue
        max_points = Decimal(str(max_points))
        if max_points <= 0:
            raise DomainError(
                _("Each criterion needs positive points: «%(title)s».")
                % {"title": title},
                code="criterion",
            )
        cleaned.append((title, max_points))
    with transaction.atomic():
        Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.submissions.filter(status="graded").exists():
            raise DomainError(
                _("Graded work exists: the rubric can no longer change."),
                code="rubric_locked",
            )
        assignment.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(assignment=assignment, position=i, title=t, max_points=p)
            for i, (t, p) in enumerate(cleaned, start=1)
        )
        recount_max_points(assignment)
        _audit_parts(actor, assignment, f"rubric:{len(cleaned)}", request)


def assignment_files_add(*, actor, assignment, files, request=None):
    if not policies.can_edit(actor, assignment):
        raise deny()
    files = [f for f in files if f]
    if assignment.files.count() + len(files) > MAX_FILES:
        raise DomainError(
            _("At most %(count)s files.") % {"count": MAX_FILES}, code="too_many"
        )
    checked = [(f, check_upload(f)) for f in files]
    with transaction.atomic():
        for upload, name in checked:
            upload.seek(0)
            item = AssignmentFile(assignment=assignment, name=name)
            item.file.save(name, upload, save=False)
            item.save()
        if checked:
            _audit_parts(actor, assignment, f"files+{len(checked)}", request)


def extension_grant(
    *, actor, assignment, student, due_at: dt.datetime, reason: str = "", request=None
) -> Extension:
    """More time for one student (after the common due date)."""
    if not policies.can_edit(actor, assignment):
        raise deny()
    if not spaces.is_student_of(student, assignment.space):
        raise DomainError(_("The student is not in this course space."))
    if due_at <= assignment.due_at:
        raise DomainError(
            _("An extension must end after the due date (%(due)s).")
            % {"due": when(assignment.due_at)},
            code="extension",
        )
    with transaction.atomic():
        extension, _created = Extension.objects.update_or_create(
            assignment=assignment,
            student=student,
            defaults={
                "due_at": due_at,
                "reason": (reason or "").strip()[:300],
                "granted_by": actor,
            },
        )
        record(
            actor=actor,
            action=actions.EXTENDED,
            target=assignment,
            changes={"student": student.full_name, "due_at": when(due_at)},
            request=request,
        )
    return extension
