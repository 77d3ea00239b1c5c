"""Which sections of the home page a person sees: one per role they hold (R3).

The home page is everyone's own (no other person's row is fetched here), so the
rules are about the viewer's roles only; each section's selector then reads what
that role may see.
"""

from umka.accounts.models import STAFF_ROLES, Role, User

ADMINISTRATION = "administration"
CONSULTATIONS = "consultations"
TEACHING = "teaching"
WORK = "work"
FAMILY = "family"
STUDIES = "studies"


def sections_for(user: User) -> frozenset[str]:
    """The sections of `user`'s home page (requests and bookings show to all)."""
    if not user.is_authenticated:
        return frozenset()
    sections = set()
    if user.is_administration:
        sections.add(ADMINISTRATION)
    if user.roles or user.is_superuser:
        sections.add(CONSULTATIONS)
    if user.is_teacher:
        sections.add(TEACHING)
    if user.roles & (STAFF_ROLES - {Role.TEACHER}):
        sections.add(WORK)
    if user.is_parent:
        sections.add(FAMILY)
    if user.is_student:
        sections.add(STUDIES)
    return frozenset(sections)
