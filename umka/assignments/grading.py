"""The teacher grades a submission and writes the review («рецензия», R6), or
returns it to be redone. Two teachers at once: the second is told it changed
(`version`), nothing is overwritten silently. An automatic score changed by the
teacher needs a reason and is audited."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.assignments import audit_actions as actions
from umka.assignments import policies
from umka.assignments.grading_scale import grade_display, mark_for, points_text
from umka.assignments.models import Assignment, Submission
from umka.assignments.services import check_text
from umka.audit.services import record
from umka.core import clock, richtext
from umka.core.errors import DomainError
from umka.courses import notification_kinds as kinds
from umka.notifications.services import notify

REASON_MAX = 1000


def _decimal(value, *, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        raise DomainError(
            _("%(what)s: «%(value)s» is not a number.")
            % {"what": what, "value": value},
            code="number",
        ) from None
    if not number.is_finite():
        raise DomainError(_("%(what)s is not a number.") % {"what": what})
    return number


def _locked(submission: Submission, version: int, actor) -> Submission:
    current = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment", "assignment__space", "student", "graded_by")
        .get(pk=submission.pk)
    )
    if not policies.can_grade(actor, current):
        raise DomainError(_("You may not grade this work."), code="forbidden")
    if current.version != int(version):
        who = current.graded_by.full_name if current.graded_by else _("someone")
        raise DomainError(
            _(
                "%(who)s changed this submission while you were grading it. Open it "
                "again to see the change; your text is kept on the form."
            )
            % {"who": who},
            code="stale",
        )
    return current


def family_of(student) -> list[User]:
    """The student and their parents with rights (R3): who reads the result."""
    parents = User.objects.filter(
        pk__in=active_parent_links().filter(student=student).values("parent")
    )
    return [student, *parents]


def _tell_family(submission, *, actor, kind, title, body, url) -> None:
    """Notify the student and their parents with rights, in the school's language
    (`title` is a callable, rendered in it)."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=family_of(submission.student),
            kind=kind,
            title=title(),
            body=body,
            url=url,
            actor=actor,
            target=submission,
        )


def submission_grade(
    *,
    actor,
    submission: Submission,
    version: int,
    review: str,
    mark=None,
    passed: bool | None = None,
    scores: dict | None = None,
    reasons: dict | None = None,
    rubric: dict | None = None,
    request=None,
) -> Submission:
    """Grade with a written review (R6): the student and each parent with rights
    are told (in-app, e-mail outside quiet hours). `scores` / `reasons` by part
    id, `rubric` by criterion id."""
    review = check_text(review, what=_("The review"))
    if not review:
        raise DomainError(
            _("Write the review: every graded work carries one."), code="review"
        )
    scores, reasons, rubric = scores or {}, reasons or {}, rubric or {}
    with transaction.atomic():
        current = _locked(submission, version, actor)
        assignment = current.assignment
        total = _apply_scores(actor, current, scores, reasons, request)
        current.rubric = {}
        for criterion in assignment.criteria.all():
            value = _decimal(rubric.get(criterion.pk), what=criterion.title)
            if value is None:
                continue
            if not 0 <= value <= criterion.max_points:
                raise DomainError(
                    _("«%(title)s»: from 0 to %(max)s points.")
                    % {
                        "title": criterion.title,
                        "max": points_text(criterion.max_points),
                    },
                    code="rubric",
                )
            current.rubric[str(criterion.pk)] = str(value)
            total += value
        current.points = total
        current.mark, current.passed = _grade(assignment, total, mark, passed)
        now = clock.now()
        current.status = Submission.Status.GRADED
        current.review = review
        current.graded_by, current.graded_at = actor, now
        current.version += 1
        current.save()
        shown = grade_display(current)
        record(
            actor=actor,
            action=actions.GRADED,
            target=current,
            changes={"grade": shown, "points": str(total), "late": current.late},
            request=request,
        )
        _tell_family(
            current,
            actor=actor,
            kind=kinds.GRADED,
            title=lambda: (
                _("Grade %(grade)s and a review: «%(title)s»")
                % {"grade": shown, "title": assignment.title}
            ),
            body=richtext.plain(review, limit=600),
            url=reverse("assignments:submission", args=[current.pk]),
        )
    return current


def _grade(assignment: Assignment, total: Decimal, mark, passed):
    if assignment.scale == Assignment.Scale.POINTS:
        return mark_for(total, assignment.max_points), None
    if assignment.scale == Assignment.Scale.PASS_FAIL:
        if passed is None:
            raise DomainError(_("Choose «pass» or «fail»."), code="grade")
        return None, bool(passed)
    try:
        mark = int(mark)
    except (TypeError, ValueError):
        mark = None
    if mark not in (2, 3, 4, 5):
        raise DomainError(_("Choose a grade from 2 to 5."), code="grade")
    return mark, None


def _apply_scores(actor, submission, scores, reasons, request) -> Decimal:
    total = Decimal(0)
    for answer in submission.answers.select_related("part").order_by("part__position"):
        part = answer.part
        what = _("Question %(n)s") % {"n": part.position}
        value = _decimal(scores.get(part.pk), what=what)
        if value is not None and not 0 <= value <= part.points:
            raise DomainError(
                _("%(what)s: from 0 to %(max)s points.")
                % {"what": what, "max": points_text(part.points)},
                code="score",
            )
        if part.is_auto:
            answer = _override(actor, submission, answer, value, reasons, request)
        elif value is not None:
            answer.score = value
            answer.save(update_fields=["score"])
        total += answer.score or 0
    return total


def _override(actor, submission, answer, value, reasons, request):
    """A teacher's score over the automatic one: a reason, an audit entry."""
    part = answer.part
    if value is None or value == answer.score:
        return answer
    reason = (reasons.get(part.pk) or "").strip()[:REASON_MAX]
    if value != answer.auto_score and not reason:
        raise DomainError(
            _("Question %(n)s: say why you change the automatic score.")
            % {"n": part.position},
            code="reason",
        )
    before = answer.score
    answer.score = value
    answer.override_reason = reason if value != answer.auto_score else ""
    answer.save(update_fields=["score", "override_reason"])
    record(
        actor=actor,
        action=actions.SCORE_OVERRIDDEN,
        target=submission,
        changes={
            "part": part.position,
            "score": [str(before), str(value)],
            "automatic": str(answer.auto_score),
            "reason": reason,
        },
        request=request,
    )
    return answer


def submission_return(
    *, actor, submission: Submission, version: int, reason: str, request=None
) -> Submission:
    """Return the work to be done again: the student gets one more attempt, even
    past the due date (resubmission on request)."""
    reason = check_text(reason, what=_("The reason"), limit=REASON_MAX)
    if not reason:
        raise DomainError(_("Say what to redo."), code="reason")
    with transaction.atomic():
        current = _locked(submission, version, actor)
        current.status = Submission.Status.RETURNED
        current.return_reason = reason
        current.version += 1
        current.save(update_fields=["status", "return_reason", "version"])
        record(
            actor=actor,
            action=actions.RETURNED,
            target=current,
            changes={"attempt": current.attempt},
            request=request,
        )
        _tell_family(
            current,
            actor=actor,
            kind=kinds.RETURNED,
            title=lambda: (
                _("Redo the work: «%(title)s»") % {"title": current.assignment.title}
            ),
            body=reason,
            url=reverse("assignments:detail", args=[current.assignment_id]),
        )
    return current
