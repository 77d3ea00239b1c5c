"""Who may read the audit trail (R13). Nobody may change it."""

from django.db.models import QuerySet

from umka.audit.models import AuditEntry


def can_browse_audit(user) -> bool:
    """The administration: deputy head, administrator, director, superuser."""
    return bool(user.is_authenticated and user.is_active and user.is_administration)


def entries_visible_to(user) -> QuerySet[AuditEntry]:
    if not can_browse_audit(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()
