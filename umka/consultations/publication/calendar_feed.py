"""Calendar feeds of consultations (R8), RFC 5545, built with `icalendar`.

Yandex, Google and Apple calendars subscribe to an address and fetch it again from
time to time. One VEVENT per session: its UID never changes and its SEQUENCE grows
with every amendment (Occurrence.sequence), so a moved or cancelled session shows
up as a change of the same event, not as a new one.

Feeds: per class and per organiser (published schedules only), and a personal one
behind a secret token (CalendarToken) with what `policies.consultations_for` gives.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import (
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from umka.accounts.models import User
from umka.audit.services import record
from umka.consultations import policies
from umka.consultations.models import (
    CalendarToken,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.publication.audit import CALENDAR_TOKEN_ISSUED
from umka.consultations.publication.rows import chosen_count, chosen_students_text
from umka.core import clock
from umka.school.models import Contract, SchoolClass

PRODID = "-//Umka//Consultation schedule//RU"
#: Past sessions stay in a feed this long (calendars drop what vanishes).
KEEP_PAST = dt.timedelta(days=366)
#: How often calendar applications are asked to fetch the feed again.
REFRESH = dt.timedelta(hours=1)


# --- Which sessions ------------------------------------------------------------------


def _sessions(consultations: QuerySet[Consultation]) -> QuerySet[Occurrence]:
    """The sessions of `consultations`, with everything an event shows (3 queries)."""
    chosen = chosen_count("consultation_id")
    amended_at = Subquery(
        ScheduleVersion.objects.filter(document=OuterRef("consultation__schedule"))
        .order_by("-number")
        .values("created_at")[:1]
    )
    return (
        Occurrence.objects.filter(
            consultation__in=consultations.values("pk"),
            starts_at__gte=timezone.now() - KEEP_PAST,
        )
        .select_related(
            "consultation__organiser",
            "consultation__subject",
            "consultation__schedule",
        )
        .prefetch_related(
            Prefetch(
                "consultation__audience_classes",
                queryset=SchoolClass.objects.order_by("grade", "letter"),
            )
        )
        .annotate(chosen_count=chosen, amended_at=amended_at)
        .order_by("starts_at", "pk")
    )


def class_sessions(school_class: SchoolClass) -> QuerySet[Occurrence]:
    """A class's sessions in published schedules."""
    return _sessions(
        Consultation.objects.filter(
            schedule__status=ScheduleDocument.Status.PUBLISHED,
            audience_classes=school_class,
        )
    )


def organiser_sessions(organiser: User) -> QuerySet[Occurrence]:
    """What a staff member gives, in published schedules."""
    return _sessions(
        Consultation.objects.filter(
            schedule__status=ScheduleDocument.Status.PUBLISHED, organiser=organiser
        )
    )


def personal_sessions(user: User) -> QuerySet[Occurrence]:
    """«My consultations»: what the person organises (drafts too), attends, or
    their children attend (approved and published schedules only)."""
    return _sessions(policies.consultations_for(user))


# --- Events ---------------------------------------------------------------------------


def _summary(consultation: Consultation, cancelled: bool) -> str:
    form = consultation.get_form_display()
    if consultation.subject_id:
        summary = _("%(subject)s — %(form)s") % {
            "subject": consultation.subject.name,
            "form": str(form).lower(),
        }
    else:
        summary = str(form)
    if cancelled:
        # Some calendars ignore STATUS:CANCELLED in subscriptions; say it in words.
        return _("Cancelled: %(summary)s") % {"summary": summary}
    return summary


def _local(moment: dt.datetime, tz) -> str:
    return formats.date_format(timezone.localtime(moment, tz), "d.m.Y H:i")


def _description(o: Occurrence, positions: dict[int, str], tz) -> str:
    c = o.consultation
    organiser = c.organiser.full_name
    if position := positions.get(c.organiser_id):
        organiser = f"{organiser}, {position.lower()}"
    lines = [_("Organiser: %(name)s") % {"name": organiser}]
    audience = [", ".join(str(k) for k in c.audience_classes.all())]
    if o.chosen_count:
        audience.append(chosen_students_text(o.chosen_count))
    audience = "; ".join(a for a in audience if a)
    if audience:
        lines.append(_("For: %(audience)s") % {"audience": audience})
    if c.for_parents:
        lines.append(_("Parents are invited."))
    lines.append(
        _("Kind: %(purpose)s; %(volume)s")
        % {
            "purpose": str(c.get_purpose_display()).lower(),
            "volume": str(c.get_volume_display()).lower(),
        }
    )
    if topics := c.topic_list:
        lines.append(_("Topics: %(topics)s") % {"topics": "; ".join(topics)})
    if c.description:
        lines.append(c.description)
    if c.how_to_join:
        lines.append(_("How to join: %(how)s") % {"how": c.how_to_join})
    if o.status == Occurrence.Status.CANCELLED:
        lines.append(_("Cancelled. Reason: %(reason)s") % {"reason": o.change_reason})
    elif o.moved_from:
        lines.append(
            _("Moved from %(when)s. Reason: %(reason)s")
            % {"when": _local(o.moved_from, tz), "reason": o.change_reason}
        )
    return "\n".join(lines)


def _last_modified(o: Occurrence) -> dt.datetime:
    """When the event last changed, as far as the data tells: the consultation's
    own edit, approval, publication or the schedule's latest amendment."""
    schedule = o.consultation.schedule
    moments = [
        o.consultation.updated_at,
        schedule.approved_at,
        schedule.published_at,
        o.amended_at,
    ]
    return max(m for m in moments if m is not None).astimezone(dt.UTC)


def _event(o: Occurrence, *, positions: dict[int, str], tz, url: str) -> Event:
    c = o.consultation
    cancelled = o.status == Occurrence.Status.CANCELLED
    event = Event()
    changed = _last_modified(o)
    event.add("uid", f"{o.uid}@umka")
    event.add("sequence", o.sequence)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("created", c.created_at.astimezone(dt.UTC))
    event.add("dtstart", timezone.localtime(o.starts_at, tz))
    event.add("dtend", timezone.localtime(o.ends_at, tz))
    event.add("summary", _summary(c, cancelled))
    event.add("description", _description(o, positions, tz))
    if c.how_to_join:
        event.add("location", c.how_to_join)
    if cancelled:
        event.add("status", "CANCELLED")
    elif c.schedule.is_approved:
        event.add("status", "CONFIRMED")
    else:  # the organiser's own draft, in their personal feed
        event.add("status", "TENTATIVE")
    if url:
        event.add("url", url)
    return event


def build_calendar(
    sessions: Iterable[Occurrence], *, name: str, url: str = ""
) -> bytes:
    """An iCalendar file (VCALENDAR with a VTIMEZONE of the school's zone)."""
    tz = clock.zone()
    sessions = list(sessions)
    positions = dict(
        Contract.objects.filter(
            person_id__in={o.consultation.organiser_id for o in sessions}
        ).values_list("person_id", "position")
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    today = clock.today()
    first = min((o.starts_at.date() for o in sessions), default=today)
    last = max((o.ends_at.date() for o in sessions), default=today)
    calendar.add_component(
        Timezone.from_tzid(
            tz.key,
            first_date=dt.date(first.year - 1, 1, 1),
            last_date=dt.date(last.year + 2, 1, 1),
        )
    )
    for o in sessions:
        calendar.add_component(_event(o, positions=positions, tz=tz, url=url))
    return calendar.to_ical()


# --- Personal feed tokens -------------------------------------------------------------


def calendar_token_of(user: User) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def calendar_token_issue(*, actor: User, request=None) -> CalendarToken:
    """Give the person a new secret feed address; an old one stops working (R8).

    The token itself never goes into the audit trail.
    """
    with transaction.atomic():
        token = CalendarToken.objects.select_for_update().filter(user=actor).first()
        replaced = token is not None
        if token is None:
            token = CalendarToken(user=actor)
        else:
            token.token = CalendarToken._meta.get_field("token").get_default()
        token.created_at = timezone.now()
        token.save()
        record(
            actor=actor,
            action=CALENDAR_TOKEN_ISSUED,
            target=actor,
            changes={"replaced": replaced},
            request=request,
        )
    return token


def user_for_token(token: str) -> User | None:
    """The active person whose feed `token` opens, if any."""
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return found.user if found else None
