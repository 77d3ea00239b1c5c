"""Individual consultations by booking: /bookings/… (namespace "bookings")."""

from django.urls import path

from umka.bookings import views

app_name = "bookings"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("find/", views.find, name="find"),
    path("find/slots/", views.find_slots, name="find_slots"),
    path("slots/<int:pk>/book/", views.book, name="book"),
    path("slots/<int:pk>/watch/", views.watch, name="watch"),
    path("watches/<int:pk>/remove/", views.watch_remove, name="watch_remove"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/mark/", views.mark, name="mark"),
    path("<int:pk>/invite.ics", views.invite, name="invite"),
    path("windows/", views.windows, name="windows"),
    path("windows/new/", views.window_new, name="window_new"),
    path("windows/<int:pk>/", views.window_detail, name="window_detail"),
    path("windows/<int:pk>/cancel/", views.window_cancel, name="window_cancel"),
]
