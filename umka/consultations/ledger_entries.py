"""Group consultation sessions a student's audience had, for the help ledger
(`umka.ledger.sources`): held sessions for the student's classes or for them by
name. Two queries, however many sessions."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.consultations.models import Consultation, Occurrence
from umka.ledger import sources
from umka.school.models import Enrolment


def held_sessions(student, start, end) -> list[sources.Entry]:
    classes = Enrolment.objects.filter(student=student).values("school_class")
    consultations = Consultation.objects.filter(
        Q(audience_classes__in=classes) | Q(audience_students=student)
    ).exclude(form=Consultation.Form.INDIVIDUAL)
    sessions = Occurrence.objects.filter(
        status=Occurrence.Status.HELD,
        starts_at__gte=start,
        starts_at__lt=end,
        consultation__in=consultations.values("pk"),
    ).select_related("consultation__subject", "consultation__organiser")
    return [
        sources.Entry(
            kind=_("Group consultation"),
            happened_at=occurrence.starts_at,
            title=(
                occurrence.consultation.subject.name
                if occurrence.consultation.subject_id
                else occurrence.consultation.get_form_display()
            ),
            staff=occurrence.consultation.organiser.full_name,
            detail=occurrence.consultation.topics
            or occurrence.consultation.description,
            url=reverse("consultations:session", args=[occurrence.pk]),
        )
        for occurrence in sessions
    ]


sources.register(held_sessions)
