"""Staff screens (/consultations/): planning and the schedule document."""

from django.urls import include, path

app_name = "consultations"

urlpatterns = [
    path("", include("umka.consultations.planning.urls")),
    path("schedules/", include("umka.consultations.schedule.urls")),
]
