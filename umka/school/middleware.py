from umka.core import clock
from umka.school.selectors import read_once


class SchoolTimezoneMiddleware:
    """Show and read times in the school's own time zone (a per-school setting);
    the school's settings are read once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with read_once(), clock.school_time():
            return self.get_response(request)
