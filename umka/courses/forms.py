"""Forms of course spaces."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.accounts.models import User
from umka.core import clock
from umka.courses import policies, selectors
from umka.school.models import Subject, TeachingAssignment
from umka.school.selectors import current_year


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


class GroupSpaceForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: «Элективный курс „Решение задач с параметром“»."),
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"), queryset=Subject.objects.none()
    )
    students = PersonChoice(
        label=_("Students"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        subjects = Subject.objects.all()
        if not policies.oversees_spaces(user):
            subjects = subjects.filter(
                pk__in=TeachingAssignment.objects.filter(
                    teacher=user,
                    school_class__year__starts_on__lte=clock.today(),
                    school_class__year__ends_on__gte=clock.today(),
                ).values("subject")
            )
        self.fields["subject"].queryset = subjects
        year = current_year(clock.today())
        self.fields["students"].queryset = (
            selectors.students_of_year(year) if year else User.objects.none()
        )


class TeacherAddForm(forms.Form):
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=User.objects.none())

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = selectors.teachers_to_add(space)
        self.fields["teacher"].label_from_instance = lambda u: u.full_name


class GroupStudentsForm(forms.Form):
    students = PersonChoice(
        label=_("Students"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 16}),
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = selectors.students_of_year(space.year)
        if not self.is_bound:
            self.initial["students"] = list(
                policies.students_of(space).values_list("pk", flat=True)
            )
