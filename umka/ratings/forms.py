from django import forms
from django.utils.translation import gettext_lazy as _

from umka.ratings.services import COMMENT_MAX

SCORES = [(str(n), str(n)) for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score (5 is best)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
