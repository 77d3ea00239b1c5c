from django.urls import path

from umka.signin import views

app_name = "signin"

urlpatterns = [
    path("", views.security, name="security"),
    path("code/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.codes_renew, name="codes_renew"),
    path("off/", views.remove, name="remove"),
    path("sessions/<int:pk>/end/", views.session_end, name="session_end"),
    path("sessions/end-all/", views.sessions_end_all, name="sessions_end_all"),
]
