from django.urls import path

from umka.home import views

urlpatterns = [
    path("", views.home, name="home"),
]
