"""The teacher's two grades of a seminar work (R6): the work itself, and the
quality of the student's assessments of others — computed by agreement with the
other assessors of the same works, the teacher's word last — with a written
review of each. Two teachers at once: the second is told it changed."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from umka.assignments.grading_scale import mark_for
from umka.assignments.services import check_text
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.courses.grading import mark_2_to_5, tell_graded
from umka.seminars import audit_actions as actions
from umka.seminars import policies
from umka.seminars.models import Assessment, Phase, Work

HUNDRED = Decimal(100)


def _agreement_of(one: Assessment, others: list[Assessment], maxima: dict) -> Decimal:
    """1 − the mean distance, per criterion, from the others' mean (a share of
    the criterion's maximum)."""
    distances = []
    for key, top in maxima.items():
        mine = Decimal(one.scores.get(key, 0))
        theirs = sum(Decimal(o.scores.get(key, 0)) for o in others) / len(others)
        distances.append(abs(mine - theirs) / top)
    if not distances:
        return Decimal(1)
    return 1 - sum(distances) / len(distances)


def agreements(seminar) -> dict[int, Decimal | None]:
    """Each participant's agreement with the other assessors, in per cent: the
    mean over the works given to them (one not assessed counts as 0); works
    nobody else assessed are left out. None where nothing can be compared."""
    maxima = {str(c.pk): Decimal(c.max_points) for c in seminar.criteria.all()}
    given = list(
        Assessment.objects.filter(
            work__seminar=seminar, work__withdrawn_at__isnull=True
        )
    )
    done_by_work: dict[int, list[Assessment]] = {}
    for a in given:
        if a.done:
            done_by_work.setdefault(a.work_id, []).append(a)
    per_reviewer: dict[int, list[Decimal]] = {}
    for a in given:
        if not a.done:
            per_reviewer.setdefault(a.reviewer_id, []).append(Decimal(0))
            continue
        others = [o for o in done_by_work[a.work_id] if o.pk != a.pk]
        if others:
            per_reviewer.setdefault(a.reviewer_id, []).append(
                _agreement_of(a, others, maxima)
            )
    found: dict[int, Decimal | None] = {}
    for work in seminar.works.filter(withdrawn_at__isnull=True):
        values = per_reviewer.get(work.author_id)
        found[work.author_id] = (
            (sum(values) / len(values) * HUNDRED).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            if values
            else None
        )
    return found


def suggested_mark(agreement: Decimal | None) -> int | None:
    """2–5 by the school's thresholds (the same as for points)."""
    return None if agreement is None else mark_for(agreement, HUNDRED)


def suggested_review(work: Work) -> str:
    """What the form offers as the review of the assessing (the teacher edits)."""
    if work.agreement is None:
        return ""
    return _(
        "Your assessments agree with those of other classmates by %(agreement)s %%."
    ) % {"agreement": f"{work.agreement:.1f}".replace(".", ",")}


def agreement_compute(*, seminar) -> None:
    """Store each work's agreement as grading starts (inside the switch)."""
    for author_id, value in agreements(seminar).items():
        seminar.works.filter(author_id=author_id).update(agreement=value)


def _mark(value, *, what) -> int | None:
    try:
        return mark_2_to_5(value)
    except DomainError:
        raise DomainError(
            _("%(what)s: choose a grade from 2 to 5.") % {"what": what}, code="grade"
        ) from None


def work_grade(
    *,
    actor,
    work: Work,
    version: int,
    mark,
    review: str,
    assessing_mark=None,
    assessing_review: str = "",
    request=None,
) -> Work:
    """Grade the work and the student's assessing, each with a written review
    (R6); the student and each parent with rights are told. A grade for the
    assessing other than the computed one is audited."""
    review = check_text(review, what=_("The review"))
    assessing_review = check_text(
        assessing_review, what=_("The review of the assessing")
    )
    mark = _mark(mark, what=_("The work"))
    assessing_mark = _mark(assessing_mark, what=_("The assessing"))
    if mark is None:
        raise DomainError(_("Choose a grade from 2 to 5."), code="grade")
    if not review:
        raise DomainError(
            _("Write the review: every graded work carries one."), code="review"
        )
    if assessing_mark is not None and not assessing_review:
        raise DomainError(
            _("Write a review of the assessing too, or leave its grade empty."),
            code="review",
        )
    with transaction.atomic():
        current = (
            Work.objects.select_for_update(of=("self",))
            .select_related("seminar", "seminar__space", "author", "graded_by")
            .get(pk=work.pk)
        )
        if not policies.can_grade(actor, current):
            raise DomainError(_("You may not grade this work."), code="forbidden")
        if current.version != int(version):
            who = current.graded_by.full_name if current.graded_by else _("someone")
            raise DomainError(
                _(
                    "%(who)s changed this work's grades while you were grading it. "
                    "Open it again to see the change; your text is kept on the form."
                )
                % {"who": who},
                code="stale",
            )
        if current.seminar.phase not in (Phase.GRADING, Phase.CLOSED):
            raise DomainError(
                _("Works are graded once the peer assessment is over."), code="phase"
            )
        if not current.is_active:
            raise DomainError(_("This work is no longer in the seminar."))
        suggested = suggested_mark(current.agreement)
        if assessing_mark is not None and assessing_mark != suggested:
            record(
                actor=actor,
                action=actions.ASSESSING_OVERRIDDEN,
                target=current,
                changes={
                    "computed": suggested,
                    "agreement": str(current.agreement),
                    "grade": assessing_mark,
                },
                request=request,
            )
        current.mark, current.review = mark, review
        current.assessing_mark = assessing_mark
        current.assessing_review = assessing_review if assessing_mark else ""
        current.status = Work.Status.GRADED
        current.graded_by, current.graded_at = actor, clock.now()
        current.version += 1
        current.save()
        record(
            actor=actor,
            action=actions.GRADED,
            target=current,
            changes={"grade": mark, "assessing": assessing_mark},
            request=request,
        )
        tell_graded(
            student=current.author,
            actor=actor,
            title=lambda: (
                _("Grade %(grade)s and a review: seminar «%(title)s»")
                % {"grade": mark, "title": current.seminar.title}
            ),
            review=review,
            url=reverse("seminars:work", args=[current.pk]),
            target=current,
        )
    return current
