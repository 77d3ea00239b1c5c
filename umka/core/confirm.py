"""Asking before an action that cannot be undone (cancel, submit, approve, close).

The form carries `data-confirm` (confirm.js asks in a <dialog> and sends
confirmed=yes); without JavaScript the view answers the first POST with
`ask_to_confirm()`: a page repeating the question with the same fields and a
«yes» button, so one tap never does something irreversible.

    if not is_confirmed(request):
        return ask_to_confirm(request, question=_("Cancel the booking?"),
                              yes=_("Yes, cancel"), back_url=booking_url)
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

CONFIRMED = "confirmed"
_NOT_REPEATED = {"csrfmiddlewaretoken", CONFIRMED}


def is_confirmed(request) -> bool:
    """True when the person said «yes» (in the dialog or on the confirm page)."""
    return request.POST.get(CONFIRMED) == "yes"


def ask_to_confirm(
    request,
    *,
    question: str,
    yes: str,
    back_url: str,
    details: str = "",
    title: str = "",
) -> HttpResponse:
    """The confirm page: the question, what will happen, «yes» (a danger button that
    posts the same fields again with confirmed=yes) and a way back."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in _NOT_REPEATED
        for value in request.POST.getlist(name)
    ]
    if not url_has_allowed_host_and_scheme(
        back_url, allowed_hosts={request.get_host()}
    ):
        back_url = "/"
    return render(
        request,
        "core/confirm.html",
        {
            "title": title or question,
            "question": question,
            "details": details,
            "yes": yes,
            "back_url": back_url,
            "action": request.get_full_path(),
            "fields": fields,
        },
    )
