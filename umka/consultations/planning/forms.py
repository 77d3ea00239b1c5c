"""The planning form (R7, R9–R11). It parses and checks what was typed, with the
plan-level rules of `umka.consultations.rules`; the rules that need the database are
the services' to enforce, and their refusals are shown at the top of the form.
"""

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from umka.accounts.models import User
from umka.accounts.policies import people_visible_to
from umka.consultations import policies, rules
from umka.consultations.models import Consultation
from umka.consultations.planning import selectors
from umka.consultations.widgets import (
    DateInput,
    LimitedTextField,
    OptionAttrsSelect,
    TimeInput,
)
from umka.school.models import ProgramPart, SchoolClass, Subject


def day_text(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


#: What a person may type: enough for a list of topics and a paragraph, short
#: enough for a row of the printed schedule (R8).
TOPICS_MAX = 1000


DESCRIPTION_MAX = 1000


SCHEDULE_STATUS_LABELS = {
    "draft": _("draft"),
    "submitted": _("with the approver"),
    "approved": _("approved: changes are amendments"),
    "published": _("published: changes are amendments"),
}


class PlanForm(forms.Form):
    """Plan a consultation: what, for whom, when (R7, R9–R11).

    The choices depend on the values entered so far (the organiser's subjects and
    classes first; the students of the classes in play; the program parts of the
    chosen subject and grades), so the form reads them from its data — or, when it
    only redraws itself, from `initial`.
    """

    period = forms.ChoiceField(
        label=_("Schedule"), widget=OptionAttrsSelect, help_text=""
    )
    organiser = forms.ChoiceField(label=_("Organiser"))
    subject = forms.ChoiceField(
        label=_("Subject"),
        required=False,
        help_text=_("Leave empty for help that is not about one subject."),
    )
    classes = forms.MultipleChoiceField(
        label=_("Classes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    student_class = forms.ChoiceField(
        label=_("List the students of class"),
        required=False,
        help_text=_("Only to find students; it does not add the class."),
    )
    students = forms.MultipleChoiceField(
        label=_("Chosen students"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For an individual consultation choose exactly one student and no class."
        ),
    )
    for_parents = forms.BooleanField(
        label=_("The parents of these students are invited"), required=False
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=Consultation.Form.choices,
        widget=forms.RadioSelect,
    )
    volume = forms.ChoiceField(
        label=_("Volume"),
        choices=Consultation.Volume.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Volume.OVERVIEW,
    )
    topics = LimitedTextField(
        label=_("Topics"),
        required=False,
        max_length=TOPICS_MAX,
        rows=4,
        help_text=_("One topic per line."),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Consultation.Purpose.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Purpose.ONGOING,
    )
    program_part = forms.ChoiceField(
        label=_("Program part"),
        required=False,
        help_text=_(
            "The parts of the chosen subject for the grade of the chosen classes."
        ),
    )
    recurrence = forms.ChoiceField(
        label=_("Repeats"),
        choices=Consultation.Recurrence.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Recurrence.ONCE,
    )
    starts_on = forms.DateField(label=_("First date"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"),
        min_value=10,
        max_value=240,
        initial=45,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    repeat_until = forms.DateField(
        label=_("Repeat until"), required=False, widget=DateInput
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Leave empty for no limit."),
    )
    description = LimitedTextField(
        label=_("Short description"),
        required=False,
        max_length=DESCRIPTION_MAX,
    )
    how_to_join = forms.CharField(
        label=_("How to join"),
        required=False,
        max_length=300,
        help_text=_("Shown in the published schedule, e.g. the room's address."),
    )
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        required=False,
        max_length=300,
        help_text=_(
            "Needed only when the schedule is already approved: the change is then "
            "an amendment."
        ),
    )

    #: Fields whose change redraws the dependent lists (htmx, or the no-script
    #: «Update the lists» button).
    REFRESH_ON = ("period", "organiser", "subject", "classes", "student_class")

    def __init__(self, *args, user: User, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.coordinator = policies.is_coordinator(user)
        self._periods()
        self._organisers()
        self._subjects()
        self._classes()
        self._students()
        self._program_parts()
        refresh = {
            "hx-get": reverse("consultations:plan_fields"),
            "hx-include": "closest form",
            "hx-swap": "none",
            "hx-trigger": "change",
        }
        for name in self.REFRESH_ON:
            if name in self.fields:
                self.fields[name].widget.attrs.update(refresh)

    # Reading what was entered so far (bound data, or initial when redrawing).

    def _raw(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or ""
        value = self.initial.get(name)
        return "" if value is None else str(value)

    def _raw_list(self, name: str) -> list[str]:
        if self.is_bound:
            if hasattr(self.data, "getlist"):
                return self.data.getlist(self.add_prefix(name))
            value = self.data.get(self.add_prefix(name)) or []
            return [str(v) for v in (value if isinstance(value, list) else [value])]
        value = self.initial.get(name) or []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]

    @staticmethod
    def _ids(values) -> set[int]:
        return {int(v) for v in values if str(v).isdigit()}

    # Choices.

    def _periods(self) -> None:
        self.open_periods = {
            str(p.period.pk): p for p in selectors.open_periods(self.today)
        }
        field = self.fields["period"]
        field.choices = [
            (
                key,
                _("%(period)s (%(start)s–%(end)s), %(status)s")
                % {
                    "period": p.period,
                    "start": formats.date_format(p.period.starts_on, "d.m"),
                    "end": day_text(p.period.ends_on),
                    "status": SCHEDULE_STATUS_LABELS[p.status],
                },
            )
            for key, p in self.open_periods.items()
        ]
        # A new dict: widgets are copied shallowly from the class's fields.
        field.widget.option_attrs = {}
        for key, p in self.open_periods.items():
            attrs = {"data-ends": p.period.ends_on.isoformat()}
            if p.is_approved:
                attrs["data-approved"] = "1"
            if p.is_submitted and not self.coordinator:
                attrs["disabled"] = True
            field.widget.option_attrs[key] = attrs
        if not self.is_bound and not self.initial.get("period"):
            current = next(
                (
                    key
                    for key, p in self.open_periods.items()
                    if p.period.starts_on <= self.today <= p.period.ends_on
                    and not (p.is_submitted and not self.coordinator)
                ),
                next(iter(self.open_periods), None),
            )
            self.initial["period"] = current
        self.selected_period = self.open_periods.get(self._raw("period"))

    def _organisers(self) -> None:
        own = self.user if policies.can_organise(self.user) else None
        if not self.coordinator:
            del self.fields["organiser"]
            self.organiser_user = own
            return
        self.staff = {str(p.pk): p for p in selectors.staff_people()}
        self.fields["organiser"].choices = [("", "—")] + [
            (
                key,
                f"{p.full_name} — {p.contract.position}"
                if hasattr(p, "contract")
                else p.full_name,
            )
            for key, p in self.staff.items()
        ]
        if not self.is_bound and not self.initial.get("organiser") and own:
            self.initial["organiser"] = str(own.pk)
        self.organiser_user = self.staff.get(self._raw("organiser"))

    def _subjects(self) -> None:
        mine, others = selectors.subjects_split(self.organiser_user)
        self.organiser_subjects = mine
        self.subject_map = {str(s.pk): s for s in (*mine, *others)}
        choices: list = [("", _("— not about one subject —"))]
        if mine:
            choices.append((_("Your subjects"), [(str(s.pk), s.name) for s in mine]))
            if others:
                choices.append(
                    (_("Other subjects"), [(str(s.pk), s.name) for s in others])
                )
        else:
            choices += [(str(s.pk), s.name) for s in others]
        self.fields["subject"].choices = choices
        self.chosen_subject = self.subject_map.get(self._raw("subject"))

    def _classes(self) -> None:
        year_ids = {p.period.year_id for p in self.open_periods.values()}
        mine, others = selectors.classes_split(self.organiser_user, year_ids)
        self.organiser_classes = mine
        self.class_map = {str(c.pk): c for c in (*mine, *others)}
        several_years = len(year_ids) > 1

        def label(c: SchoolClass) -> str:
            return f"{c} ({c.year})" if several_years else str(c)

        if mine:
            groups = [(_("Your classes"), [(str(c.pk), label(c)) for c in mine])]
            if others:
                groups.append(
                    (_("Other classes"), [(str(c.pk), label(c)) for c in others])
                )
            self.fields["classes"].choices = groups
        else:
            self.fields["classes"].choices = [(str(c.pk), label(c)) for c in others]
        self.fields["student_class"].choices = [("", "—")] + [
            (key, label(c))
            for key, c in sorted(
                self.class_map.items(), key=lambda kv: (kv[1].grade, kv[1].letter)
            )
        ]
        self.chosen_classes = [
            self.class_map[k] for k in self._raw_list("classes") if k in self.class_map
        ]

    def _extra_student_classes(self) -> set[int]:
        """Classes whose students are listed besides those in play (an edit adds
        the classes of the students already chosen)."""
        return set()

    def _students(self) -> None:
        class_ids = {c.pk for c in self.organiser_classes}
        class_ids |= {c.pk for c in self.chosen_classes}
        class_ids |= self._extra_student_classes()
        extra = self.class_map.get(self._raw("student_class"))
        if extra is not None:
            class_ids.add(extra.pk)
        groups = selectors.students_by_class(class_ids, self.today)
        # Whole classes are open to every planner; named students (minors) only to
        # those who may open their profiles (people_visible_to).
        listed = [s.pk for _c, students in groups for s in students]
        visible = set(
            people_visible_to(
                self.user, self.today, among=User.objects.filter(pk__in=listed)
            ).values_list("pk", flat=True)
        )
        hidden = len(visible) < len(listed)
        groups = [
            (c, shown)
            for c, students in groups
            if (shown := [s for s in students if s.pk in visible])
        ]
        self.student_map = {str(s.pk): s for _c, students in groups for s in students}
        if hidden:
            self.students_hint = _(
                "Only the students you teach can be chosen by name; for the others "
                "tick their whole class."
            )
        elif not groups:
            self.students_hint = _(
                "Tick a class above, or choose one in «List the students of class», "
                "to see its students."
            )
        else:
            self.students_hint = ""
        self.fields["students"].choices = [
            (str(c), [(str(s.pk), s.full_name) for s in students])
            for c, students in groups
        ]

    def _program_parts(self) -> None:
        if self.chosen_subject is not None:
            subject_ids = [self.chosen_subject.pk]
        else:
            subject_ids = [s.pk for s in self.organiser_subjects]
        grades = {c.grade for c in self.chosen_classes} or {
            c.grade for c in self.organiser_classes
        }
        parts = selectors.program_parts(subject_ids, grades) if subject_ids else []
        self.part_map = {str(p.pk): p for p in parts}
        groups: dict[str, list] = {}
        for part in parts:
            heading = _("%(subject)s, grade %(grade)s") % {
                "subject": part.subject.name,
                "grade": part.grade,
            }
            groups.setdefault(heading, []).append(
                (str(part.pk), f"{part.number}. {part.title}")
            )
        self.fields["program_part"].choices = [("", "—"), *groups.items()]

    # Cleaning.

    def clean_period(self):
        chosen = self.open_periods.get(self.cleaned_data["period"])
        if chosen is None:
            raise forms.ValidationError(_("Choose a study period that has not ended."))
        if chosen.is_submitted and not self.coordinator:
            raise forms.ValidationError(
                _(
                    "The schedule of this period is with the approver. It can be "
                    "changed again once it is approved or returned for rework."
                )
            )
        return chosen

    def clean_organiser(self):
        organiser = self.staff.get(self.cleaned_data["organiser"])
        if organiser is None:
            raise forms.ValidationError(_("Choose the organiser."))
        return organiser

    def clean_subject(self) -> Subject | None:
        return self.subject_map.get(self.cleaned_data["subject"])

    def clean_classes(self) -> list[SchoolClass]:
        return [self.class_map[k] for k in self.cleaned_data["classes"]]

    def clean_student_class(self) -> None:
        return None  # a filter for the student list, not part of the audience

    def clean_students(self) -> list[User]:
        return [self.student_map[k] for k in self.cleaned_data["students"]]

    def clean_program_part(self) -> ProgramPart | None:
        return self.part_map.get(self.cleaned_data["program_part"])

    def clean(self):
        data = super().clean()
        period = data.get("period")
        classes = data.get("classes") or []
        if period is not None:
            strangers = [c for c in classes if c.year_id != period.period.year_id]
            if strangers:
                self.add_error(
                    "classes",
                    _("%(classes)s belong to another academic year than %(period)s.")
                    % {
                        "classes": ", ".join(str(c) for c in strangers),
                        "period": period.period,
                    },
                )
            if period.is_approved and not (data.get("reason") or "").strip():
                self.add_error(
                    "reason",
                    _(
                        "The schedule is approved: every change is an amendment and "
                        "needs a reason."
                    ),
                )
        if data.get("purpose") != Consultation.Purpose.ATTESTATION:
            # A program part matters only for attestation (R11); the field is
            # hidden otherwise, so a stale choice must not block the form.
            data["program_part"] = None
            self.errors.pop("program_part", None)
        self._check_rules(data)
        recurring = data.get("recurrence") not in (None, Consultation.Recurrence.ONCE)
        until, first = data.get("repeat_until"), data.get("starts_on")
        if recurring and until and first and until < first:
            self.add_error(
                "repeat_until", _("The last date cannot come before the first one.")
            )
        return data

    #: Findings shown next to their field; the others at the top of the form, where
    #: the service's refusals appear too.
    FINDING_FIELDS = {"part_subject": "program_part", "part_grade": "program_part"}

    def _check_rules(self, data) -> None:
        """The plan's own rules (R10, R11, the program part), worded as the service
        and the schedule board word them (`rules.plan_findings`)."""
        needed = ("form", "volume", "topics", "purpose", "classes")
        if any(name not in data for name in needed):
            return  # a field error already says what is missing
        for finding in rules.plan_findings(
            form=data["form"],
            volume=data["volume"],
            topics=data["topics"],
            purpose=data["purpose"],
            program_part=data.get("program_part"),
            subject=data.get("subject"),
            classes=data["classes"],
        ):
            self.add_error(self.FINDING_FIELDS.get(finding.code), finding.text)

    @property
    def has_field_errors(self) -> bool:
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def plan_kwargs(self) -> dict:
        """The consultation_plan() arguments, but the schedule and the actor."""
        data = self.cleaned_data
        recurring = data["recurrence"] != Consultation.Recurrence.ONCE
        return {
            "organiser": data.get("organiser") or self.organiser_user,
            "subject": data["subject"],
            "classes": data["classes"],
            "students": data["students"],
            "for_parents": data["for_parents"],
            "form": data["form"],
            "volume": data["volume"],
            "topics": data["topics"],
            "purpose": data["purpose"],
            "program_part": data["program_part"],
            "recurrence": data["recurrence"],
            "starts_on": data["starts_on"],
            "start_time": data["start_time"],
            "duration_minutes": data["duration_minutes"],
            "repeat_until": data["repeat_until"] if recurring else None,
            "capacity": data["capacity"],
            "description": data["description"],
            "how_to_join": data["how_to_join"],
            "reason": data["reason"],
        }

    @classmethod
    def initial_from(cls, data) -> dict:
        """The posted values as `initial`: the form redraws itself with them
        without checking anything (htmx refresh, «Update the lists»)."""
        initial: dict = {}
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                initial[name] = data.getlist(name)
            elif name in data:
                initial[name] = data.get(name)
        return initial
