"""R1 (clauses 1.1–1.3): the product exists to give a student and a parent
educational help at a distance — every form of help the regulation names is offered
to them from their own page, and the schedule of consultations is public."""

import pytest
from django.urls import reverse

from umka.accounts.tests.factories import ParentLinkFactory, make_parent, make_student
from umka.school.tests.factories import EnrolmentFactory, SchoolClassFactory

pytestmark = pytest.mark.django_db

#: Each form of help (clause 3.2 and 2.1) and the menu entry that opens it; group
#: consultations in real time (R4) are the home page's own section and the schedule.
FORMS_OF_HELP = {
    "bookings": "bookings:mine",  # individual consultations (R5)
    "requests": "requests:list",  # обращения (R9)
    "courses": "courses:index",  # deferred interaction: assignments, seminars (R6)
    "forums": "forums:index",  # deferred interaction: the forum (R6)
    "materials": "materials:index",  # learning materials (R2)
}


@pytest.fixture
def family():
    school_class = SchoolClassFactory(grade=7, letter="А")
    student = make_student()
    EnrolmentFactory(student=student, school_class=school_class)
    parent = make_parent()
    ParentLinkFactory(parent=parent, student=student)
    return student, parent


def menu_hrefs(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.requirement("R1")
@pytest.mark.parametrize("who", ["student", "parent"])
def test_every_form_of_help_is_offered_from_the_home_page(client, family, who):
    user = dict(zip(["student", "parent"], family, strict=True))[who]
    page = menu_hrefs(client, user)
    missing = [
        form
        for form, url_name in FORMS_OF_HELP.items()
        if f'href="{reverse(url_name)}"' not in page
    ]
    assert missing == []
    assert 'id="consultations-home"' in page
    for url_name in FORMS_OF_HELP.values():
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.requirement("R1")
def test_a_visitor_is_offered_no_help_without_signing_in_but_sees_the_schedule(
    client,
):
    home = client.get(reverse("home"))
    assert home.status_code == 302
    for url_name in FORMS_OF_HELP.values():
        assert client.get(reverse(url_name)).status_code == 302
    assert client.get(reverse("schedule:index")).status_code == 200
