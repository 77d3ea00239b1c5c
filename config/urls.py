from django.contrib import admin
from django.urls import include, path

from umka.core import lowvision
from umka.core import views as core_views

urlpatterns = [
    path("", include("umka.home.urls")),
    path("accounts/", include("umka.accounts.urls")),
    path("audit/", include("umka.audit.urls")),
    path("imports/", include("umka.imports.urls")),
    path("notifications/", include("umka.notifications.urls")),
    path("consultations/", include("umka.consultations.urls")),
    path("schedule/", include("umka.consultations.publication.urls")),
    path("grades/", include("umka.grades.urls")),
    path("bookings/", include("umka.bookings.urls")),
    path("requests/", include("umka.requests.urls")),
    path("rooms/", include("umka.rooms.urls")),
    path("courses/", include("umka.courses.urls")),
    path("assignments/", include("umka.assignments.urls")),
    path("materials/", include("umka.materials.urls")),
    path("seminars/", include("umka.seminars.urls")),
    path("glossary/", include("umka.glossary.urls")),
    path("forums/", include("umka.forums.urls")),
    path("privacy/", include("umka.privacy.urls")),
    path("compliance/", include("umka.compliance.urls")),
    path("reports/", include("umka.reports.urls")),
    path("ratings/", include("umka.ratings.urls")),
    path("ledger/", include("umka.ledger.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("low-vision/", lowvision.settings_view, name="low_vision"),
    path("backoffice/", admin.site.urls),
    path("too-large/", core_views.too_large, name="too_large"),  # nginx's 413 page
    path("signin/", include("umka.signin.urls")),
]

# Uploaded files are never served straight from MEDIA_ROOT: each app serves its own
# through a view that checks who may see them.

handler400 = "umka.core.views.bad_request"
handler403 = "umka.core.views.permission_denied"
handler404 = "umka.core.views.page_not_found"
handler500 = "umka.core.views.server_error"
