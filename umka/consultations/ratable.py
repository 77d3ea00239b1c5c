"""Group consultation sessions as help to rate (R13): a held session, by the
students of its audience and by their parents (`umka.ratings.kinds`)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from umka.consultations.models import Consultation, Occurrence
from umka.consultations.policies import consultations_for
from umka.core import clock
from umka.ratings import kinds

KIND = "consultations.session"


def title(occurrence: Occurrence) -> str:
    consultation = occurrence.consultation
    what = (
        consultation.subject.name
        if consultation.subject_id
        else consultation.get_form_display()
    )
    when = formats.date_format(clock.local(occurrence.starts_at), "d.m.Y H:i")
    return f"{what} · {when}"


def held_sessions(user, since, object_id) -> list[kinds.Ratable]:
    if not (user.is_student or user.is_parent):
        return []
    sessions = Occurrence.objects.filter(
        status=Occurrence.Status.HELD,
        ends_at__lte=clock.now(),
        consultation__in=consultations_for(user).values("pk"),
    ).exclude(consultation__form=Consultation.Form.INDIVIDUAL)
    if since is not None:
        sessions = sessions.filter(ends_at__gte=since)
    if object_id is not None:
        sessions = sessions.filter(pk=object_id)
    student_id = user.pk if user.is_student else None
    return [
        kinds.Ratable(
            kind=KIND,
            object_id=occurrence.pk,
            title=title(occurrence),
            staff_id=occurrence.consultation.organiser_id,
            happened_at=occurrence.ends_at,
            student_id=student_id,
            url=reverse("consultations:session", args=[occurrence.pk]),
        )
        for occurrence in sessions.select_related("consultation__subject")[:200]
    ]


kinds.register(
    kinds.Kind(code=KIND, label=_("Group consultation"), candidates=held_sessions)
)
