"""The time zones a school may choose: Russia's eleven first, then the world.

A zone is stored by its IANA name («Asia/Vladivostok»). Anything else — «UTC+10»,
«Владивосток», «asia/vladivostok» — is refused by the model's validator, so a school
never runs on another zone than the one it chose.
"""

import datetime as dt
import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: Russia's eleven zones (Федеральный закон «Об исчислении времени», ст. 5), each by
#: the zone people call it and the IANA name of its main city.
RUSSIAN_ZONES: tuple[tuple[str, str], ...] = (
    ("Europe/Kaliningrad", pgettext_lazy("time zone", "Kaliningrad time")),
    ("Europe/Moscow", pgettext_lazy("time zone", "Moscow time")),
    ("Europe/Samara", pgettext_lazy("time zone", "Samara time")),
    ("Asia/Yekaterinburg", pgettext_lazy("time zone", "Yekaterinburg time")),
    ("Asia/Omsk", pgettext_lazy("time zone", "Omsk time")),
    ("Asia/Krasnoyarsk", pgettext_lazy("time zone", "Krasnoyarsk time")),
    ("Asia/Irkutsk", pgettext_lazy("time zone", "Irkutsk time")),
    ("Asia/Yakutsk", pgettext_lazy("time zone", "Yakutsk time")),
    ("Asia/Vladivostok", pgettext_lazy("time zone", "Vladivostok time")),
    ("Asia/Magadan", pgettext_lazy("time zone", "Magadan time")),
    ("Asia/Kamchatka", pgettext_lazy("time zone", "Kamchatka time")),
)

#: Regions of Russia with a zone of their own in the IANA database (same offset as
#: one of the eleven today, but with their own history of changes).
OTHER_RUSSIAN_ZONES: tuple[tuple[str, str], ...] = (
    ("Europe/Simferopol", pgettext_lazy("time zone", "Simferopol")),
    ("Europe/Kirov", pgettext_lazy("time zone", "Kirov")),
    ("Europe/Volgograd", pgettext_lazy("time zone", "Volgograd")),
    ("Europe/Astrakhan", pgettext_lazy("time zone", "Astrakhan")),
    ("Europe/Saratov", pgettext_lazy("time zone", "Saratov")),
    ("Europe/Ulyanovsk", pgettext_lazy("time zone", "Ulyanovsk")),
    ("Asia/Novosibirsk", pgettext_lazy("time zone", "Novosibirsk")),
    ("Asia/Barnaul", pgettext_lazy("time zone", "Barnaul")),
    ("Asia/Tomsk", pgettext_lazy("time zone", "Tomsk")),
    ("Asia/Novokuznetsk", pgettext_lazy("time zone", "Novokuznetsk")),
    ("Asia/Chita", pgettext_lazy("time zone", "Chita")),
    ("Asia/Khandyga", pgettext_lazy("time zone", "Khandyga")),
    ("Asia/Ust-Nera", pgettext_lazy("time zone", "Ust-Nera")),
    ("Asia/Sakhalin", pgettext_lazy("time zone", "Sakhalin")),
    ("Asia/Srednekolymsk", pgettext_lazy("time zone", "Srednekolymsk")),
    ("Asia/Anadyr", pgettext_lazy("time zone", "Anadyr")),
)


class UnknownTimeZone(ValueError):
    """Not the IANA name of a time zone this machine knows."""


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_info(name: str) -> zoneinfo.ZoneInfo:
    """The zone of an exact IANA name; anything else raises UnknownTimeZone.

    `zoneinfo` itself accepts «asia/vladivostok» on a case-insensitive file system
    and paths such as «Asia/../UTC»; only the exact names of the database count.
    """
    if name not in known_zones():
        raise UnknownTimeZone(name)
    return zoneinfo.ZoneInfo(name)


def validate_time_zone(value: str) -> None:
    """Model validator: the exact IANA name of a zone (e.g. «Asia/Vladivostok»)."""
    try:
        zone_info(value)
    except UnknownTimeZone:
        raise ValidationError(
            _(
                "«%(value)s» is not a time zone. Choose one from the list, "
                "e.g. «Asia/Vladivostok» for Vladivostok time (UTC+10)."
            ),
            code="unknown_time_zone",
            params={"value": value},
        ) from None


def utc_offset_label(name: str, on: dt.datetime | None = None) -> str:
    """«UTC+10», «UTC+5:30», «UTC−3» for a zone at an instant (default: now)."""
    on = on or dt.datetime.now(dt.UTC)
    offset = on.astimezone(zoneinfo.ZoneInfo(name)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def choices(on: dt.datetime | None = None) -> list:
    """Grouped form choices: Russia's eleven zones, other Russian regions, the world."""
    russian = [
        (name, f"{label} ({utc_offset_label(name, on)}) — {name}")
        for name, label in RUSSIAN_ZONES
    ]
    regions = [
        (name, f"{label} ({utc_offset_label(name, on)}) — {name}")
        for name, label in OTHER_RUSSIAN_ZONES
    ]
    listed = {name for name, _label in (*RUSSIAN_ZONES, *OTHER_RUSSIAN_ZONES)}
    world = [
        (name, f"{name} ({utc_offset_label(name, on)})")
        for name in sorted(known_zones() - listed)
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    ]
    return [
        (_("Russia"), russian),
        (_("Other regions of Russia"), regions),
        (_("Other countries"), world),
    ]
