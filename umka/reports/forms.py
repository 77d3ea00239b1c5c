"""The report's period and filters, and the monthly report's settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.accounts.models import STAFF_ROLES, User
from umka.core import clock
from umka.reports.models import MonthlyReportSetting
from umka.reports.periods import KINDS, Period, period_of
from umka.school.models import SchoolClass, Subject

#: The longest span of dates a report covers.
MAX_DAYS = 800


def staff_people():
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=STAFF_ROLES)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.username


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=list(KINDS.items()), initial="month"
    )
    on = forms.DateField(
        label=_("Containing the day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    first = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    staff = PersonChoice(
        label=_("Staff member"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )
    subject = forms.ModelChoiceField(
        label=_("Department (subject)"),
        queryset=Subject.objects.order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    school_class = forms.ModelChoiceField(
        label=_("Class"),
        queryset=SchoolClass.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_people()
        self.fields["school_class"].queryset = SchoolClass.objects.select_related(
            "year"
        ).order_by("-year__starts_on", "grade", "letter")

    def clean(self):
        data = super().clean()
        if data.get("period") == "dates":
            first, last = data.get("first"), data.get("last")
            if not first or not last:
                raise forms.ValidationError(_("Give both dates of the period."))
            if last < first:
                raise forms.ValidationError(
                    _("The period ends before it starts: swap the dates.")
                )
            if (last - first).days > MAX_DAYS:
                raise forms.ValidationError(
                    _("A report covers at most %(days)s days.") % {"days": MAX_DAYS}
                )
        return data

    def chosen_period(self) -> Period:
        data = self.cleaned_data
        if data["period"] == "dates":
            return Period("dates", data["first"], data["last"])
        return period_of(data["period"], data.get("on") or clock.today())


def default_period() -> Period:
    return period_of("month", clock.today())


class MonthlySettingForm(forms.ModelForm):
    class Meta:
        model = MonthlyReportSetting
        fields = ["enabled", "day", "hour"]
