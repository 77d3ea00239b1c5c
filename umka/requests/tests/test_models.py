"""The database keeps the invariants even if a service is bypassed (R13)."""

import pytest
from django.db import IntegrityError, transaction

from umka.requests.models import Request
from umka.requests.tests.factories import answered, write

pytestmark = pytest.mark.django_db


def refused_by_the_database(req: Request, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=req.pk).update(**values)


@pytest.mark.requirement("R13")
def test_rating_is_1_to_5_with_its_time(school):
    req = answered(school)
    refused_by_the_database(req, rating=6, rated_at=req.answered_at)
    refused_by_the_database(req, rating=0, rated_at=req.answered_at)
    refused_by_the_database(req, rating=4)  # no rated_at


@pytest.mark.requirement("R13")
def test_a_request_is_reopened_at_most_once(school):
    refused_by_the_database(write(school), reopen_count=2)


def test_states_and_their_facts(school):
    req = write(school)
    refused_by_the_database(req, status="lost")
    refused_by_the_database(req, status="answered")  # no answer
    refused_by_the_database(req, status="closed")  # no closing time
    refused_by_the_database(req, due_at=req.created_at)
    refused_by_the_database(req, escalated_at=req.due_at)  # to nobody
    refused_by_the_database(req, subject=None)  # to a subject teacher
    refused_by_the_database(req, topic="")
