from django.urls import path

from umka.materials import views

app_name = "materials"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("program/<int:class_pk>/<int:subject_pk>/", views.program, name="program"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<int:pk>/opened/", views.opened, name="opened"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("<int:pk>/versions/<int:number>/restore/", views.restore, name="restore"),
    path(
        "<int:pk>/versions/<int:number>/file/",
        views.version_file,
        name="version_file",
    ),
]
