from django.urls import path

from umka.ledger import views

app_name = "ledger"

urlpatterns = [
    path("<int:pk>/", views.ledger, name="student"),
]
