"""Published schedule for everyone (/schedule/): page, print form, PDF, calendars."""

from django.urls import path

from umka.consultations.publication import views

app_name = "schedule"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.index, name="detail"),
    path("<int:pk>/print/", views.print_form, name="print"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("embed/", views.embed, name="embed"),
    path("embed/code/", views.embed_code, name="embed_code"),
    path("calendar/mine/", views.calendar_mine, name="calendar_mine"),
    path(
        "calendar/class/<int:class_id>.ics",
        views.calendar_class,
        name="calendar_class",
    ),
    path(
        "calendar/organiser/<int:user_id>.ics",
        views.calendar_organiser,
        name="calendar_organiser",
    ),
    path(
        "calendar/<slug:token>.ics", views.calendar_personal, name="calendar_personal"
    ),
]
