"""Back office for the school structure. Every save and delete goes through
umka.school.services, so it lands in the audit trail (R13)."""

import re

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from umka.core import clock, time_zones
from umka.core.admin_site import UmkaModelAdmin, UmkaTabularInline
from umka.school import services
from umka.school.models import (
    AcademicYear,
    Contract,
    Enrolment,
    Holiday,
    ProgramPart,
    ProgramPartCompletion,
    School,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
    WorkingTime,
)

_PERSON_SEARCH = ("last_name", "first_name", "middle_name", "username")


def _person_search(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{field}" for field in _PERSON_SEARCH)


class AuditedAdmin(UmkaModelAdmin):
    """Saves and deletes rows — its own and its inlines' — through the services."""

    def save_model(self, request, obj, form, change):
        services.school_record_save(actor=request.user, instance=obj, request=request)

    def delete_model(self, request, obj):
        services.school_record_delete(actor=request.user, instance=obj, request=request)

    def delete_queryset(self, request, queryset):
        services.school_records_delete(
            actor=request.user, instances=list(queryset), request=request
        )

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        # Deletions first: a row may be replaced by a new one with the same key.
        services.school_records_delete(
            actor=request.user, instances=formset.deleted_objects, request=request
        )
        for obj, _fields in formset.changed_objects:
            services.school_record_save(
                actor=request.user, instance=obj, request=request
            )
        for obj in formset.new_objects:
            services.school_record_save(
                actor=request.user, instance=obj, request=request
            )
        formset.save_m2m()


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ("short_name", "name", "time_zone")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":
            # A list of real zones, Russia's eleven first, instead of free text.
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                choices=time_zones.choices(),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        # One school per installation.
        return super().has_add_permission(request) and not School.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class StudyPeriodInline(UmkaTabularInline):
    model = StudyPeriod


class HolidayInline(UmkaTabularInline):
    model = Holiday


@admin.register(AcademicYear)
class AcademicYearAdmin(AuditedAdmin):
    list_display = ("name", "starts_on", "ends_on")
    search_fields = ("name",)
    inlines = (StudyPeriodInline, HolidayInline)


@admin.register(StudyPeriod)
class StudyPeriodAdmin(AuditedAdmin):
    list_display = ("__str__", "year", "kind", "number", "starts_on", "ends_on")
    list_filter = ("year", "kind")
    list_select_related = ("year",)


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    list_display = ("name", "year", "starts_on", "ends_on")
    list_filter = ("year",)
    list_select_related = ("year",)
    search_fields = ("name",)


class EnrolmentInline(UmkaTabularInline):
    model = Enrolment
    fields = ("student", "starts_on", "ends_on")
    autocomplete_fields = ("student",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("student")


_CLASS_NAME = re.compile(r"^\s*(\d{1,2})\s*([^\d\s]{0,2})\s*$")


@admin.register(SchoolClass)
class SchoolClassAdmin(AuditedAdmin):
    list_display = ("name", "year", "class_teacher", "students_count")
    list_filter = ("year", "grade")
    list_select_related = ("year", "class_teacher")
    search_fields = ("letter", *_person_search("class_teacher"))
    autocomplete_fields = ("class_teacher",)
    inlines = (EnrolmentInline,)
    ordering = ("-year__starts_on", "grade", "letter")

    def get_queryset(self, request):
        today = clock.today()
        current = Q(enrolments__starts_on__lte=today) & (
            Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=today)
        )
        return (
            super()
            .get_queryset(request)
            .annotate(students_total=Count("enrolments", filter=current))
        )

    def get_search_results(self, request, queryset, search_term):
        # «7А» or «7 а» finds the class itself.
        match = _CLASS_NAME.match(search_term)
        if match:
            grade, letter = match.groups()
            found = queryset.filter(grade=int(grade))
            if letter:
                # Not __iexact: SQLite folds the case of Latin letters only.
                found = found.filter(letter__in={letter.upper(), letter.lower()})
            return found, False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("class"), ordering="grade")
    def name(self, obj):
        return str(obj)

    @admin.display(description=_("students now"), ordering="students_total")
    def students_count(self, obj):
        return obj.students_total


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedAdmin):
    list_display = ("student", "school_class", "year", "starts_on", "ends_on")
    list_filter = (
        "school_class__year",
        "school_class__grade",
        ("ends_on", admin.EmptyFieldListFilter),
    )
    list_select_related = ("student", "school_class", "school_class__year")
    search_fields = _person_search("student")
    autocomplete_fields = ("student", "school_class")
    date_hierarchy = "starts_on"

    @admin.display(description=_("academic year"), ordering="school_class__year")
    def year(self, obj):
        return obj.school_class.year


@admin.register(Subject)
class SubjectAdmin(AuditedAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name", "short_name")


class ProgramPartCompletionInline(UmkaTabularInline):
    model = ProgramPartCompletion
    autocomplete_fields = ("school_class",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("school_class", "program_part__subject")
        )


@admin.register(ProgramPart)
class ProgramPartAdmin(AuditedAdmin):
    list_display = ("subject", "grade", "number", "title")
    list_display_links = ("title",)
    list_filter = ("subject", "grade")
    list_select_related = ("subject",)
    search_fields = ("title", "subject__name")
    inlines = (ProgramPartCompletionInline,)


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(AuditedAdmin):
    list_display = ("teacher", "subject", "school_class", "hours_per_week")
    list_filter = (
        "subject",
        "school_class__year",
        "school_class__grade",
        "school_class",
    )
    list_select_related = ("teacher", "subject", "school_class")
    search_fields = (*_person_search("teacher"), "subject__name")
    autocomplete_fields = ("teacher", "subject", "school_class")


class WorkingTimeInline(UmkaTabularInline):
    model = WorkingTime
    max_num = 7
    verbose_name_plural = _(
        "Working days and hours (deputies, heads of units, other staff)"
    )


@admin.register(Contract)
class ContractAdmin(AuditedAdmin):
    list_display = ("person", "position", "weekly_load_hours", "consultation_hours")
    list_select_related = ("person",)
    search_fields = (*_person_search("person"), "position")
    autocomplete_fields = ("person",)
    inlines = (WorkingTimeInline,)
    fieldsets = (
        (None, {"fields": ("person", "position")}),
        (
            _("Teacher"),
            {
                "fields": ("weekly_load_hours", "consultation_hours"),
                "description": _(
                    "A teacher consults within the hours of the weekly teaching "
                    "load set aside for consultations."
                ),
            },
        ),
    )
