from django.urls import path

from umka.grades import views

app_name = "grades"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("analysis/", views.topic_analysis, name="analysis"),
    path("entry/", views.entry, name="entry"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/template.<slug:fmt>", views.template_file, name="template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/report.csv", views.import_report, name="import_report"),
]
