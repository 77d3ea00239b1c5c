"""Moderation pages of forums: hide and show a post, close and reopen, pin and
move a thread, reports (a reader's, the moderator's dismissal). Every refusal
(a second moderator at once, a post already hidden) says why; nothing changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.core.errors import DomainError
from umka.forums import moderation, policies, selectors
from umka.forums.models import Report


def moderation_context(user, thread) -> dict:
    return {"move_to": selectors.other_forums_to_move(user, thread.forum)}


def _back(post) -> str:
    return reverse("forums:post", args=[post.pk])


def _done(request, call, success: str, back: str):
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
        response = redirect(back)
        if error.code == "stale":
            response.status_code = 303
        return response
    messages.success(request, success)
    return redirect(back)


@login_required
@require_POST
def post_hide(request, pk: int):
    post = policies.access_post_to_moderate(request.user, pk)
    return _done(
        request,
        lambda: moderation.post_hide(
            actor=request.user,
            post=post,
            version=request.POST.get("version"),
            reason=request.POST.get("reason", ""),
            request=request,
        ),
        _("The message is hidden; its author sees why."),
        _back(post),
    )


@login_required
@require_POST
def post_show(request, pk: int):
    post = policies.access_post_to_moderate(request.user, pk)
    return _done(
        request,
        lambda: moderation.post_show(
            actor=request.user,
            post=post,
            version=request.POST.get("version"),
            request=request,
        ),
        _("The message is shown again."),
        _back(post),
    )


@login_required
@require_POST
def post_report(request, pk: int):
    post = policies.access_post(request.user, pk)
    return _done(
        request,
        lambda: moderation.post_report(
            actor=request.user,
            post=post,
            reason=request.POST.get("reason", ""),
            request=request,
        ),
        _("Thank you: the moderators will look at the message."),
        _back(post),
    )


@login_required
@require_POST
def report_dismiss(request, pk: int):
    report = (
        Report.objects.filter(pk=pk, post__in=policies.posts_visible_to(request.user))
        .select_related("post", "post__thread__forum")
        .first()
    )
    if report is None or not policies.can_moderate(
        request.user, report.post.thread.forum
    ):
        raise Http404
    return _done(
        request,
        lambda: moderation.report_dismiss(
            actor=request.user, report=report, request=request
        ),
        _("The report is dismissed."),
        reverse("forums:thread", args=[report.post.thread_id]),
    )


def _thread(request, pk):
    thread = policies.access_thread(request.user, pk)
    if not policies.can_moderate(request.user, thread.forum):
        raise Http404
    return thread


@login_required
@require_POST
def thread_lock(request, pk: int):
    thread = _thread(request, pk)
    locked = request.POST.get("locked") == "1"
    return _done(
        request,
        lambda: moderation.thread_lock(
            actor=request.user,
            thread=thread,
            version=request.POST.get("version"),
            locked=locked,
            request=request,
        ),
        _("The thread is closed to replies.") if locked else _("The thread is open."),
        reverse("forums:thread", args=[thread.pk]),
    )


@login_required
@require_POST
def thread_pin(request, pk: int):
    thread = _thread(request, pk)
    pinned = request.POST.get("pinned") == "1"
    return _done(
        request,
        lambda: moderation.thread_pin(
            actor=request.user,
            thread=thread,
            version=request.POST.get("version"),
            pinned=pinned,
            request=request,
        ),
        _("The thread is an announcement now.")
        if pinned
        else _("The thread is no longer an announcement."),
        reverse("forums:thread", args=[thread.pk]),
    )


@login_required
@require_POST
def thread_move(request, pk: int):
    thread = _thread(request, pk)
    target = (
        policies.forums_visible_to(request.user)
        .filter(
            pk=request.POST.get("forum")
            if request.POST.get("forum", "").isdigit()
            else 0
        )
        .first()
    )
    if target is None:
        raise Http404
    return _done(
        request,
        lambda: moderation.thread_move(
            actor=request.user,
            thread=thread,
            version=request.POST.get("version"),
            to=target,
            request=request,
        ),
        _("The thread is moved to «%(forum)s».") % {"forum": target},
        reverse("forums:thread", args=[thread.pk]),
    )
