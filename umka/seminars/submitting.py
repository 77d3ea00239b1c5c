"""A student submits (and until the due date changes) their seminar work (R6).

«Сдать» carries a token: a second click or a resent form finds the work it made.
The student's row is locked while the work is written, so two presses at once
make one work. Late work, when the teacher accepts it, arrives during the peer
assessment and is given assessors at once (`assessing.reallocate`).
"""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.assignments.services import check_text, when
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.seminars import assessing, phases, policies
from umka.seminars import audit_actions as actions
from umka.seminars.models import Phase, Seminar, Work, WorkFile

MAX_FILES = 10


def refusal(seminar: Seminar, now=None) -> str | None:
    """Why a work cannot be submitted now (or None)."""
    now = now or clock.now()
    if phases.submission_open(seminar, now):
        return None
    if seminar.phase == Phase.SETUP:
        return _("Submission opens on %(when)s.") % {"when": when(seminar.opens_at)}
    if seminar.phase == Phase.SUBMISSION or (
        seminar.phase == Phase.ASSESSMENT and seminar.late_allowed
    ):
        return _("Submission closed on %(when)s.") % {
            "when": when(seminar.submission_due_at)
        }
    return _(
        "Submission closed on %(when)s: the seminar is in the phase «%(phase)s»."
    ) % {
        "when": when(seminar.submission_due_at),
        "phase": seminar.get_phase_display(),
    }


def _token(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise DomainError(
            _("The form is out of date: open the page again."), code="token"
        ) from None


def work_submit(
    *,
    actor,
    seminar: Seminar,
    token,
    title: str,
    text: str,
    files=(),
    remove_files=(),
    request=None,
) -> Work:
    """Submit the work, or change one's own before the due date. Nothing is
    stored unless everything passes (text length, every file's check)."""
    token = _token(token)
    title = (title or "").strip()[:200]
    text = check_text(text, what=_("The text"))
    files = [f for f in files if f]
    names = [check_upload(f) for f in files]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        current = Seminar.objects.select_related("space").get(pk=seminar.pk)
        if not policies.can_submit(actor, current):
            raise DomainError(
                _("You may not submit a work in this seminar."), code="forbidden"
            )
        same = Work.objects.filter(token=token).first()
        if same is not None:
            if same.author_id != actor.pk:
                raise DomainError(
                    _("The form is out of date: open the page again."), code="token"
                )
            return same
        work = Work.objects.filter(seminar=current, author=actor).first()
        now = clock.now()
        refused = refusal(current, now)
        if refused:
            raise DomainError(refused, code="closed")
        if work is not None and work.withdrawn_at is not None:
            raise DomainError(
                _("Your teacher took you out of this seminar: %(reason)s")
                % {"reason": work.withdrawn_reason},
                code="withdrawn",
            )
        if not title:
            raise DomainError(_("Give your work a title."), code="required")
        if not text and not files and (work is None or not work.files.exists()):
            raise DomainError(_("Write the work or attach a file."), code="required")
        kept = work.files.exclude(pk__in=list(remove_files)).count() if work else 0
        if kept + len(files) > MAX_FILES:
            raise DomainError(
                _("At most %(n)s files.") % {"n": MAX_FILES}, code="too_many"
            )
        created = work is None
        if created:
            work = Work(
                seminar=current,
                author=actor,
                submitted_at=now,
                late=current.phase == Phase.ASSESSMENT,
            )
        work.token, work.title, work.text, work.updated_at = token, title, text, now
        work.save()
        if not created:
            work.files.filter(pk__in=list(remove_files)).delete()
        for upload, name in zip(files, names, strict=True):
            WorkFile.objects.create(work=work, file=upload, name=name)
        record(
            actor=actor,
            action=actions.SUBMITTED,
            target=work,
            changes={"created": created, "late": work.late, "files": names},
            request=request,
        )
        if created and current.phase == Phase.ASSESSMENT:
            assessing.reallocate(
                seminar=current, actor=None, reason=_("late work"), now=now
            )
    return work
