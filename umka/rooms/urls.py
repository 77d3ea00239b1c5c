from django.urls import path

from umka.rooms import views

app_name = "rooms"

urlpatterns = [
    path("session/<uuid:uid>/", views.occurrence_room, name="occurrence"),
    path("booking/<uuid:uid>/", views.booking_room, name="booking"),
    path("<int:pk>/", views.room, name="room"),
    path("<int:pk>/present/", views.present, name="present"),
    path("<int:pk>/open/", views.room_open, name="open"),
    path("<int:pk>/close/", views.room_close, name="close"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/files/<int:message_id>/", views.attachment, name="file"),
    path("<int:pk>/chat/", views.transcript, name="transcript"),
]
