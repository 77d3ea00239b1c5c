"""The conversation about a request (R9, R13): the assignee takes it into work and
answers it (in writing, with a link, or by inviting to a consultation) or passes
it on to a colleague with a reason; either side replies in its thread.

Like `services.py`: the row locked, the policy asked, one transaction, the audit
entry, the other side told.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.core import ratelimit
from umka.core.errors import DomainError
from umka.requests import audit_actions as actions
from umka.requests import notification_kinds as kinds
from umka.requests import policies, selectors, thread
from umka.requests.models import Request, RequestAttachment, RequestMessage


def request_take(*, actor: User, req: Request, request=None) -> Request:
    """The assignee takes a new (or redirected) request into work."""
    with transaction.atomic():
        req = thread.locked(req)
        if not policies.can_take(actor, req):
            raise thread.deny()
        now = timezone.now()
        before = req.get_status_display()
        req.status = Request.Status.IN_PROGRESS
        req.taken_at = now
        req.save(update_fields=["status", "taken_at"])
        thread.add_message(req, kind=RequestMessage.Kind.TAKEN, author=actor, now=now)
        record(
            actor=actor,
            action=actions.TAKEN,
            target=req,
            changes={"status": [before, req.get_status_display()]},
            request=request,
        )
        with thread.school_language():
            thread.tell(
                [req.author],
                kind=kinds.TAKEN,
                title=_("Request № %(number)s is being worked on: %(topic)s")
                % thread.title_params(req),
                req=req,
                actor=actor,
                email=False,
            )
    return req


def request_reply(
    *, actor: User, req: Request, text: str, files: Sequence = (), request=None
) -> RequestMessage:
    """A message in the thread (a question back, a clarification). The assignee's
    first message takes a new request into work."""
    checked = thread.check_files(files)
    ratelimit.enforce(action="requests.reply", who=actor, request=request)
    written: list[RequestAttachment] = []
    try:
        with transaction.atomic():
            req = thread.locked(req)
            if not policies.can_reply(actor, req):
                raise thread.deny()
            if checked and not (text or "").strip():
                text = "—"
            text = thread.clean_text(text, required_message=_("Write a message."))
            now = timezone.now()
            if actor.pk == req.assignee_id and req.status in (
                Request.Status.NEW,
                Request.Status.REDIRECTED,
            ):
                req.status = Request.Status.IN_PROGRESS
                req.taken_at = now
                req.save(update_fields=["status", "taken_at"])
            message = thread.add_message(
                req, kind=RequestMessage.Kind.MESSAGE, author=actor, now=now, text=text
            )
            written = thread.attach(req, checked, by=actor, now=now, message=message)
            record(
                actor=actor,
                action=actions.REPLIED,
                target=req,
                # The words stay in the thread: the trail says who wrote, when.
                changes={"message": message.pk, "files": [a.name for a in written]},
                request=request,
            )
            with thread.school_language():
                thread.tell(
                    thread.other_side(req, actor),
                    kind=kinds.MESSAGE,
                    title=_("A new message about request № %(number)s: %(topic)s")
                    % thread.title_params(req),
                    body=text[:500],
                    req=req,
                    actor=actor,
                )
    except BaseException:
        thread.remove_files(written)
        raise
    return message


def _answer_text(kind: str, text: str, consultation, link: str) -> str:
    if kind == Request.AnswerKind.GROUP and not text.strip():
        session = selectors.next_session(consultation)
        with thread.school_language():
            if session is None:
                return _(
                    "Your question will be taken up at the group consultation "
                    "«%(consultation)s»."
                ) % {"consultation": consultation}
            return _(
                "Your question will be taken up at the group consultation "
                "«%(consultation)s», next session %(when)s."
            ) % {"consultation": consultation, "when": thread.when(session.starts_at)}
    return text


def request_answer(
    *,
    actor: User,
    req: Request,
    kind: str,
    text: str = "",
    link: str = "",
    consultation=None,
    files: Sequence = (),
    request=None,
) -> Request:
    """Answer a request (R9, R13): in writing; with an invitation to an individual
    consultation (text and an optional link); or by folding it into one of the
    answerer's group topical consultations the student may attend."""
    if kind not in Request.AnswerKind.values:
        raise DomainError(_("Choose how you answer."), code="no_kind")
    link = (link or "").strip()
    if kind == Request.AnswerKind.INVITATION and link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError as error:
            raise DomainError(
                _("The link must be a web address (https://…)."), code="bad_link"
            ) from error
    elif kind != Request.AnswerKind.INVITATION:
        link = ""
    if kind == Request.AnswerKind.GROUP:
        if consultation is None:
            raise DomainError(
                _("Choose the group consultation where the question is taken up."),
                code="no_consultation",
            )
        text = (text or "").strip()
    else:
        consultation = None
        text = thread.clean_text(
            text,
            required_message=_("Write the answer.")
            if kind == Request.AnswerKind.WRITTEN
            else _("Write when and where the consultation takes place."),
        )
    checked = thread.check_files(files)
    written: list[RequestAttachment] = []
    try:
        with transaction.atomic():
            req = thread.locked(req)
            if not policies.can_answer(actor, req):
                raise thread.deny()
            if (
                consultation is not None
                and not selectors.consultations_for_folding(actor, req)
                .filter(pk=consultation.pk)
                .exists()
            ):
                raise DomainError(
                    _(
                        "Choose one of your group consultations on separate topics "
                        "that the student may attend and that has a session ahead."
                    ),
                    code="bad_consultation",
                )
            text = _answer_text(kind, text, consultation, link)
            now = timezone.now()
            before = req.get_status_display()
            req.status = Request.Status.ANSWERED
            req.answered_at = now
            req.answered_by = actor
            req.answer_kind = kind
            req.answer_link = link
            req.consultation = consultation
            if req.taken_at is None:
                req.taken_at = now
            req.save(
                update_fields=[
                    "status",
                    "answered_at",
                    "answered_by",
                    "answer_kind",
                    "answer_link",
                    "consultation",
                    "taken_at",
                ]
            )
            message = thread.add_message(
                req, kind=RequestMessage.Kind.ANSWER, author=actor, now=now, text=text
            )
            written = thread.attach(req, checked, by=actor, now=now, message=message)
            record(
                actor=actor,
                action=actions.ANSWERED,
                target=req,
                changes={
                    "status": [before, req.get_status_display()],
                    "answer_kind": req.get_answer_kind_display(),
                    "on_time": now <= req.due_at,
                    "due_at": thread.when(req.due_at),
                    **({"link": link} if link else {}),
                    **({"consultation": str(consultation)} if consultation else {}),
                    "files": [a.name for a in written],
                },
                request=request,
            )
            with thread.school_language():
                thread.tell(
                    [req.author],
                    kind=kinds.ANSWERED,
                    title=_("An answer to your request № %(number)s: %(topic)s")
                    % thread.title_params(req),
                    body=text[:500],
                    req=req,
                    actor=actor,
                )
    except BaseException:
        thread.remove_files(written)
        raise
    return req


def request_redirect(
    *, actor: User, req: Request, to: User, reason: str, request=None
) -> Request:
    """Pass a request on to another staff member, with the reason (shown to the
    requester). The deadline keeps running: the requester waits no longer because
    the school routed the question internally."""
    reason = thread.clean_text(
        reason,
        required_message=_("Say why the request is redirected."),
        limit=thread.REASON_MAX,
    )
    with transaction.atomic():
        req = thread.locked(req)
        if not policies.can_redirect(actor, req):
            raise thread.deny()
        if to is None or not policies.may_receive_requests(to):
            raise DomainError(
                _("A request can be passed on only to a member of staff."),
                code="bad_assignee",
            )
        if to.pk == req.assignee_id:
            raise DomainError(
                _("The request is already with %(person)s.") % {"person": to},
                code="same_assignee",
            )
        now = timezone.now()
        previous = req.assignee
        before = req.get_status_display()
        req.assignee = to
        req.status = Request.Status.REDIRECTED
        req.taken_at = None
        req.reminded_at = None
        req.routing_note = ""
        req.save(
            update_fields=[
                "assignee",
                "status",
                "taken_at",
                "reminded_at",
                "routing_note",
            ]
        )
        thread.add_message(
            req,
            kind=RequestMessage.Kind.REDIRECTED,
            author=actor,
            now=now,
            text=reason,
            to=to,
        )
        record(
            actor=actor,
            action=actions.REDIRECTED,
            target=req,
            changes={
                "assignee": [str(previous), str(to)],
                "status": [before, req.get_status_display()],
                "reason": reason,
            },
            request=request,
        )
        with thread.school_language():
            thread.tell(
                [to],
                kind=kinds.NEW,
                title=_("Request № %(number)s was passed on to you: %(topic)s")
                % thread.title_params(req),
                body=_("Reason: %(reason)s. Answer by %(due)s.")
                % {"reason": reason, "due": thread.when(req.due_at)},
                req=req,
                actor=actor,
            )
            thread.tell(
                [req.author, previous],
                kind=kinds.REDIRECTED,
                title=_("Request № %(number)s was passed on to %(person)s")
                % {**thread.title_params(req), "person": to.full_name},
                body=_("Reason: %(reason)s") % {"reason": reason},
                req=req,
                actor=actor,
            )
    return req
