from django.urls import path

from umka.seminars import views, views_teacher

app_name = "seminars"

urlpatterns = [
    path("new/<int:space_pk>/", views_teacher.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/edit/", views_teacher.edit, name="edit"),
    path("<int:pk>/criteria/", views_teacher.criteria, name="criteria"),
    path("<int:pk>/switch/", views_teacher.switch, name="switch"),
    path("<int:pk>/allocation/", views_teacher.allocation, name="allocation"),
    path("<int:pk>/withdraw/", views_teacher.withdraw, name="withdraw"),
    path("works/<int:pk>/", views.work_page, name="work"),
    path("works/<int:pk>/assess/", views.assess, name="assess"),
    path("works/<int:pk>/grade/", views_teacher.grade, name="grade"),
    path("files/<int:pk>/", views.work_file, name="file"),
]
