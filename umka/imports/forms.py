from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from umka.core import clock
from umka.imports.models import ImportKind
from umka.school.models import AcademicYear
from umka.school.selectors import current_year

ACCEPTED = (".xlsx", ".csv")


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel workbook (.xlsx) or CSV; the first row holds the headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )
    year = forms.ModelChoiceField(
        label=_("Academic year"),
        queryset=AcademicYear.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("Classes and teaching assignments are looked up in this year."),
    )
    verify_links = forms.BooleanField(
        label=_("Parent links are checked against documents"),
        required=False,
        initial=True,
        help_text=_(
            "Parents: the school has seen the documents (birth certificate, "
            "guardianship order), so the links give parents their rights at once. "
            "Untick to verify each link later in the back office."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, change nothing"),
        required=False,
        initial=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        years = AcademicYear.objects.filter(ends_on__gte=today).order_by("starts_on")
        self.fields["year"].queryset = years
        current = current_year(today)
        if current is not None and current.ends_on >= today:
            self.fields["year"].initial = current.pk

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
        needs_year = data.get("kind") in (ImportKind.STUDENTS, ImportKind.STAFF)
        if needs_year and not data.get("year"):
            self.add_error(
                "year",
                _(
                    "No current academic year is set up. Create the year and its "
                    "classes in the back office first."
                ),
            )
        return data
