"""Who consents for whom, who may export or anonymise whose data (152-ФЗ, R3)."""

from django.db.models import QuerySet
from django.http import Http404

from umka.accounts.models import Role, User
from umka.accounts.policies import children_of, is_adult, is_parent_of
from umka.core.access import get_visible_or_404


def needs_consent(person: User) -> bool:
    """Students and parents. Staff data is processed under the labour contract."""
    if person.is_superuser or person.is_school_staff:
        return False
    return person.is_student or person.is_parent


def consent_subjects_for(user: User) -> list[User]:
    """The people `user` gives consent for: themself (a parent, an adult student)
    and each minor child over whom they have rights."""
    if not user.is_authenticated or not needs_consent(user):
        return []
    subjects = []
    if user.is_parent or is_adult(user):
        subjects.append(user)
    if user.is_parent:
        subjects.extend(
            c
            for c in children_of(user).order_by("last_name", "first_name", "pk")
            if not is_adult(c)
        )
    return subjects


def can_consent_for(user: User, subject: User) -> bool:
    if not user.is_authenticated or not needs_consent(subject):
        return False
    if subject.pk == user.pk:
        return user.is_parent or is_adult(user)
    return user.is_parent and is_parent_of(user, subject) and not is_adult(subject)


def export_subjects_for(user: User) -> list[User]:
    """Whose data `user` may download from their own page: themself and, for a
    parent, the children over whom they have rights now."""
    if not user.is_authenticated:
        return []
    people = [user]
    if user.is_parent:
        people.extend(children_of(user).order_by("last_name", "first_name", "pk"))
    return people


def can_export(user: User, subject: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == subject.pk or can_manage_personal_data(user):
        return True
    return user.is_parent and is_parent_of(user, subject)


def can_manage_personal_data(user: User) -> bool:
    """The school administrator and the director answer a person's request and
    anonymise those who left."""
    return user.is_authenticated and (
        user.is_school_admin or user.has_role(Role.DIRECTOR)
    )


def people_managed_by(user: User) -> QuerySet[User]:
    if not can_manage_personal_data(user):
        return User.objects.none()
    return User.objects.all()


def access_export_subject(user: User, pk) -> User:
    """A person whose data `user` may export, else 404."""
    person = get_visible_or_404(User.objects.all(), pk=pk)
    if not can_export(user, person):
        raise Http404
    return person


def access_consent_subject(user: User, pk) -> User:
    person = get_visible_or_404(User.objects.all(), pk=pk)
    if not can_consent_for(user, person):
        raise Http404
    return person


def access_managed_person(user: User, pk) -> User:
    return get_visible_or_404(people_managed_by(user), pk=pk)


def can_open_privacy(user) -> bool:
    return user.is_authenticated
