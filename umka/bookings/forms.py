"""Forms of the booking screens: they parse input; the services decide."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from umka.bookings.models import Booking, BookingWindow
from umka.bookings.services import NOTE_MAX
from umka.bookings.windows import MAX_DATES
from umka.consultations.recurrence import session_dates
from umka.school.models import Holiday

SLOT_LENGTHS = (10, 15, 20, 30, 45, 60)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class WindowForm(forms.Form):
    """Open a window, once or every week until a date (holidays skipped)."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    repeat_until = forms.DateField(
        label=_("Every week until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for one date. Holidays are skipped."),
    )
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    slot_minutes = forms.TypedChoiceField(
        label=_("Slot length, minutes"),
        choices=[(m, m) for m in SLOT_LENGTHS],
        coerce=int,
        initial=15,
    )
    opens_at = forms.DateTimeField(
        label=_("Booking opens at"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
        ),
        help_text=_(
            "Nobody can book before this moment. Leave empty to open booking at once."
        ),
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=BookingWindow.Form.choices,
        initial=BookingWindow.Form.VIDEOCONFERENCE,
        widget=forms.RadioSelect,
    )
    how_to_join = forms.CharField(
        label=_("How to join"),
        required=False,
        max_length=300,
        help_text=_("A link to the room or where the chat is; shown to who booked."),
    )

    def clean(self):
        data = super().clean()
        first, until = data.get("date"), data.get("repeat_until")
        if first and until:
            if until < first:
                self.add_error(
                    "repeat_until", _("The last date comes before the first.")
                )
            elif (until - first).days // 7 + 1 > MAX_DATES:
                self.add_error(
                    "repeat_until",
                    _("At most %(max)s dates at once.") % {"max": MAX_DATES},
                )
        return data

    def dates(self) -> tuple[list[dt.date], list[dt.date]]:
        """(dates, skipped for holidays)."""
        first = self.cleaned_data["date"]
        until = self.cleaned_data.get("repeat_until")
        holidays = Holiday.objects.filter(
            starts_on__lte=until or first, ends_on__gte=first
        ).values_list("starts_on", "ends_on")
        if until is None:
            return [first], []
        return session_dates("weekly", first, until, holidays)


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("What do you need help with?"),
            max_length=NOTE_MAX,
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
            help_text=_(
                "A few words for the teacher: the topic, the task, the question."
            ),
            **kwargs,
        )


class BookForm(forms.Form):
    note = NoteField()


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class WindowCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MarkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The consultation"),
        choices=[
            (Booking.Status.HELD, _("was held")),
            (Booking.Status.NO_SHOW, _("did not take place: the student did not come")),
        ],
        widget=forms.RadioSelect,
        initial=Booking.Status.HELD,
    )
    outcome_note = forms.CharField(
        label=_("Outcome and recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The student and their parents read it."),
    )
    private_note = forms.CharField(
        label=_("Private note for staff"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you and the school's administration see it."),
    )
