"""The person's upcoming consultations that the viewer (or their child) attends,
on the person's profile (umka.core.profile_actions)."""

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from umka.consultations import policies
from umka.consultations.models import Occurrence
from umka.core import clock
from umka.core.profile_actions import ProfileAction, register

DAYS = 28
LIMIT = 5


@register
def upcoming(viewer, person) -> list[ProfileAction]:
    now = timezone.now()
    sessions = list(
        Occurrence.objects.filter(
            consultation__in=policies.consultations_for(viewer).filter(
                organiser=person
            ),
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=DAYS),
        )
        .exclude(status=Occurrence.Status.CANCELLED)
        .select_related("consultation__subject")
        .order_by("starts_at")[:LIMIT]
    )
    if not sessions:
        return []
    items = [
        (
            "{} · {}".format(
                formats.date_format(clock.local(o.starts_at), "D d.m H:i"),
                o.consultation.subject.name
                if o.consultation.subject_id
                else o.consultation.get_form_display(),
            ),
            reverse("consultations:detail", args=[o.consultation_id]),
        )
        for o in sessions
    ]
    return [
        ProfileAction(
            label=_("Upcoming consultations"),
            url=reverse("consultations:mine"),
            items=items,
            code="consultations",
        )
    ]
