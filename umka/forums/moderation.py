"""Moderation of forums (R6, R13): hide a post with a reason its author reads,
show it again, close or reopen a thread, pin an announcement, move a thread to
another forum one moderates, and readers' reports of inappropriate posts.

Two moderators at once: a post or thread carries a `version`; the second is
told who changed it and nothing of theirs is stored."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.forums import audit_actions as actions
from umka.forums import live, policies
from umka.forums import notification_kinds as kinds
from umka.forums.models import Post, Report, Thread
from umka.forums.services import _locked_post
from umka.notifications.services import notify

REASON_MAX = 300


def _deny() -> DomainError:
    return DomainError(_("Only the forum's moderators may do this."), code="forbidden")


def _reason(text: str, *, what) -> str:
    reason = " ".join((text or "").split())[:REASON_MAX]
    if not reason:
        raise DomainError(what, code="reason")
    return reason


def post_hide(*, actor, post: Post, version: int, reason: str, request=None) -> Post:
    """Hide a post with a reason shown to its author; open reports of it are
    resolved."""
    reason = _reason(reason, what=_("Say why the message is hidden."))
    with transaction.atomic():
        current = _locked_post(post, version)
        if not policies.can_moderate(actor, current.thread.forum):
            raise _deny()
        if current.is_hidden:
            raise DomainError(_("The message is already hidden."), code="stale")
        now = clock.now()
        current.hidden_at, current.hidden_by, current.hide_reason = now, actor, reason
        current.version += 1
        current.save(update_fields=["hidden_at", "hidden_by", "hide_reason", "version"])
        Report.objects.filter(post=current, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )
        record(
            actor=actor,
            action=actions.HIDDEN,
            target=current,
            changes={"reason": reason, "author": current.author.full_name},
            request=request,
        )
        if current.author_id != actor.pk:
            with translation.override(settings.LANGUAGE_CODE):
                notify(
                    recipients=[current.author],
                    kind=kinds.MODERATED,
                    title=_("Your message in «%(thread)s» is hidden by a moderator")
                    % {"thread": current.thread.title},
                    body=reason,
                    url=reverse("forums:post", args=[current.pk]),
                    actor=actor,
                    target=current,
                    email=False,
                )
        live.post_changed(current)
    return current


def post_show(*, actor, post: Post, version: int, request=None) -> Post:
    with transaction.atomic():
        current = _locked_post(post, version)
        if not policies.can_moderate(actor, current.thread.forum):
            raise _deny()
        if not current.is_hidden:
            raise DomainError(_("The message is not hidden."), code="stale")
        current.hidden_at, current.hidden_by, current.hide_reason = None, None, ""
        current.version += 1
        current.save(update_fields=["hidden_at", "hidden_by", "hide_reason", "version"])
        record(actor=actor, action=actions.SHOWN, target=current, request=request)
        live.post_changed(current)
    return current


def _locked_thread(thread: Thread, version, actor) -> Thread:
    current = (
        Thread.objects.select_for_update(of=("self",))
        .select_related(
            "forum", "forum__space", "forum__school_class", "locked_by", "author"
        )
        .get(pk=thread.pk)
    )
    if not policies.can_moderate(actor, current.forum):
        raise _deny()
    if version is not None and current.version != int(version):
        raise DomainError(
            _(
                "Another moderator has just changed this thread. Open it again to "
                "see it; nothing of yours was saved."
            ),
            code="stale",
        )
    return current


def thread_lock(
    *, actor, thread: Thread, version: int, locked: bool, request=None
) -> Thread:
    """Close a thread to replies (or reopen it)."""
    with transaction.atomic():
        current = _locked_thread(thread, version, actor)
        if current.is_locked == locked:
            return current
        current.locked_at = clock.now() if locked else None
        current.locked_by = actor if locked else None
        current.version += 1
        current.save(update_fields=["locked_at", "locked_by", "version"])
        record(
            actor=actor,
            action=actions.LOCKED if locked else actions.UNLOCKED,
            target=current,
            request=request,
        )
        live.thread_changed(current)
    return current


def thread_pin(
    *, actor, thread: Thread, version: int, pinned: bool, request=None
) -> Thread:
    """Make a thread an announcement at the top of the forum (or not)."""
    with transaction.atomic():
        current = _locked_thread(thread, version, actor)
        current.pinned = pinned
        current.version += 1
        current.save(update_fields=["pinned", "version"])
        record(
            actor=actor,
            action=actions.PINNED,
            target=current,
            changes={"pinned": pinned},
            request=request,
        )
    return current


def thread_move(*, actor, thread: Thread, version: int, to, request=None) -> Thread:
    """Move a thread to another forum the moderator moderates, of the same
    kind (a course forum's thread never lands among parents)."""
    with transaction.atomic():
        current = _locked_thread(thread, version, actor)
        if to.pk == current.forum_id:
            return current
        if to.kind != current.forum.kind or not policies.can_moderate(actor, to):
            raise DomainError(
                _(
                    "A thread moves only to another forum of the same kind "
                    "that you moderate."
                ),
                code="forbidden",
            )
        before = current.forum
        current.moved_from, current.forum = before, to
        current.version += 1
        current.save(update_fields=["moved_from", "forum", "version"])
        record(
            actor=actor,
            action=actions.MOVED,
            target=current,
            changes={"forum": [str(before), str(to)]},
            request=request,
        )
        live.thread_changed(current)
    return current


def post_report(*, actor, post: Post, reason: str, request=None) -> Report:
    """A reader reports a post; the moderators are told in-app."""
    reason = _reason(reason, what=_("Say what is wrong with the message."))
    if post.author_id == actor.pk:
        raise DomainError(_("You cannot report your own message."), code="own")
    forum = post.thread.forum
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post=post, reporter=actor, reason=reason, created_at=clock.now()
            )
            record(
                actor=actor,
                action=actions.REPORTED,
                target=post,
                changes={"reason": reason},
                request=request,
            )
            with translation.override(settings.LANGUAGE_CODE):
                notify(
                    recipients=moderators_of(forum),
                    kind=kinds.REPORTED,
                    title=_("A message in «%(thread)s» is reported: %(reason)s")
                    % {"thread": post.thread.title, "reason": reason},
                    url=reverse("forums:post", args=[post.pk]),
                    actor=actor,
                    target=post,
                    email=False,
                )
    except IntegrityError:
        raise DomainError(
            _("You have already reported this message."), code="duplicate"
        ) from None
    return report


def report_dismiss(*, actor, report: Report, request=None) -> Report:
    """The moderator finds nothing wrong: the report is closed."""
    with transaction.atomic():
        current = (
            Report.objects.select_for_update(of=("self",))
            .select_related("post__thread__forum")
            .get(pk=report.pk)
        )
        if not policies.can_moderate(actor, current.post.thread.forum):
            raise _deny()
        if current.resolved_at is None:
            current.resolved_at, current.resolved_by = clock.now(), actor
            current.save(update_fields=["resolved_at", "resolved_by"])
            record(
                actor=actor,
                action=actions.REPORT_DISMISSED,
                target=current.post,
                request=request,
            )
    return current


def moderators_of(forum) -> list:
    """Who moderates a forum: the space's teachers or the class teacher (the
    overseers read the reports on the forum's page)."""
    if forum.kind == forum.Kind.SPACE:
        return [link.teacher for link in forum.space.teacher_links.all()]
    teacher = forum.school_class.class_teacher
    return [teacher] if teacher else []
