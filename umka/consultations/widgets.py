"""Form pieces of the consultation screens: date and time inputs, a select whose
options carry attributes, a text area that shows how many characters are left, and
the field that limits it.

The count is rendered by the server (so it is right without JavaScript, e.g. after
a refused submit); `static/consultations/counter.js` only keeps it current while
the person types.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


def characters_left(limit: int, text: str) -> str:
    """«осталось 12 символов», or «лишних символов: 3» once over the limit."""
    left = limit - len(text)
    if left < 0:
        return _("%(n)s characters too many") % {"n": -left}
    return ngettext("%(n)s character left", "%(n)s characters left", left) % {"n": left}


def _normalised(text: str) -> str:
    """Line breaks as one character each, as the browser counts them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class CountedTextarea(forms.Textarea):
    """A text area followed by its live «characters left» line."""

    template_name = "consultations/widgets/counted_textarea.html"

    def __init__(self, *, limit: int, rows: int = 3, attrs=None):
        super().__init__(attrs={"rows": rows, **(attrs or {}), "data-counted": ""})
        self.limit = limit

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        text = _normalised(widget["value"] or "")
        counter_id = f"{widget['attrs'].get('id') or name}_count"
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"]["aria-describedby"] = f"{described} {counter_id}".strip()
        # The plural forms for the script: Intl.PluralRules picks one, {n} is the
        # number (one / few / many as in Russian; English uses one and many).
        widget["counter"] = {
            "id": counter_id,
            "limit": self.limit,
            "text": characters_left(self.limit, text),
            "over": len(text) > self.limit,
            "one": ngettext("%(n)s character left", "%(n)s characters left", 1),
            "few": ngettext("%(n)s character left", "%(n)s characters left", 2),
            "many": ngettext("%(n)s character left", "%(n)s characters left", 5),
            "too_many": _("%(n)s characters too many"),
        }
        return context


class LimitedTextField(forms.CharField):
    """Free text with a length limit that the person sees while typing."""

    def __init__(self, *, max_length: int, rows: int = 3, **kwargs):
        kwargs.setdefault("widget", CountedTextarea(limit=max_length, rows=rows))
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "max_length",
            gettext_lazy(
                "At most %(limit_value)s characters, please: this text has "
                "%(show_value)s. Shorten it."
            ),
        )
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return _normalised(super().to_python(value))


class OptionAttrsSelect(forms.Select):
    """A select whose options carry extra attributes (data-*, disabled)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_attrs: dict[str, dict] = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")
