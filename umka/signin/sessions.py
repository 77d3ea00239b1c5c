"""«Where am I signed in»: recording sessions and ending them (one, or all)."""

import datetime as dt
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from umka.accounts.models import User
from umka.audit.services import client_ip, record
from umka.core import clock
from umka.core.access import get_visible_or_404
from umka.signin import audit_actions as actions
from umka.signin.models import SignedInSession

SEEN_KEY = "signin.seen"
TOUCH_EVERY_SECONDS = 60


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record(request, user: User) -> None:
    """Write (or refresh) the row of this request's session; called at sign-in and
    by the middleware at most once a minute."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    now = clock.now()
    seen = {
        "user": user,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "ip_address": client_ip(request),
        "last_seen": now,
    }
    # The common case, a session seen a minute ago, is one UPDATE (this runs in
    # the middle of whatever the person does, a booking rush included); a new
    # session inserts its row, and a racing request that inserted it first
    # makes this one an update.
    if not SignedInSession.objects.filter(session_key=key).update(**seen):
        try:
            with transaction.atomic():
                SignedInSession.objects.create(
                    session_key=key, signed_in_at=now, **seen
                )
        except IntegrityError:
            SignedInSession.objects.filter(session_key=key).update(**seen)
    request.session[SEEN_KEY] = time.time()


def sessions_of(user: User) -> QuerySet[SignedInSession]:
    """The person's sessions that have not yet run out, last seen first."""
    since = clock.now() - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return SignedInSession.objects.filter(user=user, last_seen__gte=since)


def _end(keys: list[str]) -> None:
    store = _store()
    for key in keys:
        store().delete(key)
    SignedInSession.objects.filter(session_key__in=keys).delete()


def session_end(*, actor: User, pk: int, request=None) -> SignedInSession:
    """End one of the actor's sessions (another device); 404 for anyone else's."""
    row = get_visible_or_404(SignedInSession.objects.filter(user=actor), pk=pk)
    with transaction.atomic():
        _end([row.session_key])
        record(
            actor=actor,
            action=actions.SESSION_ENDED,
            target=actor,
            changes={"browser": row.user_agent[:120], "ip": row.ip_address},
            request=request,
        )
    return row


def sessions_end_all(*, actor: User, request) -> int:
    """«Выйти на всех устройствах»: every session of the actor, this one included."""
    keys = list(
        SignedInSession.objects.filter(user=actor).values_list("session_key", flat=True)
    )
    with transaction.atomic():
        record(
            actor=actor,
            action=actions.SESSIONS_ENDED,
            target=actor,
            changes={"sessions": len(keys)},
            request=request,
        )
        _end([k for k in keys if k != request.session.session_key])
    logout(request)
    return len(keys)
