"""The program and the process of a subject in a class (R2): parts with dates and
descriptions, planned results, consultations of the published schedule, the rules
of the process; reached by a parent in two taps from home; printable."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.materials.tests.factories import ROLES, as_role, make_material
from umka.school.models import ProgramPart, ProgramPartCompletion

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(school):
    part = ProgramPart.objects.create(
        subject=school.algebra,
        grade=7,
        number=2,
        title="Линейные уравнения",
        description="Уравнения с одной переменной и их решение.",
    )
    ProgramPartCompletion.objects.create(
        program_part=part,
        school_class=school.class_7a,
        planned_on=dt.date(2026, 12, 18),
    )
    make_material(school, title="Карточка к разделу", program_part=part)
    make_material(school, title="Планируемые результаты 7 класса", purpose="results")
    make_material(
        school,
        title="Порядок оказания учебно-методической помощи",
        purpose="process",
        subject=None,
        author=school.deputy,
    )
    make_material(school, title="Памятка родителям", audience="parents")
    schedule = ScheduleDocument.objects.create(
        year=school.year,
        status=ScheduleDocument.Status.PUBLISHED,
        approved_at=timezone.now(),
        approved_by=school.director,
        approver_position="Директор",
        order_number="7",
        published_at=timezone.now(),
        version=1,
    )
    consultation = Consultation.objects.create(
        schedule=schedule,
        organiser=school.teacher,
        subject=school.algebra,
        form=Consultation.Form.VIDEOCONFERENCE,
        starts_on=dt.date(2026, 11, 17),
        start_time=dt.time(15, 0),
        duration_minutes=45,
        created_by=school.teacher,
    )
    consultation.audience_classes.add(school.class_7a)
    starts = dt.datetime(2026, 11, 17, 12, 0, tzinfo=dt.UTC)
    Occurrence.objects.create(
        consultation=consultation,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=45),
    )
    return reverse("materials:program", args=[school.class_7a.pk, school.algebra.pk])


#: Who opens the page of algebra in 7А.
OPENS = {"student", "parent", "teacher", "other_teacher", "deputy", "administrator"}


@pytest.mark.requirement("R2")
@pytest.mark.parametrize("role", ROLES)
def test_program_page_role_matrix(client, school, program, role):
    response = as_role(client, school, role).get(program)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in OPENS:
        assert response.status_code == 200
        page = response.content.decode()
        assert "Линейные уравнения" in page
        assert "18.12.2026" in page
        assert "Уравнения с одной переменной" in page
        assert "Планируемые результаты 7 класса" in page
        # a school-wide material for 7А: not the subject teacher of 7Б's
        assert ("Порядок оказания учебно-методической помощи" in page) is (
            role != "other_teacher"
        )
        assert "Карточка к разделу" in page
        assert "17.11.2026 15:00" in page
        assert ("Памятка родителям" in page) is (role != "student")
    else:
        assert response.status_code == 404


@pytest.mark.requirement("R2")
def test_a_parent_reaches_the_program_in_two_taps_from_home(client, school, program):
    client.force_login(school.parent)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{program}"' in home  # tap 1 on home, tap 2 is the page itself
    assert client.get(program).status_code == 200


def test_the_program_page_prints(client, school, program):
    client.force_login(school.parent)
    page = client.get(program).content.decode()
    assert "data-print" in page  # umka/behaviours.js prints
    assert 'class="link-button no-print"' in page


def test_a_subject_not_taught_in_the_class_has_no_program_page(client, school):
    from umka.school.models import Subject

    client.force_login(school.deputy)
    history = Subject.objects.create(name="История")
    url = reverse("materials:program", args=[school.class_7a.pk, history.pk])
    assert client.get(url).status_code == 404
    url = reverse("materials:program", args=[school.class_7a.pk, 999999])
    assert client.get(url).status_code == 404
