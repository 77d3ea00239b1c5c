"""Consents of the demo school: every parent for themself and each minor child,
every adult student for themself, given on the first day of the school year
(so the demo families can book, write requests and submit work at once).

    from umka.privacy.demo import load_demo_consents, wipe_demo_consents
"""

import datetime as dt

from umka.accounts.models import Role, User
from umka.accounts.policies import active_parent_links
from umka.core.dates import latest_adult_birth_date
from umka.privacy import texts
from umka.privacy.models import Consent


def load_demo_consents(*, today: dt.date, given_at: dt.datetime) -> int:
    version = texts.current().version
    adult_before = latest_adult_birth_date(today)
    rows: dict[int, Consent] = {}
    for link in active_parent_links(today).select_related("student"):
        rows.setdefault(
            link.parent_id,
            Consent(subject_id=link.parent_id, given_by_id=link.parent_id),
        )
        student = link.student
        if student.birth_date is None or student.birth_date > adult_before:
            rows.setdefault(
                student.pk, Consent(subject_id=student.pk, given_by_id=link.parent_id)
            )
    adults = User.objects.filter(
        role_assignments__role=Role.STUDENT, birth_date__lte=adult_before
    ).values_list("pk", flat=True)
    for pk in adults:
        rows.setdefault(pk, Consent(subject_id=pk, given_by_id=pk))
    for consent in rows.values():
        consent.text_version = version
        consent.given_at = given_at
    Consent.objects.bulk_create(rows.values(), batch_size=1000)
    return len(rows)


def wipe_demo_consents() -> None:
    """Before the demo's people are deleted (a consent protects who gave it)."""
    Consent.objects.all().delete()
