"""Forms of seminars: settings, a student's work, the teacher's grades, taking
a student out. Criteria and assessments are read from the posted rows by the
views (their number varies)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.assignments.forms import LocalDateTime, RichText
from umka.school.models import ProgramPart
from umka.seminars.models import Seminar


class SeminarForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("The lesson topic, as the e-journal shows it."),
    )
    instructions = RichText(label=_("Instructions"), required=False)
    program_part = forms.ModelChoiceField(
        label=_("Program part"), queryset=ProgramPart.objects.none(), required=False
    )
    opens_at = LocalDateTime(label=_("Submission opens"))
    submission_due_at = LocalDateTime(label=_("Submission due"))
    assessment_due_at = LocalDateTime(label=_("Peer assessment due"))
    by_date = forms.BooleanField(
        label=_("Switch the phases by these dates"), required=False, initial=True
    )
    late_allowed = forms.BooleanField(
        label=_("Accept late work during the peer assessment"), required=False
    )
    peers = forms.IntegerField(
        label=_("Each work is assessed by"),
        min_value=1,
        max_value=10,
        initial=3,
        help_text=_("Classmates; everybody else when the class is smaller."),
    )
    allocation = forms.ChoiceField(
        label=_("Who assesses whom"), choices=Seminar.Allocation.choices
    )

    def __init__(self, *args, space, upload_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructions"].widget.attrs["data-image-upload"] = upload_url
        grade = space.school_class.grade if space.school_class_id else None
        parts = ProgramPart.objects.filter(subject=space.subject)
        if grade:
            parts = parts.filter(grade=grade)
        self.fields["program_part"].queryset = parts.order_by("grade", "number")


class WorkForm(forms.Form):
    title = forms.CharField(label=_("Title of your work"), max_length=200)
    text = RichText(label=_("Your work"), required=False, rows=10)


class GradeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    mark = forms.TypedChoiceField(
        label=_("Grade for the work"),
        choices=[("", "—"), (5, "5"), (4, "4"), (3, "3"), (2, "2")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    review = RichText(label=_("Review of the work"), required=False, rows=8)
    assessing_mark = forms.TypedChoiceField(
        label=_("Grade for assessing classmates' works"),
        choices=[("", "—"), (5, "5"), (4, "4"), (3, "3"), (2, "2")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    assessing_review = RichText(
        label=_("Review of the assessing"), required=False, rows=4
    )


class WithdrawForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why"), max_length=300)
