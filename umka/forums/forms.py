"""Forms of forums: a new thread, a reply, editing, hiding, a report, a graded
discussion and its grade."""

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.assignments.forms import RichText
from umka.forums.services import POST_MAX


class PostText(RichText):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.max_length = POST_MAX
        self.widget.attrs["maxlength"] = POST_MAX


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Thread title"), max_length=200)
    body = PostText(label=_("Message"), rows=6)
    pinned = forms.BooleanField(
        label=_("An announcement: pinned at the top for everyone"), required=False
    )


class ReplyForm(forms.Form):
    body = PostText(label=_("Your reply"), rows=4)


class EditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    body = PostText(label=_("Message"), rows=6)


class DiscussionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("The lesson topic, as the e-journal shows it."),
    )
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The students' posts of these days are graded; the next day they wait "
            "in «To grade»."
        ),
    )


class GradeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    mark = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[("", "—"), (5, "5"), (4, "4"), (3, "3"), (2, "2")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    review = RichText(label=_("Review"), required=False, rows=6)
