"""Writing in forums (R6): the forum of a space or a class, threads, replies
with quoting and files, subscriptions. Each checks the policy, validates,
writes in a transaction, is audited, and tells open pages on commit.

A reply carries a token: pressing «Отправить» twice, or sending again after a
dropped connection, stores it once — the thread's row is locked while a post is
written, and the token is looked up under that lock (and is unique)."""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from umka.assignments.services import check_text
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.courses.services import images_in
from umka.forums import audit_actions as actions
from umka.forums import live, policies
from umka.forums import notification_kinds as kinds
from umka.forums.models import Forum, Post, PostFile, Subscription, Thread
from umka.notifications.services import notify

TITLE_MAX = 200
POST_MAX = 10_000
MAX_FILES = 5


def _deny() -> DomainError:
    return DomainError(_("You may not do this in this forum."), code="forbidden")


def _get_or_create(**where) -> Forum:
    forum = Forum.objects.filter(**where).first()
    if forum is not None:
        return forum
    try:
        with transaction.atomic():
            return Forum.objects.create(**where)
    except IntegrityError:  # made at the same moment by another request
        return Forum.objects.get(**where)


def forum_of_space(space) -> Forum:
    """The course forum of a space (made on first use)."""
    return _get_or_create(kind=Forum.Kind.SPACE, space=space)


def forum_of_class(school_class) -> Forum:
    """The parents' forum of a class (made on first use)."""
    return _get_or_create(kind=Forum.Kind.PARENTS, school_class=school_class)


def _token(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise DomainError(
            _("The form is out of date: open the page again."), code="token"
        ) from None


def _body(text: str) -> str:
    body = check_text(text, what=_("The message"), limit=POST_MAX)
    if not body:
        raise DomainError(_("Write the message."), code="required")
    return body


def _files(files) -> list[tuple]:
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise DomainError(
            _("At most %(n)s files in a message.") % {"n": MAX_FILES}, code="too_many"
        )
    return [(f, check_upload(f)) for f in files]


def _write_post(*, actor, thread, token, body, quote, files, now) -> Post:
    post = Post.objects.create(
        thread=thread,
        author=actor,
        token=token,
        body=body,
        quote_of=quote,
        created_at=now,
    )
    for upload, name in files:
        PostFile.objects.create(post=post, file=upload, name=name)
    if thread.forum.kind == Forum.Kind.SPACE and "/courses/images/" in body:
        post.images.set(images_in(thread.forum.space, body))
    Thread.objects.filter(pk=thread.pk).update(
        posts_count=F("posts_count") + 1, last_post_at=now
    )
    live.post_added(post)
    return post


def thread_create(
    *,
    actor,
    forum: Forum,
    token,
    title: str,
    body: str,
    pinned: bool = False,
    files=(),
    request=None,
) -> Thread:
    """A new thread with its first post; a moderator's may be a pinned
    announcement. The author follows it (the digest)."""
    token = _token(token)
    title = " ".join((title or "").split())[:TITLE_MAX]
    if not title:
        raise DomainError(_("Give the thread a title."), code="required")
    body = _body(body)
    files = _files(files)
    try:
        return _new_thread(
            actor=actor,
            forum=forum,
            token=token,
            title=title,
            body=body,
            pinned=pinned,
            files=files,
            request=request,
        )
    except IntegrityError:
        # The same token committed by a parallel request just now: its thread.
        same = Post.objects.filter(token=token, author=actor).first()
        if same is None:
            raise
        return same.thread


def _new_thread(*, actor, forum, token, title, body, pinned, files, request):
    with transaction.atomic():
        same = Post.objects.filter(token=token).select_related("thread").first()
        if same is not None and same.author_id == actor.pk:
            return same.thread
        if not policies.can_post(actor, forum):
            raise _deny()
        if pinned and not policies.can_moderate(actor, forum):
            raise DomainError(
                _("Only the teacher pins announcements."), code="forbidden"
            )
        now = clock.now()
        thread = Thread.objects.create(
            forum=forum,
            title=title,
            author=actor,
            created_at=now,
            last_post_at=now,
            pinned=pinned,
        )
        post = _write_post(
            actor=actor,
            thread=thread,
            token=token,
            body=body,
            quote=None,
            files=files,
            now=now,
        )
        Subscription.objects.get_or_create(
            user=actor, thread=thread, defaults={"created_at": now}
        )
        if pinned:
            _announce(thread, actor)
        record(
            actor=actor,
            action=actions.THREAD_CREATED,
            target=thread,
            changes={"title": title, "pinned": pinned, "post": post.pk},
            request=request,
        )
    thread.refresh_from_db()
    return thread


def post_reply(
    *,
    actor,
    thread: Thread,
    token,
    body: str,
    quote: Post | None = None,
    files=(),
    request=None,
) -> Post:
    """A reply (quoting a post of the thread, with files). A closed thread
    refuses with the reason; the same token stores the reply once."""
    token = _token(token)
    body = _body(body)
    files = _files(files)
    # Who may post does not change with the thread's lock: checked before it,
    # so the lock is held only for what races (closing, the token, the count).
    if not policies.can_post(actor, thread.forum):
        raise _deny()
    try:
        with transaction.atomic():
            current = (
                Thread.objects.select_for_update(of=("self",))
                .select_related("forum", "forum__space", "forum__school_class")
                .get(pk=thread.pk)
            )
            same = Post.objects.filter(token=token).first()
            if same is not None:
                if same.author_id != actor.pk or same.thread_id != current.pk:
                    raise DomainError(
                        _("The form is out of date: open the page again."),
                        code="token",
                    )
                return same
            if current.forum_id != thread.forum_id:
                raise DomainError(
                    _("The thread has just moved: open it again."), code="moved"
                )
            if current.is_locked:
                raise DomainError(
                    _("The thread is closed: replies are no longer accepted."),
                    code="locked",
                )
            if quote is not None and (quote.thread_id != current.pk or quote.is_hidden):
                raise DomainError(
                    _("The quoted message is not in this thread."), code="quote"
                )
            post = _write_post(
                actor=actor,
                thread=current,
                token=token,
                body=body,
                quote=quote,
                files=files,
                now=clock.now(),
            )
            record(
                actor=actor,
                action=actions.POSTED,
                target=post,
                changes={"thread": current.pk, "quote": quote.pk if quote else None},
                request=request,
            )
    except IntegrityError:
        # The same token committed by a parallel request just now: that one.
        same = Post.objects.filter(token=token, author=actor).first()
        if same is None:
            raise
        return same
    return post


def post_edit(*, actor, post: Post, version: int, body: str, request=None) -> Post:
    """The author corrects their post (not hidden, thread open), or a moderator
    edits any; a moderator's edit keeps the text before in the audit trail."""
    body = _body(body)
    with transaction.atomic():
        current = _locked_post(post, version)
        forum = current.thread.forum
        moderates = policies.can_moderate(actor, forum)
        if not policies.can_edit_post(actor, current, moderates):
            if current.thread.is_locked:
                raise DomainError(
                    _("The thread is closed: its messages no longer change."),
                    code="locked",
                )
            raise _deny()
        before = current.body
        current.body = body
        current.edited_at, current.edited_by = clock.now(), actor
        current.version += 1
        current.save(update_fields=["body", "edited_at", "edited_by", "version"])
        if forum.kind == Forum.Kind.SPACE:
            current.images.set(images_in(forum.space, body))
        record(
            actor=actor,
            action=actions.EDITED,
            target=current,
            changes={
                "by_moderator": current.author_id != actor.pk,
                "body": [before, body] if current.author_id != actor.pk else "",
            },
            request=request,
        )
        live.post_changed(current)
    return current


def _locked_post(post: Post, version) -> Post:
    """The post locked for a change; a stale `version` (someone changed it
    meanwhile — two moderators at once) is refused naming who."""
    current = (
        Post.objects.select_for_update(of=("self",))
        .select_related(
            "thread",
            "thread__forum",
            "thread__forum__space",
            "thread__forum__school_class",
            "edited_by",
            "hidden_by",
        )
        .get(pk=post.pk)
    )
    if version is not None and current.version != int(version):
        who = current.hidden_by or current.edited_by or current.author
        raise DomainError(
            _(
                "%(who)s has just changed this message. Open the thread again to "
                "see it; nothing of yours was saved."
            )
            % {"who": who.full_name},
            code="stale",
        )
    return current


def _announce(thread: Thread, actor) -> None:
    """A pinned announcement reaches the forum's readers in-app at once (and
    their digest)."""
    from umka.forums.selectors import members_of

    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=members_of(thread.forum).exclude(pk=actor.pk),
            kind=kinds.ANNOUNCEMENT,
            title=_("Announcement: %(title)s") % {"title": thread.title},
            url=reverse("forums:thread", args=[thread.pk]),
            actor=actor,
            target=thread,
            email=False,
        )


def subscription_toggle(*, actor, forum=None, thread=None, request=None) -> bool:
    """Follow a thread or a forum, or stop; returns whether one follows now."""
    place = forum or thread.forum
    if not policies.forums_visible_to(actor).filter(pk=place.pk).exists():
        raise _deny()
    with transaction.atomic():
        found = Subscription.objects.filter(user=actor, forum=forum, thread=thread)
        if found.exists():
            found.delete()
            following = False
        else:
            Subscription.objects.create(
                user=actor, forum=forum, thread=thread, created_at=clock.now()
            )
            following = True
        record(
            actor=actor,
            action=actions.SUBSCRIBED,
            target=thread or forum,
            changes={"following": following},
            request=request,
        )
    return following
