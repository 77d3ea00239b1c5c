"""Peer assessment (R6): who assesses whose work, and the assessment itself.

The allocation is made when the assessment starts, among the students who
submitted (`allocation.allocate`); it is repaired (`reallocate`) whenever the
set of participants changes — a student leaves the class or is taken out by the
teacher, late work arrives — so that every work keeps its assessors and nobody
carries far more than others. Assessments already done are never moved.
"""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from umka.assignments.services import check_text, when
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.courses.sync import SYSTEM_NAME
from umka.notifications.services import notify
from umka.seminars import allocation, policies
from umka.seminars import audit_actions as actions
from umka.seminars import notification_kinds as kinds
from umka.seminars.models import Assessment, Criterion, Phase, Seminar, Work

COMMENT_MAX = 5000


def _active_works(seminar: Seminar) -> list[Work]:
    return list(
        seminar.works.filter(withdrawn_at__isnull=True).select_related("author")
    )


def _apply(seminar: Seminar, pairs: set, works: list[Work], now) -> tuple[list, int]:
    """Make the seminar's pending allocation equal `pairs` (done ones stay):
    returns the new assessments and how many pending ones were taken away."""
    by_author = {w.author_id: w for w in works}
    existing = {
        (a.reviewer_id, a.author_id): a
        for a in Assessment.objects.filter(work__seminar=seminar)
    }
    stale = [a.pk for key, a in existing.items() if key not in pairs and not a.done]
    Assessment.objects.filter(pk__in=stale).delete()
    new = [
        Assessment(
            work=by_author[author],
            author_id=author,
            reviewer_id=reviewer,
            allocated_at=now,
        )
        for reviewer, author in sorted(pairs - set(existing))
    ]
    Assessment.objects.bulk_create(new)
    return new, len(stale)


def _tell_assessors(seminar: Seminar, new: list[Assessment], actor) -> None:
    if not new:
        return
    per_reviewer = Counter(a.reviewer_id for a in new)
    url = reverse("seminars:detail", args=[seminar.pk])
    people = {
        u.pk: u for u in spaces.students_of(seminar.space).filter(pk__in=per_reviewer)
    }
    with translation.override(settings.LANGUAGE_CODE):
        for reviewer, count in per_reviewer.items():
            if reviewer not in people:
                continue
            notify(
                recipients=[people[reviewer]],
                kind=kinds.TO_ASSESS,
                title=ngettext(
                    "Seminar «%(title)s»: %(n)s work to assess by %(when)s",
                    "Seminar «%(title)s»: %(n)s works to assess by %(when)s",
                    count,
                )
                % {
                    "title": seminar.title,
                    "n": count,
                    "when": when(seminar.assessment_due_at),
                },
                url=url,
                actor=actor,
                target=seminar,
                email=False,
            )


def allocation_make(*, seminar: Seminar, now: dt.datetime) -> list[Assessment]:
    """The first allocation, as the assessment starts (inside the switch's
    transaction): a balanced random one; with allocation by hand it is the
    teacher's starting point."""
    works = _active_works(seminar)
    rng = random.Random(f"{seminar.pk}:{now.isoformat()}")  # noqa: S311 (not secret)
    pairs = allocation.allocate([w.author_id for w in works], seminar.peers, rng)
    new, _removed = _apply(seminar, pairs, works, now)
    record(
        actor=None,
        actor_name=str(SYSTEM_NAME),
        action=actions.ALLOCATED,
        target=seminar,
        changes={"works": len(works), "assessments": len(new), "peers": seminar.peers},
    )
    _tell_assessors(seminar, new, None)
    return new


def reallocate(*, seminar: Seminar, actor, reason: str, now=None) -> list[Assessment]:
    """Repair the allocation after the participants changed (inside the
    caller's transaction): every work keeps its assessors, done assessments
    stay, the load stays balanced (by hand: only what is missing is added)."""
    now = now or clock.now()
    works = _active_works(seminar)
    rows = list(Assessment.objects.filter(work__seminar=seminar))
    done = {(a.reviewer_id, a.author_id) for a in rows if a.done}
    pending = {(a.reviewer_id, a.author_id) for a in rows if not a.done}
    rng = random.Random(f"{seminar.pk}:{now.isoformat()}:{len(rows)}")  # noqa: S311
    pairs = allocation.reallocate(
        [w.author_id for w in works],
        seminar.peers,
        rng,
        done=done,
        pending=pending,
        balance=seminar.allocation == Seminar.Allocation.RANDOM,
    )
    new, removed = _apply(seminar, pairs, works, now)
    if new or removed:
        record(
            actor=actor,
            actor_name="" if actor else str(SYSTEM_NAME),
            action=actions.REALLOCATED,
            target=seminar,
            changes={"reason": reason, "added": len(new), "removed": removed},
        )
        _tell_assessors(seminar, new, actor)
    return new


def allocation_set(*, actor, seminar: Seminar, pairs: set, request=None) -> list:
    """The teacher's allocation by hand: `pairs` of (assessor, author) ids.
    Done assessments stay whatever the form says; a pair with oneself or with
    someone out of the seminar is refused and nothing changes."""
    with transaction.atomic():
        current = Seminar.objects.select_for_update().get(pk=seminar.pk)
        if not policies.can_edit(actor, current):
            raise DomainError(_("You may not do this with this seminar."))
        if current.phase != Phase.ASSESSMENT:
            raise DomainError(
                _("Works are allocated during the peer assessment."), code="phase"
            )
        works = _active_works(current)
        names = {w.author_id: w.author.full_name for w in works}
        for reviewer, author in pairs:
            if reviewer == author:
                raise DomainError(
                    _("%(name)s cannot assess their own work.")
                    % {"name": names.get(author, "")},
                    code="own",
                )
            if reviewer not in names or author not in names:
                raise DomainError(
                    _("Only students who submitted a work take part."), code="outside"
                )
        done = {
            (a.reviewer_id, a.author_id)
            for a in Assessment.objects.filter(
                work__seminar=current, assessed_at__isnull=False
            )
        }
        new, removed = _apply(current, set(pairs) | done, works, clock.now())
        record(
            actor=actor,
            action=actions.ALLOCATED,
            target=current,
            changes={"by_hand": True, "added": len(new), "removed": removed},
            request=request,
        )
        _tell_assessors(current, new, actor)
    return new


def participant_withdraw(
    *, actor, seminar: Seminar, student, reason: str, request=None, now=None
) -> Work:
    """Take a student out (ill, left): their work is no longer assessed, the
    works they had yet to assess go to others."""
    reason = (reason or "").strip()[:300]
    now = now or clock.now()
    with transaction.atomic():
        current = Seminar.objects.select_for_update().get(pk=seminar.pk)
        if actor is not None and not policies.can_edit(actor, current):
            raise DomainError(_("You may not do this with this seminar."))
        if not reason:
            raise DomainError(_("Say why the student leaves the seminar."))
        if not current.is_before(Phase.GRADING):
            raise DomainError(
                _("The peer assessment is over: grade the work instead."),
                code="phase",
            )
        work = current.works.filter(author=student, withdrawn_at__isnull=True).first()
        if work is None:
            raise DomainError(_("This student has no work in the seminar."))
        work.withdrawn_at, work.withdrawn_reason = now, reason
        work.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record(
            actor=actor,
            actor_name="" if actor else str(SYSTEM_NAME),
            action=actions.WITHDRAWN,
            target=work,
            changes={"student": student.full_name, "reason": reason},
            request=request,
        )
        if current.phase == Phase.ASSESSMENT:
            reallocate(seminar=current, actor=actor, reason=reason, now=now)
    return work


def seminars_repair(now=None) -> int:
    """Every few minutes: a student who left the space's class leaves its
    seminars under way, and the allocation is repaired (R6)."""
    now = now or clock.now()
    left = 0
    for seminar in Seminar.objects.filter(
        phase__in=(Phase.SUBMISSION, Phase.ASSESSMENT), space__archived_at__isnull=True
    ).select_related("space"):
        present = spaces.students_of(seminar.space).values("pk")
        for work in seminar.works.filter(withdrawn_at__isnull=True).exclude(
            author__in=present
        ):
            participant_withdraw(
                actor=None,
                seminar=seminar,
                student=work.author,
                reason=_("left the class"),
                now=now,
            )
            left += 1
    return left


# --- The assessment itself -----------------------------------------------------------


def assessment_for(actor, work: Work) -> Assessment:
    """The assessment of `work` given to `actor`, or a clear refusal."""
    if work.author_id == actor.pk:
        raise DomainError(_("This is your own work: you cannot assess it."), code="own")
    found = Assessment.objects.filter(work=work, reviewer=actor).first()
    if found is None:
        raise DomainError(
            _("This work is not given to you to assess."), code="not_allocated"
        )
    return found


def _refusal(seminar: Seminar, work: Work, now) -> str | None:
    if seminar.is_before(Phase.ASSESSMENT):
        return _("The peer assessment starts after the submission, on %(when)s.") % {
            "when": when(seminar.submission_due_at)
        }
    if seminar.phase != Phase.ASSESSMENT or now >= seminar.assessment_due_at:
        return _(
            "The peer assessment closed on %(when)s: assessments are no longer "
            "accepted."
        ) % {"when": when(seminar.assessment_due_at)}
    if not work.is_active:
        return _("This work is no longer in the seminar.")
    return None


def read_scores(criteria: list[Criterion], scores: dict) -> dict[str, int]:
    found = {}
    for criterion in criteria:
        raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise DomainError(
                _("«%(title)s»: choose the points.") % {"title": criterion.title},
                code="score",
            ) from None
        if not 0 <= value <= criterion.max_points:
            raise DomainError(
                _("«%(title)s»: from 0 to %(max)s points.")
                % {"title": criterion.title, "max": criterion.max_points},
                code="score",
            )
        found[str(criterion.pk)] = value
    return found


def assessment_submit(
    *, actor, work: Work, scores: dict, comment: str, request=None
) -> Assessment:
    """A peer's points per criterion and comment (R6), changeable until the
    assessment's due date; the own work, a work not given, or the phase being
    over is refused with the reason, and nothing is stored."""
    comment = check_text(comment, what=_("The comment"), limit=COMMENT_MAX)
    with transaction.atomic():
        found = assessment_for(actor, work)
        # Locked, and read again: a reallocation may just have taken it away.
        current = (
            Assessment.objects.select_for_update()
            .select_related("work", "work__seminar")
            .filter(pk=found.pk)
            .first()
        )
        if current is None:
            raise DomainError(
                _("This work is not given to you to assess."), code="not_allocated"
            )
        seminar = current.work.seminar
        refused = _refusal(seminar, current.work, clock.now())
        if refused:
            raise DomainError(refused, code="closed")
        criteria = list(seminar.criteria.all())
        points = read_scores(criteria, scores)
        if not comment:
            raise DomainError(
                _("Write a comment for the author: what is good, what to improve."),
                code="comment",
            )
        first = not current.done
        current.scores = points
        current.total = Decimal(sum(points.values()))
        current.comment = comment
        current.assessed_at = clock.now()
        current.save()
        record(
            actor=actor,
            action=actions.ASSESSED,
            target=current,
            changes={"total": str(current.total), "first": first},
            request=request,
        )
    return current
