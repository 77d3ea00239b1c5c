"""Request screens (/requests/): the list, a new request, a request's page with its
thread and the actions each side may take, and attachments.

Thin views: a request one may not see answers 404 and an action one may not take
answers 403 (both through policies.access_request); a refusal of the rules is
shown as a message, never a stack trace.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from umka.accounts import looked
from umka.core.access import require
from umka.core.downloads import download
from umka.core.errors import messages_of
from umka.requests import answering, policies, selectors, services
from umka.requests.forms import (
    AnswerForm,
    RateForm,
    RedirectForm,
    ReopenForm,
    ReplyForm,
    RequestForm,
)
from umka.requests.models import Request

PAGE_SIZE = 20


# --- The list ---------------------------------------------------------------------


@login_required
@require_GET
def request_list(request):
    """Tabs: my requests, assigned to me, all (deputy heads and the director);
    filters by status, overdue and topic; overdue requests stand out."""
    user = request.user
    tabs = selectors.tabs_for(user)
    tab = request.GET.get("tab", "")
    if tab not in tabs:
        tab = tabs[0] if tabs else ""
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    topic = request.GET.get("topic", "")[:200]
    requests = selectors.requests_for_list(
        user, tab, status=status, overdue=overdue, topic=topic
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.with_deadlines(page.object_list)
    return render(
        request,
        "requests/list.html",
        {
            "tabs": tabs,
            "tab": tab,
            "page": page,
            "rows": rows,
            "statuses": Request.Status.choices,
            "status": status if status in Request.Status.values else "",
            "overdue": overdue,
            "topic": topic,
            "may_write": bool(selectors.TAB_MINE in tabs and policies.can_write(user)),
        },
    )


# --- A new request ----------------------------------------------------------------


@login_required
def request_new(request):
    """Write a request. htmx (or «Update» without JavaScript) redraws the fields that
    depend on the chosen student and subject, keeping what was typed."""
    user = request.user
    require(policies.can_write(user))
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                req = services.request_create(
                    actor=user,
                    student=data["student"],
                    addressee=data["addressee"],
                    subject=data["subject"],
                    category=data["category"],
                    topic=data["topic"],
                    text=data["text"],
                    preferred_answer=data["preferred_answer"],
                    files=data["files"],
                    request=request,
                )
            except ValidationError as error:
                for message in messages_of(error):
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Your request № %(number)s is sent to %(person)s.")
                    % {"number": req.pk, "person": req.assignee.full_name},
                )
                if req.routing_note:
                    messages.info(request, req.routing_note)
                return redirect(req)
    else:
        initial = {k: v for k, v in request.GET.items() if k in RequestForm.base_fields}
        form = RequestForm(initial=initial, user=user)
    return render(request, "requests/new.html", {"form": form})


# --- A request's page -------------------------------------------------------------


def _visible(request, pk: int, may=None) -> Request:
    """The request with its page's rows: 404 unless `user` sees it, 403 unless
    they `may` do this."""
    return policies.access_request(
        request.user, pk, among=selectors.request_page_rows(), may=may
    )


def _detail(request, req: Request, *, forms=None, error: str = "", status=200):
    user = request.user
    forms = forms or {}
    selectors.with_deadlines([req])
    may = {
        "take": policies.can_take(user, req),
        "reply": policies.can_reply(user, req),
        "answer": policies.can_answer(user, req),
        "redirect": policies.can_redirect(user, req),
        "close": policies.can_close(user, req),
        "rate": policies.can_rate(user, req),
        "reopen": policies.can_reopen(user, req),
    }
    context = {
        "req": req,
        "may": may,
        "error": error,
        "reply_form": forms.get("reply") or ReplyForm(),
        "answer_form": forms.get("answer")
        or (AnswerForm(user=user, req=req) if may["answer"] else None),
        "redirect_form": forms.get("redirect")
        or (RedirectForm(req=req) if may["redirect"] else None),
        "rate_form": forms.get("rate") or RateForm(),
        "reopen_form": forms.get("reopen") or ReopenForm(),
        "open_form": next(iter(forms), ""),
        "is_author": policies.is_author(user, req),
        "thread": list(req.messages.all()),
    }
    return render(request, "requests/detail.html", context, status=status)


@login_required
@require_GET
def request_detail(request, pk: int):
    req = _visible(request, pk)
    looked.record_child_view(
        viewer=request.user, child=req.student, kind=looked.REQUESTS, request=request
    )
    return _detail(request, req)


def _act(request, pk: int, allowed) -> Request:
    """The request if `user` may see it (else 404) and may do this (else 403)."""
    return _visible(request, pk, may=allowed)


def _refused(request, req: Request, error: ValidationError, name="", form=None):
    """Show a refusal on the request's page, with what was typed kept."""
    fresh = _visible(request, req.pk)
    return _detail(
        request,
        fresh,
        forms={name: form} if name and form is not None else None,
        error=" ".join(messages_of(error)),
        status=400,
    )


@login_required
@require_POST
def request_take(request, pk: int):
    req = _act(request, pk, policies.can_take)
    try:
        answering.request_take(actor=request.user, req=req, request=request)
    except ValidationError as error:
        return _refused(request, req, error)
    messages.success(request, _("You took the request into work."))
    return redirect(req)


@login_required
@require_POST
def request_reply(request, pk: int):
    req = _act(request, pk, policies.can_reply)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            answering.request_reply(
                actor=request.user,
                req=req,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                request=request,
            )
        except ValidationError as error:
            return _refused(request, req, error, "reply", form)
        messages.success(request, _("Your message is sent."))
        return redirect(req.get_absolute_url() + "#thread-end")
    return _detail(request, req, forms={"reply": form}, status=400)


@login_required
@require_POST
def request_answer(request, pk: int):
    req = _act(request, pk, policies.can_answer)
    form = AnswerForm(request.POST, request.FILES, user=request.user, req=req)
    if form.is_valid():
        data = form.cleaned_data
        try:
            answering.request_answer(
                actor=request.user,
                req=req,
                kind=data["kind"],
                text=data["text"],
                link=data["link"],
                consultation=data["consultation"],
                files=data["files"],
                request=request,
            )
        except ValidationError as error:
            return _refused(request, req, error, "answer", form)
        messages.success(request, _("The answer is sent."))
        return redirect(req)
    return _detail(request, req, forms={"answer": form}, status=400)


@login_required
@require_POST
def request_redirect(request, pk: int):
    req = _act(request, pk, policies.can_redirect)
    form = RedirectForm(request.POST, req=req)
    if form.is_valid():
        try:
            passed_on = answering.request_redirect(
                actor=request.user,
                req=req,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            return _refused(request, req, error, "redirect", form)
        messages.success(
            request,
            _("The request is passed on to %(person)s.")
            % {"person": form.cleaned_data["to"].full_name},
        )
        if policies.can_view(request.user, passed_on):
            return redirect(req)
        return redirect("requests:list")
    return _detail(request, req, forms={"redirect": form}, status=400)


@login_required
@require_POST
def request_close(request, pk: int):
    req = _act(request, pk, policies.can_close)
    try:
        services.request_close(actor=request.user, req=req, request=request)
    except ValidationError as error:
        return _refused(request, req, error)
    messages.success(request, _("The request is closed."))
    return redirect(req)


@login_required
@require_POST
def request_rate(request, pk: int):
    req = _act(request, pk, policies.can_rate)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.request_rate(
                actor=request.user,
                req=req,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            return _refused(request, req, error, "rate", form)
        messages.success(request, _("Thank you for rating the answer."))
        return redirect(req)
    return _detail(request, req, forms={"rate": form}, status=400)


@login_required
@require_POST
def request_reopen(request, pk: int):
    req = _act(request, pk, policies.can_reopen)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.request_reopen(
                actor=request.user,
                req=req,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            return _refused(request, req, error, "reopen", form)
        messages.success(request, _("The request is reopened."))
        return redirect(req)
    return _detail(request, req, forms={"reopen": form}, status=400)


# --- Attachments ------------------------------------------------------------------


@login_required
@require_GET
def attachment(request, pk: int):
    """A file of a request: only for those who may see the request, as a download
    (never from a public media URL, never shown inline)."""
    found = policies.access_attachment(request.user, pk)
    return download(found.file, found.name)
