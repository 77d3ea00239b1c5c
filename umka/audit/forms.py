from django import forms
from django.utils.translation import gettext_lazy as _

from umka.audit import registry, selectors


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class EntryFilterForm(forms.Form):
    """The filters of the audit trail page (GET). Invalid fields are ignored."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    person = forms.CharField(
        label=_("Who"),
        required=False,
        max_length=150,
        help_text=_("Name as recorded, or an account number"),
    )
    type = forms.ChoiceField(label=_("Object type"), required=False)
    object = forms.CharField(label=_("Object"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From"), required=False, widget=_DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=_DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["action"].choices = everything + registry.choices()
        self._types = {
            f"{ct.app_label}.{ct.model}": ct for ct in selectors.object_types()
        }
        self.fields["type"].choices = everything + [
            (key, str(ct.model_class()._meta.verbose_name).capitalize())
            for key, ct in self._types.items()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def entry_filter(self) -> selectors.EntryFilter:
        """The valid part of the input (an invalid field simply does not filter)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        return selectors.EntryFilter(
            action=data.get("action") or "",
            person=data.get("person") or "",
            object_type=self._types.get(data.get("type") or ""),
            object_text=data.get("object") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def active_query(self) -> dict[str, str]:
        """The filters as GET parameters, for the pager and the export link."""
        return {
            name: self.data[name]
            for name in self.fields
            if self.is_bound and self.data.get(name)
        }
