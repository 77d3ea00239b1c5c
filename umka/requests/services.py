"""Every change to requests («обращения», R9, R13) goes through these functions.

Each checks who may do it (policies) on the row as it is now (locked), validates,
writes inside a transaction, records the audit entry and tells the other side
(notify(); e-mail goes out once the change is committed).
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.accounts.models import User
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.topics import clean_topic, normalise_topic
from umka.core.uploads import check_upload
from umka.notifications.services import notify
from umka.requests import audit_actions as actions
from umka.requests import notification_kinds as kinds
from umka.requests import policies, selectors
from umka.requests.models import (
    Request,
    RequestAttachment,
    RequestMessage,
    SharedTopicNotice,
)
from umka.school.calendar import add_working_days
from umka.school.models import SchoolClass, Subject
from umka.school.selectors import current_school

logger = logging.getLogger(__name__)

#: Days to answer when no school is set up (School.request_response_days).
DEFAULT_RESPONSE_DAYS = 3
#: Files with one message.
MAX_FILES = 5
TEXT_MAX = 5000
REASON_MAX = 1000
#: Who Umka's own actions (reminders, escalation) are recorded as.
SYSTEM_NAME = gettext_lazy("Umka (automatically)")


# --- Helpers ----------------------------------------------------------------------


def _deny() -> DomainError:
    return DomainError(_("You may not do this with this request."), code="forbidden")


def response_days() -> int:
    school = current_school()
    return school.request_response_days if school else DEFAULT_RESPONSE_DAYS


def due_from(moment: dt.datetime) -> dt.datetime:
    """R13: the answer is due `School.request_response_days` working days after
    `moment` (weekends and holidays are not counted; the school's clock)."""
    return add_working_days(clock.local(moment), response_days())


def _school_language():
    """Notices are written in the school's language, whoever caused them."""
    return translation.override(settings.LANGUAGE_CODE)


def _when(moment: dt.datetime) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def _locked(req: Request) -> Request:
    """The request as it is now, locked until the transaction ends: two people
    acting at once see each other's change (reopen once, answer once)."""
    return Request.objects.select_for_update().get(pk=req.pk)


def _text(value: str, *, required_message: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(required_message, code="required")
    if len(value) > limit:
        raise DomainError(
            _("The text is too long: at most %(limit)s characters.") % {"limit": limit},
            code="too_long",
        )
    return value


def _check_files(files: Sequence) -> list[tuple[object, str]]:
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        raise DomainError(
            _("At most %(count)s files can be attached at once.")
            % {"count": MAX_FILES},
            code="too_many_files",
        )
    return [(f, check_upload(f)) for f in files]


def _attach(
    req: Request,
    checked: list[tuple[object, str]],
    *,
    by: User,
    now: dt.datetime,
    message: RequestMessage | None = None,
) -> list[RequestAttachment]:
    saved = []
    for upload, name in checked:
        upload.seek(0)
        attachment = RequestAttachment(
            request=req,
            message=message,
            name=name,
            size=upload.size,
            uploaded_by=by,
            uploaded_at=now,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _message(
    req: Request,
    *,
    kind: str,
    author: User | None,
    now: dt.datetime,
    text: str = "",
    to: User | None = None,
    rating: int | None = None,
) -> RequestMessage:
    return RequestMessage.objects.create(
        request=req,
        kind=kind,
        author=author,
        text=text,
        to=to,
        rating=rating,
        created_at=now,
    )


def _tell(
    recipients: Iterable[User | None],
    *,
    kind: str,
    title,
    body="",
    req: Request,
    actor: User | None,
    email: bool = True,
) -> None:
    people = [p for p in recipients if p is not None and p != actor]
    if people:
        notify(
            recipients=people,
            kind=kind,
            title=title,
            body=body,
            url=req.get_absolute_url(),
            actor=actor,
            target=req,
            email=email,
        )


def _staff_side(req: Request) -> list[User]:
    return [req.assignee, req.escalated_to]


def _other_side(req: Request, actor: User) -> list[User]:
    """Whom to tell: the staff side when the author acts, else the author (and the
    assignee, when someone else on the staff side acts)."""
    if actor.pk == req.author_id:
        return _staff_side(req)
    return [req.author, req.assignee]


def _title_params(req: Request) -> dict[str, str]:
    return {"number": str(req.pk), "topic": req.topic}


# --- Who answers ------------------------------------------------------------------


def resolve_assignee(
    *, addressee: str, school_class: SchoolClass | None, subject: Subject | None
) -> tuple[User, str]:
    """The person a request goes to, and a note when the choice needs explaining.

    Subject teacher: who teaches the subject in the student's class (several: the
    first by name, and the note says so). Class teacher: the class's. The
    administration: the deputy head with the fewest open requests.
    """
    if addressee == Request.Addressee.SUBJECT_TEACHER:
        if subject is None:
            raise DomainError(
                _("Choose the subject the question is about."), code="no_subject"
            )
        if school_class is None:
            raise DomainError(
                _(
                    "The student is not in any class now, so there is no subject "
                    "teacher to write to. Write to the school administration."
                ),
                code="no_class",
            )
        teachers = selectors.teachers_of(subject, school_class)
        if not teachers:
            raise DomainError(
                _(
                    "Nobody teaches «%(subject)s» in %(class)s. Write to the class "
                    "teacher or to the school administration."
                )
                % {"subject": subject.name, "class": school_class},
                code="no_teacher",
            )
        note = ""
        if len(teachers) > 1:
            with _school_language():
                note = _(
                    "«%(subject)s» in %(class)s is taught by %(teachers)s; the "
                    "request went to the first by name."
                ) % {
                    "subject": subject.name,
                    "class": school_class,
                    "teachers": ", ".join(t.short_name for t in teachers),
                }
        return teachers[0], note
    if addressee == Request.Addressee.CLASS_TEACHER:
        if school_class is None:
            raise DomainError(
                _(
                    "The student is not in any class now. Write to the school "
                    "administration."
                ),
                code="no_class",
            )
        teacher = school_class.class_teacher
        if teacher is None or not teacher.is_active:
            raise DomainError(
                _(
                    "%(class)s has no class teacher. Write to a subject teacher or to "
                    "the school administration."
                )
                % {"class": school_class},
                code="no_class_teacher",
            )
        return teacher, ""
    if addressee == Request.Addressee.ADMINISTRATION:
        deputies = selectors.deputies_by_load()
        if not deputies:
            raise DomainError(
                _(
                    "The school has no deputy head in Umka to answer requests. Write "
                    "to the class teacher."
                ),
                code="no_deputy",
            )
        return deputies[0], ""
    raise DomainError(_("Choose whom the request is for."), code="no_addressee")


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
    if category not in Request.Category.values:
        raise DomainError(_("Choose a category."), code="no_category")
    if preferred_answer and preferred_answer not in Request.PreferredAnswer.values:
        raise DomainError(
            _("Choose how you would like to be answered."), code="bad_preference"
        )
    topic = clean_topic(topic)
    if not normalise_topic(topic):
        raise DomainError(_("Say what the request is about."), code="no_topic")
    text = _text(text, required_message=_("Write your question."))
    school_class = selectors.class_of(student)
    if subject is not None and subject not in selectors.subjects_of_class(school_class):
        raise DomainError(
            _("«%(subject)s» is not taught in the student's class.")
            % {"subject": subject.name},
            code="bad_subject",
        )
    assignee, note = resolve_assignee(
        addressee=addressee, school_class=school_class, subject=subject
    )
    checked = _check_files(files)
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
                due_at=due_from(now),
            )
            written = _attach(req, checked, by=actor, now=now)
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
                    "due_at": _when(req.due_at),
                    "files": [a.name for a in written],
                    **({"routing_note": note} if note else {}),
                },
                request=request,
            )
            with _school_language():
                _tell(
                    [assignee],
                    kind=kinds.NEW,
                    title=_("New request № %(number)s: %(topic)s") % _title_params(req),
                    body=_(
                        "From %(author)s about %(student)s (%(class)s). "
                        "Answer by %(due)s."
                    )
                    % {
                        "author": actor.full_name,
                        "student": student.full_name,
                        "class": school_class or "—",
                        "due": _when(req.due_at),
                    },
                    req=req,
                    actor=actor,
                )
            _shared_topic_check(req, actor=actor, now=now)
    except BaseException:
        _remove_files(written)
        raise
    return req


def _remove_files(attachments: Iterable[RequestAttachment]) -> None:
    """Files are written before the transaction commits; a rollback must not leave
    them behind."""
    for attachment in attachments:
        try:
            attachment.file.storage.delete(attachment.file.name)
        except OSError:
            logger.warning("Could not delete %s", attachment.file.name)


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
        actor_name=str(SYSTEM_NAME),
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
    with _school_language():
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


# --- The staff side ---------------------------------------------------------------


def request_take(*, actor: User, req: Request, request=None) -> Request:
    """The assignee takes a new (or redirected) request into work."""
    with transaction.atomic():
        req = _locked(req)
        if not policies.can_take(actor, req):
            raise _deny()
        now = timezone.now()
        before = req.get_status_display()
        req.status = Request.Status.IN_PROGRESS
        req.taken_at = now
        req.save(update_fields=["status", "taken_at"])
        _message(req, kind=RequestMessage.Kind.TAKEN, author=actor, now=now)
        record(
            actor=actor,
            action=actions.TAKEN,
            target=req,
            changes={"status": [before, req.get_status_display()]},
            request=request,
        )
        with _school_language():
            _tell(
                [req.author],
                kind=kinds.TAKEN,
                title=_("Request № %(number)s is being worked on: %(topic)s")
                % _title_params(req),
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
    checked = _check_files(files)
    written: list[RequestAttachment] = []
    try:
        with transaction.atomic():
            req = _locked(req)
            if not policies.can_reply(actor, req):
                raise _deny()
            if checked and not (text or "").strip():
                text = "—"
            text = _text(text, required_message=_("Write a message."))
            now = timezone.now()
            if actor.pk == req.assignee_id and req.status in (
                Request.Status.NEW,
                Request.Status.REDIRECTED,
            ):
                req.status = Request.Status.IN_PROGRESS
                req.taken_at = now
                req.save(update_fields=["status", "taken_at"])
            message = _message(
                req, kind=RequestMessage.Kind.MESSAGE, author=actor, now=now, text=text
            )
            written = _attach(req, checked, by=actor, now=now, message=message)
            record(
                actor=actor,
                action=actions.REPLIED,
                target=req,
                # The words stay in the thread: the trail says who wrote, when.
                changes={"message": message.pk, "files": [a.name for a in written]},
                request=request,
            )
            with _school_language():
                _tell(
                    _other_side(req, actor),
                    kind=kinds.MESSAGE,
                    title=_("A new message about request № %(number)s: %(topic)s")
                    % _title_params(req),
                    body=text[:500],
                    req=req,
                    actor=actor,
                )
    except BaseException:
        _remove_files(written)
        raise
    return message


def _answer_text(kind: str, text: str, consultation, link: str) -> str:
    if kind == Request.AnswerKind.GROUP and not text.strip():
        session = selectors.next_session(consultation)
        with _school_language():
            if session is None:
                return _(
                    "Your question will be taken up at the group consultation "
                    "«%(consultation)s»."
                ) % {"consultation": consultation}
            return _(
                "Your question will be taken up at the group consultation "
                "«%(consultation)s», next session %(when)s."
            ) % {"consultation": consultation, "when": _when(session.starts_at)}
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
        text = _text(
            text,
            required_message=_("Write the answer.")
            if kind == Request.AnswerKind.WRITTEN
            else _("Write when and where the consultation takes place."),
        )
    checked = _check_files(files)
    written: list[RequestAttachment] = []
    try:
        with transaction.atomic():
            req = _locked(req)
            if not policies.can_answer(actor, req):
                raise _deny()
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
            message = _message(
                req, kind=RequestMessage.Kind.ANSWER, author=actor, now=now, text=text
            )
            written = _attach(req, checked, by=actor, now=now, message=message)
            record(
                actor=actor,
                action=actions.ANSWERED,
                target=req,
                changes={
                    "status": [before, req.get_status_display()],
                    "answer_kind": req.get_answer_kind_display(),
                    "on_time": now <= req.due_at,
                    "due_at": _when(req.due_at),
                    **({"link": link} if link else {}),
                    **({"consultation": str(consultation)} if consultation else {}),
                    "files": [a.name for a in written],
                },
                request=request,
            )
            with _school_language():
                _tell(
                    [req.author],
                    kind=kinds.ANSWERED,
                    title=_("An answer to your request № %(number)s: %(topic)s")
                    % _title_params(req),
                    body=text[:500],
                    req=req,
                    actor=actor,
                )
    except BaseException:
        _remove_files(written)
        raise
    return req


def request_redirect(
    *, actor: User, req: Request, to: User, reason: str, request=None
) -> Request:
    """Pass a request on to another staff member, with the reason (shown to the
    requester). The deadline keeps running: the requester waits no longer because
    the school routed the question internally."""
    reason = _text(
        reason,
        required_message=_("Say why the request is redirected."),
        limit=REASON_MAX,
    )
    with transaction.atomic():
        req = _locked(req)
        if not policies.can_redirect(actor, req):
            raise _deny()
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
        _message(
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
        with _school_language():
            _tell(
                [to],
                kind=kinds.NEW,
                title=_("Request № %(number)s was passed on to you: %(topic)s")
                % _title_params(req),
                body=_("Reason: %(reason)s. Answer by %(due)s.")
                % {"reason": reason, "due": _when(req.due_at)},
                req=req,
                actor=actor,
            )
            _tell(
                [req.author, previous],
                kind=kinds.REDIRECTED,
                title=_("Request № %(number)s was passed on to %(person)s")
                % {**_title_params(req), "person": to.full_name},
                body=_("Reason: %(reason)s") % {"reason": reason},
                req=req,
                actor=actor,
            )
    return req


# --- The requester's side ---------------------------------------------------------


def request_close(*, actor: User, req: Request, request=None) -> Request:
    """Close a request: the author at any time (withdrawing an unanswered one), the
    staff side once it is answered."""
    with transaction.atomic():
        req = _locked(req)
        if not policies.can_close(actor, req):
            raise _deny()
        now = timezone.now()
        before = req.get_status_display()
        req.status = Request.Status.CLOSED
        req.closed_at = now
        req.closed_by = actor
        req.save(update_fields=["status", "closed_at", "closed_by"])
        _message(req, kind=RequestMessage.Kind.CLOSED, author=actor, now=now)
        record(
            actor=actor,
            action=actions.CLOSED,
            target=req,
            changes={"status": [before, req.get_status_display()]},
            request=request,
        )
        with _school_language():
            _tell(
                _other_side(req, actor),
                kind=kinds.CLOSED,
                title=_("Request № %(number)s is closed: %(topic)s")
                % _title_params(req),
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
    comment = (comment or "").strip()[:REASON_MAX]
    with transaction.atomic():
        req = _locked(req)
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
        _message(
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
        with _school_language():
            _tell(
                [req.answered_by or req.assignee],
                kind=kinds.RATED,
                title=_("Your answer to request № %(number)s was rated %(rating)s of 5")
                % {**_title_params(req), "rating": rating},
                body=comment,
                req=req,
                actor=actor,
            )
    return req


def request_reopen(*, actor: User, req: Request, reason: str, request=None) -> Request:
    """The author reopens an answered (or closed) request — once. It goes back to
    the assignee and the deadline starts again from now (R13)."""
    reason = _text(
        reason,
        required_message=_("Say what is still unclear."),
        limit=REASON_MAX,
    )
    with transaction.atomic():
        req = _locked(req)
        if not policies.can_reopen(actor, req):
            if policies.is_author(actor, req) and req.reopen_count:
                raise DomainError(
                    _("A request can be reopened only once. Write a new request."),
                    code="reopened_already",
                )
            raise _deny()
        now = timezone.now()
        before = {
            "status": req.get_status_display(),
            "due_at": _when(req.due_at),
            "rating": req.rating,
        }
        req.status = Request.Status.IN_PROGRESS
        req.reopen_count += 1
        req.due_at = due_from(now)
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
        req.reminded_at = None
        req.escalated_at = None
        req.escalated_to = None
        req.taken_at = req.taken_at or now
        req.save()
        _message(
            req, kind=RequestMessage.Kind.REOPENED, author=actor, now=now, text=reason
        )
        record(
            actor=actor,
            action=actions.REOPENED,
            target=req,
            changes={
                "status": [before["status"], req.get_status_display()],
                "due_at": [before["due_at"], _when(req.due_at)],
                "rating": [before["rating"], None],
            },
            request=request,
        )
        with _school_language():
            _tell(
                [req.assignee],
                kind=kinds.REOPENED,
                title=_("Request № %(number)s was reopened: %(topic)s")
                % _title_params(req),
                body=_("%(reason)s\n\nAnswer by %(due)s.")
                % {"reason": reason, "due": _when(req.due_at)},
                req=req,
                actor=actor,
            )
    return req


# --- Deadlines: reminders and escalation (R13), run by tasks.py every 15 minutes --


def requests_remind(now: dt.datetime | None = None) -> int:
    """Remind each assignee once (`reminded_at`) about an open request due within
    one working day. Returns how many reminders were sent."""
    now = now or timezone.now()
    horizon = add_working_days(clock.local(now), 1)
    due = (
        Request.objects.filter(
            status__in=Request.OPEN_STATUSES,
            reminded_at__isnull=True,
            due_at__gt=now,
            due_at__lte=horizon,
        )
        .select_related("assignee")
        .order_by("due_at", "pk")
    )
    sent = 0
    for req in due:
        with transaction.atomic():
            # Claimed with one conditional UPDATE: two workers never both remind.
            claimed = Request.objects.filter(
                pk=req.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            with _school_language():
                _tell(
                    [req.assignee],
                    kind=kinds.REMINDER,
                    title=_("Answer request № %(number)s by %(due)s: %(topic)s")
                    % {**_title_params(req), "due": _when(req.due_at)},
                    req=req,
                    actor=None,
                )
            sent += 1
    return sent


def escalation_deputy(req: Request) -> User | None:
    """Who an overdue request goes up to: the deputy head with the fewest open
    requests (not the assignee); failing one, the director."""
    deputies = selectors.deputies_by_load(exclude=[req.assignee_id])
    if deputies:
        return deputies[0]
    directors = [d for d in selectors.directors() if d.pk != req.assignee_id]
    return directors[0] if directors else None


def requests_escalate(now: dt.datetime | None = None) -> int:
    """R13: an open request past its due time goes up to a deputy head once
    (`escalated_at`, `escalated_to`), is recorded in the audit trail, and the
    deputy and the assignee are told. Returns how many were escalated."""
    now = now or timezone.now()
    overdue = (
        Request.objects.filter(
            status__in=Request.OPEN_STATUSES,
            escalated_at__isnull=True,
            due_at__lte=now,
        )
        .select_related("assignee")
        .order_by("due_at", "pk")
    )
    escalated = 0
    for req in overdue:
        deputy = escalation_deputy(req)
        if deputy is None:
            logger.warning("Request %s is overdue and nobody to escalate to", req.pk)
            continue
        with transaction.atomic():
            claimed = Request.objects.filter(
                pk=req.pk,
                escalated_at__isnull=True,
                status__in=Request.OPEN_STATUSES,
            ).update(escalated_at=now, escalated_to=deputy)
            if not claimed:
                continue
            req.escalated_at, req.escalated_to = now, deputy
            with _school_language():
                _message(
                    req,
                    kind=RequestMessage.Kind.ESCALATED,
                    author=None,
                    now=now,
                    to=deputy,
                )
                record(
                    actor=None,
                    actor_name=str(SYSTEM_NAME),
                    action=actions.ESCALATED,
                    target=req,
                    changes={
                        "escalated_to": str(deputy),
                        "assignee": str(req.assignee),
                        "due_at": _when(req.due_at),
                        "status": req.get_status_display(),
                    },
                )
                _tell(
                    [deputy, req.assignee],
                    kind=kinds.ESCALATED,
                    title=_("Request № %(number)s is overdue: %(topic)s")
                    % _title_params(req),
                    body=_(
                        "It was due %(due)s and is not answered. Assignee: "
                        "%(assignee)s. Under the control of: %(deputy)s."
                    )
                    % {
                        "due": _when(req.due_at),
                        "assignee": req.assignee.full_name,
                        "deputy": deputy.full_name,
                    },
                    req=req,
                    actor=None,
                )
            escalated += 1
    return escalated
