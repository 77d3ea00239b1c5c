"""Who sees and does what in forums (R3, R6).

- A course forum: the space's teachers (they moderate) and students read and
  post; parents do not read the class's discussion (they read their own
  child's graded discussion on its page).
- A parents' forum of a class: the parents with rights of the class's students
  now, and the class teacher (who moderates), read and post.
- Deputy heads and the director oversee every forum: they read and moderate.
- Anyone else gets 404, as for something that does not exist.
"""

from django.db.models import Q, QuerySet

from umka.accounts.models import User
from umka.accounts.policies import children_of
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.courses import policies as spaces
from umka.courses.models import CourseSpace, SpaceImage
from umka.forums.models import Discussion, DiscussionGrade, Forum, Post, Thread
from umka.school.models import Enrolment, SchoolClass


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_open_forums(user) -> bool:
    """The menu's «Forums» (roles only: no queries)."""
    return _active(user) and (
        user.is_student
        or user.is_parent
        or user.is_teacher
        or spaces.oversees_spaces(user)
    )


def classes_of_children(user) -> QuerySet[SchoolClass]:
    """The classes a parent's children are in now (their parents' forums)."""
    today = clock.today()
    return SchoolClass.objects.filter(
        pk__in=Enrolment.objects.filter(
            student__in=children_of(user), starts_on__lte=today
        )
        .exclude(ends_on__lt=today)
        .values("school_class")
    )


def _member_spaces(user):
    taught = Q(pk__in=spaces.spaces_taught_by(user).values("pk"))
    if user.is_student:
        mine = spaces.spaces_of_students(User.objects.filter(pk=user.pk))
        taught |= Q(pk__in=mine.values("pk"))
    return taught


def _member_classes(user) -> Q:
    led = Q(class_teacher=user)
    if user.is_parent:
        led |= Q(pk__in=classes_of_children(user).values("pk"))
    return led


def spaces_with_forum_for(user):
    """Course spaces whose forum `user` takes part in (not parents')."""
    if not _active(user):
        return CourseSpace.objects.none()
    return CourseSpace.objects.filter(_member_spaces(user))


def classes_with_forum_for(user) -> QuerySet[SchoolClass]:
    if not _active(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(_member_classes(user))


def forums_visible_to(user) -> QuerySet[Forum]:
    if not _active(user):
        return Forum.objects.none()
    if spaces.oversees_spaces(user):
        return Forum.objects.all()
    return Forum.objects.filter(
        Q(kind=Forum.Kind.SPACE, space__in=spaces_with_forum_for(user))
        | Q(kind=Forum.Kind.PARENTS, school_class__in=classes_with_forum_for(user))
    )


def can_moderate(user, forum: Forum) -> bool:
    """Edit and hide posts, pin, close and move threads, handle reports: the
    space's teachers or the class teacher, and the overseers."""
    if not _active(user) or forum.is_archived:
        return False
    if spaces.oversees_spaces(user):
        return True
    if forum.kind == Forum.Kind.SPACE:
        return spaces.is_space_teacher(user, forum.space)
    return forum.school_class.class_teacher_id == user.pk


def can_post(user, forum: Forum) -> bool:
    """Start threads and reply (a closed thread: the service says why not)."""
    if not _active(user) or forum.is_archived:
        return False
    if forum.kind == Forum.Kind.SPACE:
        return spaces.is_space_teacher(user, forum.space) or spaces.is_student_of(
            user, forum.space
        )
    klass = forum.school_class
    return (
        klass.class_teacher_id == user.pk
        or classes_of_children(user).filter(pk=klass.pk).exists()
    )


def threads_visible_to(user) -> QuerySet[Thread]:
    return Thread.objects.filter(forum__in=forums_visible_to(user))


def posts_visible_to(user) -> QuerySet[Post]:
    """Posts of the threads `user` reads (a hidden one shows as hidden)."""
    return Post.objects.filter(thread__forum__in=forums_visible_to(user))


def can_edit_post(user, post: Post, moderates: bool) -> bool:
    """The author, while the post is not hidden and the thread open; or a
    moderator."""
    if moderates:
        return True
    return (
        post.author_id == getattr(user, "pk", None)
        and not post.is_hidden
        and not post.thread.is_locked
        and not post.thread.forum.is_archived
    )


def shows_body(user, post: Post, moderates: bool) -> bool:
    """A hidden post's text: its author (with the reason) and the moderators."""
    return not post.is_hidden or moderates or post.author_id == user.pk


def shared_images(user) -> Q:
    """Images in course forum posts are seen by the forum's readers
    (`courses.policies.register_image_share`)."""
    posts = posts_visible_to(user).filter(hidden_at__isnull=True)
    return Q(pk__in=SpaceImage.objects.filter(forum_posts__in=posts))


# --- Graded discussions --------------------------------------------------------------


def discussions_visible_to(user) -> QuerySet[Discussion]:
    """The teachers of the forum's space and the overseers."""
    if not _active(user):
        return Discussion.objects.none()
    if spaces.oversees_spaces(user):
        return Discussion.objects.all()
    return Discussion.objects.filter(forum__space__in=spaces.spaces_taught_by(user))


def grades_visible_to(user) -> QuerySet[DiscussionGrade]:
    """The student, their parents with rights, the space's teachers, the
    overseers."""
    if not _active(user):
        return DiscussionGrade.objects.none()
    if spaces.oversees_spaces(user):
        return DiscussionGrade.objects.all()
    mine = Q(student=user) | Q(
        discussion__forum__space__in=spaces.spaces_taught_by(user)
    )
    if user.is_parent:
        mine |= Q(student__in=children_of(user))
    return DiscussionGrade.objects.filter(mine)


def can_grade(user, grade: DiscussionGrade) -> bool:
    return spaces.can_teach_in(user, grade.discussion.forum.space)


# --- Fetch and authorise -------------------------------------------------------------


def access_space_for_forum(user, pk):
    """A course space whose forum `user` reads (its forum is made on first
    visit, so outsiders are turned away before)."""
    visible = (
        CourseSpace.objects.all()
        if spaces.oversees_spaces(user)
        else spaces_with_forum_for(user)
    )
    return get_visible_or_404(visible.select_related("subject"), pk=pk)


def access_class_for_forum(user, pk) -> SchoolClass:
    visible = (
        SchoolClass.objects.all()
        if spaces.oversees_spaces(user)
        else classes_with_forum_for(user)
    )
    return get_visible_or_404(visible, pk=pk)


def access_forum(user, pk) -> Forum:
    return get_visible_or_404(
        forums_visible_to(user).select_related(
            "space", "space__subject", "school_class"
        ),
        pk=pk,
    )


def access_forum_to_moderate(user, pk) -> Forum:
    forum = access_forum(user, pk)
    require(can_moderate(user, forum))
    return forum


def access_thread(user, pk) -> Thread:
    return get_visible_or_404(
        threads_visible_to(user).select_related(
            "forum", "forum__space", "forum__school_class", "author", "locked_by"
        ),
        pk=pk,
    )


def access_post(user, pk) -> Post:
    return get_visible_or_404(
        posts_visible_to(user).select_related(
            "thread",
            "thread__forum",
            "thread__forum__space",
            "thread__forum__school_class",
            "author",
        ),
        pk=pk,
    )


def access_post_to_moderate(user, pk) -> Post:
    post = access_post(user, pk)
    require(can_moderate(user, post.thread.forum))
    return post


def access_discussion(user, pk) -> Discussion:
    return get_visible_or_404(
        discussions_visible_to(user).select_related("forum", "forum__space"), pk=pk
    )


def access_grade(user, pk) -> DiscussionGrade:
    return get_visible_or_404(
        grades_visible_to(user).select_related(
            "discussion",
            "discussion__forum",
            "discussion__forum__space",
            "student",
            "graded_by",
        ),
        pk=pk,
    )


def access_grade_to_grade(user, pk) -> DiscussionGrade:
    grade = access_grade(user, pk)
    require(can_grade(user, grade))
    return grade
