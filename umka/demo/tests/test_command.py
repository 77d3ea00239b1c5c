"""`manage.py load_demo_school` on an empty database and on one with other data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from umka.accounts.models import User
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.core import clock as school_clock
from umka.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from umka.school.models import AcademicYear, School
from umka.school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("load_demo_school", *args, stdout=out)
    return out.getvalue()


def test_loads_once_prints_the_logins_and_reset_moves_to_the_current_year():
    text = run("--today", "2020-10-01")
    assert AcademicYear.objects.get().name == "2020/2021"
    for login in DEMO_LOGINS:
        assert f" {login.username} " in text
    assert DEMO_PASSWORD in text
    people = User.objects.count()
    assert people > 1500

    text = run()
    assert User.objects.count() == people
    assert "2020/2021" in text
    assert "--reset" in text  # the year no longer contains today

    run("--reset")
    year = AcademicYear.objects.get()
    assert year.starts_on <= school_clock.today() <= year.ends_on
    assert School.objects.count() == 1
    assert list(
        AuditEntry.objects.order_by("at", "pk").values_list("action", flat=True)
    ) == ["demo.loaded", "demo.reset", "demo.loaded"]


def test_a_superuser_alone_does_not_count_as_data():
    User.objects.create_superuser("root", "root@example.org", "x" * 12)
    run("--today", "2026-03-16")
    assert User.objects.filter(username="director").exists()


def test_another_schools_data_is_left_alone():
    SchoolFactory()
    make_person()
    text = run()
    assert "это не демонстрационная школа" in text
    assert not User.objects.filter(username="director").exists()
    with pytest.raises(CommandError):
        run("--reset")
    assert School.objects.count() == 1
    assert User.objects.count() == 1


def test_today_option_is_a_date():
    with pytest.raises(CommandError):
        call_command("load_demo_school", "--today", "soon")
    assert not User.objects.exists()
