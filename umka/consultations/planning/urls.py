"""Planning screens: /consultations/… (namespace "consultations")."""

from django.urls import path

from umka.consultations.planning import views, views_sessions

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.plan, name="plan"),
    path("new/fields/", views.plan_fields, name="plan_fields"),
    path("<int:pk>/", views_sessions.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path(
        "<int:pk>/remove/",
        views_sessions.consultation_remove,
        name="consultation_remove",
    ),
    path("sessions/<int:pk>/", views_sessions.session, name="session"),
    path("sessions/<int:pk>/move/", views_sessions.session_move, name="session_move"),
    path(
        "sessions/<int:pk>/cancel/",
        views_sessions.session_cancel,
        name="session_cancel",
    ),
    path("sessions/<int:pk>/held/", views_sessions.session_held, name="session_held"),
    path(
        "sessions/<int:pk>/not-held/",
        views_sessions.session_not_held,
        name="session_not_held",
    ),
    path(
        "sessions/<int:pk>/checklist/",
        views_sessions.checklist_save,
        name="checklist_save",
    ),
    path("checklist/<int:pk>/", views_sessions.checklist_item, name="checklist_item"),
    path(
        "checklist/<int:pk>/materials/",
        views_sessions.checklist_material,
        name="checklist_material",
    ),
    path("materials/<int:pk>/", views_sessions.material, name="material"),
]
