"""core.access: a forbidden row and a missing one answer the same 404."""

import pytest
from django.http import Http404

from umka.accounts.models import Role, User
from umka.accounts.tests.factories import make_person
from umka.core.access import get_visible_or_404, require

pytestmark = pytest.mark.django_db


def test_a_visible_row_is_returned():
    person = make_person(Role.TEACHER)
    assert get_visible_or_404(User.objects.all(), pk=person.pk) == person


@pytest.mark.parametrize("pk", [10**9, "not-a-number", None])
def test_missing_forbidden_and_malformed_all_answer_404(pk):
    person = make_person(Role.TEACHER)
    visible = User.objects.exclude(pk=person.pk)
    with pytest.raises(Http404):
        get_visible_or_404(visible, pk=person.pk)
    with pytest.raises(Http404):
        get_visible_or_404(User.objects.all(), pk=pk)


def test_require_raises_404_unless_allowed():
    require(True)
    with pytest.raises(Http404):
        require(False)
