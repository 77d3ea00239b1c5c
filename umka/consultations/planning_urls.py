"""Planning screens: /consultations/… (namespace "consultations")."""

from django.urls import path

from umka.consultations import views_planning as views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.plan, name="plan"),
    path("new/fields/", views.plan_fields, name="plan_fields"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/remove/", views.consultation_remove, name="consultation_remove"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/held/", views.session_held, name="session_held"),
    path(
        "sessions/<int:pk>/not-held/", views.session_not_held, name="session_not_held"
    ),
    path("checklist/<int:pk>/", views.checklist_item, name="checklist_item"),
    path(
        "checklist/<int:pk>/materials/",
        views.checklist_material,
        name="checklist_material",
    ),
    path("materials/<int:pk>/", views.material, name="material"),
]
