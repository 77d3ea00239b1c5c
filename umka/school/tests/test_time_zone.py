"""The school's time zone: only real zones are saved, chosen from a list with Russia's
eleven zones first; an unknown stored zone is reported, never used silently; a change
of zone keeps what was planned at the same wall-clock time."""

import datetime as dt
import logging
import zoneinfo

import pytest
from django.core import checks
from django.core.exceptions import ValidationError
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.audit.tests.adminforms import changeform_data
from umka.core import clock as school_clock
from umka.core import time_zones
from umka.school import services, zone_change
from umka.school.models import School
from umka.school.selectors import current_school, forget_cached_school
from umka.school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

NOT_ZONES = ["UTC+10", "Владивосток", "asia/vladivostok", "Asia/../UTC", "", "MSK"]


@pytest.mark.parametrize("text", NOT_ZONES)
def test_the_model_refuses_what_is_not_a_time_zone(text):
    school = School(name="Школа", short_name="Школа", time_zone=text)
    with pytest.raises(ValidationError) as refused:
        school.full_clean()
    assert "time_zone" in refused.value.message_dict
    with pytest.raises(ValidationError):
        school.save()
    assert not School.objects.exists()


def test_the_refusal_says_what_to_choose_in_russian():
    school = School(name="Школа", short_name="Школа", time_zone="UTC+10")
    with pytest.raises(ValidationError) as refused:
        school.full_clean()
    (message,) = refused.value.message_dict["time_zone"]
    assert message.startswith("«UTC+10» — это не часовой пояс.")
    assert "Asia/Vladivostok" in message


def test_a_real_zone_is_saved():
    school = SchoolFactory(time_zone="Asia/Vladivostok")
    school.full_clean()
    assert School.objects.get().time_zone == "Asia/Vladivostok"


def test_the_choices_list_russias_eleven_zones_first_with_their_offsets():
    on = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    groups = time_zones.choices(on)
    russia = dict(groups[0][1])
    assert list(russia) == [
        "Europe/Kaliningrad",
        "Europe/Moscow",
        "Europe/Samara",
        "Asia/Yekaterinburg",
        "Asia/Omsk",
        "Asia/Krasnoyarsk",
        "Asia/Irkutsk",
        "Asia/Yakutsk",
        "Asia/Vladivostok",
        "Asia/Magadan",
        "Asia/Kamchatka",
    ]
    assert str(russia["Asia/Vladivostok"]) == (
        "Владивостокское время (UTC+10) — Asia/Vladivostok"
    )
    assert "(UTC+2)" in russia["Europe/Kaliningrad"]
    assert "(UTC+12)" in russia["Asia/Kamchatka"]
    every = [name for _group, names in groups for name, _label in names]
    assert len(every) == len(set(every))
    assert "Asia/Novosibirsk" in dict(groups[1][1])
    assert "Europe/Berlin" in dict(groups[2][1])


def test_utc_offsets_are_written_the_way_people_read_them():
    on = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    assert time_zones.utc_offset_label("Asia/Kolkata", on) == "UTC+5:30"
    assert time_zones.utc_offset_label("America/Sao_Paulo", on) == "UTC−3"
    assert time_zones.utc_offset_label("UTC", on) == "UTC+0"


@pytest.fixture
def school_admin(client):
    user = make_person(Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def test_the_back_office_offers_a_list_and_refuses_free_text(client, school_admin):
    school = SchoolFactory(time_zone="Europe/Moscow")
    url = reverse("admin:school_school_change", args=[school.pk])
    page = client.get(url)
    html = page.content.decode()
    assert '<select name="time_zone"' in html
    assert "Владивостокское время" in html
    data = changeform_data(page)

    data["time_zone"] = "UTC+10"
    refused = client.post(url, data)

    assert refused.status_code == 200
    assert "UTC+10" in refused.content.decode()
    assert School.objects.get().time_zone == "Europe/Moscow"

    data["time_zone"] = "Asia/Vladivostok"
    assert client.post(url, data).status_code == 302
    assert School.objects.get().time_zone == "Asia/Vladivostok"


def test_a_zone_stored_around_the_model_is_reported_not_used_silently(caplog):
    school = SchoolFactory(time_zone="Asia/Vladivostok")
    School.objects.filter(pk=school.pk).update(time_zone="UTC+10")
    forget_cached_school()

    with caplog.at_level(logging.ERROR, logger="umka.core.clock"):
        zone = school_clock.zone()

    assert zone == zoneinfo.ZoneInfo("Europe/Moscow")
    assert "UTC+10" in caplog.text
    found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    assert [e.id for e in found if e.id.startswith("school.")] == ["school.E001"]


def test_the_database_check_is_quiet_for_a_real_zone():
    SchoolFactory(time_zone="Asia/Vladivostok")
    found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    assert [e for e in found if e.id.startswith("school.")] == []


def test_the_clock_reads_the_schools_zone_not_the_active_one(settings, clock):
    from django.utils import timezone

    SchoolFactory(time_zone="Asia/Vladivostok")
    settings.TIME_ZONE = "Europe/Moscow"
    clock.travel(dt.datetime(2026, 11, 10, 22, 0, tzinfo=dt.UTC))
    with timezone.override("Europe/Moscow"):
        assert school_clock.today() == dt.date(2026, 11, 11)
        assert school_clock.local(clock.now).hour == 8
        assert school_clock.at(dt.date(2026, 11, 11), dt.time(8)) == clock.now


def test_same_wall_clock_keeps_the_hour_in_the_new_zone():
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    vladivostok = zoneinfo.ZoneInfo("Asia/Vladivostok")
    at_three = dt.datetime(2026, 11, 17, 15, 0, tzinfo=moscow)

    moved = zone_change.same_wall_clock(at_three, moscow, vladivostok)

    assert moved.astimezone(vladivostok).time() == dt.time(15, 0)
    assert moved.astimezone(vladivostok).date() == dt.date(2026, 11, 17)
    assert moved == at_three - dt.timedelta(hours=7)


def test_a_zone_change_runs_every_registered_handler_with_the_new_clock(
    monkeypatch, django_capture_on_commit_callbacks
):
    school = SchoolFactory(time_zone="Europe/Moscow")
    admin = make_person(Role.ADMINISTRATOR)
    seen = []

    def handler(*, actor, old_zone, new_zone, request):
        seen.append((actor, str(old_zone), str(new_zone), str(school_clock.zone())))
        return 3

    monkeypatch.setattr(zone_change, "_handlers", [handler])
    with django_capture_on_commit_callbacks(execute=True):
        services.school_time_zone_change(
            actor=admin, school=school, time_zone="Asia/Vladivostok"
        )

    assert seen == [(admin, "Europe/Moscow", "Asia/Vladivostok", "Asia/Vladivostok")]
    assert current_school().time_zone == "Asia/Vladivostok"
    entry = AuditEntry.objects.get(action="school.time_zone_changed")
    assert entry.changes["time_zone"] == ["Europe/Moscow", "Asia/Vladivostok"]


def test_a_handler_that_fails_undoes_the_zone_change(monkeypatch):
    school = SchoolFactory(time_zone="Europe/Moscow")
    admin = make_person(Role.ADMINISTRATOR)

    def handler(**_kwargs):
        raise RuntimeError("cannot move")

    monkeypatch.setattr(zone_change, "_handlers", [handler])
    with pytest.raises(RuntimeError):
        services.school_time_zone_change(
            actor=admin, school=school, time_zone="Asia/Vladivostok"
        )
    forget_cached_school()
    assert School.objects.get().time_zone == "Europe/Moscow"
    assert school_clock.zone() == zoneinfo.ZoneInfo("Europe/Moscow")


def test_a_zone_change_refuses_a_zone_that_is_not_one():
    school = SchoolFactory(time_zone="Europe/Moscow")
    with pytest.raises(ValidationError):
        services.school_time_zone_change(
            actor=make_person(Role.ADMINISTRATOR), school=school, time_zone="UTC+10"
        )
    assert School.objects.get().time_zone == "Europe/Moscow"
