"""The new-request form redraws the fields that follow the child and the subject
(htmx) without losing what the person typed, and says which choice it was drawn for
(the signal browser tests and scripts wait on, instead of a time)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _redraw(client, school, **values):
    client.force_login(school.parent)
    return client.get(
        reverse("requests:new"),
        {"student": school.student.pk, **values},
        HTTP_HX_REQUEST="true",
    ).content.decode()


def test_the_fields_say_which_child_and_subject_they_were_drawn_for(client, school):
    page = _redraw(client, school, subject=school.algebra.pk)
    fields = re.search(r'<div id="request-fields"[^>]*>', page).group(0)
    assert f'data-student="{school.student.pk}"' in fields
    assert f'data-subject="{school.algebra.pk}"' in fields


def test_without_a_subject_the_signal_is_empty(client, school):
    page = _redraw(client, school)
    assert 'data-subject=""' in page


@pytest.mark.parametrize("name", ["category", "topic", "text", "preferred_answer"])
def test_what_a_person_types_is_kept_while_the_fields_are_redrawn(client, school, name):
    """htmx keeps elements marked hx-preserve as they are in the page, so a letter
    typed while the redraw is on its way is not wiped by it."""
    page = _redraw(client, school, subject=school.algebra.pk)
    preserved = rf'<div class="field[^"]*" id="f-{name}" hx-preserve="true">'
    assert re.search(preserved, page)


def test_the_fields_that_follow_the_choice_are_redrawn(client, school):
    page = _redraw(client, school, subject=school.algebra.pk)
    for name in ("student", "subject", "addressee"):
        assert not re.search(rf'id="f-{name}"[^>]*hx-preserve', page)
