from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from umka.core import clock
from umka.imports.registry import Kind
from umka.school.models import AcademicYear
from umka.school.selectors import current_year

ACCEPTED = (".xlsx", ".csv")


class ImportUploadForm(forms.Form):
    """The upload form for the kinds the uploader may use: the academic year and
    the kinds' own options appear only when one of those kinds asks for them."""

    kind = forms.ChoiceField(
        label=_("What the file contains"), choices=(), widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel workbook (.xlsx) or CSV; the first row holds the headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, change nothing"),
        required=False,
        initial=False,
    )

    def __init__(self, *args, kinds: list[Kind], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.key: kind for kind in kinds}
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].key
        if any(kind.asks_year for kind in kinds):
            today = clock.today()
            self.fields["year"] = forms.ModelChoiceField(
                label=_("Academic year"),
                queryset=AcademicYear.objects.filter(ends_on__gte=today).order_by(
                    "starts_on"
                ),
                required=False,
                empty_label=None,
                help_text=_(
                    "Classes and teaching assignments are looked up in this year."
                ),
            )
            current = current_year(today)
            if current is not None and current.ends_on >= today:
                self.fields["year"].initial = current.pk
        self.option_names = []
        for kind in kinds:
            for option in kind.options:
                if option.name not in self.fields:
                    self.fields[option.name] = option.field()
                    self.option_names.append(option.name)

    @property
    def option_fields(self):
        return [self[name] for name in self.option_names]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix == ".xls":
            raise forms.ValidationError(
                _(
                    "This is the old Excel 97-2003 format (.xls). Save it as .xlsx or "
                    "CSV and upload again."
                )
            )
        if suffix not in ACCEPTED:
            raise forms.ValidationError(
                _("Upload an .xlsx or .csv file; «%(name)s» is neither.")
                % {"name": upload.name}
            )
        if upload.size > settings.IMPORT_MAX_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": settings.IMPORT_MAX_FILE_MB}
            )
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self):
        data = super().clean()
        kind = self.kinds.get(data.get("kind"))
        if kind is not None and kind.needs_year and not data.get("year"):
            self.add_error(
                "year",
                _(
                    "No current academic year is set up. Create the year and its "
                    "classes in the back office first."
                ),
            )
        return data

    @property
    def chosen_kind(self) -> Kind:
        return self.kinds[self.cleaned_data["kind"]]

    def options(self) -> dict:
        """The chosen kind's own options, as the form gave them."""
        return {
            option.name: self.cleaned_data.get(option.name, option.default)
            for option in self.chosen_kind.options
        }
