import pytest

from umka.accounts.models import User
from umka.accounts.tests.factories import make_student
from umka.core.sqlite import unicode_like


@pytest.mark.django_db
def test_search_ignores_case_in_russian_names():
    ivanova = make_student(last_name="Иванова", first_name="Ёлка")
    make_student(last_name="Петрова")

    assert list(User.objects.filter(last_name__icontains="иванов")) == [ivanova]
    assert list(User.objects.filter(first_name__istartswith="ё")) == [ivanova]


@pytest.mark.parametrize(
    ("pattern", "value", "escape", "matches"),
    [
        ("%ива%", "Иванов", None, True),
        ("ива_ов", "ИВАНОВ", None, True),
        ("100\\%", "100%", "\\", True),
        ("100\\%", "1000", "\\", False),
        ("a_b", "a.b", None, True),
        ("a.b", "axb", None, False),
    ],
)
def test_unicode_like(pattern, value, escape, matches):
    assert unicode_like(pattern, value, escape) is matches
