from umka.core import clock


class SchoolTimezoneMiddleware:
    """Show and read times in the school's own time zone (a per-school setting)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with clock.school_time():
            return self.get_response(request)
