"""The teacher's question bank (R6): questions by subject and program part,
reused in assignments; GIFT import (all or nothing) and export."""

from django.db import transaction
from django.utils.translation import gettext as _

from umka.assignments import audit_actions as actions
from umka.assignments import gift, policies
from umka.assignments.models import BankQuestion, Kind
from umka.assignments.services import check_question
from umka.audit.services import record
from umka.core.errors import DomainError
from umka.core.uploads import check_upload

GIFT_MAX_MB = 2
MAX_IMPORT = 1000


def _deny() -> DomainError:
    return DomainError(_("Only a teacher keeps a question bank."), code="forbidden")


def bank_question_save(
    *, actor, question: BankQuestion | None = None, request=None, **values
) -> BankQuestion:
    """Create or change a question of the actor's own bank."""
    if not policies.can_use_bank(actor):
        raise _deny()
    if question is not None and question.owner_id != actor.pk:
        raise _deny()
    question = question or BankQuestion(owner=actor, kind=values["kind"])
    for name in ("text", "data", "points", "feedback", "name", "category"):
        if name in values:
            setattr(question, name, values[name])
    for name in ("subject", "program_part"):
        if name in values:
            setattr(question, name, values[name])
    if question.program_part_id and not question.subject_id:
        question.subject_id = question.program_part.subject_id
    question.points = check_question(
        question.kind, question.text, question.data, question.points
    )
    with transaction.atomic():
        created = question.pk is None
        question.save()
        record(
            actor=actor,
            action=actions.BANK_CHANGED,
            target=question,
            changes={"created" if created else "changed": question.kind},
            request=request,
        )
    return question


def bank_question_delete(*, actor, question: BankQuestion, request=None) -> None:
    if question.owner_id != actor.pk:
        raise _deny()
    with transaction.atomic():
        record(
            actor=actor,
            action=actions.BANK_CHANGED,
            target=question,
            changes={"deleted": question.kind},
            request=request,
        )
        question.delete()


def read_gift_upload(file) -> str:
    """The text of an uploaded GIFT file (a plain-text file, UTF-8 or 1251)."""
    check_upload(file, max_mb=GIFT_MAX_MB, allowed={"txt"})
    file.seek(0)
    raw = file.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1251")


def bank_import_gift(
    *, actor, text: str, program_part=None, subject=None, request=None
) -> list[BankQuestion]:
    """Import a GIFT text into the actor's bank: every question or none (a broken
    one refuses the file, naming its line and why)."""
    if not policies.can_use_bank(actor):
        raise _deny()
    parsed = gift.parse(text or "")
    if len(parsed) > MAX_IMPORT:
        raise DomainError(
            _("At most %(count)s questions at once.") % {"count": MAX_IMPORT}
        )
    if program_part is not None:
        subject = program_part.subject
    made = [
        BankQuestion(
            owner=actor,
            kind=q.kind,
            text=q.text,
            data=q.data,
            feedback=q.feedback,
            name=q.name[:200],
            category=q.category[:200],
            subject=subject,
            program_part=program_part,
        )
        for q in parsed
    ]
    for question, source in zip(made, parsed, strict=True):
        if len(question.text) > 20_000:
            raise gift.GiftError(source.line, _("the question is too long."))
    with transaction.atomic():
        BankQuestion.objects.bulk_create(made)
        record(
            actor=actor,
            action=actions.BANK_IMPORTED,
            changes={
                "questions": len(made),
                "kinds": sorted({str(Kind(q.kind).label) for q in made}),
            },
            request=request,
        )
    return made


def bank_export_gift(questions_qs) -> str:
    return gift.write(questions_qs.order_by("category", "pk"))
