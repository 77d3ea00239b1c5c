"""Forms of a session's page: move, cancel, the R12 checklist and its materials."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.consultations.models import Occurrence
from umka.consultations.planning.forms import day_text
from umka.consultations.widgets import DateInput, TimeInput
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.school.models import Holiday


def _holiday_on(occurrence: Occurrence, day: dt.date) -> bool:
    return Holiday.objects.filter(
        year=occurrence.consultation.schedule.year_id,
        starts_on__lte=day,
        ends_on__gte=day,
    ).exists()


class MoveForm(forms.Form):
    new_date = forms.DateField(label=_("New date"), widget=DateInput)
    new_time = forms.TimeField(label=_("New start time"), widget=TimeInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Say why the session is moved.")},
    )

    def __init__(self, *args, occurrence: Occurrence, **kwargs):
        # Its own ids: the cancel form on the same page has a «reason» too.
        kwargs.setdefault("auto_id", "move_%s")
        super().__init__(*args, **kwargs)
        self.occurrence = occurrence

    def clean(self):
        data = super().clean()
        day, time = data.get("new_date"), data.get("new_time")
        if day is None or time is None:
            return data
        # occurrence_move() checks these too; here the refusal sits by the field.
        schedule = self.occurrence.consultation.schedule
        if not (schedule.starts_on <= day <= schedule.ends_on):
            raise forms.ValidationError(
                _(
                    "The date %(date)s lies outside the schedule's period "
                    "%(start)s–%(end)s."
                )
                % {
                    "date": day_text(day),
                    "start": day_text(schedule.starts_on),
                    "end": day_text(schedule.ends_on),
                }
            )
        if _holiday_on(self.occurrence, day):
            raise forms.ValidationError(
                _("%(date)s falls on holidays: choose another date.")
                % {"date": day_text(day)}
            )
        data["starts_at"] = dt.datetime.combine(day, time, tzinfo=clock.zone())
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Say why the session is cancelled.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel_%s")
        super().__init__(*args, **kwargs)


class ChecklistItemForm(forms.Form):
    done = forms.BooleanField(label=_("Done"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was covered, e.g. task numbers."),
    )


#: What a checklist material may be (the project's one upload check knows them all).
MATERIAL_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "jpg", "jpeg", "png", "txt")


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in MATERIAL_TYPES)}
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the file's name."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, allowed=MATERIAL_TYPES)
        except DomainError as error:
            raise forms.ValidationError(error.messages) from error
        return upload
