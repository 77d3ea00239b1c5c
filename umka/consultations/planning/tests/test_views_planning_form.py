"""The planning form as people read it (issue 14, item 8): classes first, single
students only behind «Choose individual students» with a search box, and the rules
in plain words — the regulation's clause codes (R7…R12) stay in the code."""

import re

import pytest
from django.urls import reverse

from umka.consultations.models import Consultation
from umka.consultations.planning.tests.test_views_planning import (
    approve,
    as_user,
    form_data,
    page,
    plan,
)
from umka.consultations.tests.factories import small_school

pytestmark = pytest.mark.django_db

#: A clause code of the regulation as it used to end the form's sentences: «(R7)».
CLAUSE_CODE = re.compile(r"\(R\d+")


@pytest.fixture
def school(clock):
    return small_school()


def disclosure(html: str) -> str:
    """The «Choose individual students» <details> element, opening tag included."""
    start = html.index('<details class="pick-students"')
    return html[start : html.index("</details>", start) + len("</details>")]


@pytest.mark.parametrize("name", ["teacher", "deputy"])
def test_the_planning_page_shows_no_clause_codes(client, school, name):
    html = page(
        as_user(client, getattr(school, name)).get(reverse("consultations:plan"))
    )
    assert "Выбрать отдельных учеников" in html
    assert CLAUSE_CODE.findall(html) == []


def test_refusals_and_help_show_no_clause_codes(client, school):
    plan(school)
    approve(school)
    as_user(client, school.teacher)
    response = client.post(
        reverse("consultations:plan"),
        form_data(
            school,
            starts_on="2026-11-18",
            volume=Consultation.Volume.TOPICAL,
            topics=" ",
            recurrence=Consultation.Recurrence.WEEKLY,
        ),
    )
    html = page(response)
    assert "каждое изменение вносится" in html  # the reason is needed: said plainly
    assert CLAUSE_CODE.findall(html) == []
    for url in ("consultations:mine", "consultations:detail"):
        args = [Consultation.objects.get().pk] if url.endswith("detail") else []
        assert CLAUSE_CODE.findall(page(client.get(reverse(url, args=args)))) == []


def test_students_are_behind_the_disclosure_with_a_search_box(client, school):
    html = page(as_user(client, school.teacher).get(reverse("consultations:plan")))
    details = disclosure(html)
    assert " open" not in details[: details.index(">")]  # closed until wanted
    assert 'id="f-students"' in details
    assert 'id="f-student_class"' in details
    # Every student checkbox is inside it; the classes stay outside, above it.
    assert html.count('name="students"') == details.count('name="students"') > 0
    assert school.student.full_name in details
    assert 'name="classes"' not in details
    assert html.index('name="classes"') < html.index('<details class="pick-students"')
    # The search box: a static module shows it (hidden without JavaScript; no name,
    # so it is never sent), and nothing inline — the CSP forbids that.
    box = re.search(r'<div class="field student-search"[^>]*>', details).group(0)
    assert " hidden" in box
    assert 'data-found="Найдено учеников: %(n)s"' in box  # the module's wording
    assert 'data-template="выбрано: %(n)s"' in details
    assert re.search(r'<input type="search" id="student-search"(?![^>]*name=)', details)
    assert "consultations/student_search.js" in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+=", html) == []


def test_the_disclosure_stays_open_with_the_chosen_students(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school,
            classes=[],
            students=[str(school.student.pk)],
            starts_on="2026-12-01",  # holidays: refused, everything typed kept
        ),
    )
    assert response.status_code == 200
    details = disclosure(page(response))
    assert " open" in details[: details.index(">")]
    assert "выбрано: 1" in details
    assert re.search(rf'value="{school.student.pk}"[^>]*checked', details)


def test_classes_only_still_plans(client, school):
    data = form_data(school, classes=[str(school.class_7a.pk), str(school.class_7b.pk)])
    assert "students" not in data
    response = as_user(client, school.deputy).post(
        reverse("consultations:plan"),
        {**data, "organiser": str(school.teacher.pk)},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert set(consultation.audience_classes.all()) == {
        school.class_7a,
        school.class_7b,
    }
    assert not consultation.audience_students.exists()
