from django.urls import path

from umka.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("consent/<int:pk>/", views.consent, name="consent"),
    path("export/<int:pk>.json", views.export_json, name="export_json"),
    path("export/<int:pk>/", views.export_html, name="export_html"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/anonymise/", views.anonymise, name="anonymise"),
]
