"""The demo school and ratings: wiped before its people go (ratings protect them).
The demo's request ratings reach the table through `requests.demo`."""

from umka.ratings.models import Rating


def wipe_demo_ratings() -> None:
    Rating.objects.all().delete()
