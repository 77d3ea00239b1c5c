"""The print form and its PDF survive whatever is stored (R8): hostile markup is
printed literally, and a row taller than a page runs on to the next one instead of
answering 500 (reportlab's LayoutError)."""

import dataclasses
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.consultations.models import Consultation, Occurrence
from umka.consultations.publication import rows as public_rows
from umka.consultations.publication import selectors as publication
from umka.consultations.publication.print_pdf import render_pdf
from umka.consultations.publication.tests.test_pdf import pdf_pages
from umka.consultations.publication.tests.test_public import make_school, plan, publish
from umka.consultations.tests.factories import TUESDAY
from umka.core import clock
from umka.core.tests.payloads import xss_payloads
from umka.school.models import Subject
from umka.school.tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

LONG = 5_000
MARKUP = set("<>&\"'")


@pytest.fixture
def school():
    return make_school()


def _long(word: str) -> str:
    """`LONG` characters of words (a real text runs on), ending with a marker."""
    text = (f"{word} " * LONG)[: LONG - 4]
    return f"{text}КОН."


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _hostile_consultation(school, number: int, payload: str) -> Consultation:
    """A published consultation whose every text field holds `payload` (written
    directly: the planning form limits what a person types, not what is stored)."""
    organiser = make_person(
        Role.TEACHER, last_name=payload[:150], first_name=f"Имя{number}"
    )
    ContractFactory(person=organiser, position=payload[:200])
    consultation = Consultation.objects.create(
        schedule=school.schedule,
        organiser=organiser,
        subject=Subject.objects.create(name=f"{number} {payload}"[:200]),
        form=Consultation.Form.CHAT,
        volume=Consultation.Volume.TOPICAL,
        topics=f"{payload}\n{payload}",
        starts_on=TUESDAY,
        start_time=dt.time(15, 0),
        duration_minutes=45,
        description=payload,
        how_to_join=payload[:300],
        created_by=school.deputy,
    )
    consultation.audience_classes.set([school.class_7b])
    starts_at = clock.at(TUESDAY + dt.timedelta(days=number % 3), dt.time(15, 0))
    Occurrence.objects.create(
        consultation=consultation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=45),
        status=Occurrence.Status.CANCELLED,
        change_reason=payload[:300],
    )
    return consultation


@pytest.mark.requirement("R8")
def test_print_form_and_pdf_show_hostile_text_literally(client, school):
    plan(school)
    payloads = xss_payloads()
    for number, payload in enumerate(payloads):
        _hostile_consultation(school, number, payload)
    publish(school)

    printed = client.get(reverse("schedule:print", args=[school.schedule.pk]))
    pdf = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))

    assert printed.status_code == 200
    html = printed.content.decode()
    for payload in payloads:
        assert escape(payload) in html
        if MARKUP & set(payload):
            assert payload not in html, payload
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = _squeezed("\n".join(pdf_pages(pdf.content)))
    for payload in payloads:
        assert _squeezed(payload) in text, payload


@pytest.mark.requirement("R8")
def test_pdf_runs_a_row_of_5000_character_fields_over_pages(client, school):
    organiser = make_person(Role.TEACHER, last_name="Я" * 150, first_name="Ю" * 150)
    ContractFactory(person=organiser, position="Должность " * 20)
    consultation = plan(school, volume=Consultation.Volume.TOPICAL, topics="Дроби")
    Consultation.objects.filter(pk=consultation.pk).update(
        organiser=organiser,
        topics=_long("Тема") + "\n" + "Q" * LONG,
        description=_long("Описание"),
        how_to_join="https://meet.example.org/" + "к" * 270,
    )
    publish(school)

    printed = client.get(reverse("schedule:print", args=[school.schedule.pk]))
    response = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))

    assert printed.status_code == 200
    assert "Q" * LONG in printed.content.decode()
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pages = pdf_pages(response.content)
    assert len(pages) > 1
    assert response.content.count(b"/Type /Page\n") == len(pages)
    text = _squeezed("\n".join(pages))
    assert "ТемаТемаТема" in text
    assert "КОН." in text
    # Split across pages (the page's footer and header row come in between), whole.
    assert text.count("Q") == LONG


@pytest.mark.requirement("R8")
def test_pdf_survives_5000_characters_in_every_column():
    """Beyond what the database holds: every text of a row 5,000 characters long,
    one of them a single word."""
    row = public_rows.ConsultationRow(
        pk=1,
        number=1,
        organiser_id=1,
        organiser=_long("Фамилия"),
        position=_long("Должность"),
        subject=_long("Предмет"),
        classes=[_long("7А")],
        chosen_count=3,
        for_parents=True,
        weekday="вторник",
        dates=_long("каждую"),
        time="15:00–15:45",
        form="Чат",
        form_value="chat",
        purpose="Текущая",
        volume="По отдельным темам",
        topics=[_long("Тема"), "W" * LONG],
        how_to_join=_long("https://meet.example.org/"),
        description=_long("Описание"),
        changes=[
            public_rows.SessionChange(
                starts_at=clock.now(),
                cancelled=True,
                moved_from=None,
                reason=_long("Причина"),
            )
        ],
    )
    rows = [row, dataclasses.replace(row, number=2, topics=["<b>Тема & <i>"])]
    block = publication.ApprovalBlock(
        approved=True,
        position=_long("Директор"),
        school=_long("Школа"),
        name="Н. В. Тихонова",
        order="Приказ № 1",
        date=dt.date(2026, 11, 2),
        version=2,
        amended_at=clock.now(),
    )

    class Schedule:
        starts_on, ends_on = dt.date(2026, 11, 5), dt.date(2026, 12, 28)

        def __str__(self) -> str:
            return "2 четверть"

    body = render_pdf(Schedule(), rows, block, school_name=_long("МБОУ"))

    assert body.startswith(b"%PDF")
    text = _squeezed("\n".join(pdf_pages(body)))
    assert text.count("W") == LONG
    assert "<b>Тема&<i>" in text
