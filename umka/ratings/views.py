"""Ratings pages (R13): «Оцените помощь» and the rating form for students and
parents; a staff member's own ratings without names; the administration's
tables with names and the list of low-rated help."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from umka.accounts.models import User
from umka.core.access import get_visible_or_404, require
from umka.core.errors import DomainError, messages_of
from umka.ratings import kinds, policies, selectors, services
from umka.ratings.forms import RatingForm
from umka.ratings.models import Rating


@login_required
def index(request):
    user = request.user
    require(policies.can_open_ratings(user))
    context = {"can_rate": policies.can_rate(user)}
    if context["can_rate"]:
        context["to_rate"] = selectors.to_rate(user)
    if policies.can_see_own_ratings(user):
        own = Rating.objects.filter(staff=user)
        context["own_summary"] = selectors.summary(own)
        # Without names: the rater is never read for this list.
        context["own_ratings"] = own.only("kind", "score", "comment", "created_at")[
            :200
        ]
    context["can_see_names"] = policies.can_see_names(user)
    return render(request, "ratings/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, kind: str, object_id: int):
    """Rate one piece of help; 404 for what the person may not rate."""
    user = request.user
    require(policies.can_rate(user))
    item = services.find_ratable(user, kind, object_id)
    require(item is not None and kinds.get(kind).rate_url is None)
    existing = Rating.objects.filter(rater=user, kind=kind, object_id=object_id).first()
    form = RatingForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_create(
                actor=user,
                kind=kind,
                object_id=object_id,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except DomainError as refusal:
            error = " ".join(messages_of(refusal))
        else:
            return redirect(reverse("ratings:index") + "?rated=1")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "ratings/rate.html",
        {
            "item": item,
            "kind_label": kinds.label(kind),
            "existing": existing,
            "form": form,
            "error": error,
        },
        status=status,
    )


@login_required
def staff_list(request):
    """Every rated staff member with their average (the administration)."""
    require(policies.can_see_names(request.user))
    ratings = policies.ratings_visible_to(request.user)
    return render(
        request,
        "ratings/staff_list.html",
        {
            "rows": selectors.staff_table(ratings),
            "summary": selectors.summary(ratings),
        },
    )


@login_required
def staff_detail(request, pk: int):
    """One staff member's ratings with the raters' names (the administration)."""
    require(policies.can_see_names(request.user))
    staff = get_visible_or_404(User.objects.all(), pk=pk)
    ratings = policies.ratings_visible_to(request.user).filter(staff=staff)
    return render(
        request,
        "ratings/staff_detail.html",
        {
            "staff": staff,
            "summary": selectors.summary(ratings),
            "ratings": selectors.with_people(ratings)[:500],
        },
    )


@login_required
def low(request):
    """Low-rated help (score 2 or less) with its comments (the administration)."""
    require(policies.can_see_names(request.user))
    ratings = selectors.low_rated(policies.ratings_visible_to(request.user))
    return render(
        request,
        "ratings/low.html",
        {"ratings": ratings[:500], "low_score": selectors.LOW_SCORE},
    )
