"""Forms of the glossary: an entry, the teacher's return and grade."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.assignments.forms import RichText
from umka.school.models import ProgramPart


class EntryForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=200)
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: synonyms, abbreviations, other spellings."),
    )
    definition = RichText(label=_("Definition"))
    program_part = forms.ModelChoiceField(
        label=_("Program part"), queryset=ProgramPart.objects.none(), required=False
    )

    def __init__(self, *args, space, upload_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition"].widget.attrs["data-image-upload"] = upload_url
        self.fields["program_part"].queryset = program_parts(space)


def program_parts(space):
    parts = ProgramPart.objects.filter(subject=space.subject)
    if space.school_class_id:
        parts = parts.filter(grade=space.school_class.grade)
    return parts.order_by("grade", "number")


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What to correct"), widget=forms.Textarea(attrs={"rows": 3})
    )


class GradeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    mark = forms.TypedChoiceField(
        label=_("Grade for the contribution"),
        choices=[("", "—"), (5, "5"), (4, "4"), (3, "3"), (2, "2")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    review = RichText(label=_("Review"), required=False, rows=4)
