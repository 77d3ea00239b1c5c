"""Who sees which ratings (R13): staff their own, without names; the
administration (director, deputy heads) everyone's, with names."""

from django.db.models import QuerySet

from umka.accounts.models import STAFF_ROLES, Role
from umka.ratings.models import Rating

#: Who reads ratings with the raters' names.
OVERSEERS = frozenset({Role.DIRECTOR, Role.DEPUTY_HEAD})


def can_rate(user) -> bool:
    """Students and parents rate the help they received."""
    return user.is_authenticated and (user.is_student or user.is_parent)


def can_see_own_ratings(user) -> bool:
    return user.is_authenticated and bool(user.roles & STAFF_ROLES)


def can_see_names(user) -> bool:
    """The director and the deputy heads see who rated and every staff member."""
    return user.is_authenticated and (user.is_superuser or bool(user.roles & OVERSEERS))


def can_open_ratings(user) -> bool:
    return can_rate(user) or can_see_own_ratings(user) or can_see_names(user)


def ratings_visible_to(user) -> QuerySet[Rating]:
    """Ratings whose score and comment `user` may read."""
    if can_see_names(user):
        return Rating.objects.all()
    if can_see_own_ratings(user):
        return Rating.objects.filter(staff=user)
    return Rating.objects.none()
