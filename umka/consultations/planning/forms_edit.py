"""The form that edits a saved consultation (an amendment with a reason once its
schedule is approved, R8): the planning form without what an edit cannot change."""

from django.utils.translation import gettext_lazy as _

from umka.consultations.models import Consultation
from umka.consultations.planning import selectors
from umka.consultations.planning.forms import PlanForm
from umka.school.models import Enrolment


class EditForm(PlanForm):
    """Change a saved consultation: what it is and for whom. Its schedule, its
    organiser and its sessions' dates stay: a session is moved or cancelled on the
    consultation's page. Once the schedule is approved the change is an amendment
    and needs a reason (R8)."""

    FIXED = (
        "period",
        "organiser",
        "recurrence",
        "starts_on",
        "start_time",
        "duration_minutes",
        "repeat_until",
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        for name in self.FIXED:
            self.fields.pop(name, None)

    def _periods(self) -> None:
        schedule = self.consultation.schedule
        chosen = selectors.OpenPeriod(schedule.period, schedule)
        self.open_periods = {str(schedule.period_id): chosen}
        self.selected_period = chosen

    def _organisers(self) -> None:
        self.fields.pop("organiser", None)
        self.organiser_user = self.consultation.organiser

    def _extra_student_classes(self) -> set[int]:
        return set(
            Enrolment.objects.filter(
                student__in=self.consultation.audience_students.all(),
                school_class__year=self.consultation.schedule.year_id,
            ).values_list("school_class", flat=True)
        )

    @property
    def amending(self) -> bool:
        return self.consultation.schedule.is_approved

    def clean(self):
        data = super().clean()
        if self.amending and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                _(
                    "The schedule is approved: every change is an amendment and "
                    "needs a reason."
                ),
            )
        return data

    def edit_kwargs(self) -> dict:
        """The consultation_update() arguments, but the consultation and the actor.
        Chosen students the editor may not see by name were not on the list to
        untick: they stay."""
        data = self.cleaned_data
        unseen = [
            s
            for s in self.consultation.audience_students.all()
            if str(s.pk) not in self.student_map
        ]
        return {
            "subject": data["subject"],
            "classes": data["classes"],
            "students": [*data["students"], *unseen],
            "for_parents": data["for_parents"],
            "form": data["form"],
            "volume": data["volume"],
            "topics": data["topics"],
            "purpose": data["purpose"],
            "program_part": data["program_part"],
            "capacity": data["capacity"],
            "description": data["description"],
            "how_to_join": data["how_to_join"],
            "reason": data["reason"],
        }

    @staticmethod
    def initial_of(consultation: Consultation) -> dict:
        return {
            "subject": str(consultation.subject_id or ""),
            "classes": [str(c.pk) for c in consultation.audience_classes.all()],
            "students": [str(s.pk) for s in consultation.audience_students.all()],
            "for_parents": consultation.for_parents,
            "form": consultation.form,
            "volume": consultation.volume,
            "topics": consultation.topics,
            "purpose": consultation.purpose,
            "program_part": str(consultation.program_part_id or ""),
            "capacity": consultation.capacity,
            "description": consultation.description,
            "how_to_join": consultation.how_to_join,
        }
