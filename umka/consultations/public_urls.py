"""Published schedule for everyone (/schedule/): page, print form, PDF, calendars."""

app_name = "schedule"

urlpatterns: list = []
