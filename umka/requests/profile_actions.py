"""«Write a request» on a staff member's profile (umka.core.profile_actions)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from umka.accounts.models import STAFF_ROLES
from umka.core.profile_actions import ProfileAction, register
from umka.requests import policies


@register
def write_a_request(viewer, person) -> list[ProfileAction]:
    if not (person.roles & STAFF_ROLES) or not policies.can_write(viewer):
        return []
    return [
        ProfileAction(
            label=_("Write a request (обращение)"),
            url=reverse("requests:new"),
            code="request",
        )
    ]
