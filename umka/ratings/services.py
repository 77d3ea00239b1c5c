"""Writing ratings (R13): once per person and piece of help, within the school's
rating period, audited."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.ratings import audit_actions as actions
from umka.ratings import kinds
from umka.ratings.models import Rating
from umka.school.selectors import current_school

#: Days to rate when no school is set up.
DEFAULT_RATING_DAYS = 14
COMMENT_MAX = 2000


def rating_days() -> int:
    school = current_school()
    return school.rating_days if school else DEFAULT_RATING_DAYS


def period_start(now: dt.datetime | None = None) -> dt.datetime:
    """Help given at or after this moment may still be rated."""
    return (now or clock.now()) - dt.timedelta(days=rating_days())


def period_refusal(
    happened_at: dt.datetime, now: dt.datetime | None = None
) -> DomainError | None:
    """The refusal for help given at `happened_at` whose rating period is over
    (`School.rating_days` days), else None."""
    days = rating_days()
    ends = happened_at + dt.timedelta(days=days)
    if (now or clock.now()) <= ends:
        return None
    return DomainError(
        _(
            "Help can be rated within %(days)s days after it was given; "
            "the time to rate this one ended on %(date)s."
        )
        % {"days": days, "date": formats.date_format(clock.local(ends), "d.m.Y")},
        code="period_over",
    )


def clean_score(score) -> int:
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Choose a score from 1 to 5."), code="bad_score")
    return score


def find_ratable(user, kind_code: str, object_id: int) -> kinds.Ratable | None:
    """The piece of help `user` may rate (at any time), else None."""
    kind = kinds.get(kind_code)
    if kind is None:
        return None
    found = kind.candidates(user, None, object_id)
    return found[0] if found else None


def rating_create(
    *,
    actor,
    kind: str,
    object_id: int,
    score,
    comment: str = "",
    request=None,
) -> Rating:
    """`actor` rates a piece of help 1–5 with an optional comment: once, and only
    within `School.rating_days` days after it was given (R13)."""
    score = clean_score(score)
    comment = (comment or "").strip()[:COMMENT_MAX]
    item = find_ratable(actor, kind, object_id)
    if item is None:
        raise DomainError(_("You cannot rate this."), code="forbidden")
    if kinds.get(kind).rate_url is not None:
        raise DomainError(_("This is rated on its own page."), code="elsewhere")
    now = clock.now()
    if refusal := period_refusal(item.happened_at, now):
        raise refusal
    with transaction.atomic():
        if Rating.objects.filter(rater=actor, kind=kind, object_id=object_id).exists():
            raise _rated_already()
        try:
            with transaction.atomic():
                rating = _store(actor, item, score, comment, now)
        except IntegrityError:  # a second click raced the first
            raise _rated_already() from None
        record(
            actor=actor,
            action=actions.RATED,
            target=rating,
            changes={
                "kind": kind,
                "object_id": object_id,
                "score": score,
                "with_comment": bool(comment),
            },
            request=request,
        )
    return rating


def _rated_already() -> DomainError:
    return DomainError(_("You have already rated this."), code="rated_already")


def _store(rater, item: kinds.Ratable, score: int, comment: str, now) -> Rating:
    return Rating.objects.create(
        rater=rater,
        student_id=item.student_id,
        staff_id=item.staff_id,
        kind=item.kind,
        object_id=item.object_id,
        title=item.title[:300],
        score=score,
        comment=comment,
        created_at=now,
    )


def rating_mirror(
    *, rater, item: kinds.Ratable, score: int, comment: str, now: dt.datetime
) -> Rating:
    """Keep a rating given on the object's own page (a request's answer, whose
    service checks its own rules and writes the audit entry) in the common table,
    so averages and the administration's lists count it."""
    return _store(rater, item, score, comment, now)


def rating_forget(*, kind: str, object_id: int) -> None:
    """The object's own rating was withdrawn (a reopened request is rated anew)."""
    Rating.objects.filter(kind=kind, object_id=object_id).delete()
