"""An answer to a request is rated in its thread and counted with the other help
(R13): the common table holds it, a reopened request is rated anew, and the
school's rating period holds for it too."""

import datetime as dt

import pytest

from umka.core.errors import DomainError
from umka.ratings import selectors
from umka.ratings.models import Rating
from umka.requests import services
from umka.requests.tests.factories import answered, request_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return request_school()


@pytest.mark.requirement("R13")
def test_rating_an_answer_lands_in_the_common_table_and_reopening_withdraws_it(
    school,
):
    req = answered(school)
    services.request_rate(actor=school.parent, req=req, rating=2, comment="Неясно")
    rating = Rating.objects.get()
    assert (rating.kind, rating.object_id, rating.score) == (
        "requests.request",
        req.pk,
        2,
    )
    assert rating.staff_id == req.answered_by_id
    (row,) = selectors.to_rate(school.parent)
    assert row.score == 2
    assert row.rate_url.endswith("#rate-form")
    services.request_reopen(actor=school.parent, req=req, reason="Всё ещё неясно")
    assert not Rating.objects.exists()


@pytest.mark.requirement("R13")
def test_an_answer_is_not_rated_after_the_school_period(school, clock):
    req = answered(school)
    clock.travel(req.answered_at + dt.timedelta(days=15))
    with pytest.raises(DomainError) as refused:
        services.request_rate(actor=school.parent, req=req, rating=5)
    assert refused.value.code == "period_over"
    req.refresh_from_db()
    assert req.rating is None
    assert not Rating.objects.exists()
