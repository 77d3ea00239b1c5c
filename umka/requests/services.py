"""Every change to requests («обращения», R9, R13) on the requester's side:
writing one, closing, rating and reopening it. The conversation
(taking, replying, answering, redirecting) is in `answering.py`; who answers and
by when in `routing.py`.

Each checks who may do it (policies) on the row as it is now (locked), validates,
writes inside a transaction, records the audit entry and tells the other side
(notify(); e-mail goes out once the change is committed).
"""

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.core import ratelimit
from umka.core.errors import DomainError
from umka.core.topics import clean_topic, normalise_topic
from umka.notifications.services import notify
from umka.privacy.gate import require_consent
from umka.ratings.services import period_refusal, rating_forget, rating_mirror
from umka.requests import audit_actions as actions
from umka.requests import notification_kinds as kinds
from umka.requests import policies, ratable, routing, selectors, thread
from umka.requests.models import (
    Request,
    RequestAttachment,
    RequestMessage,
    SharedTopicNotice,
)
from umka.school.models import Subject

logger = logging.getLogger(__name__)


# --- Writing a request ------------------------------------------------------------


def request_create(
    *,
    actor: User,
    student: User,
    addressee: str,
    category: str,
    topic: str,
    text: str,
    subject: Subject | None = None,
    preferred_answer: str = "",
    files: Sequence = (),
    request=None,
) -> Request:
    """Write a request (обращение, R9) about `student`: a student about themself, a
    parent about their own child (active link, R3). It goes to the person
    `resolve_assignee` finds and is due in the school's number of working days
    (R13). Several open requests from one class on one topic tell the teacher."""
    if not policies.can_create_for(actor, student):
        raise DomainError(
            _("You may write requests only about yourself or your own child."),
            code="forbidden",
        )
    require_consent(student, actor)
    if category not in Request.Category.values:
        raise DomainError(_("Choose a category."), code="no_category")
    if preferred_answer and preferred_answer not in Request.PreferredAnswer.values:
        raise DomainError(
            _("Choose how you would like to be answered."), code="bad_preference"
        )
    topic = clean_topic(topic)
    if not normalise_topic(topic):
        raise DomainError(_("Say what the request is about."), code="no_topic")
    text = thread.clean_text(text, required_message=_("Write your question."))
    school_class = selectors.class_of(student)
    if subject is not None and subject not in selectors.subjects_of_class(school_class):
        raise DomainError(
            _("«%(subject)s» is not taught in the student's class.")
            % {"subject": subject.name},
            code="bad_subject",
        )
    assignee, note = routing.resolve_assignee(
        addressee=addressee, school_class=school_class, subject=subject
    )
    checked = thread.check_files(files)
    ratelimit.enforce(action="requests.create", who=actor, request=request)
    written: list[RequestAttachment] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            req = Request.objects.create(
                author=actor,
                student=student,
                school_class=school_class,
                addressee=addressee,
                subject=subject,
                category=category,
                topic=topic,
                topic_key=normalise_topic(topic),
                text=text,
                preferred_answer=preferred_answer,
                assignee=assignee,
                routing_note=note,
                created_at=now,
                due_at=routing.due_from(now),
            )
            written = thread.attach(req, checked, by=actor, now=now)
            record(
                actor=actor,
                action=actions.CREATED,
                target=req,
                changes={
                    "student": str(student),
                    "class": str(school_class or ""),
                    "addressee": req.get_addressee_display(),
                    "subject": str(subject or ""),
                    "topic": topic,
                    "assignee": str(assignee),
                    "due_at": thread.when(req.due_at),
                    "files": [a.name for a in written],
                    **({"routing_note": note} if note else {}),
                },
                request=request,
            )
            with thread.school_language():
                thread.tell(
                    [assignee],
                    kind=kinds.NEW,
                    title=_("New request № %(number)s: %(topic)s")
                    % thread.title_params(req),
                    body=_(
                        "From %(author)s about %(student)s (%(class)s). "
                        "Answer by %(due)s."
                    )
                    % {
                        "author": actor.full_name,
                        "student": student.full_name,
                        "class": school_class or "—",
                        "due": thread.when(req.due_at),
                    },
                    req=req,
                    actor=actor,
                )
            _shared_topic_check(req, actor=actor, now=now)
    except BaseException:
        thread.remove_files(written)
        raise
    return req


def _shared_topic_check(req: Request, *, actor: User, now: dt.datetime) -> None:
    """R9: when this request makes REQUESTS_SHARED_TOPIC_THRESHOLD open requests
    from one class on one topic of a subject, the subject's teachers are told —
    once per class, subject and topic (SharedTopicNotice)."""
    if req.subject_id is None or req.school_class_id is None:
        return
    count = selectors.open_requests_on_topic(
        school_class=req.school_class, subject=req.subject, topic=req.topic
    ).count()
    if count < settings.REQUESTS_SHARED_TOPIC_THRESHOLD:
        return
    notice, created = SharedTopicNotice.objects.get_or_create(
        school_class=req.school_class,
        subject=req.subject,
        topic_key=req.topic_key,
        defaults={"topic": req.topic, "request_count": count, "created_at": now},
    )
    if not created:
        return
    teachers = selectors.teachers_of(req.subject, req.school_class)
    record(
        actor=None,
        actor_name=str(routing.SYSTEM_NAME),
        action=actions.SHARED_TOPIC,
        target=notice,
        changes={
            "class": str(req.school_class),
            "subject": req.subject.name,
            "topic": req.topic,
            "open_requests": count,
            "teachers": [str(t) for t in teachers],
        },
    )
    with thread.school_language():
        params = {"count": count, "class": req.school_class, "topic": req.topic}
        title = _("%(class)s: %(count)s requests on «%(topic)s»") % params
        body = _(
            "%(count)s students or parents of %(class)s asked about «%(topic)s» "
            "(%(subject)s). The topic may be worth a group consultation."
        ) % {**params, "subject": req.subject.name}
    if teachers:
        notify(
            recipients=teachers,
            kind=kinds.SHARED_TOPIC,
            title=title,
            body=body,
            url=reverse("requests:list") + "?tab=assigned",
            target=notice,
        )


# --- The requester's side ---------------------------------------------------------


def request_close(*, actor: User, req: Request, request=None) -> Request:
    """Close a request: the author at any time (withdrawing an unanswered one), the
    staff side once it is answered."""
    with transaction.atomic():
        req = thread.locked(req)
        if not policies.can_close(actor, req):
            raise thread.deny()
        now = timezone.now()
        before = req.get_status_display()
        req.status = Request.Status.CLOSED
        req.closed_at = now
        req.closed_by = actor
        req.save(update_fields=["status", "closed_at", "closed_by"])
        thread.add_message(req, kind=RequestMessage.Kind.CLOSED, author=actor, now=now)
        record(
            actor=actor,
            action=actions.CLOSED,
            target=req,
            changes={"status": [before, req.get_status_display()]},
            request=request,
        )
        with thread.school_language():
            thread.tell(
                thread.other_side(req, actor),
                kind=kinds.CLOSED,
                title=_("Request № %(number)s is closed: %(topic)s")
                % thread.title_params(req),
                req=req,
                actor=actor,
                email=False,
            )
    return req


def request_rate(
    *, actor: User, req: Request, rating: int, comment: str = "", request=None
) -> Request:
    """The author rates the answer, 1 to 5, with an optional comment (R13)."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."), code="bad_rating")
    comment = (comment or "").strip()[: thread.REASON_MAX]
    with transaction.atomic():
        req = thread.locked(req)
        refusal = (
            period_refusal(req.answered_at)
            if policies.is_author(actor, req) and req.answered_at and req.rating is None
            else None
        )
        if refusal:
            raise refusal
        if not policies.can_rate(actor, req):
            raise DomainError(
                _("Only the author rates an answer, once it is given, and once."),
                code="forbidden",
            )
        now = timezone.now()
        req.rating = rating
        req.rating_comment = comment
        req.rated_at = now
        req.save(update_fields=["rating", "rating_comment", "rated_at"])
        # The common table of ratings (R13) counts it with the other kinds of help.
        rating_mirror(
            rater=actor,
            item=ratable.as_ratable(req),
            score=rating,
            comment=comment,
            now=now,
        )
        thread.add_message(
            req,
            kind=RequestMessage.Kind.RATED,
            author=actor,
            now=now,
            text=comment,
            rating=rating,
        )
        record(
            actor=actor,
            action=actions.RATED,
            target=req,
            changes={
                "rating": rating,
                "with_comment": bool(comment),
                "answered_by": str(req.answered_by or ""),
            },
            request=request,
        )
        with thread.school_language():
            thread.tell(
                [req.answered_by or req.assignee],
                kind=kinds.RATED,
                title=_("Your answer to request № %(number)s was rated %(rating)s of 5")
                % {**thread.title_params(req), "rating": rating},
                body=comment,
                req=req,
                actor=actor,
            )
    return req


def request_reopen(*, actor: User, req: Request, reason: str, request=None) -> Request:
    """The author reopens an answered (or closed) request — once. It goes back to
    the assignee and the deadline starts again from now (R13)."""
    reason = thread.clean_text(
        reason,
        required_message=_("Say what is still unclear."),
        limit=thread.REASON_MAX,
    )
    with transaction.atomic():
        req = thread.locked(req)
        if not policies.can_reopen(actor, req):
            if policies.is_author(actor, req) and req.reopen_count:
                raise DomainError(
                    _("A request can be reopened only once. Write a new request."),
                    code="reopened_already",
                )
            raise thread.deny()
        now = timezone.now()
        before = {
            "status": req.get_status_display(),
            "due_at": thread.when(req.due_at),
            "rating": req.rating,
        }
        req.status = Request.Status.IN_PROGRESS
        req.reopen_count += 1
        req.due_at = routing.due_from(now)
        req.answered_at = None
        req.answered_by = None
        req.answer_kind = ""
        req.answer_link = ""
        req.consultation = None
        req.closed_at = None
        req.closed_by = None
        req.rating = None
        req.rating_comment = ""
        req.rated_at = None
        rating_forget(kind=ratable.KIND, object_id=req.pk)
        req.reminded_at = None
        req.escalated_at = None
        req.escalated_to = None
        req.taken_at = req.taken_at or now
        req.save()
        thread.add_message(
            req, kind=RequestMessage.Kind.REOPENED, author=actor, now=now, text=reason
        )
        record(
            actor=actor,
            action=actions.REOPENED,
            target=req,
            changes={
                "status": [before["status"], req.get_status_display()],
                "due_at": [before["due_at"], thread.when(req.due_at)],
                "rating": [before["rating"], None],
            },
            request=request,
        )
        with thread.school_language():
            thread.tell(
                [req.assignee],
                kind=kinds.REOPENED,
                title=_("Request № %(number)s was reopened: %(topic)s")
                % thread.title_params(req),
                body=_("%(reason)s\n\nAnswer by %(due)s.")
                % {"reason": reason, "due": thread.when(req.due_at)},
                req=req,
                actor=actor,
            )
    return req
