"""Forms of assignments and the bank: settings, a part of each kind, the rubric,
an extension, grading, a bank question and a GIFT import."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from umka.assignments.models import Assignment, Kind
from umka.consultations.models import Consultation
from umka.core import richtext
from umka.school.models import ProgramPart

LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTime(forms.DateTimeField):
    """A date and time on the school's wall clock (the request runs on it)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL)

    def __init__(self, **kwargs):
        super().__init__(
            input_formats=[LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"], **kwargs
        )


class RichText(forms.CharField):
    def __init__(self, *, upload_url: str = "", rows: int = 6, **kwargs):
        attrs = {"rows": rows}
        if upload_url:
            attrs["data-image-upload"] = upload_url
        kwargs.setdefault(
            "help_text",
            _("Markdown: **bold**, *italic*, lists; maths between $…$; paste images."),
        )
        super().__init__(
            widget=forms.Textarea(attrs=attrs),
            max_length=richtext.MAX_CHARS,
            strip=True,
            **kwargs,
        )


class AssignmentForm(forms.Form):
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
    consultation = forms.ModelChoiceField(
        label=_("Consultation it belongs to"),
        queryset=Consultation.objects.none(),
        required=False,
    )
    opens_at = LocalDateTime(label=_("Opens"))
    due_at = LocalDateTime(label=_("Due"))
    late_allowed = forms.BooleanField(label=_("Accept late work"), required=False)
    attempts_allowed = forms.IntegerField(
        label=_("Attempts"), min_value=1, max_value=20, initial=1
    )
    counts = forms.ChoiceField(
        label=_("Which attempt counts"), choices=Assignment.Counts.choices
    )
    scale = forms.ChoiceField(
        label=_("Grading scale"), choices=Assignment.Scale.choices
    )
    show_scores = forms.ChoiceField(
        label=_("Show automatic scores to the student"),
        choices=Assignment.ShowScores.choices,
    )

    def __init__(self, *args, space, upload_url="", **kwargs):
        super().__init__(*args, **kwargs)
        grade = space.school_class.grade if space.school_class_id else None
        parts = ProgramPart.objects.filter(subject=space.subject_id)
        if grade:
            parts = parts.filter(grade=grade)
        self.fields["program_part"].queryset = parts
        consultations = Consultation.objects.filter(subject=space.subject_id)
        if space.school_class_id:
            consultations = consultations.filter(audience_classes=space.school_class_id)
        self.fields["consultation"].queryset = consultations.distinct()
        self.fields["instructions"].widget.attrs["data-image-upload"] = upload_url


PART_FIELDS = {
    Kind.SINGLE: ("choices",),
    Kind.MULTIPLE: ("choices",),
    Kind.SHORT: ("answers",),
    Kind.NUMBER: ("number", "tolerance"),
    Kind.MATCHING: ("pairs",),
    Kind.ORDERING: ("items",),
    Kind.TEXT: (),
    Kind.FILE: (),
}


class PartForm(forms.Form):
    """A question of one kind: the text, points and the kind's answer key."""

    text = RichText(label=_("Question"), rows=4)
    points = forms.DecimalField(
        label=_("Points"), min_value=0, max_value=1000, initial=Decimal(1)
    )
    choices = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "One a line; «+» at the start marks a right one, «+50%» partial credit."
        ),
    )
    answers = forms.CharField(
        label=_("Accepted answers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One a line; case, extra spaces and ё/е do not matter."),
    )
    number = forms.CharField(label=_("Right number"), required=False, max_length=40)
    tolerance = forms.CharField(
        label=_("Tolerance (±)"), required=False, max_length=40, initial="0"
    )
    pairs = forms.CharField(
        label=_("Pairs"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One pair a line: «left -> right»."),
    )
    items = forms.CharField(
        label=_("Items in the right order"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One a line; students see them shuffled."),
    )
    feedback = forms.CharField(
        label=_("Explanation shown after grading"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, kind: str, upload_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name, fields in PART_FIELDS.items():
            if name != kind:
                for field in fields:
                    if field not in PART_FIELDS[kind]:
                        self.fields.pop(field, None)
        self.fields["text"].widget.attrs["data-image-upload"] = upload_url


class BankQuestionForm(PartForm):
    name = forms.CharField(
        label=pgettext_lazy("question", "Name"), max_length=200, required=False
    )
    category = forms.CharField(label=_("Category"), max_length=200, required=False)
    program_part = forms.ModelChoiceField(
        label=_("Program part"), queryset=ProgramPart.objects.none(), required=False
    )

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program_part"].queryset = parts


class RubricForm(forms.Form):
    rows = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One a line: «criterion | points», e.g. «Ход решения | 3»."),
    )

    def parsed(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["rows"].splitlines():
            if line.strip():
                title, _bar, points = line.rpartition("|")
                rows.append((title.strip(), (points.strip() or "0").replace(",", ".")))
        return rows


class ExtensionForm(forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=None)
    due_at = LocalDateTime(label=_("New due date"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda u: u.full_name


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What to redo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class GiftImportForm(forms.Form):
    file = forms.FileField(label=_("GIFT file (.txt)"), required=False)
    text = forms.CharField(
        label=_("…or paste the questions"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
    )
    program_part = forms.ModelChoiceField(
        label=_("Program part"), queryset=ProgramPart.objects.none(), required=False
    )

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program_part"].queryset = parts
