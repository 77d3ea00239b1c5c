"""Forms of the library: parse input only; the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.consultations.models import Consultation
from umka.consultations.widgets import DateInput, TimeInput
from umka.core import clock
from umka.courses.models import CourseSpace
from umka.courses.policies import spaces_taught_by, spaces_visible_to
from umka.materials import policies
from umka.materials.models import Material
from umka.school.models import ProgramPart, Subject


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=400)
    description = forms.CharField(
        label=_("Short description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    url = forms.CharField(label=_("Link"), required=False, max_length=1000)
    body = forms.CharField(
        label=_("Page text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown; maths between $…$ or $$…$$."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "PDF, DOCX, ODT, PPTX, XLSX, ODS, images, text; a video: MP4 or WebM."
        ),
    )
    purpose = forms.ChoiceField(
        label=_("What it tells"), choices=Material.Purpose.choices
    )
    audience = forms.ChoiceField(label=_("For whom"), choices=Material.Audience.choices)
    classes = forms.ModelMultipleChoiceField(
        label=_("Classes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"), queryset=Subject.objects.all(), required=False
    )
    program_part = forms.ModelChoiceField(
        label=_("Program part"),
        queryset=ProgramPart.objects.select_related("subject"),
        required=False,
    )
    space = forms.ModelChoiceField(
        label=_("Course space"), queryset=CourseSpace.objects.none(), required=False
    )
    consultation = forms.ModelChoiceField(
        label=_("Consultation"), queryset=Consultation.objects.none(), required=False
    )
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].queryset = policies.classes_to_choose(user).order_by(
            "grade", "letter"
        )
        spaces = (
            spaces_visible_to(user)
            if policies.sees_everything(user)
            else spaces_taught_by(user)
        )
        self.fields["space"].queryset = spaces.filter(archived_at__isnull=True)
        self.fields["consultation"].queryset = policies.consultations_to_choose(
            user
        ).select_related("subject")


class PublishForm(forms.Form):
    """Publish now, or at a date and time of the school's clock."""

    day = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput)

    def moment(self):
        day, time = self.cleaned_data.get("day"), self.cleaned_data.get("time")
        if not day:
            return None
        return clock.at(
            day,
            time or clock.local(clock.now()).time().replace(second=0, microsecond=0),
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    subject = forms.ModelChoiceField(
        label=_("Subject"), queryset=Subject.objects.all(), required=False
    )
    school_class = forms.IntegerField(required=False, widget=forms.HiddenInput)
    program_part = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Any kind")), *Material.Kind.choices],
        required=False,
    )
