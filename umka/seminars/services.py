"""Setting up a seminar and moving it through its phases (R6). Every write
checks the policy, validates, runs in a transaction and is audited.
Submitting is in `submitting.py`, assessing and allocation in `assessing.py`,
grading in `grading.py`."""

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from umka.assignments.services import check_text, when
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.courses.deadlines import review_due_from
from umka.courses.sync import SYSTEM_NAME
from umka.notifications.services import notify
from umka.seminars import assessing, grading, phases, policies
from umka.seminars import audit_actions as actions
from umka.seminars import notification_kinds as kinds
from umka.seminars.models import PHASES, Criterion, Phase, Seminar, Work

TITLE_MAX = 200
MAX_CRITERIA = 20
FIELDS = (
    "title",
    "topic",
    "instructions",
    "program_part",
    "opens_at",
    "submission_due_at",
    "assessment_due_at",
    "by_date",
    "late_allowed",
    "peers",
    "allocation",
)
#: What may still change once the submission is open (works exist).
FIELDS_AFTER_SETUP = {
    "title",
    "topic",
    "instructions",
    "program_part",
    "submission_due_at",
    "assessment_due_at",
    "by_date",
    "late_allowed",
}


def deny() -> DomainError:
    return DomainError(_("You may not do this with this seminar."), code="forbidden")


def _validate(seminar: Seminar) -> None:
    seminar.title = (seminar.title or "").strip()[:TITLE_MAX]
    seminar.topic = (seminar.topic or "").strip()[:TITLE_MAX]
    if not seminar.title:
        raise DomainError(_("Give the seminar a title."), code="required")
    if not seminar.topic:
        raise DomainError(
            _("Give the topic, as the e-journal shows it."), code="required"
        )
    seminar.instructions = check_text(seminar.instructions, what=_("The instructions"))
    if not (seminar.opens_at < seminar.submission_due_at < seminar.assessment_due_at):
        raise DomainError(
            _(
                "The dates go in order: submission opens, submission is due, "
                "then assessment is due."
            ),
            code="dates",
        )
    if not 1 <= int(seminar.peers) <= 10:
        raise DomainError(
            _("Each work is assessed by 1 to 10 classmates."), code="peers"
        )


def seminar_create(*, actor, space, request=None, **values) -> Seminar:
    """A new seminar in setup: only its teachers see it until submission opens."""
    if not spaces.can_teach_in(actor, space):
        raise deny()
    seminar = Seminar(space=space, created_by=actor, **values)
    _validate(seminar)
    with transaction.atomic():
        seminar.save()
        record(
            actor=actor,
            action=actions.CREATED,
            target=seminar,
            changes={"title": seminar.title, "space": space.title},
            request=request,
        )
    return seminar


def seminar_update(*, actor, seminar: Seminar, request=None, **values) -> Seminar:
    with transaction.atomic():
        current = Seminar.objects.select_for_update().get(pk=seminar.pk)
        if not policies.can_edit(actor, current):
            raise deny()
        allowed = FIELDS if current.phase == Phase.SETUP else FIELDS_AFTER_SETUP
        changed = {}
        for field, value in values.items():
            if field not in FIELDS:
                raise ValueError(field)
            if getattr(current, field) == value:
                continue
            if field not in allowed:
                raise DomainError(
                    _("Once works are submitted, this cannot change: %(what)s.")
                    % {"what": Seminar._meta.get_field(field).verbose_name},
                    code="locked",
                )
            changed[field] = [str(getattr(current, field)), str(value)]
            setattr(current, field, value)
        _validate(current)
        current.save()
        if changed:
            record(
                actor=actor,
                action=actions.CHANGED,
                target=current,
                changes=changed,
                request=request,
            )
    return current


_LEVEL = re.compile(r"^\s*(\d{1,3})\s*(?:[—–:.)-]+)\s*(.+)$")


def parse_levels(text: str) -> list[dict]:
    """«2 — тема раскрыта полностью» a line → [{"points": 2, "text": "…"}], best
    first; a line without points is refused with its number."""
    levels = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _LEVEL.match(line)
        if not match:
            raise DomainError(
                _("Line %(n)s: start with the points, e.g. «2 — fully covered».")
                % {"n": n},
                code="levels",
            )
        levels.append({"points": int(match[1]), "text": match[2].strip()[:300]})
    return sorted(levels, key=lambda level: -level["points"])


def criteria_set(*, actor, seminar: Seminar, criteria: list[dict], request=None):
    """Replace the criteria (title, max_points, levels); locked once the peer
    assessment has started, so every assessment uses the same ones."""
    with transaction.atomic():
        current = Seminar.objects.select_for_update().get(pk=seminar.pk)
        if not policies.can_edit(actor, current):
            raise deny()
        if not current.is_before(Phase.ASSESSMENT):
            raise DomainError(
                _("The criteria are fixed once the peer assessment has started."),
                code="locked",
            )
        if len(criteria) > MAX_CRITERIA:
            raise DomainError(
                _("At most %(n)s criteria.") % {"n": MAX_CRITERIA}, code="too_many"
            )
        rows = []
        for position, item in enumerate(criteria, start=1):
            title = (item.get("title") or "").strip()[:300]
            points = int(item.get("max_points") or 0)
            if not title:
                raise DomainError(
                    _("Criterion %(n)s: give it a name.") % {"n": position},
                    code="required",
                )
            if not 1 <= points <= 100:
                raise DomainError(
                    _("«%(title)s»: from 1 to 100 points.") % {"title": title},
                    code="points",
                )
            levels = item.get("levels") or []
            if any(level["points"] > points for level in levels):
                raise DomainError(
                    _("«%(title)s»: a descriptor gives more than %(max)s points.")
                    % {"title": title, "max": points},
                    code="levels",
                )
            rows.append(
                Criterion(
                    seminar=current,
                    position=position,
                    title=title,
                    max_points=points,
                    levels=levels,
                )
            )
        current.criteria.all().delete()
        Criterion.objects.bulk_create(rows)
        record(
            actor=actor,
            action=actions.CRITERIA_CHANGED,
            target=current,
            changes={"criteria": [f"{r.title} ({r.max_points})" for r in rows]},
            request=request,
        )
    return rows


def _refusal_to_switch(seminar: Seminar, to: str) -> str | None:
    if to == Phase.SUBMISSION and not seminar.criteria.exists():
        return _("Add at least one criterion before opening the submission.")
    if to == Phase.CLOSED:
        left = seminar.works.filter(
            withdrawn_at__isnull=True, status=Work.Status.SUBMITTED
        ).count()
        if left:
            return _("Grade every work before closing: %(n)s left.") % {"n": left}
    return None


def seminar_switch(
    *, actor, seminar: Seminar, to: str, request=None, now: dt.datetime | None = None
) -> Seminar:
    """Move to the next phase (only forward, one step): the teacher's button, or
    the clock (`actor=None`) when the seminar follows its dates. Entering the
    assessment allocates the works; entering grading computes the agreement of
    each student's assessments and starts the review deadline."""
    now = now or clock.now()
    with transaction.atomic():
        current = (
            Seminar.objects.select_for_update()
            .select_related("space")
            .get(pk=seminar.pk)
        )
        if actor is not None and not policies.can_edit(actor, current):
            raise deny()
        if to not in PHASES or phases.next_phase(current) != to:
            raise DomainError(
                _("The seminar is already in the phase «%(phase)s».")
                % {"phase": current.get_phase_display()},
                code="stale",
            )
        refused = _refusal_to_switch(current, to)
        if refused:
            raise DomainError(refused, code="not_ready")
        before = current.phase
        current.phase, current.phase_changed_at = to, now
        current.save(update_fields=["phase", "phase_changed_at"])
        if to == Phase.ASSESSMENT:
            assessing.allocation_make(seminar=current, now=now)
        elif to == Phase.GRADING:
            grading.agreement_compute(seminar=current)
            current.works.filter(
                withdrawn_at__isnull=True, status=Work.Status.SUBMITTED
            ).update(review_due_at=review_due_from(now))
        record(
            actor=actor,
            actor_name="" if actor else str(SYSTEM_NAME),
            action=actions.PHASE_SWITCHED,
            target=current,
            changes={"phase": [before, to]},
            request=request,
        )
        _announce(current, actor)
    return current


def _announce(seminar: Seminar, actor) -> None:
    """Students hear of the phases that ask something of them."""
    if seminar.phase not in (Phase.SUBMISSION, Phase.ASSESSMENT):
        return
    url = reverse("seminars:detail", args=[seminar.pk])
    with translation.override(settings.LANGUAGE_CODE):
        if seminar.phase == Phase.SUBMISSION:
            recipients = spaces.students_of(seminar.space)
            title = _("Seminar «%(title)s»: submit your work by %(when)s") % {
                "title": seminar.title,
                "when": when(seminar.submission_due_at),
            }
        else:
            recipients = [
                w.author for w in seminar.works.filter(withdrawn_at__isnull=True)
            ]
            title = _(
                "Seminar «%(title)s»: assess your classmates' works by %(when)s"
            ) % {
                "title": seminar.title,
                "when": when(seminar.assessment_due_at),
            }
        notify(
            recipients=recipients,
            kind=kinds.PHASE,
            title=title,
            url=url,
            actor=actor,
            target=seminar,
        )


def phases_follow_dates(now: dt.datetime | None = None) -> int:
    """The clock's switch (every few minutes): seminars that follow their dates
    move on when a date passes — submission opens, assessment starts, grading
    starts. A seminar without criteria stays in setup (its teacher sees why)."""
    now = now or clock.now()
    due = {
        Phase.SETUP: ("opens_at", Phase.SUBMISSION),
        Phase.SUBMISSION: ("submission_due_at", Phase.ASSESSMENT),
        Phase.ASSESSMENT: ("assessment_due_at", Phase.GRADING),
    }
    moved = 0
    for phase, (field, to) in due.items():
        for seminar in Seminar.objects.filter(
            by_date=True,
            phase=phase,
            space__archived_at__isnull=True,
            **{f"{field}__lte": now},
        ):
            try:
                seminar_switch(actor=None, seminar=seminar, to=to, now=now)
            except DomainError:
                continue
            moved += 1
    return moved
