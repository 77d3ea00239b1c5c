"""Forum pages: one's forums, a forum (its threads), a new thread, a thread (its
posts page by page, the reply form, live updates), replying, a post's link and
its fragment (for live updates), editing, following, files."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.core.access import require
from umka.core.downloads import download
from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.forums import policies, selectors, services
from umka.forums.forms import EditForm, ReplyForm, ThreadForm
from umka.forums.models import Forum, Post, PostFile
from umka.forums.views_moderation import moderation_context


@login_required
def index(request):
    require(policies.can_open_forums(request.user))
    return render(request, "forums/index.html", selectors.places_for(request.user))


def _upload_url(forum: Forum) -> str:
    """Pasting images: in a course forum (the space's images); not among
    parents."""
    if forum.kind == Forum.Kind.SPACE:
        return reverse("courses:image_upload", args=[forum.space_id])
    return ""


def _forum_page(request, forum: Forum):
    user = request.user
    moderates = policies.can_moderate(user, forum)
    teaches = forum.kind == Forum.Kind.SPACE and (
        spaces.is_space_teacher(user, forum.space) or spaces.oversees_spaces(user)
    )
    return render(
        request,
        "forums/forum.html",
        {
            "forum": forum,
            "threads": selectors.threads_page(forum, request.GET.get("page")),
            "may_post": policies.can_post(user, forum),
            "moderates": moderates,
            "following": selectors.following(user, forum=forum),
            "reports": selectors.open_reports(forum) if moderates else [],
            "discussions": list(forum.discussions.all()) if teaches else [],
            "may_set_discussion": teaches and spaces.can_teach_in(user, forum.space),
        },
    )


@login_required
def space_forum(request, space_pk: int):
    """A course space's forum: its teachers and students (and the overseers)."""
    space = policies.access_space_for_forum(request.user, space_pk)
    forum = services.forum_of_space(space)
    return _forum_page(request, policies.access_forum(request.user, forum.pk))


@login_required
def class_forum(request, class_pk: int):
    """A class's parents' forum: its parents and the class teacher."""
    klass = policies.access_class_for_forum(request.user, class_pk)
    forum = services.forum_of_class(klass)
    return _forum_page(request, policies.access_forum(request.user, forum.pk))


def forum_url(forum: Forum) -> str:
    if forum.kind == Forum.Kind.SPACE:
        return reverse("forums:space", args=[forum.space_id])
    return reverse("forums:class", args=[forum.school_class_id])


@login_required
def thread_new(request, forum_pk: int):
    forum = policies.access_forum(request.user, forum_pk)
    require(policies.can_post(request.user, forum))
    moderates = policies.can_moderate(request.user, forum)
    form = ThreadForm(request.POST or None)
    if not moderates:
        del form.fields["pinned"]
    form.fields["body"].widget.attrs["data-image-upload"] = _upload_url(forum)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                actor=request.user,
                forum=forum,
                token=request.POST.get("token"),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                pinned=form.cleaned_data.get("pinned", False),
                files=request.FILES.getlist("files"),
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("forums:thread", thread.pk)
    return render(
        request,
        "forums/thread_new.html",
        {
            "forum": forum,
            "form": form,
            "token": request.POST.get("token") or uuid.uuid4(),
            "forum_url": forum_url(forum),
        },
        status=400 if form.errors else 200,
    )


def _thread_page(request, thread, *, form=None, error="", status=200):
    user = request.user
    forum = thread.forum
    moderates = policies.can_moderate(user, forum)
    page = selectors.posts_page(thread, request.GET.get("page") or "last")
    may_post = policies.can_post(user, forum)
    quote = None
    quote_pk = request.POST.get("quote") or request.GET.get("quote")
    if quote_pk and str(quote_pk).isdigit():
        quote = thread.posts.filter(pk=quote_pk, hidden_at__isnull=True).first()
    if form is None:
        form = ReplyForm()
    form.fields["body"].widget.attrs["data-image-upload"] = _upload_url(forum)
    posts = list(page.object_list)
    context = {
        "thread": thread,
        "forum": forum,
        "forum_url": forum_url(forum),
        "page": page,
        "posts": posts,
        "moderates": moderates,
        "teacher_ids": selectors.moderator_ids(forum),
        "may_post": may_post,
        "may_reply": may_post and not thread.is_locked,
        "following": selectors.following(user, thread=thread),
        "form": form,
        "quote": quote,
        "token": request.POST.get("token") or uuid.uuid4(),
        "error": error,
        "live": {
            "ws": f"/ws/forums/threads/{thread.pk}/",
            "fragment": reverse("forums:post_fragment", args=[0]),
            "last": posts[-1].pk if posts else 0,
            "on_last_page": not page.has_next(),
        },
    }
    if moderates:
        context.update(moderation_context(user, thread))
    return render(request, "forums/thread.html", context, status=status)


@login_required
def thread_page(request, pk: int):
    return _thread_page(request, policies.access_thread(request.user, pk))


@login_required
@require_POST
def reply(request, pk: int):
    thread = policies.access_thread(request.user, pk)
    # Readers who do not post (the overseers) get 404 like outsiders; the
    # service checks the same policy (`post_reply`).
    require(policies.can_post(request.user, thread.forum))
    form = ReplyForm(request.POST)
    quote = None
    if (request.POST.get("quote") or "").isdigit():
        quote = thread.posts.filter(pk=request.POST["quote"]).first()
    try:
        if not form.is_valid():
            raise DomainError(_("Write the message."))
        post = services.post_reply(
            actor=request.user,
            thread=thread,
            token=request.POST.get("token"),
            body=form.cleaned_data["body"],
            quote=quote,
            files=request.FILES.getlist("files"),
            request=request,
        )
    except DomainError as error:
        status = 409 if error.code == "locked" else 400
        thread = policies.access_thread(request.user, pk)
        return _thread_page(
            request, thread, form=form, error=error.message, status=status
        )
    return redirect(_post_url(post))


def _post_url(post: Post) -> str:
    url = reverse("forums:thread", args=[post.thread_id])
    return f"{url}?page={selectors.page_of(post)}#post-{post.pk}"


@login_required
def post_link(request, pk: int):
    """A post's own address: its thread at its page."""
    return redirect(_post_url(policies.access_post(request.user, pk)))


@login_required
def post_fragment(request, pk: int):
    """One post as its reader may see it (live updates fetch it)."""
    post = policies.access_post(request.user, pk)
    forum = post.thread.forum
    return render(
        request,
        "forums/_post.html",
        {
            "post": selectors.one_post(post.pk),
            "thread": post.thread,
            "moderates": policies.can_moderate(request.user, forum),
            "teacher_ids": selectors.moderator_ids(forum),
            "may_reply": policies.can_post(request.user, forum)
            and not post.thread.is_locked,
        },
    )


@login_required
def post_edit(request, pk: int):
    post = policies.access_post(request.user, pk)
    forum = post.thread.forum
    moderates = policies.can_moderate(request.user, forum)
    require(policies.can_edit_post(request.user, post, moderates))
    form = EditForm(
        request.POST or None, initial={"version": post.version, "body": post.body}
    )
    form.fields["body"].widget.attrs["data-image-upload"] = _upload_url(forum)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                actor=request.user,
                post=post,
                version=form.cleaned_data["version"],
                body=form.cleaned_data["body"],
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = 409 if error.code == "stale" else 400
        else:
            messages.success(request, _("The message is saved."))
            return redirect(_post_url(post))
    return render(
        request,
        "forums/post_edit.html",
        {"post": post, "form": form, "thread": post.thread},
        status=status if request.method == "POST" else 200,
    )


@login_required
@require_POST
def subscribe(request):
    """Follow a thread or a forum (or stop): its news come in the digest."""
    thread = forum = None
    if (request.POST.get("thread") or "").isdigit():
        thread = policies.access_thread(request.user, request.POST["thread"])
    elif (request.POST.get("forum") or "").isdigit():
        forum = policies.access_forum(request.user, request.POST["forum"])
    else:
        raise Http404
    following = services.subscription_toggle(
        actor=request.user, forum=forum, thread=thread, request=request
    )
    messages.success(
        request,
        _("You follow it: new messages come in one digest.")
        if following
        else _("You no longer follow it."),
    )
    if thread is not None:
        return redirect("forums:thread", thread.pk)
    return redirect(forum_url(forum))


@login_required
def post_file(request, pk: int):
    item = (
        PostFile.objects.filter(pk=pk, post__in=policies.posts_visible_to(request.user))
        .select_related("post", "post__thread__forum")
        .first()
    )
    if item is None:
        raise Http404
    moderates = policies.can_moderate(request.user, item.post.thread.forum)
    require(policies.shows_body(request.user, item.post, moderates))
    return download(item.file, item.name)
