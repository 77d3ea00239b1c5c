"""The published schedule for everyone (R8): the page (no sign-in), the print form
for the information stand and its PDF, calendar feeds and the embeddable snippet.

Only published schedules are public; anything else answers 404. The print form and
the PDF follow `policies.schedules_visible_to`, so staff can print a draft to sign.
"""

import datetime as dt
import hashlib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header, quote_etag
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from umka.consultations import policies
from umka.consultations.models import ScheduleDocument
from umka.consultations.publication import calendar_feed
from umka.consultations.publication import rows as public_rows
from umka.consultations.publication import selectors as publication
from umka.core import clock
from umka.core.access import get_visible_or_404
from umka.school.models import SchoolClass
from umka.school.selectors import current_school

VIEWS = ("consultations", "sessions")
#: Calendar applications fetch feeds often; let proxies and browsers reuse them.
FEED_MAX_AGE = 5 * 60


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


#: The table of a published schedule is rendered once for this long per version,
#: filter and language: it is the most read page, and a district's has thousands
#: of rows (bench/scale_bench.py). An amendment makes a new version, so it shows
#: at once; a teacher's new name or position within this time.
ROWS_CACHE_SECONDS = 5 * 60


def _rows_html(request, schedule, filters) -> str:
    key = ":".join(
        (
            "umka-schedule-rows",
            str(schedule.pk),
            str(schedule.version),
            translation.get_language() or "",
            clock.today().isoformat(),
            hashlib.sha256(filters.querystring().encode()).hexdigest()[:16],
        )
    )
    html = cache.get(key) if ROWS_CACHE_SECONDS else None
    if html is None:
        html = render_to_string(
            "consultations/public/_rows.html",
            {"rows": public_rows.consultation_rows(schedule, filters)},
            request,
        )
        if ROWS_CACHE_SECONDS:
            cache.set(key, html, ROWS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output)


def _schedule_context(request, schedule, schedules) -> dict:
    """Everything the page and the embed show for one published schedule."""
    filters = publication.parse_filters(request.GET)
    view = request.GET.get("view")
    view = view if view in VIEWS else VIEWS[0]
    if view == "sessions":
        rows = public_rows.consultation_rows(schedule, filters)
        rows_html = ""
    else:
        # The table comes from the cache; the rows are read only if asked for.
        rows = SimpleLazyObject(
            lambda: public_rows.consultation_rows(schedule, filters)
        )
        rows_html = _rows_html(request, schedule, filters)
    options = publication.filter_options(schedule)
    context = {
        "schedule": schedule,
        "schedules": schedules,
        "title": publication.document_title(),
        "period": publication.period_text(schedule),
        "approval": publication.approval_block(schedule, current_school()),
        "filters": filters,
        "options": options,
        "view": view,
        "rows": rows,
        "rows_html": rows_html,
        "query": filters.querystring(),
    }
    if filters.school_class in dict(options.classes):
        context["class_feed"] = request.build_absolute_uri(
            reverse("schedule:calendar_class", args=[filters.school_class])
        )
    if filters.organiser in dict(options.organisers):
        context["organiser_feed"] = request.build_absolute_uri(
            reverse("schedule:calendar_organiser", args=[filters.organiser])
        )
    if view == "sessions":
        start = _day(request.GET.get("from")) or public_rows.default_window_start(
            schedule, clock.today()
        )
        context["window"] = public_rows.session_window(schedule, rows, filters, start)
    return context


def _published_or_404(pk: int | None, schedules: list) -> ScheduleDocument:
    if pk is None:
        schedule = publication.current_schedule(schedules, clock.today())
    else:
        schedule = next((s for s in schedules if s.pk == pk), None)
    if schedule is None and pk is not None:
        raise Http404
    return schedule


@require_GET
def index(request, pk: int | None = None):
    """/schedule/: the published schedule current for today, filters, two views."""
    schedules = list(publication.published_schedules())
    schedule = _published_or_404(pk, schedules)
    if schedule is None:
        context = {"schedule": None, "title": publication.document_title()}
        return render(request, "consultations/public/index.html", context)
    context = _schedule_context(request, schedule, schedules)
    return render(request, "consultations/public/index.html", context)


@require_GET
@xframe_options_exempt
def embed(request):
    """The same schedule without the site's chrome, for an <iframe> on any site."""
    schedules = list(publication.published_schedules())
    pk = request.GET.get("schedule")
    schedule = _published_or_404(int(pk) if pk and pk.isdigit() else None, schedules)
    context = {"schedule": None, "title": publication.document_title()}
    if schedule is not None:
        context = _schedule_context(request, schedule, schedules)
    return render(request, "consultations/public/embed.html", context)


@require_GET
def embed_code(request):
    """The copy-paste <iframe> snippet for the school's website."""
    schedules = list(publication.published_schedules())
    schedule = publication.current_schedule(schedules, clock.today())
    filters = publication.parse_filters(request.GET)
    params = filters.params()
    if request.GET.get("view") == "sessions":
        params["view"] = "sessions"
    src = request.build_absolute_uri(reverse("schedule:embed"))
    if params:
        src = f"{src}?{urlencode(params)}"
    context = {
        "schedule": schedule,
        "filters": filters,
        "options": publication.filter_options(schedule) if schedule else None,
        "view": params.get("view", "consultations"),
        "src": src,
        "title": publication.document_title(),
    }
    return render(request, "consultations/public/embed_code.html", context)


def _printable(request, pk: int) -> tuple[ScheduleDocument, dict]:
    schedule = policies.access_printable_schedule(
        request.user, pk, related=publication.schedule_for_print
    )
    school = current_school()
    # The public page's filters (a class's own sheet for its door, for instance).
    filters = publication.parse_filters(request.GET)
    return schedule, {
        "schedule": schedule,
        "school": school,
        "title": publication.document_title(),
        "period": publication.period_text(schedule),
        "approval": publication.approval_block(schedule, school),
        "rows": public_rows.consultation_rows(schedule, filters),
        "columns": publication.COLUMNS,
        "query": filters.querystring(),
    }


@require_GET
def print_form(request, pk: int):
    """A4 landscape form for the information stand, in the appendix's layout."""
    _schedule, context = _printable(request, pk)
    return render(request, "consultations/public/print.html", context)


@require_GET
def pdf(request, pk: int):
    """The same form as a PDF download."""
    from umka.consultations.publication.print_pdf import render_pdf

    schedule, context = _printable(request, pk)
    school = context["school"]
    body = render_pdf(
        schedule,
        context["rows"],
        context["approval"],
        school_name=school.name if school else "",
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"grafik-konsultacij-{schedule.pk}.pdf"
    )
    return response


# --- Calendar feeds ------------------------------------------------------------------


def _ics(request, body: bytes, filename: str, *, private: bool) -> HttpResponse:
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=filename
        )
    response["ETag"] = etag
    if private:
        patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
        response["X-Robots-Tag"] = "noindex"
    else:
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def _calendar_name(what: str) -> str:
    school = current_school()
    name = _("Consultations: %(what)s") % {"what": what}
    return f"{name} — {school.short_name}" if school else name


@require_GET
def calendar_class(request, class_id: int):
    school_class = get_visible_or_404(SchoolClass.objects.all(), pk=class_id)
    body = calendar_feed.build_calendar(
        calendar_feed.class_sessions(school_class),
        name=_calendar_name(str(school_class)),
        url=request.build_absolute_uri(
            reverse("schedule:index") + f"?class={school_class.pk}"
        ),
    )
    return _ics(request, body, f"class-{school_class.pk}.ics", private=False)


@require_GET
def calendar_organiser(request, user_id: int):
    organiser = get_visible_or_404(policies.feed_organisers(), pk=user_id)
    body = calendar_feed.build_calendar(
        calendar_feed.organiser_sessions(organiser),
        name=_calendar_name(organiser.short_name),
        url=request.build_absolute_uri(
            reverse("schedule:index") + f"?organiser={organiser.pk}"
        ),
    )
    return _ics(request, body, f"organiser-{organiser.pk}.ics", private=False)


@require_GET
def calendar_personal(request, token: str):
    user = calendar_feed.user_for_token(token)
    if user is None:
        raise Http404
    body = calendar_feed.build_calendar(
        calendar_feed.personal_sessions(user),
        name=_calendar_name(user.short_name),
        url=request.build_absolute_uri(reverse("schedule:index")),
    )
    return _ics(request, body, "umka.ics", private=True)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_mine(request):
    """A signed-in person's secret feed address: see it, create or replace it."""
    if request.method == "POST":
        replaced = calendar_feed.calendar_token_of(request.user) is not None
        calendar_feed.calendar_token_issue(actor=request.user, request=request)
        if replaced:
            text = _("Your new calendar address is ready; the old one no longer works.")
        else:
            text = _("Your calendar address is ready.")
        messages.success(request, text)
        return redirect("schedule:calendar_mine")
    token = calendar_feed.calendar_token_of(request.user)
    feed_url = ""
    if token is not None:
        feed_url = request.build_absolute_uri(
            reverse("schedule:calendar_personal", args=[token.token])
        )
    context = {
        "token": token,
        "feed_url": feed_url,
        "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
            "http://", "webcal://", 1
        ),
    }
    return render(request, "consultations/public/calendar_mine.html", context)
