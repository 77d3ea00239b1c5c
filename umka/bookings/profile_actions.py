"""«Book an individual consultation» with this organiser, on their profile
(umka.core.profile_actions): only when the family may book them now."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from umka.bookings import policies, selectors
from umka.core.profile_actions import ProfileAction, register


@register
def book(viewer, person) -> list[ProfileAction]:
    now = timezone.now()
    for student in policies.students_for(viewer):
        organiser = selectors.organisers_for(student, now).filter(pk=person.pk).first()
        if organiser is not None and organiser.free_slots:
            query = urlencode({"student": student.pk, "organiser": person.pk})
            return [
                ProfileAction(
                    label=_("Book an individual consultation"),
                    url=f"{reverse('bookings:find')}?{query}#slots",
                    code="book",
                )
            ]
    return []
