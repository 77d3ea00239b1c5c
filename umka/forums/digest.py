"""One e-mail digest of followed threads and forums, instead of a message a post
(the flood Moodle's forums are known for). Every hour the task looks at each
follower: new posts by others since their last digest are summed up in one
notice (in-app and e-mail), at most every `FORUM_DIGEST_HOURS` hours, and never
in the quiet hours of students and parents (19:00–08:00 on the school's clock,
unless they allow evening e-mail): what comes at night waits for the morning
digest."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from umka.accounts.models import User
from umka.core import clock
from umka.forums import notification_kinds as kinds
from umka.forums import policies
from umka.forums.models import Digest, Post, Subscription
from umka.notifications.quiet_hours import deliver_at
from umka.notifications.selectors import preferences_of, quiet_role_holders
from umka.notifications.services import notify

#: Threads named in one digest (the rest are counted).
THREADS_LISTED = 15


def _quiet_now(user_ids, now) -> set[int]:
    """Followers for whom e-mail waits now (the quiet hours)."""
    holders = quiet_role_holders(user_ids)
    prefs = preferences_of(holders)
    zone = clock.zone()
    return {
        pk
        for pk in holders
        if deliver_at(now, zone, not prefs[pk].evening_email) != now
    }


def _news_for(user, subs, told_up_to: int):
    """New posts by others in what `user` follows (each since they followed
    it) and may still read."""
    followed = Q(pk__in=[])
    for sub in subs:
        place = (
            Q(thread=sub.thread_id) if sub.thread_id else Q(thread__forum=sub.forum_id)
        )
        followed |= place & Q(created_at__gte=sub.created_at)
    return (
        policies.posts_visible_to(user)
        .filter(followed, pk__gt=told_up_to, hidden_at__isnull=True)
        .exclude(author=user)
        .select_related("thread", "thread__forum", "thread__forum__space")
        .select_related("thread__forum__school_class")
        .order_by("created_at", "pk")
    )


def _body(posts: list[Post]) -> tuple[str, int]:
    per_thread = defaultdict(list)
    for post in posts:
        per_thread[post.thread].append(post)
    lines = [
        ngettext(
            "«%(thread)s» (%(forum)s): %(n)s new message",
            "«%(thread)s» (%(forum)s): %(n)s new messages",
            len(items),
        )
        % {"thread": thread.title, "forum": thread.forum, "n": len(items)}
        for thread, items in list(per_thread.items())[:THREADS_LISTED]
    ]
    if len(per_thread) > THREADS_LISTED:
        lines.append(
            _("…and %(n)s more threads.") % {"n": len(per_thread) - THREADS_LISTED}
        )
    return "\n".join(lines), len(per_thread)


def digests_send(now: dt.datetime | None = None) -> int:
    """Send the digests that are due; returns how many went."""
    now = now or clock.now()
    every = dt.timedelta(hours=settings.FORUM_DIGEST_HOURS)
    by_user = defaultdict(list)
    for sub in Subscription.objects.all():
        by_user[sub.user_id].append(sub)
    if not by_user:
        return 0
    marks = {d.user_id: d for d in Digest.objects.filter(user__in=by_user)}
    quiet = _quiet_now(list(by_user), now)
    people = User.objects.filter(pk__in=by_user, is_active=True).prefetch_related(
        "role_assignments"
    )
    sent = 0
    for user in people:
        mark = marks.get(user.pk)
        if user.pk in quiet or (mark and mark.sent_at and now - mark.sent_at < every):
            continue
        subs = by_user[user.pk]
        posts = list(_news_for(user, subs, mark.told_up_to if mark else 0))
        if not posts:
            continue
        body, threads = _body(posts)
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            notify(
                recipients=[user],
                kind=kinds.DIGEST,
                title=ngettext(
                    "Forums: %(n)s new message in %(threads)s thread",
                    "Forums: %(n)s new messages in %(threads)s threads",
                    len(posts),
                )
                % {"n": len(posts), "threads": threads},
                body=body,
                url=reverse("forums:index"),
            )
            Digest.objects.update_or_create(
                user=user,
                defaults={"told_up_to": max(p.pk for p in posts), "sent_at": now},
            )
        sent += 1
    return sent
