"""Who sees and does what in seminars (R3, R6).

On top of `umka.courses.policies`: the space's teachers set, switch and grade;
its students see a seminar once it leaves setup, submit, and assess the works
allocated to them (without the author's name); the author and the author's
parents with rights read the work, the assessments it received (without the
assessors' names) and the teacher's grades and review; the overseers read all.
Anyone else gets 404.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from umka.accounts.policies import children_of
from umka.core.access import get_visible_or_404, require
from umka.courses import policies as spaces
from umka.seminars.models import Assessment, Phase, Seminar, Work


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def teaches(user, seminar: Seminar) -> bool:
    """Its teachers and the overseers see names and every assessment."""
    return spaces.is_space_teacher(user, seminar.space) or spaces.oversees_spaces(user)


def seminars_visible_to(user) -> QuerySet[Seminar]:
    """Teachers and overseers: all; students and parents: once it left setup."""
    if not _active(user):
        return Seminar.objects.none()
    if spaces.oversees_spaces(user):
        return Seminar.objects.all()
    return Seminar.objects.filter(
        Q(space__in=spaces.spaces_taught_by(user))
        | (~Q(phase=Phase.SETUP) & Q(space__in=spaces.spaces_visible_to(user)))
    )


def can_edit(user, seminar: Seminar) -> bool:
    """Settings, criteria, phases, allocation: its teachers, until it closes."""
    return seminar.phase != Phase.CLOSED and spaces.can_teach_in(user, seminar.space)


def can_submit(user, seminar: Seminar) -> bool:
    """A student of the space (the phase and dates: the service says why not)."""
    return (
        not seminar.space.is_archived
        and seminar.phase != Phase.SETUP
        and spaces.is_student_of(user, seminar.space)
    )


def works_visible_to(user) -> QuerySet[Work]:
    """The author, their parents with rights, the assessors it is allocated to,
    the space's teachers and the overseers."""
    if not _active(user):
        return Work.objects.none()
    if spaces.oversees_spaces(user):
        return Work.objects.all()
    allocated = Exists(Assessment.objects.filter(work=OuterRef("pk"), reviewer=user))
    mine = (
        Q(author=user)
        | Q(seminar__space__in=spaces.spaces_taught_by(user))
        | (allocated & Q(withdrawn_at__isnull=True) & ~Q(seminar__phase=Phase.SETUP))
    )
    if user.is_parent:
        mine |= Q(author__in=children_of(user))
    return Work.objects.filter(mine)


def shows_names(user, work: Work) -> bool:
    """Assessors are anonymous to students and parents, named to the teachers."""
    return teaches(user, work.seminar)


def can_grade(user, work: Work) -> bool:
    return spaces.can_teach_in(user, work.seminar.space)


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """One's own (as the assessor), those of one's own work and of one's
    children's works once done, everything for the teachers and overseers."""
    if not _active(user):
        return Assessment.objects.none()
    if spaces.oversees_spaces(user):
        return Assessment.objects.all()
    authors = [user.pk]
    if user.is_parent:
        authors += list(children_of(user).values_list("pk", flat=True))
    return Assessment.objects.filter(
        Q(reviewer=user)
        | Q(work__seminar__space__in=spaces.spaces_taught_by(user))
        | Q(work__author__in=authors, assessed_at__isnull=False)
    )


# --- Fetch and authorise -------------------------------------------------------------


def access_seminar(user, pk) -> Seminar:
    return get_visible_or_404(
        seminars_visible_to(user).select_related(
            "space", "space__subject", "program_part"
        ),
        pk=pk,
    )


def access_seminar_to_edit(user, pk) -> Seminar:
    seminar = access_seminar(user, pk)
    require(can_edit(user, seminar))
    return seminar


def access_work(user, pk) -> Work:
    return get_visible_or_404(
        works_visible_to(user).select_related(
            "seminar", "seminar__space", "author", "graded_by"
        ),
        pk=pk,
    )


def access_work_to_grade(user, pk) -> Work:
    work = access_work(user, pk)
    require(can_grade(user, work))
    return work
