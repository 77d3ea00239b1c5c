from django.utils import timezone

from umka.school.selectors import school_time_zone


class SchoolTimezoneMiddleware:
    """Show and read times in the school's own time zone (a per-school setting)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(school_time_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
