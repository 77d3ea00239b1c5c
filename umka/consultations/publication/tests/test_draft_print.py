"""Printing a draft while it is being agreed (issue 14): the deputy and the director
get the print form and the PDF marked «ПРОЕКТ», narrowed by the page's filters (one
class, one short document). The PDF's text is read with poppler's pdftotext."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from umka.consultations.models import Consultation
from umka.consultations.publication.tests.test_public import make_school, plan
from umka.consultations.schedule import services as schedule_services

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def school():
    return make_school()


@pytest.fixture
def two_classes(school):
    algebra = plan(school)
    chat = plan(
        school,
        organiser=school.deputy,
        subject=None,
        form=Consultation.Form.CHAT,
        classes=[school.class_7b],
        start_time=dt.time(10, 0),
        how_to_join="Чат класса",
    )
    return algebra, chat


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "schedule.pdf"
    path.write_bytes(data)
    result = subprocess.run(  # noqa: S603 (a fixed local program)
        [PDFTOTEXT, "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.requirement("R8")
@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler's pdftotext is not installed")
@pytest.mark.parametrize("who", ["deputy", "director"])
def test_a_draft_pdf_is_marked_draft_and_follows_the_class_filter(
    client, school, two_classes, who, tmp_path
):
    client.force_login(getattr(school, who))
    url = reverse("schedule:pdf", args=[school.schedule.pk])

    whole = pdf_text(client.get(url).content, tmp_path)
    one_class = pdf_text(
        client.get(url, {"class": school.class_7b.pk}).content, tmp_path
    )

    assert "ПРОЕКТ" in whole
    assert "ПРОЕКТ" in one_class
    assert "Алгебра" in whole or school.maths.name in whole
    assert school.maths.name not in one_class
    assert "Чат класса" in one_class


@pytest.mark.requirement("R8")
@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler's pdftotext is not installed")
def test_an_approved_schedule_is_not_marked_draft(
    client, school, two_classes, tmp_path
):
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    schedule_services.schedule_approve(actor=school.director, schedule=school.schedule)
    client.force_login(school.deputy)
    text = pdf_text(
        client.get(reverse("schedule:pdf", args=[school.schedule.pk])).content, tmp_path
    )
    assert "ПРОЕКТ" not in text


def test_the_draft_print_form_is_marked_and_filtered(client, school, two_classes):
    client.force_login(school.director)
    page = client.get(
        reverse("schedule:print", args=[school.schedule.pk]),
        {"class": school.class_7b.pk},
    ).content.decode()
    assert 'id="draft-mark"' in page
    assert "ПРОЕКТ" in page
    assert "Чат класса" in page
    assert "meet.example.org/algebra-7a" not in page
    assert "onclick" not in page  # the print button is a static script


def test_the_document_page_links_print_and_pdf_with_its_filters(
    client, school, two_classes
):
    client.force_login(school.deputy)
    page = client.get(
        reverse("consultations:schedule", args=[school.schedule.pk]),
        {"school_class": school.class_7b.pk},
    ).content.decode()
    query = f"?class={school.class_7b.pk}"
    assert reverse("schedule:print", args=[school.schedule.pk]) + query in page
    assert reverse("schedule:pdf", args=[school.schedule.pk]) + query in page


def test_the_week_can_be_shown_as_a_list_of_days(client, school, two_classes):
    client.force_login(school.deputy)
    url = reverse("consultations:schedule", args=[school.schedule.pk])
    grid = client.get(url).content.decode()
    days = client.get(url, {"layout": "days"}).content.decode()
    assert 'data-layout="grid"' in grid
    assert 'id="layout-days"' in grid
    assert 'data-layout="days"' in days
    assert 'class="week-grid as-days"' in days


@pytest.mark.parametrize("who", ["student", "parent"])
def test_families_cannot_print_a_draft(client, school, two_classes, who):
    client.force_login(getattr(school, who))
    for name in ("schedule:print", "schedule:pdf"):
        response = client.get(reverse(name, args=[school.schedule.pk]))
        assert response.status_code == 404
