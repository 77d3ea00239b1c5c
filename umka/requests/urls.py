"""Requests: /requests/… (namespace "requests")."""

from django.urls import path

from umka.requests import views

app_name = "requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/take/", views.request_take, name="take"),
    path("<int:pk>/reply/", views.request_reply, name="reply"),
    path("<int:pk>/answer/", views.request_answer, name="answer"),
    path("<int:pk>/redirect/", views.request_redirect, name="redirect"),
    path("<int:pk>/close/", views.request_close, name="close"),
    path("<int:pk>/rate/", views.request_rate, name="rate"),
    path("<int:pk>/reopen/", views.request_reopen, name="reopen"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
