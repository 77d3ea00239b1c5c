from django.urls import path

from umka.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("templates/<slug:kind>.<slug:fmt>", views.template_file, name="template"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/report.csv", views.job_report, name="report"),
    path("<int:pk>/passwords/", views.credentials, name="credentials"),
    path(
        "<int:pk>/passwords/erase/",
        views.credentials_erase,
        name="credentials_erase",
    ),
]
