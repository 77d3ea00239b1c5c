from django import forms
from django.utils.translation import gettext_lazy as _

from umka.notifications import kinds
from umka.notifications.models import NotificationPreference
from umka.notifications.quiet_hours import QUIET_ROLES


class PreferenceForm(forms.Form):
    """A person's channels. In-app notices are always on, so they are not a field;
    e-mail fields appear only with an address, the evening one only for students
    and parents (staff get e-mail at once)."""

    email_enabled = forms.BooleanField(
        label=_("Send notifications to my e-mail as well"), required=False
    )
    evening_email = forms.BooleanField(
        label=_("Also in the evening and at night (19:00–08:00)"),
        required=False,
        help_text=_(
            "Otherwise e-mail that comes up in the evening waits until 08:00. "
            "Notices in Umka arrive at once either way."
        ),
    )
    remind_day_before = forms.BooleanField(
        label=_("The day before a consultation I am invited to"), required=False
    )
    remind_hour_before = forms.BooleanField(
        label=_("An hour before it starts"),
        required=False,
        help_text=_(
            "A reminder that falls in the quiet hours (19:00–08:00) comes before "
            "they begin, the evening before."
        ),
    )
    email_kinds = forms.MultipleChoiceField(
        label=_("By e-mail, tell me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, person, preference: NotificationPreference, **kwargs):
        self.preference = preference
        registered = kinds.choices()
        muted = set(preference.email_muted_kinds or [])
        kwargs.setdefault(
            "initial",
            {
                "email_enabled": preference.email_enabled,
                "evening_email": preference.evening_email,
                "remind_day_before": preference.remind_day_before,
                "remind_hour_before": preference.remind_hour_before,
                "email_kinds": [
                    code for code, _label in registered if code not in muted
                ],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = registered
        if not QUIET_ROLES & person.roles:
            # Reminders of consultations go to their audience: students, parents.
            del self.fields["remind_day_before"]
            del self.fields["remind_hour_before"]
        if not person.email:
            for name in ("email_enabled", "evening_email", "email_kinds"):
                del self.fields[name]
            return
        if not QUIET_ROLES & person.roles:
            del self.fields["evening_email"]
        if not registered:
            del self.fields["email_kinds"]

    def values(self) -> dict:
        """Arguments for services.preference_update; fields not shown keep their
        stored values."""
        data = self.cleaned_data
        stored = self.preference
        muted = list(stored.email_muted_kinds or [])
        if "email_kinds" in self.fields:
            chosen = set(data["email_kinds"])
            # Kinds no longer registered stay as they were.
            muted = [code for code in muted if not kinds.is_registered(code)] + [
                code for code, _label in kinds.choices() if code not in chosen
            ]
        return {
            "email_enabled": data.get("email_enabled", stored.email_enabled),
            "evening_email": data.get("evening_email", stored.evening_email),
            "email_muted_kinds": muted,
            "remind_day_before": data.get(
                "remind_day_before", stored.remind_day_before
            ),
            "remind_hour_before": data.get(
                "remind_hour_before", stored.remind_hour_before
            ),
        }
