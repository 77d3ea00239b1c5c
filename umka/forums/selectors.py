"""Reads of forums: one's forums, a forum's threads, a page of a thread's posts
(a constant number of queries whatever its length), the members an
announcement reaches, open reports, what one follows."""

from django.core.paginator import Paginator
from django.db.models import Prefetch

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.core import clock
from umka.courses import policies as spaces
from umka.forums import policies
from umka.forums.models import Forum, Post, PostFile, Report, Subscription, Thread
from umka.school.models import Enrolment

POSTS_PER_PAGE = 50
THREADS_PER_PAGE = 30


def places_for(user) -> dict:
    """The course spaces and classes whose forums `user` takes part in, with
    their forums where they exist (made on first visit)."""
    spaces_ = list(
        policies.spaces_with_forum_for(user)
        .filter(archived_at__isnull=True)
        .select_related("subject", "school_class")
        .order_by("school_class__grade", "school_class__letter", "title")
    )
    classes = list(
        policies.classes_with_forum_for(user)
        .filter(year__starts_on__lte=clock.today(), year__ends_on__gte=clock.today())
        .select_related("class_teacher")
    )
    forums = Forum.objects.filter(space__in=spaces_) | Forum.objects.filter(
        school_class__in=classes
    )
    by_place = {(f.space_id or 0, f.school_class_id or 0): f for f in forums}
    return {
        "spaces": [(s, by_place.get((s.pk, 0))) for s in spaces_],
        "classes": [(c, by_place.get((0, c.pk))) for c in classes],
    }


def threads_page(forum: Forum, number):
    threads = forum.threads.select_related("author", "locked_by").order_by(
        "-pinned", "-last_post_at", "-pk"
    )
    return Paginator(threads, THREADS_PER_PAGE).get_page(number)


def moderator_ids(forum: Forum) -> set[int]:
    """Whose posts carry the «teacher» mark."""
    if forum.kind == Forum.Kind.SPACE:
        return set(forum.space.teacher_links.values_list("teacher", flat=True))
    return {forum.school_class.class_teacher_id} - {None}


def _posts(thread: Thread):
    return thread.posts.select_related(
        "author", "quote_of", "quote_of__author", "edited_by", "hidden_by"
    ).prefetch_related(Prefetch("files", queryset=PostFile.objects.order_by("pk")))


def posts_page(thread: Thread, number):
    """A page of the thread's posts; `number` "last" is the last page."""
    paginator = Paginator(_posts(thread).order_by("created_at", "pk"), POSTS_PER_PAGE)
    if number == "last":
        number = paginator.num_pages
    return paginator.get_page(number)


def page_of(post: Post) -> int:
    """The page of its thread a post is on."""
    before = post.thread.posts.filter(created_at__lte=post.created_at).exclude(
        created_at=post.created_at, pk__gt=post.pk
    )
    return (before.count() - 1) // POSTS_PER_PAGE + 1


def one_post(pk: int) -> Post:
    """One post with what its fragment shows."""
    return (
        Post.objects.select_related(
            "author",
            "quote_of",
            "quote_of__author",
            "edited_by",
            "hidden_by",
            "thread",
            "thread__forum",
        )
        .prefetch_related("files")
        .get(pk=pk)
    )


def following(user, *, forum=None, thread=None) -> bool:
    return Subscription.objects.filter(user=user, forum=forum, thread=thread).exists()


def open_reports(forum: Forum) -> list[Report]:
    return list(
        Report.objects.filter(post__thread__forum=forum, resolved_at__isnull=True)
        .select_related("post", "post__thread", "post__author", "reporter")
        .order_by("created_at")
    )


def members_of(forum: Forum):
    """Who reads a forum: its students or parents now, and its teachers."""
    if forum.kind == Forum.Kind.SPACE:
        teachers = forum.space.teacher_links.values("teacher")
        return User.objects.filter(pk__in=teachers) | spaces.students_of(forum.space)
    today = clock.today()
    children = (
        Enrolment.objects.filter(school_class=forum.school_class, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values("student")
    )
    parents = active_parent_links().filter(student__in=children).values("parent")
    teacher = User.objects.filter(pk=forum.school_class.class_teacher_id)
    return User.objects.filter(pk__in=parents) | teacher


def other_forums_to_move(user, forum: Forum) -> list[Forum]:
    """Forums of the same kind `user` moderates, for «Move»."""
    candidates = (
        policies.forums_visible_to(user).filter(kind=forum.kind).exclude(pk=forum.pk)
    )
    return [
        f
        for f in candidates.select_related("space", "school_class")
        if policies.can_moderate(user, f)
    ]
