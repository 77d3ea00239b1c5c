"""The schedule document screens (/consultations/schedules/, R8); the names live in
the "consultations" namespace of umka.consultations.urls."""

from django.urls import path

from umka.consultations.schedule import views

urlpatterns = [
    path("", views.schedule_list, name="schedules"),
    path("open/", views.schedule_open, name="schedule_open"),
    path("delegations/", views.delegation_create, name="schedule_delegate"),
    path("<int:pk>/", views.schedule_detail, name="schedule"),
    path("<int:pk>/submit/", views.schedule_submit, name="schedule_submit"),
    path("<int:pk>/return/", views.schedule_return, name="schedule_return"),
    path("<int:pk>/approve/", views.schedule_approve, name="schedule_approve"),
    path("<int:pk>/publish/", views.schedule_publish, name="schedule_publish"),
    path("<int:pk>/versions/", views.version_list, name="schedule_versions"),
    path(
        "<int:pk>/versions/compare/",
        views.version_compare,
        name="schedule_compare",
    ),
    path(
        "<int:pk>/versions/<int:number>/",
        views.version_detail,
        name="schedule_version",
    ),
]
