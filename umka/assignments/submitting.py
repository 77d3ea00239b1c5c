"""A student submits an assignment (R6): dates in the school's zone, attempts,
extensions, one submission per click of «Отправить», automatic scores at once."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.assignments import audit_actions as actions
from umka.assignments import policies, scoring
from umka.assignments.models import (
    Answer,
    AnswerFile,
    Assignment,
    Extension,
    Kind,
    Submission,
)
from umka.assignments.services import check_text, when
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.courses.deadlines import review_due_from
from umka.privacy.gate import require_consent

SHORT_MAX = 500
FILES_PER_PART = 5


def effective_due(assignment: Assignment, student) -> dt.datetime:
    """The student's due date: their extension, else the assignment's."""
    extension = Extension.objects.filter(assignment=assignment, student=student).first()
    return extension.due_at if extension else assignment.due_at


def _latest(assignment, student) -> Submission | None:
    return (
        Submission.objects.filter(assignment=assignment, student=student)
        .order_by("-attempt")
        .first()
    )


def attempts_state(assignment: Assignment, student) -> dict:
    """Attempts used, allowed (a returned submission gives one more), and whether
    the latest was returned to be redone."""
    used = Submission.objects.filter(assignment=assignment, student=student)
    returned = used.filter(status=Submission.Status.RETURNED).count()
    latest = _latest(assignment, student)
    return {
        "used": used.count(),
        "allowed": assignment.attempts_allowed + returned,
        "redo": latest is not None and latest.status == Submission.Status.RETURNED,
    }


def refusal(assignment: Assignment, student, now: dt.datetime) -> str | None:
    """Why the student may not submit now (a Russian sentence), or None."""
    if now < assignment.opens_at:
        return _("The assignment opens on %(when)s.") % {
            "when": when(assignment.opens_at)
        }
    state = attempts_state(assignment, student)
    if state["used"] >= state["allowed"]:
        return _("You have used all attempts (%(count)s).") % {
            "count": state["allowed"]
        }
    due = effective_due(assignment, student)
    if now > due and not assignment.late_allowed and not state["redo"]:
        return _(
            "The due date was %(when)s; this assignment does not accept late work."
        ) % {"when": when(due)}
    return None


def _clean_response(part, raw: dict) -> dict:
    if part.kind in (Kind.SHORT, Kind.NUMBER):
        text = str(raw.get("text", ""))
        check_text(
            text,
            what=_("The answer to question %(n)s") % {"n": part.position},
            limit=SHORT_MAX,
        )
        return {"text": text.strip()}
    if part.kind == Kind.TEXT:
        text = check_text(
            str(raw.get("text", "")),
            what=_("The answer to question %(n)s") % {"n": part.position},
        )
        return {"text": text}
    if part.kind == Kind.SINGLE:
        return {"choice": raw.get("choice")}
    if part.kind == Kind.MULTIPLE:
        return {"choices": list(raw.get("choices", []))}
    if part.kind == Kind.MATCHING:
        return {
            "matches": {
                str(k): str(v)[:SHORT_MAX] for k, v in raw.get("matches", {}).items()
            }
        }
    if part.kind == Kind.ORDERING:
        return {"order": list(raw.get("order", []))}
    return {}


def _checked_files(part, uploads) -> list[tuple[object, str]]:
    uploads = [f for f in uploads or () if f]
    if part.kind != Kind.FILE:
        return []
    if len(uploads) > FILES_PER_PART:
        raise DomainError(
            _("Question %(n)s: at most %(count)s files.")
            % {"n": part.position, "count": FILES_PER_PART},
            code="too_many_files",
        )
    return [(f, check_upload(f)) for f in uploads]


def submission_submit(
    *,
    actor,
    assignment: Assignment,
    token: uuid.UUID | str,
    responses: dict[int, dict],
    files: dict[int, list] | None = None,
    request=None,
) -> Submission:
    """Submit the student's answers as their next attempt (R6).

    The same `token` again (a second click, a resent form) returns the first
    submission. Automatic parts are scored at once; the rest waits in the
    teacher's queue, due by the school's review deadline (R13).
    """
    token = uuid.UUID(str(token))
    existing = Submission.objects.filter(token=token).first()
    if existing is not None:
        return _same_student(existing, actor)
    if not policies.can_submit(actor, assignment):
        raise DomainError(_("You may not submit this assignment."), code="forbidden")
    require_consent(actor)
    parts = list(assignment.parts.order_by("position"))
    cleaned = {p.pk: _clean_response(p, responses.get(p.pk, {})) for p in parts}
    checked = {p.pk: _checked_files(p, (files or {}).get(p.pk)) for p in parts}
    try:
        with transaction.atomic():
            # One student's attempts one at a time: a second click waits here and
            # then finds the first submission by its token.
            User.objects.select_for_update().filter(pk=actor.pk).first()
            existing = Submission.objects.filter(token=token).first()
            if existing is not None:
                return _same_student(existing, actor)
            now = clock.now()
            if reason := refusal(assignment, actor, now):
                raise DomainError(reason, code="refused")
            submission = _store(assignment, actor, token, parts, cleaned, checked, now)
            record(
                actor=actor,
                action=actions.SUBMITTED,
                target=submission,
                changes={
                    "attempt": submission.attempt,
                    "late": submission.late,
                    "auto_points": str(submission.auto_points),
                },
                request=request,
            )
    except IntegrityError:
        existing = Submission.objects.filter(token=token).first()
        if existing is not None:
            return _same_student(existing, actor)
        raise DomainError(
            _("Another attempt was submitted at the same moment. Open the page again."),
            code="race",
        ) from None
    return submission


def _same_student(existing: Submission, actor) -> Submission:
    if existing.student_id != actor.pk:
        raise DomainError(_("You may not submit this assignment."), code="forbidden")
    return existing


def _store(assignment, student, token, parts, cleaned, checked, now) -> Submission:
    attempt = (
        Submission.objects.filter(assignment=assignment, student=student).count() + 1
    )
    answers, total = [], Decimal(0)
    for part in parts:
        auto = scoring.score(part.kind, part.data, part.points, cleaned[part.pk])
        total += auto or 0
        answers.append(
            Answer(part=part, response=cleaned[part.pk], auto_score=auto, score=auto)
        )
    submission = Submission.objects.create(
        assignment=assignment,
        student=student,
        attempt=attempt,
        token=token,
        submitted_at=now,
        late=now > effective_due(assignment, student),
        auto_points=total,
        review_due_at=review_due_from(now),
    )
    for answer in answers:
        answer.submission = submission
    Answer.objects.bulk_create(answers)
    for answer in answers:
        for upload, name in checked.get(answer.part_id, []):
            upload.seek(0)
            item = AnswerFile(answer=answer, name=name)
            item.file.save(name, upload, save=False)
            item.save()
    return submission
