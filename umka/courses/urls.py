from django.urls import path

from umka.courses import views

app_name = "courses"

urlpatterns = [
    path("", views.index, name="index"),
    path("new-group/", views.group_new, name="group_new"),
    path("results/", views.results, name="results"),
    path("queue/", views.queue, name="queue"),
    path("images/<uuid:key>/", views.image, name="image"),
    path("<int:pk>/", views.space_page, name="space"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/images/", views.image_upload, name="image_upload"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
]
