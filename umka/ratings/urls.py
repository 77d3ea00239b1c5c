from django.urls import path

from umka.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.index, name="index"),
    path("rate/<str:kind>/<int:object_id>/", views.rate, name="rate"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("low/", views.low, name="low"),
]
