"""«Кто смотрел данные моего ребёнка»: staff opening a child's profile, grades or
requests leave an entry in the audit trail (152-ФЗ: who had access to whose data).

At most one entry per staff member × child × kind of page an hour, so the trail
stays readable; the views call `record_child_views()` after their policy let them
in. `views_of(child)` is what the child's profile shows to the administration and
to the child's parents.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from umka.accounts.audit_actions import CHILD_DATA_VIEWED
from umka.accounts.policies import is_parent_of
from umka.audit.models import AuditEntry
from umka.audit.policies import can_browse_audit
from umka.audit.services import client_ip
from umka.core import clock, ratelimit

PROFILE = "profile"
GRADES = "grades"
REQUESTS = "requests"
KINDS = {PROFILE: _("profile"), GRADES: _("grades"), REQUESTS: _("requests")}

ONCE_PER_SECONDS = 3600


def _is_staff_viewer(viewer) -> bool:
    return bool(
        viewer is not None
        and viewer.is_authenticated
        and (viewer.is_superuser or viewer.is_school_staff)
    )


def record_child_views(*, viewer, children: Iterable, kind: str, request=None) -> int:
    """Write who (a staff member) opened which students' data on what page; returns
    how many entries were written. Own data and one's own children are not
    «looking»; a student who is not a student (a teacher's profile) neither."""
    if kind not in KINDS or not _is_staff_viewer(viewer):
        return 0
    entries = []
    for child in children:
        if child.pk == viewer.pk:
            continue
        if not ratelimit.once_per(
            f"looked:{viewer.pk}:{child.pk}:{kind}", ONCE_PER_SECONDS
        ):
            continue
        # Grades and requests are a student's by construction; a profile may be
        # a colleague's.
        if kind == PROFILE and not child.is_student:
            continue
        if viewer.is_parent and is_parent_of(viewer, child):
            continue
        entries.append(
            AuditEntry(
                at=clock.now(),
                actor=viewer,
                actor_name=viewer.get_full_name() or viewer.username,
                action=CHILD_DATA_VIEWED,
                target_type=ContentType.objects.get_for_model(child),
                target_id=str(child.pk),
                target_repr=str(child)[:300],
                changes={"page": kind},
                ip_address=client_ip(request),
            )
        )
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


def record_child_view(*, viewer, child, kind: str, request=None) -> int:
    return record_child_views(
        viewer=viewer, children=[child], kind=kind, request=request
    )


def views_of(child) -> QuerySet[AuditEntry]:
    """Who looked at `child`'s data, newest first."""
    return AuditEntry.objects.filter(
        action=CHILD_DATA_VIEWED,
        target_type=ContentType.objects.get_for_model(child),
        target_id=str(child.pk),
    ).order_by("-at", "-pk")


def kind_label(entry: AuditEntry) -> str:
    page = entry.changes.get("page") if isinstance(entry.changes, dict) else None
    return str(KINDS.get(page, page or ""))


def can_see_views(viewer, child) -> bool:
    """The administration, and the child's parents while they have rights (R3)."""
    if not child.is_student:
        return False
    if can_browse_audit(viewer):
        return True
    return bool(viewer.is_parent and is_parent_of(viewer, child))


@dataclass(frozen=True)
class Look:
    at: dt.datetime
    who: str
    what: str


def looks_for(viewer, child, limit: int = 30) -> list[Look] | None:
    """The latest views of `child`'s data as `viewer` may read them (None: not
    theirs to see)."""
    if not can_see_views(viewer, child):
        return None
    return [
        Look(entry.at, entry.actor_name, kind_label(entry))
        for entry in views_of(child)[:limit]
    ]
