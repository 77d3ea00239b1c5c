"""Every change to people, roles and parent links goes through these functions.

Each one validates, writes inside a transaction and records the audit entry (R13).
"""

import secrets
import string

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from umka.accounts import policies
from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.audit.services import record
from umka.core.errors import DomainError

# No look-alike characters (0/O, 1/l/I): the list is printed and typed by hand.
_ONE_TIME_ALPHABET = "".join(
    c for c in string.ascii_letters + string.digits if c not in "0O1lI"
)


def one_time_password(length: int = 12) -> str:
    return "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(length))


def hash_one_time_password(raw: str) -> str:
    """Hash with the fast hasher meant for random one-time passwords only."""
    return make_password(raw, hasher="umka_onetime_pbkdf2")


def user_create(
    *,
    actor: User | None,
    username: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    email: str = "",
    phone: str = "",
    birth_date=None,
    roles: tuple[str, ...] = (),
    password: str | None = None,
    request=None,
) -> tuple[User, str | None]:
    """Create a person with roles.

    Without `password` a one-time password is generated, returned (the only time it
    is ever visible) and must be changed at first sign-in.
    """
    one_time = None
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise DomainError(
                _("The login «%(username)s» is already taken.") % {"username": username}
            )
        user = User(
            username=username,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            email=email,
            phone=phone,
            birth_date=birth_date,
        )
        if password is None:
            one_time = one_time_password()
            user.password = hash_one_time_password(one_time)
            user.must_change_password = True
        else:
            user.set_password(password)
        user.save()
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role, granted_by=actor)
        record(
            actor=actor,
            action="accounts.person_created",
            target=user,
            changes={"roles": sorted(roles)},
            request=request,
        )
    return user, one_time


def role_grant(*, actor: User | None, user: User, role: str, request=None) -> bool:
    """Give `user` a role. Returns False if they already had it (nothing changes)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role «%(role)s».") % {"role": role})
    with transaction.atomic():
        _assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, defaults={"granted_by": actor}
        )
        if created:
            record(
                actor=actor,
                action="accounts.role_granted",
                target=user,
                changes={"role": [None, role]},
                request=request,
            )
    user.__dict__.pop("roles", None)
    return created


def role_revoke(*, actor: User | None, user: User, role: str, request=None) -> bool:
    """Take a role away. Returns False if the person did not hold it."""
    with transaction.atomic():
        deleted, _detail = RoleAssignment.objects.filter(user=user, role=role).delete()
        if deleted:
            record(
                actor=actor,
                action="accounts.role_revoked",
                target=user,
                changes={"role": [role, None]},
                request=request,
            )
    user.__dict__.pop("roles", None)
    return bool(deleted)


def parent_link_create(
    *,
    actor: User | None,
    parent: User,
    student: User,
    kind: str,
    verified: bool = False,
    request=None,
) -> ParentLink:
    """Link a parent (законный представитель) to a student; verify it now if asked."""
    if parent.pk == student.pk:
        raise DomainError(_("A person cannot be their own parent."))
    if kind not in ParentLink.Kind.values:
        raise DomainError(_("Unknown kind of link «%(kind)s».") % {"kind": kind})
    try:
        with transaction.atomic():
            link = ParentLink.objects.create(
                parent=parent,
                student=student,
                kind=kind,
                verified_at=timezone.now() if verified else None,
                verified_by=actor if verified and actor else None,
            )
            record(
                actor=actor,
                action="accounts.parent_link_created",
                target=link,
                changes={"kind": kind, "verified": verified},
                request=request,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(parent)s is already linked to %(student)s.")
            % {"parent": parent, "student": student}
        ) from exc
    return link


def parent_link_verify(*, actor: User, link: ParentLink, request=None) -> ParentLink:
    """The administrator confirms the link (documents checked)."""
    if link.verified_at is not None:
        return link
    with transaction.atomic():
        link.verified_at = timezone.now()
        link.verified_by = actor
        link.save(update_fields=["verified_at", "verified_by"])
        record(
            actor=actor,
            action="accounts.parent_link_verified",
            target=link,
            changes={"verified": [False, True]},
            request=request,
        )
    return link


def parent_link_set_kept(
    *, actor: User, link: ParentLink, kept: bool, request=None
) -> ParentLink:
    """R3: an adult student decides whether a parent keeps access after 18 (the
    school administrator may record that decision for them)."""
    if not policies.can_set_link_kept(actor, link):
        raise DomainError(_("You may not do this."), code="forbidden")
    if link.kept_by_adult_student == kept:
        return link
    with transaction.atomic():
        link.kept_by_adult_student = kept
        link.save(update_fields=["kept_by_adult_student"])
        record(
            actor=actor,
            action="accounts.parent_link_kept_changed",
            target=link,
            changes={"kept_by_adult_student": [not kept, kept]},
            request=request,
        )
    return link


def parent_link_remove(*, actor: User, link: ParentLink, request=None) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action="accounts.parent_link_removed",
            target=link,
            changes={"kind": link.kind, "verified": link.is_verified},
            request=request,
        )
        link.delete()
