"""The reports' pages: the director, deputy heads and administrator only (404 for
everyone else, R13), the XLSX and PDF with the page's figures, the dashboard
«Требует внимания», and the monthly report's settings and sending."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.reports.models import MonthlyReportSetting
from umka.reports.services import monthly_report_send
from umka.reports.tests import dataset

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R13")]

NOVEMBER = {"period": "dates", "first": "2026-11-01", "last": "2026-11-30"}
PAGES = [
    ("reports:index", NOVEMBER),
    ("reports:export_xlsx", NOVEMBER),
    ("reports:export_pdf", NOVEMBER),
    ("reports:attention", {}),
    ("reports:monthly", {}),
]


@pytest.fixture
def data(clock):
    return dataset.build()


def person(data, name):
    s = data.school
    if name == "superuser":
        return make_person(is_superuser=True)
    if name == "unit_head":
        return make_person(Role.UNIT_HEAD)
    return getattr(s, name)


@pytest.mark.parametrize(("url_name", "query"), PAGES)
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 404),
        ("parent", 404),
        ("teacher", 404),
        ("physics_teacher", 404),
        ("unit_head", 404),
        ("deputy", 200),
        ("director", 200),
        ("administrator", 200),
    ],
)
def test_role_matrix(client, data, url_name, query, name, status):
    client.force_login(person(data, name))
    before = AuditEntry.objects.count()
    response = client.get(reverse(url_name), query)
    assert response.status_code == status
    if status == 404:
        assert AuditEntry.objects.count() == before


def test_anonymous_is_sent_to_sign_in(client, data):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_monthly_settings_refused_to_a_teacher_change_nothing(client, data):
    client.force_login(data.school.teacher)
    response = client.post(reverse("reports:monthly"), {"day": 5, "hour": 9})
    assert response.status_code == 404
    assert not MonthlyReportSetting.objects.exists()


def test_report_page_shows_chart_table_and_totals(client, data):
    client.force_login(data.school.director)
    response = client.get(reverse("reports:index"), NOVEMBER)
    page = response.content.decode()
    # one chart per registered section (six apps; the ratings give the seventh)
    assert page.count('<figure class="report-chart">') == 7
    assert 'id="section-low-rated-help"' in page
    assert 'id="section-requests"' in page
    requests = response.context["report"].sections
    assert [s.code for s in requests][:2] == ["consultations", "attestation-checklists"]
    assert "Отвечено вовремя" in page
    assert "Итого" in page


def test_report_page_refuses_bad_dates_with_a_message(client, data):
    client.force_login(data.school.director)
    response = client.get(
        reverse("reports:index"),
        {"period": "dates", "first": "2026-11-30", "last": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "поменяйте даты местами" in response.content.decode()
    assert response.context["report"] is None


def test_xlsx_totals_match_the_page_and_the_export_is_audited(client, data):
    client.force_login(data.school.deputy)
    page = client.get(reverse("reports:index"), NOVEMBER).context["report"]
    response = client.get(reverse("reports:export_xlsx"), NOVEMBER)
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == len(page.sections)
    for sheet, section in zip(book.worksheets, page.sections, strict=True):
        totals = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Итого")
        expected = ["" if v == "" else v for v in section.result.totals]
        assert [("" if v is None else v) for v in totals] == [
            v if isinstance(v, int | float) else str(v) for v in expected
        ]
    assert AuditEntry.objects.filter(action="reports.exported").count() == 1


def test_pdf_is_a_pdf(client, data):
    client.force_login(data.school.director)
    response = client.get(reverse("reports:export_pdf"), NOVEMBER)
    assert response.content.startswith(b"%PDF")


def test_attention_links_the_overdue_request_and_unmarked_sessions(client, data, clock):
    client.force_login(data.school.director)
    response = client.get(reverse("reports:attention"))
    page = response.content.decode()
    assert data.overdue.get_absolute_url() in page
    kinds = [str(line.kind) for line in response.context["lines"]]
    # The requests due 5 and 9 Nov and the session of 6 Nov; the meeting and the
    # session of 9 Nov ended less than a day ago.
    assert sorted(kinds) == ["Консультация не отмечена", "Обращение", "Обращение"]
    clock.travel(dt.datetime(2026, 11, 11, 9, 0, tzinfo=dataset.MSK))
    client.force_login(data.school.director)  # a sign-in lasts 12 hours
    response = client.get(reverse("reports:attention"))
    kinds = [str(line.kind) for line in response.context["lines"]]
    assert sorted(kinds) == [
        "Индивидуальная встреча не отмечена",
        "Консультация не отмечена",
        "Консультация не отмечена",
        "Обращение",
        "Обращение",
    ]


def test_attention_query_count_is_pinned(client, data, django_assert_num_queries):
    client.force_login(data.school.director)
    client.get(reverse("reports:attention"))
    dataset.requests(data.school)
    with django_assert_num_queries(8):
        client.get(reverse("reports:attention"))


def test_monthly_report_goes_to_the_director_once_on_the_set_day(
    data, clock, django_capture_on_commit_callbacks
):
    s = data.school
    s.director.email = "director@school.example"
    s.director.save()
    MonthlyReportSetting.objects.create(day=3, hour=8)
    clock.travel(dt.datetime(2026, 12, 3, 7, 59, tzinfo=dataset.MSK))
    assert monthly_report_send() is False
    clock.travel(dt.datetime(2026, 12, 3, 8, 0, tzinfo=dataset.MSK))
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_report_send() is True
    (message,) = mail.outbox
    assert message.to == ["director@school.example"]
    assert "01.11.2026" in message.subject
    assert message.attachments[0][0] == "umka-report-2026-11.xlsx"
    clock.travel(dt.datetime(2026, 12, 4, 8, 0, tzinfo=dataset.MSK))
    assert monthly_report_send() is False
    assert len(mail.outbox) == 1


def test_director_saves_the_monthly_settings_audited(client, data):
    client.force_login(data.school.director)
    response = client.post(
        reverse("reports:monthly"), {"enabled": "on", "day": 5, "hour": 9}
    )
    assert response.status_code == 302
    setting = MonthlyReportSetting.objects.get()
    assert (setting.day, setting.hour) == (5, 9)
    assert AuditEntry.objects.filter(action="reports.monthly_changed").exists()
    response = client.post(reverse("reports:monthly"), {"day": 31, "hour": 9})
    assert response.status_code == 200
    assert MonthlyReportSetting.objects.get().day == 5
