"""Forms of the schedule document screens (R8): thin, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.consultations.schedule import board as boards
from umka.consultations.schedule import selectors as schedule_selectors
from umka.consultations.widgets import DateInput
from umka.core import clock
from umka.school.models import AcademicYear, StudyPeriod


class OpenScheduleForm(forms.Form):
    """Which schedule to open (a draft is created the first time)."""

    year = forms.ModelChoiceField(queryset=AcademicYear.objects.all())
    period = forms.ModelChoiceField(queryset=StudyPeriod.objects.all(), required=False)

    def clean(self):
        data = super().clean()
        period, year = data.get("period"), data.get("year")
        if period is not None and year is not None and period.year_id != year.pk:
            raise forms.ValidationError(
                _("The study period belongs to another academic year.")
            )
        return data


class ApproveForm(forms.Form):
    """«УТВЕРЖДАЮ»: the order is optional."""

    order_number = forms.CharField(
        label=_("Order number"), max_length=50, required=False
    )
    order_date = forms.DateField(
        label=_("Order date"), required=False, widget=DateInput()
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs changing"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DelegationForm(forms.Form):
    """The director authorises a deputy to approve schedules."""

    deputy = forms.ModelChoiceField(
        label=_("Deputy head"), queryset=schedule_selectors.deputies()
    )
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for an authority without an end date."),
    )
    order_number = forms.CharField(
        label=_("Order number"), max_length=50, required=False
    )
    order_date = forms.DateField(
        label=_("Order date"), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = clock.today()
        self.fields["deputy"].label_from_instance = lambda user: user.full_name

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", _("The authority cannot end before it starts.")
            )
        return data


class BoardFilterForm(forms.Form):
    """Narrow the list and the grid; the choices come from the schedule itself."""

    organiser = forms.TypedChoiceField(
        label=_("Organiser"), required=False, coerce=int, empty_value=None
    )
    school_class = forms.TypedChoiceField(
        label=_("Class"), required=False, coerce=int, empty_value=None
    )
    subject = forms.TypedChoiceField(
        label=_("Subject"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, organisers=(), classes=(), subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["organiser"].choices = everyone + list(organisers)
        self.fields["school_class"].choices = everyone + list(classes)
        self.fields["subject"].choices = everyone + list(subjects)

    @classmethod
    def board_filter(cls, query) -> boards.BoardFilter:
        """The filter from the query string, read before the board is built (the
        choices come from the board); a value that is not a number is ignored."""

        def number(name: str) -> int | None:
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        return boards.BoardFilter(
            organiser=number("organiser"),
            school_class=number("school_class"),
            subject=number("subject"),
        )
