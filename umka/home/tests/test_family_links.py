"""A parent's home (issue 14): each child's class schedule with its print form, PDF
and calendar feed; a child who came of age is explained, not silently dropped."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.accounts.tests.factories import ParentLinkFactory, make_parent, make_student
from umka.core import clock
from umka.home.tests.test_views import (
    page_of,
    school,  # noqa: F401 (fixture)
)
from umka.school.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_each_child_links_the_schedule_filtered_to_their_class(client, school):  # noqa: F811
    page = page_of(client, school["parent"])
    for child, cls in (("anna", "class_7a"), ("boris", "class_5b")):
        pk = school[cls].pk
        block = page.split(f'id="child-schedule-{school[child].pk}"')[1].split("</p>")[
            0
        ]
        assert f"{reverse('schedule:index')}?class={pk}" in block
        assert reverse("schedule:calendar_class", args=[pk]) in block


def test_another_family_sees_no_link_to_these_children(client, school):  # noqa: F811
    other = make_parent(last_name="Чужая")
    page = page_of(client, other)
    assert f'id="child-schedule-{school["anna"].pk}"' not in page


@pytest.mark.requirement("R3")
def test_a_child_who_came_of_age_is_explained_with_what_they_can_do(client):
    today = clock.today()
    adult = make_student(
        last_name="Взрослов",
        first_name="Глеб",
        birth_date=dt.date(today.year - 18, 1, 1)
        if (today.month, today.day) >= (1, 2)
        else dt.date(today.year - 19, 1, 1),
    )
    parent = make_parent(last_name="Взрослова")
    ParentLinkFactory(parent=parent, student=adult)
    page = page_of(client, parent)
    assert f'id="of-age-{adult.pk}"' in page
    assert "Глеб" in page
    assert "Сохранить доступ" in page
    assert "Ни один ребёнок" not in page
    assert 'class="card child-card"' not in page  # no studies shown


def test_an_adult_who_kept_the_link_is_shown_as_a_child(client):
    adult = make_student(last_name="Взрослов", birth_date=dt.date(2000, 1, 1))
    EnrolmentFactory(student=adult)
    parent = make_parent()
    ParentLinkFactory(parent=parent, student=adult, kept_by_adult_student=True)
    page = page_of(client, parent)
    assert f'id="of-age-{adult.pk}"' not in page
    assert 'class="card child-card"' in page


def test_public_pages_offer_sign_in(client):
    page = client.get(reverse("schedule:index")).content.decode()
    assert 'id="sign-in-link"' in page
    assert reverse("accounts:login") in page
