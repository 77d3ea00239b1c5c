"""Forums (R6): one per course space (its teachers and students) and one per
class for its parents with the class teacher. Threads, replies with quoting and
files, the teacher's pinned announcements, subscriptions with one e-mail
digest, moderation and reports, and graded discussions («оцениваемое
обсуждение»): the teacher rates a student's posts in a period and writes a
review."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from umka.core.attachments import Attachment
from umka.courses.models import (
    CourseSpace,
    GradedWork,
    QueuedForReview,
    SpaceImage,
)
from umka.school.models import SchoolClass


class Forum(models.Model):
    class Kind(models.TextChoices):
        SPACE = "space", _("Course forum")
        PARENTS = "parents", _("Parents' forum of a class")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    space = models.OneToOneField(
        CourseSpace,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum",
        verbose_name=_("course space"),
    )
    school_class = models.OneToOneField(
        SchoolClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parents_forum",
        verbose_name=_("class"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="space", space__isnull=False, school_class__isnull=True
                )
                | Q(kind="parents", space__isnull=True, school_class__isnull=False),
                name="forum_place_matches_kind",
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.SPACE:
            return str(self.space)
        return _("Parents of %(class)s") % {"class": self.school_class}

    @property
    def is_archived(self) -> bool:
        return self.kind == self.Kind.SPACE and self.space.is_archived


class Thread(models.Model):
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="threads", verbose_name=_("forum")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_threads",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"))
    last_post_at = models.DateTimeField(_("last post"))
    posts_count = models.PositiveIntegerField(_("posts"), default=0)
    #: The teacher's announcement: first in the list, read by everyone.
    pinned = models.BooleanField(_("announcement"), default=False)
    locked_at = models.DateTimeField(_("closed"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    moved_from = models.ForeignKey(
        Forum,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved from"),
    )
    #: Optimistic lock of moderation (two moderators at once).
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-pinned", "-last_post_at", "-pk"]
        indexes = [
            models.Index(
                fields=["forum", "-pinned", "-last_post_at"], name="forum_thread_list"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Post(models.Model):
    """A message. «Отправить» carries a token: a second click or a resend after
    a dropped connection finds the first post instead of making another."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    token = models.UUIDField(_("token"), unique=True, default=uuid.uuid4)
    body = models.TextField(_("text"))
    quote_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quotes"),
    )
    created_at = models.DateTimeField(_("posted"))
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hide_reason = models.CharField(_("why hidden"), max_length=300, blank=True)
    #: Optimistic lock: two moderators at once — the second is told.
    version = models.PositiveIntegerField(_("version"), default=0)
    images = models.ManyToManyField(
        SpaceImage,
        blank=True,
        related_name="forum_posts",
        verbose_name=_("pasted images"),
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="forum_posts")]
        constraints = [
            # A hidden post says why (the author reads the reason).
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hide_reason=""),
                name="hidden_post_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread}: {self.author}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostFile(Attachment):
    upload_folder = "forums"

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="files", verbose_name=_("post")
    )

    class Meta:
        verbose_name = _("file of a post")
        verbose_name_plural = _("files of posts")


class Report(models.Model):
    """A reader's report of an inappropriate post, for the moderators."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("reported"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], name="one_report_per_reader"
            )
        ]

    def __str__(self) -> str:
        return self.reason


class Subscription(models.Model):
    """A person follows a thread or a whole forum: new posts come in the
    digest (one e-mail at most every `FORUM_DIGEST_HOURS`, never in the quiet
    hours)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_subscriptions",
        verbose_name=_("person"),
    )
    forum = models.ForeignKey(
        Forum,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("forum"),
    )
    thread = models.ForeignKey(
        Thread,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("thread"),
    )
    created_at = models.DateTimeField(_("subscribed"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(forum__isnull=True, thread__isnull=False)
                | Q(forum__isnull=False, thread__isnull=True),
                name="subscription_to_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "forum"],
                condition=Q(forum__isnull=False),
                name="one_forum_subscription",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="one_thread_subscription",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.thread or self.forum}"


class Digest(models.Model):
    """Up to when a person's digest has told them (one row a person)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_digest",
        verbose_name=_("person"),
    )
    #: The last post told of (posts are numbered in the order they came).
    told_up_to = models.PositiveBigIntegerField(_("told up to message"), default=0)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("forum digest")
        verbose_name_plural = _("forum digests")

    def __str__(self) -> str:
        return str(self.user)


class Discussion(models.Model):
    """A graded discussion: the teacher rates each student's posts in the
    course forum from `starts_on` to `ends_on` and writes a review (R6)."""

    forum = models.ForeignKey(
        Forum,
        on_delete=models.CASCADE,
        related_name="discussions",
        verbose_name=_("forum"),
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: When the period ended and the grades began to wait in the queue.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("graded discussion")
        verbose_name_plural = _("graded discussions")
        ordering = ["-ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="discussion_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class DiscussionGrade(GradedWork, QueuedForReview):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the teacher")
        GRADED = "graded", _("Graded")

    discussion = models.ForeignKey(
        Discussion,
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("graded discussion"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discussion_grades",
        verbose_name=_("student"),
    )
    posts = models.PositiveIntegerField(_("posts in the period"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    came_in_at = models.DateTimeField(_("to grade since"))

    class Meta:
        verbose_name = _("discussion grade")
        verbose_name_plural = _("discussion grades")
        constraints = [
            *GradedWork.Meta.constraints,
            models.UniqueConstraint(
                fields=["discussion", "student"], name="one_grade_per_discussion"
            ),
            # R6: a graded discussion carries a written review.
            models.CheckConstraint(
                condition=~Q(status="graded")
                | (Q(graded_at__isnull=False, mark__isnull=False) & ~Q(review="")),
                name="graded_discussion_has_review",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "review_due_at"], name="discussion_queue")
        ]

    def __str__(self) -> str:
        return f"{self.discussion} — {self.student}"
