"""Forms of requests: thin, the services decide. Attachments are checked here too
(umka.core.uploads), so a wrong file is shown next to the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.core.errors import DomainError
from umka.core.topics import TOPIC_MAX
from umka.core.uploads import DEFAULT_TYPES, check_upload
from umka.requests import selectors
from umka.requests.models import Request
from umka.requests.thread import MAX_FILES, REASON_MAX, TEXT_MAX

ACCEPT = ",".join(f".{ext}" for ext in sorted(DEFAULT_TYPES))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each passes the project's upload check."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": ACCEPT})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleFileField, self).clean(item, initial) for item in items]
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files can be attached at once.")
                % {"count": MAX_FILES}
            )
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except DomainError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


def _files_field():
    return MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Up to %(count)s files: PDF, Word, Excel, PowerPoint, OpenDocument, "
            "JPG, PNG or text."
        )
        % {"count": MAX_FILES},
    )


class RequestForm(forms.Form):
    """A new request. The subject list and the topic suggestions follow the chosen
    student's class (refreshed by htmx, or by «Update» without JavaScript)."""

    student = forms.ChoiceField(label=_("Who the request is about"))
    addressee = forms.ChoiceField(
        label=_("To whom"),
        choices=Request.Addressee.choices,
        widget=forms.RadioSelect,
        initial=Request.Addressee.SUBJECT_TEACHER,
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"),
        queryset=None,
        required=False,
        empty_label=_("— choose —"),
        help_text=_(
            "Needed for a subject teacher: the request goes to who teaches it."
        ),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Request.Category.choices)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=TOPIC_MAX,
        help_text=_("A short name of the topic: pick a suggestion or type your own."),
        widget=forms.TextInput(attrs={"list": "topic-suggestions"}),
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    preferred_answer = forms.ChoiceField(
        label=_("How would you like to be answered?"),
        choices=[("", _("No preference")), *Request.PreferredAnswer.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    files = _files_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = selectors.students_to_write_about(user)
        self.fields["student"].choices = [
            (str(s.pk), _student_label(s)) for s in self.students
        ]
        self.chosen_student = self._chosen_student()
        self.school_class = getattr(self.chosen_student, "current_class", None)
        subjects = selectors.subjects_of_class(self.school_class)
        self.fields["subject"].queryset = subjects
        self.suggestions = selectors.topic_suggestions(
            self._chosen_subject(subjects),
            self.school_class.grade if self.school_class else None,
        )

    def _raw(self, name: str) -> str:
        source = self.data if self.is_bound else self.initial
        return str(source.get(name) or "")

    def _chosen_student(self):
        wanted = self._raw("student")
        chosen = next((s for s in self.students if str(s.pk) == wanted), None)
        return chosen or (self.students[0] if self.students else None)

    def _chosen_subject(self, subjects):
        wanted = self._raw("subject")
        return subjects.filter(pk=int(wanted)).first() if wanted.isdigit() else None

    def clean_student(self):
        return self._chosen_student()

    def clean(self):
        data = super().clean()
        if (
            data.get("addressee") == Request.Addressee.SUBJECT_TEACHER
            and not data.get("subject")
            and "subject" not in self.errors
        ):
            self.add_error("subject", _("Choose the subject the question is about."))
        return data


def _student_label(student) -> str:
    school_class = getattr(student, "current_class", None)
    return (
        f"{student.full_name} ({school_class})" if school_class else student.full_name
    )


class _OwnIds:
    """The request page shows several of these forms at once: each form's element ids
    get its own prefix («reply_text», «answer_text»), so every field keeps its label."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReplyForm(_OwnIds, forms.Form):
    id_prefix = "reply"
    text = forms.CharField(
        label=_("Message"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = _files_field()

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("files"):
            self.add_error("text", _("Write a message."))
        return data


class AnswerForm(_OwnIds, forms.Form):
    id_prefix = "answer"
    kind = forms.ChoiceField(
        label=_("How you answer"),
        choices=Request.AnswerKind.choices,
        widget=forms.RadioSelect,
        initial=Request.AnswerKind.WRITTEN,
    )
    text = forms.CharField(
        label=_("Answer"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For an invitation: when and where. For a group consultation it may "
            "stay empty."
        ),
    )
    link = forms.URLField(
        label=_("Link to the individual consultation"),
        required=False,
        assume_scheme="https",
        help_text=_("Optional: the room's address."),
    )
    consultation = forms.ModelChoiceField(
        label=_("Group consultation"),
        queryset=None,
        required=False,
        empty_label=_("— choose —"),
        help_text=_("Your consultations on separate topics the student may attend."),
    )
    files = _files_field()

    def __init__(self, *args, user, req, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = selectors.consultations_for_folding(
            user, req
        )


class RedirectForm(_OwnIds, forms.Form):
    id_prefix = "redirect"
    to = forms.ModelChoiceField(
        label=_("Pass on to"), queryset=None, empty_label=_("— choose —")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The requester sees it."),
    )

    def __init__(self, *args, req, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = selectors.redirect_candidates(req)
        self.fields["to"].label_from_instance = lambda u: u.full_name


class RateForm(_OwnIds, forms.Form):
    id_prefix = "rate"
    rating = forms.TypedChoiceField(
        label=_("Your rating of the answer"),
        choices=[
            (5, _("5 — excellent, everything is clear")),
            (4, _("4 — good")),
            (3, _("3 — helped in part")),
            (2, _("2 — helped little")),
            (1, _("1 — did not help")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(_OwnIds, forms.Form):
    id_prefix = "reopen"
    reason = forms.CharField(
        label=_("What is still unclear?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A request can be reopened once; the deadline starts again."),
    )
