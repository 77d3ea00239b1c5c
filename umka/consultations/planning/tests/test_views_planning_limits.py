"""The planning form limits topics and description to what a row of the printed
schedule holds, and shows how many characters are left — rendered by the server, so
it is right without JavaScript too (R8, R10)."""

import pytest
from django.urls import reverse

from umka.consultations.models import Consultation
from umka.consultations.planning.forms import DESCRIPTION_MAX, TOPICS_MAX
from umka.consultations.planning.tests.test_views_planning import (
    as_user,
    form_data,
    page,
    state,
)
from umka.consultations.widgets import characters_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    from umka.consultations.tests.factories import small_school

    return small_school()


def test_the_empty_form_shows_the_whole_allowance(client, school):
    response = as_user(client, school.teacher).get(reverse("consultations:plan"))

    html = page(response)
    assert f"осталось {TOPICS_MAX} символов" in html
    assert f'maxlength="{TOPICS_MAX}"' in html
    assert 'aria-describedby="id_topics_helptext id_topics_count"' in html
    assert "consultations/counter.js" in html


@pytest.mark.requirement("R10")
def test_topics_over_the_limit_are_refused_in_russian_and_counted(client, school):
    before = state()
    topics = "Дроби\r\n" * 199 + "Дроби!"  # 1,200 characters, a line break is one

    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(school, volume=Consultation.Volume.TOPICAL, topics=topics),
    )

    assert response.status_code == 200
    assert state() == before
    html = page(response)
    assert f"Не больше {TOPICS_MAX} символов" in html
    assert "в этом тексте 1200" in html
    assert "лишних символов: 200" in html  # the counter, without JavaScript
    assert 'class="counter over"' in html


def test_a_description_at_the_limit_is_planned_with_line_breaks_as_one(client, school):
    text = ("а" * 99 + "\r\n") * (DESCRIPTION_MAX // 100)

    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"), form_data(school, description=text)
    )

    assert response.status_code == 302
    stored = Consultation.objects.get().description
    assert len(stored) == DESCRIPTION_MAX - 1  # the last line break is stripped
    assert "\r" not in stored


def test_the_counter_speaks_russian_plurals():
    assert characters_left(10, "") == "осталось 10 символов"
    assert characters_left(10, "а" * 9) == "остался 1 символ"
    assert characters_left(10, "а" * 7) == "осталось 3 символа"
    assert characters_left(10, "а" * 12) == "лишних символов: 2"
