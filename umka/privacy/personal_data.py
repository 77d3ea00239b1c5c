"""Personal data of the apps the privacy app itself builds on (people, school,
audit) and its own: declared here, since those apps cannot import this one."""

from django.contrib.admin.models import LogEntry

from umka.accounts.models import ParentLink, RoleAssignment
from umka.audit.models import AuditEntry
from umka.privacy import registry
from umka.privacy.models import Consent
from umka.school.models import Contract, Enrolment, SchoolClass, TeachingAssignment

registry.declare(
    RoleAssignment, people=("user",), fields=("role", "granted_at", "granted_by")
)
registry.declare(
    ParentLink,
    people=("parent", "student"),
    fields=("parent", "student", "kind", "verified_at", "kept_by_adult_student"),
)
registry.declare(
    Enrolment, people=("student",), fields=("school_class", "starts_on", "ends_on")
)
registry.declare(
    SchoolClass, people=("class_teacher",), fields=("year", "grade", "letter")
)
registry.declare(
    TeachingAssignment,
    people=("teacher",),
    fields=("subject", "school_class", "hours_per_week"),
)
registry.declare(
    Contract,
    people=("person",),
    fields=("position", "weekly_load_hours", "consultation_hours"),
)
registry.declare(
    AuditEntry,
    people=("actor",),
    fields=("at", "action", "target_repr", "ip_address"),
)
registry.declare(
    LogEntry,
    people=("user",),
    fields=("action_time", "object_repr", "change_message"),
)
registry.declare(
    Consent,
    people=("subject", "given_by"),
    fields=("subject", "given_by", "text_version", "given_at", "withdrawn_at"),
)


def _purge_audit(cutoff) -> int:
    old = AuditEntry.objects.filter(at__lt=cutoff)
    # The trail is append-only for everyone else; its retention period is the one
    # sanctioned removal, itself audited by apply_retention.
    return old._raw_delete(old.db)


registry.retention("audit", setting="PRIVACY_RETENTION_AUDIT_DAYS", purge=_purge_audit)
