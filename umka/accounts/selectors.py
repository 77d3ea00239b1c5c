"""Reads about people."""

from umka.accounts.models import ParentLink, User
from umka.accounts.policies import active_parent_links
from umka.core import clock
from umka.school.models import Contract
from umka.school.selectors import current_enrolment


def person_profile(person: User) -> dict:
    """What a profile page shows: class, family links and contract position."""
    today = clock.today()
    active_ids = set(
        active_parent_links(today).filter(student=person).values_list("pk", flat=True)
    ) | set(
        active_parent_links(today).filter(parent=person).values_list("pk", flat=True)
    )
    parents = list(ParentLink.objects.filter(student=person).select_related("parent"))
    children = list(ParentLink.objects.filter(parent=person).select_related("student"))
    for link in (*parents, *children):
        link.is_active = link.pk in active_ids
    return {
        "enrolment": current_enrolment(person, today) if person.is_student else None,
        "parent_links": parents,
        "child_links": children,
        "contract": Contract.objects.filter(person=person).first(),
    }
