"""`manage.py check --database default`: the school's time zone is a real one."""

from django.core import checks


@checks.register(checks.Tags.database)
def school_time_zone_is_known(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from django.db import DatabaseError

    from umka.core.time_zones import UnknownTimeZone, zone_info
    from umka.school.models import School

    try:
        names = list(School.objects.values_list("time_zone", flat=True))
    except DatabaseError:  # `migrate` runs the checks before the table exists
        return []
    errors = []
    for name in names:
        try:
            zone_info(name)
        except UnknownTimeZone:
            errors.append(
                checks.Error(
                    f"The school's time zone {name!r} is not a known time zone; "
                    "the school runs on the server's TIME_ZONE until it is fixed.",
                    hint="Choose the zone in the back office (School).",
                    id="school.E001",
                )
            )
    return errors
