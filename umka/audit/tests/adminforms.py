"""Test helper: the POST data a browser would send back from an admin form page."""

from typing import Any


def _add_form(data: dict[str, Any], form) -> None:
    for bound in form:
        if bound.field.disabled:
            continue  # a browser does not send disabled inputs
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)


def changeform_data(response) -> dict[str, Any]:
    """The form and every inline formset of an admin add/change page, as rendered."""
    data: dict[str, Any] = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def add_inline_row(data: dict[str, Any], prefix: str, **values: Any) -> None:
    """Fill the next empty row of the inline `prefix` (raises TOTAL_FORMS)."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
