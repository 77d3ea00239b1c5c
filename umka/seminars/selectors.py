"""Reads of seminars: counts for the teacher's line, a student's work and the
works given to them, the assessments a work received, the allocation table."""

from django.db.models import Count, Q

from umka.accounts.policies import children_of
from umka.courses import policies as spaces
from umka.seminars.models import Assessment, Seminar, Work


def counts(seminar: Seminar) -> dict:
    """What the teacher's line and panel show: works, students, assessments."""
    works = seminar.works.filter(withdrawn_at__isnull=True).aggregate(
        works=Count("pk"), graded=Count("pk", filter=Q(status=Work.Status.GRADED))
    )
    given = Assessment.objects.filter(
        work__seminar=seminar, work__withdrawn_at__isnull=True
    ).aggregate(
        allocated=Count("pk"), assessed=Count("pk", filter=Q(assessed_at__isnull=False))
    )
    return {
        **works,
        **given,
        "students": spaces.students_of(seminar.space).count(),
        "criteria": seminar.criteria.count(),
    }


def work_of(seminar: Seminar, student) -> Work | None:
    return (
        Work.objects.filter(seminar=seminar, author=student)
        .prefetch_related("files")
        .first()
    )


def given_to(seminar: Seminar, reviewer) -> list[Assessment]:
    """The works given to `reviewer`, numbered for them («Работа 1», …)."""
    found = list(
        Assessment.objects.filter(
            work__seminar=seminar, reviewer=reviewer, work__withdrawn_at__isnull=True
        )
        .select_related("work")
        .order_by("allocated_at", "pk")
    )
    for n, a in enumerate(found, start=1):
        a.number = n
    return found


def received(work: Work) -> list[Assessment]:
    """The assessments done of `work`, numbered («Одноклассник 1», …)."""
    found = list(
        work.assessments.filter(assessed_at__isnull=False)
        .select_related("reviewer")
        .order_by("assessed_at", "pk")
    )
    for n, a in enumerate(found, start=1):
        a.number = n
    return found


def family_works(seminar: Seminar, user) -> list[Work]:
    """The works of a parent's children in the seminar."""
    if not user.is_parent:
        return []
    return list(
        Work.objects.filter(seminar=seminar, author__in=children_of(user))
        .select_related("author")
        .order_by("author__last_name", "pk")
    )


def roster(seminar: Seminar) -> list[Work]:
    """Every work with its assessments (the teacher's table), few queries."""
    works = list(
        seminar.works.select_related("author", "graded_by").order_by(
            "author__last_name", "author__first_name", "pk"
        )
    )
    by_work: dict[int, list[Assessment]] = {}
    given_by: dict[int, list[Assessment]] = {}
    for a in (
        Assessment.objects.filter(work__seminar=seminar)
        .select_related("reviewer")
        .order_by("reviewer__last_name", "pk")
    ):
        by_work.setdefault(a.work_id, []).append(a)
        given_by.setdefault(a.reviewer_id, []).append(a)
    for w in works:
        w.received = by_work.get(w.pk, [])
        w.given = given_by.get(w.author_id, [])
    return works
