"""Personal data pages (/privacy/): consent given and withdrawn, a person's data
exported (JSON and a readable page), the administration's page for a person.

What may not be seen answers 404; every export and change is audited.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from umka.accounts.policies import children_of
from umka.audit.services import record
from umka.core.errors import messages_of
from umka.privacy import audit_actions as actions
from umka.privacy import export, policies, services, texts
from umka.privacy.anonymise import person_anonymise


@login_required
@require_GET
def index(request):
    """Consent for oneself and one's minor children, and one's data to download."""
    user = request.user
    rows = [
        {"person": person, "consent": services.active_consent(person)}
        for person in policies.consent_subjects_for(user)
    ]
    return render(
        request,
        "privacy/index.html",
        {
            "rows": rows,
            "text": texts.current(),
            "needs_consent": policies.needs_consent(user),
            "own_consent": services.active_consent(user),
            "exports": policies.export_subjects_for(user),
            "manages": policies.can_manage_personal_data(user),
        },
    )


@login_required
@require_POST
def consent(request, pk: int):
    subject = policies.access_consent_subject(request.user, pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.consent_withdraw(
                actor=request.user, subject=subject, request=request
            )
            messages.success(
                request,
                _("Consent for %(person)s is withdrawn.")
                % {"person": subject.full_name},
            )
        else:
            services.consent_give(actor=request.user, subject=subject, request=request)
            messages.success(
                request,
                _("Consent for %(person)s is recorded.")
                % {"person": subject.full_name},
            )
    except ValidationError as error:
        messages.error(request, " ".join(messages_of(error)))
    return redirect("privacy:index")


def _document(request, pk: int, form: str) -> dict:
    person = policies.access_export_subject(request.user, pk)
    children = list(children_of(person)) if person.is_parent else []
    document = export.export(person, children=children)
    record(
        actor=request.user,
        action=actions.EXPORTED,
        target=person,
        changes={"format": form, "children": [c.pk for c in children]},
        request=request,
    )
    return document


@login_required
@require_GET
def export_json(request, pk: int):
    document = _document(request, pk, "json")
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{pk}.json"'
    return response


@login_required
@require_GET
def export_html(request, pk: int):
    document = _document(request, pk, "html")
    return render(request, "privacy/export.html", {"document": document})


@login_required
@require_GET
def person(request, pk: int):
    """The administration's page for one person: export on request, anonymise."""
    person = policies.access_managed_person(request.user, pk)
    return render(request, "privacy/person.html", {"person": person})


@login_required
@require_POST
def anonymise(request, pk: int):
    person = policies.access_managed_person(request.user, pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the anonymisation."))
        return redirect("privacy:person", pk)
    try:
        person_anonymise(actor=request.user, person=person, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(messages_of(error)))
    else:
        messages.success(request, _("The person is anonymised."))
    return redirect("privacy:person", pk)
