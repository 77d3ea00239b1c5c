"""The notification centre and the settings page: each person sees and changes only
their own (anything else answers 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umka.core.errors import DomainError
from umka.notifications import policies, selectors, services
from umka.notifications.forms import PreferenceForm

PAGE_SIZE = 20


@require_GET
@login_required
def notification_list(request):
    """The person's notifications, newest first, unread ones highlighted."""
    notifications = selectors.notifications_for_centre(
        policies.notifications_visible_to(request.user)
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_GET
@login_required
def notification_open(request, pk: int):
    """Follow a notice's link: it is marked read, then the link opens."""
    notification = policies.access_notification(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
@login_required
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def preference_settings(request):
    """Which channels the person wants: e-mail, e-mail in the evening, kinds."""
    person = request.user
    preference = selectors.preference_for(person)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        person=person,
        preference=preference,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(
                actor=person, user=person, request=request, **form.values()
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Notification settings saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_email": bool(person.email)},
    )
