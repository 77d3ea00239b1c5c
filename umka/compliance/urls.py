from django.urls import path

from umka.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.compliance_report, name="report"),
]
