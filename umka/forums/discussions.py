"""Graded discussions (R6): the teacher names a period of the course forum; when
it ends, each student who posted in it waits in the queue «Проверить» for a
grade and a written review of their posts, due `School.review_days` working
days later (R13)."""

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from umka.assignments.services import check_text
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.courses.deadlines import review_due_from
from umka.courses.grading import graded_with_review, tell_graded
from umka.courses.sync import SYSTEM_NAME
from umka.forums import audit_actions as actions
from umka.forums import policies
from umka.forums.models import Discussion, DiscussionGrade, Forum, Post


def discussion_create(
    *, actor, forum: Forum, title: str, topic: str, starts_on, ends_on, request=None
) -> Discussion:
    if forum.kind != Forum.Kind.SPACE or not spaces.can_teach_in(actor, forum.space):
        raise DomainError(
            _("Only the course's teachers grade its discussions."), code="forbidden"
        )
    title, topic = (title or "").strip()[:200], (topic or "").strip()[:200]
    if not title or not topic:
        raise DomainError(
            _("Give the discussion a title and the topic for the e-journal."),
            code="required",
        )
    if ends_on < starts_on:
        raise DomainError(_("The period ends before it starts."), code="dates")
    with transaction.atomic():
        discussion = Discussion.objects.create(
            forum=forum,
            title=title,
            topic=topic,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        record(
            actor=actor,
            action=actions.DISCUSSION_CREATED,
            target=discussion,
            changes={"title": title, "from": str(starts_on), "to": str(ends_on)},
            request=request,
        )
    return discussion


def posts_in_period(discussion: Discussion):
    """The forum's posts written in the discussion's period (school days)."""
    return Post.objects.filter(
        thread__forum=discussion.forum,
        created_at__gte=clock.day_start(discussion.starts_on),
        created_at__lt=clock.day_start(discussion.ends_on + dt.timedelta(days=1)),
    )


def discussion_close(*, actor, discussion: Discussion, request=None) -> int:
    """End the period: every student of the space who posted in it gets a grade
    waiting for the teacher. Once only; returns how many wait."""
    with transaction.atomic():
        current = (
            Discussion.objects.select_for_update(of=("self",))
            .select_related("forum", "forum__space")
            .get(pk=discussion.pk)
        )
        if actor is not None and not spaces.can_teach_in(actor, current.forum.space):
            raise DomainError(
                _("Only the course's teachers grade its discussions."),
                code="forbidden",
            )
        if current.closed_at is not None:
            return 0
        now = clock.now()
        students = spaces.students_of(current.forum.space).values("pk")
        counts = (
            posts_in_period(current)
            .filter(author__in=students)
            .values("author")
            .annotate(n=Count("pk"))
        )
        due = review_due_from(now)
        DiscussionGrade.objects.bulk_create(
            DiscussionGrade(
                discussion=current,
                student_id=row["author"],
                posts=row["n"],
                came_in_at=now,
                review_due_at=due,
            )
            for row in counts
        )
        current.closed_at = now
        current.save(update_fields=["closed_at"])
        record(
            actor=actor,
            actor_name="" if actor else str(SYSTEM_NAME),
            action=actions.DISCUSSION_CLOSED,
            target=current,
            changes={"students": len(counts)},
            request=request,
        )
    return len(counts)


def discussions_close_ended(today: dt.date | None = None) -> int:
    """Every night: discussions whose period ended are closed."""
    today = today or clock.today()
    closed = 0
    for discussion in Discussion.objects.filter(
        closed_at__isnull=True, ends_on__lt=today
    ):
        closed += discussion_close(actor=None, discussion=discussion) or 0
    return closed


def discussion_grade(
    *, actor, grade: DiscussionGrade, version: int, mark, review: str, request=None
) -> DiscussionGrade:
    """Rate a student's posts of the period with a written review (R6); the
    student and each parent with rights are told."""
    mark, review = graded_with_review(mark, check_text(review, what=_("The review")))
    with transaction.atomic():
        current = (
            DiscussionGrade.objects.select_for_update(of=("self",))
            .select_related(
                "discussion", "discussion__forum__space", "student", "graded_by"
            )
            .get(pk=grade.pk)
        )
        if not policies.can_grade(actor, current):
            raise DomainError(_("You may not grade this work."), code="forbidden")
        if current.version != int(version):
            who = current.graded_by.full_name if current.graded_by else _("someone")
            raise DomainError(
                _(
                    "%(who)s changed this grade while you were writing. Open it "
                    "again to see the change; your text is kept on the form."
                )
                % {"who": who},
                code="stale",
            )
        current.mark, current.review = mark, review
        current.status = DiscussionGrade.Status.GRADED
        current.graded_by, current.graded_at = actor, clock.now()
        current.version += 1
        current.save()
        record(
            actor=actor,
            action=actions.DISCUSSION_GRADED,
            target=current,
            changes={"grade": mark, "student": current.student.full_name},
            request=request,
        )
        tell_graded(
            student=current.student,
            actor=actor,
            title=lambda: (
                _("Grade %(grade)s and a review: discussion «%(title)s»")
                % {"grade": mark, "title": current.discussion.title}
            ),
            review=review,
            url=reverse("forums:grade", args=[current.pk]),
            target=current,
        )
    return current
