"""Back office for individual consultations by booking: to look up windows, slots,
bookings and watchers — not to change them.

Opening, cancelling, rescheduling and marking go through umka.bookings.services
(R5 and R7 checks, notices, the audit trail), which the back office would bypass;
so here everything is read-only and links to the app's own pages.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse

from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.consultations.admin import ReadOnlyMixin
from umka.core.admin_site import UmkaModelAdmin, UmkaTabularInline

_PERSON_SEARCH = ("last_name", "first_name", "middle_name", "username")


def _person_search(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in _PERSON_SEARCH)


class SlotInline(ReadOnlyMixin, UmkaTabularInline):
    model = Slot
    fields = ("starts_at", "ends_at")
    ordering = ("starts_at",)


class BookingInline(ReadOnlyMixin, UmkaTabularInline):
    model = Booking
    fk_name = "window"
    fields = ("slot", "student", "booked_by", "status", "created_at")
    ordering = ("slot__starts_at",)
    show_change_link = True

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("slot", "student", "booked_by")
        )


@admin.register(BookingWindow)
class BookingWindowAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "__str__",
        "organiser",
        "starts_at",
        "ends_at",
        "slot_minutes",
        "form",
        "slot_count",
        "booking_count",
        "opens_at",
        "cancelled_at",
    )
    list_filter = ("form", "starts_at", "cancelled_at")
    list_select_related = ("organiser",)
    search_fields = _person_search("organiser")
    date_hierarchy = "starts_at"
    fields = (
        "organiser",
        "starts_at",
        "ends_at",
        "slot_minutes",
        "opens_at",
        "form",
        "how_to_join",
        "created_by",
        "created_at",
        "cancelled_at",
        "cancel_reason",
    )
    inlines = [SlotInline, BookingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                slot_total=Count("slots", distinct=True),
                booking_total=Count(
                    "bookings",
                    filter=Q(bookings__status__in=Booking.ACTIVE),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=Slot._meta.verbose_name_plural, ordering="slot_total")
    def slot_count(self, obj):
        return obj.slot_total

    @admin.display(
        description=Booking._meta.verbose_name_plural, ordering="booking_total"
    )
    def booking_count(self, obj):
        return obj.booking_total

    def view_on_site(self, obj):
        return reverse("bookings:window_detail", args=[obj.pk])


@admin.register(Booking)
class BookingAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = (
        "student",
        "slot",
        "organiser",
        "status",
        "booked_by",
        "created_at",
        "marked_at",
    )
    list_filter = ("status", "window__form", "slot__starts_at")
    list_select_related = ("student", "slot", "window__organiser", "booked_by")
    search_fields = (*_person_search("student"), *_person_search("window__organiser"))
    date_hierarchy = "slot__starts_at"
    fields = (
        "window",
        "slot",
        "student",
        "booked_by",
        "note",
        "status",
        "created_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "marked_at",
        "marked_by",
        "outcome_note",
        # Staff only (the organiser and the administration): the back office is.
        "private_note",
        "uid",
        "sequence",
        "reminded_24h_at",
        "reminded_1h_at",
    )

    @admin.display(
        description=BookingWindow._meta.get_field("organiser").verbose_name,
        ordering="window__organiser__last_name",
    )
    def organiser(self, obj):
        return obj.window.organiser

    def view_on_site(self, obj):
        return reverse("bookings:detail", args=[obj.pk])


@admin.register(SlotWatch)
class SlotWatchAdmin(ReadOnlyMixin, UmkaModelAdmin):
    list_display = ("student", "watcher", "slot", "organiser", "created_at")
    list_select_related = ("student", "watcher", "slot__window__organiser")
    search_fields = (
        *_person_search("student"),
        *_person_search("watcher"),
        *_person_search("slot__window__organiser"),
    )
    date_hierarchy = "created_at"
    fields = ("slot", "student", "watcher", "note", "created_at")

    @admin.display(
        description=BookingWindow._meta.get_field("organiser").verbose_name,
        ordering="slot__window__organiser__last_name",
    )
    def organiser(self, obj):
        return obj.slot.window.organiser
