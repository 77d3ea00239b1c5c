from django.urls import path

from umka.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("export.csv", views.entry_export, name="export"),
]
