from django.urls import path

from umka.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("report.xlsx", views.export_xlsx, name="export_xlsx"),
    path("report.pdf", views.export_pdf, name="export_pdf"),
    path("attention/", views.attention, name="attention"),
    path("monthly/", views.monthly, name="monthly"),
]
