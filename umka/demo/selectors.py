"""Reads about the demo school: its accounts and a fingerprint of what is loaded."""

from collections import defaultdict

from umka.accounts.models import ParentLink, RoleAssignment, User
from umka.demo.builder import digest_of
from umka.demo.logins import DEMO_LOGINS, DemoLogin
from umka.school.models import Enrolment


def demo_accounts() -> list[tuple[DemoLogin, User | None]]:
    """Each demo login with its person (None if that account is missing)."""
    users = User.objects.in_bulk(
        [login.username for login in DEMO_LOGINS], field_name="username"
    )
    return [(login, users.get(login.username)) for login in DEMO_LOGINS]


def loaded_digest() -> str:
    """The same fingerprint as DemoPlan.digest(), read from the database."""
    roles: dict[str, list[str]] = defaultdict(list)
    for username, role in RoleAssignment.objects.values_list("user__username", "role"):
        roles[username].append(role)
    current = {
        username: f"{grade}{letter}"
        for username, grade, letter in Enrolment.objects.filter(
            ends_on__isnull=True
        ).values_list(
            "student__username", "school_class__grade", "school_class__letter"
        )
    }
    people = [
        (user.username, user.full_name, user.birth_date, current.get(user.username, ""))
        for user in User.objects.filter(is_superuser=False).only(
            "username", "last_name", "first_name", "middle_name", "birth_date"
        )
    ]
    links = [
        (parent, student, kind, verified_at is not None, kept)
        for parent, student, kind, verified_at, kept in ParentLink.objects.values_list(
            "parent__username",
            "student__username",
            "kind",
            "verified_at",
            "kept_by_adult_student",
        )
    ]
    return digest_of(people, roles, links)
