"""What every form's grading shares (R6): a grade 2–5 with a written review,
and telling the student and each parent with rights."""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.core import richtext
from umka.core.errors import DomainError
from umka.courses import notification_kinds as kinds
from umka.notifications.services import notify


def mark_2_to_5(value) -> int | None:
    """2–5 from a form's value; None for an empty one; refused otherwise."""
    if value in (None, ""):
        return None
    try:
        mark = int(value)
    except (TypeError, ValueError):
        mark = None
    if mark not in (2, 3, 4, 5):
        raise DomainError(_("Choose a grade from 2 to 5."), code="grade")
    return mark


def graded_with_review(mark, review: str) -> tuple[int, str]:
    """A grade and its written review, both required (R6)."""
    mark = mark_2_to_5(mark)
    if mark is None:
        raise DomainError(_("Choose a grade from 2 to 5."), code="grade")
    if not (review or "").strip():
        raise DomainError(
            _("Write the review: every graded work carries one."), code="review"
        )
    return mark, review.strip()


def family_of(student) -> list[User]:
    """The student and their parents with rights (R3): who reads the result."""
    parents = User.objects.filter(
        pk__in=active_parent_links().filter(student=student).values("parent")
    )
    return [student, *parents]


def tell_graded(
    *, student, actor, title: Callable[[], str], review: str, url: str, target
) -> None:
    """The student and each parent with rights hear of the grade and review
    (in-app, e-mail outside quiet hours); `title` is rendered in the school's
    language."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=family_of(student),
            kind=kinds.GRADED,
            title=title(),
            body=richtext.plain(review, limit=600),
            url=url,
            actor=actor,
            target=target,
        )
