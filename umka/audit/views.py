"""Browsing the audit trail (R13): the administration reads and filters it; nobody
edits or deletes anything here."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from umka.audit import policies, registry
from umka.audit.audit_actions import TRAIL_EXPORTED
from umka.audit.forms import EntryFilterForm
from umka.audit.models import AuditEntry
from umka.audit.selectors import filter_entries, object_types
from umka.audit.services import record
from umka.core import clock
from umka.core.access import require

PAGE_SIZE = 50

# Keys that services record without a model field of the same name.
_KEY_LABELS = {
    "role": gettext_lazy("role"),
    "roles": gettext_lazy("roles"),
    "verified": gettext_lazy("verified"),
    "username": gettext_lazy("login"),
    "email": gettext_lazy("e-mail"),
    "first_sign_in": gettext_lazy("first sign-in"),
}


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str
    is_pair: bool  # a before → after, or just a recorded value


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _label(entry: AuditEntry, key: str) -> str:
    model = entry.target_type.model_class() if entry.target_type else None
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return str(_KEY_LABELS.get(key, key.replace("_", " ")))


def change_lines(entry: AuditEntry) -> list[ChangeLine]:
    """The recorded changes as lines a person reads: «field: before → after»."""
    if not isinstance(entry.changes, dict):
        return [ChangeLine("", "", _text(entry.changes), False)]
    lines = []
    for key, value in entry.changes.items():
        if isinstance(value, list) and len(value) == 2:
            lines.append(
                ChangeLine(_label(entry, key), _text(value[0]), _text(value[1]), True)
            )
        else:
            lines.append(ChangeLine(_label(entry, key), "", _text(value), False))
    return lines


def _person_url(pk: Any) -> str | None:
    if pk is None or not str(pk).isdigit():
        return None
    return reverse("accounts:person", args=[pk])


def _is_user_type(entry: AuditEntry) -> bool:
    ct = entry.target_type
    return ct is not None and f"{ct.app_label}.{ct.model}" == (
        settings.AUTH_USER_MODEL.lower()
    )


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    actor_url: str | None
    target_url: str | None
    changes: list[ChangeLine]


def _row(entry: AuditEntry) -> Row:
    return Row(
        entry=entry,
        actor_url=_person_url(entry.actor_id),
        target_url=_person_url(entry.target_id) if _is_user_type(entry) else None,
        changes=change_lines(entry),
    )


def _browsable_entries(request):
    """The filter form and the entries it selects; 404 for anyone else."""
    require(policies.can_browse_audit(request.user))
    form = EntryFilterForm(request.GET)
    form.is_valid()
    entries = policies.entries_visible_to(request.user)
    return form, filter_entries(entries, form.entry_filter())


@require_GET
@login_required
def entry_list(request):
    """The audit trail, newest first, 50 a page."""
    form, entries = _browsable_entries(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(form.active_query())
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(entry) for entry in page.object_list],
            "query": query,
            "filtered": bool(query),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> str:
    """Text a spreadsheet will not run as a formula (names come from strangers)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_header() -> list[str]:
    return [
        _("When"),
        _("Who"),
        _("Account number"),
        _("Action"),
        _("Action code"),
        _("Object type"),
        _("Object number"),
        _("Object"),
        _("Changes"),
        _("IP address"),
    ]


def _csv_rows(entries, tz, labels, type_names) -> Iterator[list[str]]:
    """Rows for the CSV. The zone and the texts are taken while the request is
    active: the response is streamed after the middleware has finished."""
    for entry in entries.iterator(chunk_size=2000):
        yield [
            _csv_cell(v)
            for v in (
                timezone.localtime(entry.at, tz).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_name,
                entry.actor_id,
                labels.get(entry.action, entry.action),
                entry.action,
                type_names.get(entry.target_type_id, ""),
                entry.target_id,
                entry.target_repr,
                json.dumps(entry.changes, ensure_ascii=False) if entry.changes else "",
                entry.ip_address,
            )
        ]


@require_GET
@login_required
def entry_export(request):
    """The filtered trail as CSV (UTF-8 with BOM, so a spreadsheet reads Cyrillic)."""
    form, entries = _browsable_entries(request)
    record(
        actor=request.user,
        action=TRAIL_EXPORTED,
        changes={"filters": form.active_query()},
        request=request,
    )
    writer = csv.writer(_Echo(), delimiter=";")
    header = _csv_header()
    tz = clock.zone()
    labels = dict(registry.choices())
    type_names = {ct.pk: str(ct.name) for ct in object_types()}

    def stream():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in _csv_rows(entries, tz, labels, type_names):
            yield writer.writerow(row)

    stamp = clock.local(clock.now()).strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
