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


def test_the_redraw_carries_what_was_typed(client, school):
    """Without JavaScript's hx-preserve (or when it cannot keep an element) the server
    draws the fields back with the typed values: a redraw never empties them."""
    page = _redraw(
        client,
        school,
        subject=school.algebra.pk,
        category="grades",
        topic="Дроби (typed)",
        text="Вопрос, набранный до перерисовки",
    )
    assert 'value="Дроби (typed)"' in page
    assert "Вопрос, набранный до перерисовки</textarea>" in page
    assert re.search(r'<option value="grades"[^>]*selected', page)


def test_the_form_keeps_a_draft_in_the_browser(client, school):
    page = _redraw(client, school)
    assert 'data-draft="request-new"' in page
    assert "umka/drafts.js" in page


def test_request_page_forms_have_distinct_element_ids(client, school):
    """The answer and the reply forms on one page: each field its own id and label."""
    from umka.requests.forms import AnswerForm, ReplyForm
    from umka.requests.models import Request

    req = Request(student=school.student, author=school.parent)
    reply = ReplyForm().as_div()
    answer = AnswerForm(user=school.teacher, req=req).as_div()
    assert 'id="reply_text"' in reply
    assert 'for="reply_text"' in reply
    assert 'id="answer_text"' in answer
    assert 'for="answer_text"' in answer
