"""The help ledger (R13): one student's help in a period, for the student, their
parents, the staff who teach them and the administration; 404 to anyone else;
its query count does not grow with its entries; XLSX and PDF exports."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.bookings.tests.factories import TZ
from umka.ratings.tests.factories import held_session, help_given
from umka.requests import answering
from umka.requests import services as request_services
from umka.requests.models import Request

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(clock):
    return help_given(clock)


def url(student, **query):
    base = reverse("ledger:student", args=[student.pk])
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def answered_request(school):
    req = request_services.request_create(
        actor=school.parent,
        student=school.student,
        addressee=Request.Addressee.SUBJECT_TEACHER,
        subject=school.maths,
        category=Request.Category.TOPIC,
        topic="Уравнения с одной переменной",
        text="Сын не понимает, как переносить слагаемые.",
    )
    return answering.request_answer(
        actor=req.assignee,
        req=req,
        kind=Request.AnswerKind.WRITTEN,
        text="Переносим слагаемое с противоположным знаком.",
    )


@pytest.mark.requirement("R13")
def test_ledger_lists_sessions_meetings_and_answers_with_outcomes(client, given):
    school = given.school
    answered_request(school)
    client.force_login(school.parent)
    text = client.get(url(school.student)).content.decode()
    assert "Групповая консультация" in text
    assert "Разобрали задачу 5, повторить формулы" in text
    assert "Переносим слагаемое с противоположным знаком." in text
    assert "17.11.2026" in text


def test_ledger_keeps_the_staff_private_note_out(client, given):
    given.booking.private_note = "Только для школы"
    given.booking.save(update_fields=["private_note"])
    client.force_login(given.school.student)
    assert (
        "Только для школы" not in client.get(url(given.school.student)).content.decode()
    )


def test_ledger_period_leaves_out_help_outside_it(client, given):
    client.force_login(given.school.student)
    text = client.get(
        url(given.school.student, start="2026-11-18", end="2026-11-30")
    ).content.decode()
    assert "Разобрали задачу 5" not in text
    assert 'id="ledger-empty"' in text


def test_ledger_bad_dates_get_a_message_and_the_default_period(client, given):
    client.force_login(given.school.student)
    response = client.get(
        url(given.school.student, start="2026-12-01", end="2026-11-01")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Начало периода позже его конца." in text
    assert "Разобрали задачу 5" in text


@pytest.mark.requirement("R13", "R3")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 200),
        ("parent", 200),
        ("teacher", 200),
        ("deputy", 200),
        ("director", 200),
        ("other_student", 404),
        ("classmate", 404),
        ("other_parent", 404),
        ("other_teacher", 404),
    ],
)
def test_ledger_role_matrix(client, given, name, status):
    client.force_login(getattr(given.school, name))
    assert client.get(url(given.school.student)).status_code == status
    assert client.get(url(given.school.student, export="xlsx")).status_code == status


def test_ledger_anonymous_goes_to_sign_in(client, given):
    response = client.get(url(given.school.student))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_ledger_of_a_parent_whose_rights_ended_is_404(client, given):
    from umka.accounts.models import ParentLink

    ParentLink.objects.filter(parent=given.school.parent).update(verified_at=None)
    client.force_login(given.school.parent)
    assert client.get(url(given.school.student)).status_code == 404


def test_ledger_of_someone_who_is_no_student_is_404(client, given):
    client.force_login(make_person(Role.DIRECTOR))
    assert client.get(url(given.school.teacher)).status_code == 404


@pytest.mark.requirement("R13")
def test_ledger_query_count_does_not_grow_with_entries(client, given):
    school = given.school
    answered_request(school)  # one of each kind, then more of them
    client.force_login(school.parent)
    with CaptureQueriesContext(connection) as few:
        client.get(url(school.student))
    for _ in range(4):
        held_session(school)
    answered_request(school)
    with CaptureQueriesContext(connection) as many:
        text = client.get(url(school.student)).content.decode()
    assert text.count('class="ledger-entry"') >= 8
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 14


@pytest.mark.requirement("R13")
def test_ledger_xlsx_holds_the_rows_of_the_page(client, given):
    client.force_login(given.school.parent)
    response = client.get(url(given.school.student, export="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Дата"
    assert len(rows) == 3  # the header, the session, the meeting
    assert any("Разобрали задачу 5" in (row[4] or "") for row in rows[1:])
    assert AuditEntry.objects.filter(action="ledger.exported").count() == 1


def test_ledger_pdf_is_a_pdf(client, given):
    client.force_login(given.school.student)
    response = client.get(url(given.school.student, export="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_home_links_the_ledger_for_student_and_parent(client, given):
    for person in (given.school.student, given.school.parent):
        client.force_login(person)
        assert url(given.school.student) in client.get("/").content.decode()


def test_ledger_default_period_is_the_school_year(client, given):
    client.force_login(given.school.student)
    text = client.get(url(given.school.student)).content.decode()
    assert "01.09.2026" in text
    assert dt.datetime(2026, 11, 18, tzinfo=TZ).strftime("%d.%m.%Y") in text
