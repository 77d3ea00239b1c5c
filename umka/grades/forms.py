from django import forms
from django.utils.translation import gettext_lazy as _

from umka.grades.models import HIGHEST_GRADE, LOWEST_GRADE, SHORT_FORMS, Grade
from umka.grades.work_types import WORK_TYPES

#: The kinds of work offered while typing (any other may be typed).
WORK_TYPE_SUGGESTIONS = tuple(WORK_TYPES)


class LessonForm(forms.Form):
    """Which lesson's work the grades are for: a day, a topic, a kind of work."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    work_type = forms.CharField(
        label=_("Kind of work"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "work-types"}),
    )

    def clean(self):
        data = super().clean()
        if (
            not (data.get("topic") or "").strip()
            and not (data.get("work_type") or "").strip()
        ):
            raise forms.ValidationError(_("Give the topic or the kind of work."))
        return data


GRADE_CHOICES = [
    ("", "—"),
    *((str(v), str(v)) for v in range(HIGHEST_GRADE, LOWEST_GRADE - 1, -1)),
    *SHORT_FORMS.items(),
]


def sheet_value(value: str) -> int | str:
    """A choice of the sheet: a mark as a number, the other kinds by name."""
    return int(value) if value.isdigit() else value


def initial_value(grade: Grade) -> int | str:
    """What the sheet shows for a stored entry."""
    return grade.value if grade.is_mark else grade.kind


def grade_field_name(student_id: int) -> str:
    return f"grade_{student_id}"


class GradesForm(forms.Form):
    """A grade (or nothing) for each student of the class on that day."""

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = list(students)
        for student in self.students:
            self.fields[grade_field_name(student.pk)] = forms.TypedChoiceField(
                label=student.full_name,
                choices=GRADE_CHOICES,
                coerce=sheet_value,
                empty_value=None,
                required=False,
            )

    def rows(self):
        return [(s, self[grade_field_name(s.pk)]) for s in self.students]

    def values(self) -> dict[int, int | str | None]:
        return {
            s.pk: self.cleaned_data.get(grade_field_name(s.pk)) for s in self.students
        }
