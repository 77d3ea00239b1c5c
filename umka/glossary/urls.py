from django.urls import path

from umka.glossary import views

app_name = "glossary"

urlpatterns = [
    path("<int:space_pk>/", views.index, name="index"),
    path("<int:space_pk>/new/", views.new, name="new"),
    path("<int:space_pk>/print/", views.printable, name="print"),
    path("entries/<int:pk>/", views.entry_page, name="entry"),
    path("entries/<int:pk>/edit/", views.edit, name="edit"),
    path("entries/<int:pk>/decide/", views.decide, name="decide"),
    path("entries/<int:pk>/delete/", views.delete, name="delete"),
]
