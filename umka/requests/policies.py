"""Who may see and do what with a request (R3, R5, R13).

- The author, the student it is about and that student's parents with an active
  link (R3: a minor's parents, or an adult student's who kept the link) see it.
- The assignee and the deputy head it was escalated to see it.
- The deputy heads and the director see every request (they answer for them, R13).
- Nobody else does — another student never, a parent of another child never — and
  what one may not see answers 404 (`access_request`, `access_attachment`: one 404
  for missing and forbidden); an action one may not take on a request one sees
  answers 403. The views and the services ask the same `can_*` here.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from umka.accounts.models import STAFF_ROLES, Role, User
from umka.accounts.policies import children_of, is_parent_of
from umka.core.access import get_visible_or_404
from umka.core.admin_site import is_school_admin
from umka.ratings.services import period_refusal
from umka.requests.models import Request, RequestAttachment

#: Who sees every request and may redirect any open one.
OVERSEER_ROLES = frozenset({Role.DEPUTY_HEAD, Role.DIRECTOR})


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def oversees_requests(user: User) -> bool:
    """A deputy head or the director: the administration that answers for requests."""
    return _active(user) and (user.is_superuser or bool(user.roles & OVERSEER_ROLES))


def can_browse_in_back_office(user: User) -> bool:
    """The back office's read-only pages of requests: a back-office user who also
    oversees requests (the school administrator as such does not see them)."""
    return is_school_admin(user) and oversees_requests(user)


def may_receive_requests(user: User) -> bool:
    """Staff who may be an assignee (R3: teachers, deputies, other staff)."""
    return _active(user) and bool(user.roles & STAFF_ROLES)


def can_open_requests(user: User) -> bool:
    """The menu's «Requests»: everyone signed in writes, receives or oversees them."""
    return _active(user)


def students_for(user: User) -> QuerySet[User]:
    """The students `user` may write a request about: themself (a student) and the
    children over whom they have rights now (R3, R9)."""
    if not _active(user):
        return User.objects.none()
    about = Q(pk__in=[])
    if user.is_student:
        about |= Q(pk=user.pk)
    if user.is_parent:
        about |= Q(pk__in=children_of(user).values("pk"))
    return User.objects.filter(about, role_assignments__role=Role.STUDENT).distinct()


def can_write(user: User) -> bool:
    """May open the «new request» form at all."""
    return students_for(user).exists()


def can_create_for(user: User, student: User) -> bool:
    """R9: a student for themself; a parent only for their own child (an active
    link: an adult child who did not keep the link is no longer theirs)."""
    if not _active(user) or student is None or not student.is_student:
        return False
    if user.is_student and user.pk == student.pk:
        return True
    return user.is_parent and is_parent_of(user, student)


def _requester_side(user: User) -> Q:
    mine = Q(author=user) | Q(student=user)
    if user.is_parent:
        mine |= Q(student__in=children_of(user).values("pk"))
    return mine


def _staff_side(user: User) -> Q:
    return Q(assignee=user) | Q(escalated_to=user)


def requests_visible_to(
    user: User, among: QuerySet[Request] | None = None
) -> QuerySet[Request]:
    """Every request `user` may open (lists use it, so nothing leaks through them).
    `among` is a page's queryset (a selector's joins and prefetches) to narrow."""
    rows = Request.objects.all() if among is None else among
    if not _active(user):
        return rows.none()
    if oversees_requests(user):
        return rows
    return rows.filter(_requester_side(user) | _staff_side(user))


def access_request(
    user: User,
    pk,
    *,
    among: QuerySet[Request] | None = None,
    may: Callable[[User, Request], bool] | None = None,
) -> Request:
    """A request `user` may see, else 404 (missing or not theirs alike); with
    `may` (one of the `can_*` below), 403 when they see it but may not do this."""
    req = get_visible_or_404(requests_visible_to(user, among), pk=pk)
    if may is not None and not may(user, req):
        raise PermissionDenied
    return req


def access_attachment(user: User, pk) -> RequestAttachment:
    """A file of a request `user` may see, else 404 (never a public media URL)."""
    return get_visible_or_404(
        RequestAttachment.objects.filter(
            request__in=requests_visible_to(user)
        ).select_related("request"),
        pk=pk,
    )


def requests_mine(user: User) -> QuerySet[Request]:
    """«My requests»: written by me, about me or about my children."""
    if not _active(user):
        return Request.objects.none()
    return Request.objects.filter(_requester_side(user))


def requests_assigned_to(user: User) -> QuerySet[Request]:
    """«Assigned to me»: I answer them, or they were escalated to me."""
    if not _active(user):
        return Request.objects.none()
    return Request.objects.filter(_staff_side(user))


def can_view(user: User, req: Request) -> bool:
    if not _active(user):
        return False
    if oversees_requests(user) or user.pk in (
        req.author_id,
        req.student_id,
        req.assignee_id,
        req.escalated_to_id,
    ):
        return True
    return user.is_parent and is_parent_of(user, req.student)


def _handles(user: User, req: Request) -> bool:
    """The assignee, or the deputy head an overdue request was escalated to."""
    return _active(user) and user.pk in (req.assignee_id, req.escalated_to_id)


def is_author(user: User, req: Request) -> bool:
    return _active(user) and user.pk == req.author_id


def can_take(user: User, req: Request) -> bool:
    return (
        _active(user)
        and user.pk == req.assignee_id
        and req.status in (Request.Status.NEW, Request.Status.REDIRECTED)
    )


def can_answer(user: User, req: Request) -> bool:
    return req.is_open and _handles(user, req)


def can_redirect(user: User, req: Request) -> bool:
    return req.is_open and (_handles(user, req) or oversees_requests(user))


def can_reply(user: User, req: Request) -> bool:
    """The two sides of the conversation write in the thread until it is closed."""
    if req.status == Request.Status.CLOSED:
        return False
    return is_author(user, req) or _handles(user, req) or oversees_requests(user)


def can_close(user: User, req: Request) -> bool:
    """The author may close (or withdraw) their request at any time; the staff side
    once it is answered."""
    if req.status == Request.Status.CLOSED:
        return False
    if is_author(user, req):
        return True
    return req.status == Request.Status.ANSWERED and (
        _handles(user, req) or oversees_requests(user)
    )


def can_rate(user: User, req: Request) -> bool:
    """Only the author, only an answer, once per answer, within the school's
    rating period (R13)."""
    return (
        is_author(user, req)
        and req.status in (Request.Status.ANSWERED, Request.Status.CLOSED)
        and req.answered_at is not None
        and req.rating is None
        and period_refusal(req.answered_at) is None
    )


def can_reopen(user: User, req: Request) -> bool:
    """The author may reopen an answered or closed request once."""
    return (
        is_author(user, req)
        and req.status in (Request.Status.ANSWERED, Request.Status.CLOSED)
        and req.reopen_count == 0
    )
