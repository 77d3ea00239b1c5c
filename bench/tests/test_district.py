"""The busiest pages make as many queries for a district as for one school: the
demo school, then the demo school ×2 (`bench/district.py`), the same twenty pages
as `make bench-scale` (which measures ×10 on PostgreSQL)."""

import pytest

from bench import district, scale_bench
from umka.accounts.models import Role, RoleAssignment, User
from umka.demo.services import demo_school_load
from umka.school.models import SchoolClass

pytestmark = pytest.mark.django_db


def counts() -> dict[str, tuple[int, int]]:
    return {
        name: (status, queries)
        for name, (status, queries, _times) in scale_bench.measure(0).items()
    }


def test_the_busiest_pages_make_as_many_queries_for_twice_the_school(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    demo_school_load()
    students = RoleAssignment.objects.filter(role=Role.STUDENT).count()
    one = counts()
    assert all(status == 200 for status, _queries in one.values()), one

    written = district.replicate(2)

    assert RoleAssignment.objects.filter(role=Role.STUDENT).count() == 2 * students
    assert written["consultations.Consultation"] > 0
    assert SchoolClass.objects.filter(letter__endswith="1").exists()
    assert User.objects.filter(username="teacher~1").exists()
    assert counts() == one
