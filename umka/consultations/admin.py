"""Back office for consultations: to look up schedules, their versions, the
authorities to approve and the sessions — not to change them.

Every change of a schedule goes through umka.consultations.services (rules,
approval, amendments, notices, the audit trail), which the back office would
bypass; so here everything is read-only and links to the schedule's own page.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.consultations.models import (
    ApprovalDelegation,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.core.admin_site import UmkaModelAdmin, UmkaTabularInline

_PERSON_SEARCH = ("last_name", "first_name", "middle_name", "username")


def _person_search(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in _PERSON_SEARCH)


class ReadOnlyMixin:
    """Look, do not touch: the services are the only way to change these."""

    def get_readonly_fields(self, request, obj=None):
        return [
            *(f.name for f in self.model._meta.concrete_fields if not f.primary_key),
            *(m.name for m in self.model._meta.many_to_many),
            *getattr(self, "extra_readonly", ()),
        ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScheduleVersionInline(ReadOnlyMixin, UmkaTabularInline):
    model = ScheduleVersion
    fields = ("number", "created_at", "created_by", "reason")
    ordering = ("-number",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by").defer("rows")


@admin.register(ScheduleDocument)
class ScheduleDocumentAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "__str__",
        "year",
        "status",
        "version",
        "approved_by",
        "approved_at",
        "order_number",
        "published_at",
        "consultation_count",
    )
    list_filter = ("status", "year")
    list_select_related = ("year", "period__year", "approved_by")
    search_fields = ("order_number", *_person_search("approved_by"))
    fields = (
        "year",
        "period",
        "status",
        "version",
        "created_at",
        "submitted_at",
        "submitted_by",
        "approved_at",
        "approved_by",
        "approver_position",
        "order_number",
        "order_date",
        "published_at",
    )
    inlines = [ScheduleVersionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(consultation_total=Count("consultations"))
        )

    @admin.display(description=_("consultations"), ordering="consultation_total")
    def consultation_count(self, obj):
        return obj.consultation_total

    def view_on_site(self, obj):
        return reverse("consultations:schedule", args=[obj.pk])


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = ("document", "number", "created_at", "created_by", "reason")
    list_filter = ("document__year",)
    list_select_related = (
        "document__year",
        "document__period__year",
        "created_by",
    )
    search_fields = ("reason", *_person_search("created_by"))
    fields = ("document", "number", "created_at", "created_by", "reason", "rows")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # The changelist needs no rows (a version's rows can be long).
        if request.resolver_match and request.resolver_match.url_name.endswith(
            "changelist"
        ):
            queryset = queryset.defer("rows")
        return queryset

    def view_on_site(self, obj):
        return reverse(
            "consultations:schedule_version", args=[obj.document_id, obj.number]
        )


@admin.register(ApprovalDelegation)
class ApprovalDelegationAdmin(ReadOnlyMixin, UmkaModelAdmin):
    """The director grants authority on the schedules page (services.
    approval_delegate), where the grant is checked and audited."""

    list_display = (
        "deputy",
        "valid_from",
        "valid_until",
        "order_number",
        "order_date",
        "granted_by",
    )
    list_select_related = ("deputy", "granted_by")
    search_fields = (*_person_search("deputy"), "order_number")
    fields = (
        "deputy",
        "granted_by",
        "valid_from",
        "valid_until",
        "order_number",
        "order_date",
    )


class OccurrenceInline(ReadOnlyMixin, UmkaTabularInline):
    model = Occurrence
    fields = ("starts_at", "ends_at", "status", "moved_from", "change_reason")
    ordering = ("starts_at",)
    show_change_link = True


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "__str__",
        "schedule",
        "form",
        "purpose",
        "recurrence",
        "starts_on",
        "start_time",
    )
    list_filter = ("schedule__year", "form", "purpose", "subject")
    list_select_related = (
        "organiser",
        "subject",
        "schedule__year",
        "schedule__period__year",
    )
    search_fields = (*_person_search("organiser"), "subject__name", "topics")
    date_hierarchy = "starts_on"
    inlines = [OccurrenceInline]

    def view_on_site(self, obj):
        return reverse("consultations:schedule", args=[obj.schedule_id])


@admin.register(Occurrence)
class OccurrenceAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "consultation",
        "starts_at",
        "ends_at",
        "status",
        "moved_from",
        "change_reason",
    )
    list_filter = ("status", "consultation__schedule__year")
    list_select_related = ("consultation__organiser", "consultation__subject")
    search_fields = (
        *_person_search("consultation__organiser"),
        "consultation__subject__name",
        "change_reason",
    )
    date_hierarchy = "starts_at"
