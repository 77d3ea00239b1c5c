import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from umka.accounts.models import Role, User
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.audit.models import AuditEntry
from umka.imports.models import ImportJob
from umka.imports.progress import progress_set
from umka.imports.readers import read_table
from umka.imports.tests.helpers import csv_bytes, make_admin, map_headers
from umka.school.tests.factories import (
    AcademicYearFactory,
    SchoolClassFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
STUDENTS = csv_bytes(
    [
        ["Фамилия", "Имя", "Дата рождения", "Класс"],
        ["Иванова", "Мария", "17.05.2013", "7А"],
        ["Петров", "Пётр", "02.11.2012", "7Б"],
    ]
)


@pytest.fixture
def year():
    year = AcademicYearFactory()
    SchoolClassFactory(year=year, grade=7, letter="А")
    SchoolClassFactory(year=year, grade=7, letter="Б")
    return year


def _upload(client, year, data=STUDENTS, name="students.csv", **fields):
    form = {
        "kind": "students",
        "year": year.pk,
        "verify_links": "on",
        "file": SimpleUploadedFile(name, data),
        **fields,
    }
    return client.post(reverse("imports:upload"), form)


@pytest.fixture
def finished_job(year, client, django_capture_on_commit_callbacks):
    admin = make_admin()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, year)
    client.logout()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.errors
    return job


def _others():
    """Everyone but the administrator, as in the role matrix of every view."""
    student = make_student()
    parent = make_parent()
    ParentLinkFactory(parent=parent, student=student)
    return {
        "student": student,
        "other student": make_student(),
        "parent": parent,
        "other parent": make_parent(),
        "teacher": make_person(Role.TEACHER),
        "deputy": make_person(Role.DEPUTY_HEAD),
        "director": make_person(Role.DIRECTOR),
    }


def _state():
    return (
        User.objects.count(),
        ImportJob.objects.count(),
        AuditEntry.objects.exclude(action__startswith="accounts.sign").count(),
    )


def _urls(job):
    return {
        "list": reverse("imports:list"),
        "upload": reverse("imports:upload"),
        "detail": reverse("imports:detail", args=[job.pk]),
        "progress": reverse("imports:progress", args=[job.pk]),
        "report": reverse("imports:report", args=[job.pk]),
        "credentials": reverse("imports:credentials", args=[job.pk]),
        "template": reverse("imports:template", args=["students", "xlsx"]),
    }


#: The administration imports grades (a kind of the same engine), not people.
GRADE_IMPORTERS = {"deputy", "director"}


@pytest.mark.requirement("R3", "R13")
def test_role_matrix_only_administrators_see_imports(client, finished_job, year):
    urls = _urls(finished_job)
    erase = reverse("imports:credentials_erase", args=[finished_job.pk])
    before = _state()

    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login")), name
    assert client.post(erase).status_code == 302

    for role, person in _others().items():
        before = _state()
        client.force_login(person)
        for name, url in urls.items():
            response = client.get(url)
            if role in GRADE_IMPORTERS and name in ("list", "upload"):
                # They import grades: the pages open without a trace of people.
                assert response.status_code == 200, (role, name)
                html = response.content.decode()
                assert urls["detail"] not in html, role
                assert 'value="students"' not in html, role
                assert 'value="grades"' in html or name == "list", role
            else:
                assert response.status_code == 404, (role, name)
        assert _upload(client, year).status_code == 404, role
        assert client.post(erase).status_code == 404, role
        assert _state() == before, role
        client.logout()

    finished_job.refresh_from_db()
    assert finished_job.has_credentials

    client.force_login(finished_job.created_by)
    for name, url in urls.items():
        # The progress of a finished job tells htmx to reload the page.
        expected = 204 if name == "progress" else 200
        assert client.get(url).status_code == expected, name


def test_another_administrator_sees_the_report_but_not_the_passwords(
    client, finished_job
):
    client.force_login(make_admin())

    assert (
        client.get(reverse("imports:detail", args=[finished_job.pk])).status_code == 200
    )
    assert (
        client.get(reverse("imports:credentials", args=[finished_job.pk])).status_code
        == 404
    )
    response = client.post(reverse("imports:credentials_erase", args=[finished_job.pk]))
    assert response.status_code == 404
    finished_job.refresh_from_db()
    assert finished_job.has_credentials


def test_a_superuser_sees_the_passwords(client, finished_job):
    client.force_login(make_person(is_superuser=True))

    response = client.get(reverse("imports:credentials", args=[finished_job.pk]))

    assert response.status_code == 200
    assert finished_job.credentials[0]["password"] in response.content.decode()


@pytest.mark.requirement("R13")
def test_upload_of_a_broken_file_shows_every_bad_row(
    client, year, django_capture_on_commit_callbacks
):
    admin = make_admin()
    client.force_login(admin)
    users = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            client, year, (DATA / "broken_students.csv").read_bytes(), "broken.csv"
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:detail", args=[job.pk])

    page = client.get(response.url).content.decode()
    assert 'id="import-status" data-status="rejected"' in page
    assert "Файл не импортирован" in page
    assert "В базе данных ничего не изменено." in page
    assert page.count('<tr data-row="') == 3
    for row, column in (("3", "Дата рождения"), ("4", "Класс"), ("5", "Логин")):
        assert f'<tr data-row="{row}">' in page
        assert f'<td data-label="Столбец" class="error-column">{column}</td>' in page
    assert "В учебном году" in page
    assert "нет класса 7Я" in page
    assert User.objects.count() == users

    report = client.get(reverse("imports:report", args=[job.pk]))
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Строка;Столбец;Значение;Ошибка"
    assert lines[3].startswith("5;Логин;k.orlova.2013;Логин «k.orlova.2013» уже указан")


def test_upload_refuses_other_file_types_and_big_files(client, year, settings):
    client.force_login(make_admin())

    xls = _upload(client, year, b"\xd0\xcf\x11\xe0", "old.xls")
    assert "97-2003" in xls.content.decode()
    pdf = _upload(client, year, b"%PDF", "list.pdf")
    assert "Загрузите файл .xlsx или .csv" in pdf.content.decode()
    settings.IMPORT_MAX_FILE_MB = 0
    big = _upload(client, year)
    assert "Файл больше 0 МБ" in big.content.decode()
    assert not ImportJob.objects.exists()


def test_students_without_an_academic_year_are_refused(client):
    client.force_login(make_admin())

    response = client.post(
        reverse("imports:upload"),
        {"kind": "students", "file": SimpleUploadedFile("s.csv", STUDENTS)},
    )

    assert response.status_code == 200
    assert "Текущий учебный год не создан" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_page_explains_the_columns(client, year):
    client.force_login(make_admin())

    page = client.get(reverse("imports:upload")).content.decode()

    assert 'name="kind"' in page
    assert 'name="file"' in page
    assert "Предметы и классы" in page
    assert "Кем приходится" in page
    assert reverse("imports:template", args=["parents", "csv"]) in page


def test_list_pins_its_query_count(client, year, django_assert_num_queries):
    SchoolFactory()
    admin = make_admin()
    for _n in range(3):
        ImportJob.objects.create(
            kind="students", created_by=make_admin(), file_name="a.csv"
        )
    client.force_login(admin)
    client.get(reverse("imports:list"))  # warm the caches (school, content types)

    # session, user, roles, unread notifications, count, jobs with their uploaders
    with django_assert_num_queries(6):
        response = client.get(reverse("imports:list"))
    for _n in range(5):
        ImportJob.objects.create(
            kind="parents", created_by=make_admin(), file_name="b.csv"
        )
    with django_assert_num_queries(6):
        client.get(reverse("imports:list"))
    assert response.status_code == 200
    assert response.content.decode().count("a.csv") == 3


def test_list_is_empty_at_first(client):
    client.force_login(make_admin())

    page = client.get(reverse("imports:list")).content.decode()

    assert "Импортов ещё не было" in page


def test_a_running_job_shows_a_progress_bar_and_polls(client, year):
    admin = make_admin()
    job = ImportJob.objects.create(
        kind="students", created_by=admin, file_name="a.csv", status="running"
    )
    progress_set(job.pk, phase="validating", done=1500, total=3000)
    client.force_login(admin)

    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    fragment = client.get(reverse("imports:progress", args=[job.pk]))

    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh"' in page  # without JavaScript
    assert '<progress class="progress" max="3000" value="1500">' in page
    assert "1500 из 3000" in fragment.content.decode()
    assert "HX-Refresh" not in fragment
    # The status badge at the top follows along (htmx out-of-band swap).
    assert 'data-status="running" hx-swap-oob="true"' in fragment.content.decode()

    job.status = ImportJob.Status.DONE
    job.save()
    finished = client.get(reverse("imports:progress", args=[job.pk]))
    assert finished["HX-Refresh"] == "true"


@pytest.mark.requirement("R13")
def test_printable_passwords_can_be_erased_by_the_uploader(client, finished_job):
    client.force_login(finished_job.created_by)
    url = reverse("imports:credentials", args=[finished_job.pk])

    page = client.get(url)
    html = page.content.decode()
    for slip in finished_job.credentials:
        assert slip["login"] in html
        assert slip["password"] in html
    assert "no-store" in page["Cache-Control"]
    assert AuditEntry.objects.filter(action="imports.credentials_viewed").count() == 1

    response = client.post(reverse("imports:credentials_erase", args=[finished_job.pk]))
    assert response.status_code == 302
    finished_job.refresh_from_db()
    assert finished_job.credentials == []
    html = client.get(url).content.decode()
    assert 'id="credentials-erased"' in html
    assert AuditEntry.objects.filter(action="imports.credentials_erased").count() == 1


def test_imported_password_signs_in_and_forces_a_change(client, finished_job):
    slip = finished_job.credentials[0]

    response = client.post(
        reverse("accounts:login"),
        {"username": slip["login"], "password": slip["password"]},
    )
    assert response.status_code == 302
    assert client.get("/").url == reverse("accounts:password_change")


def test_client_login_with_an_imported_password(client, finished_job, settings):
    settings.AXES_ENABLED = False
    slip = finished_job.credentials[1]

    assert client.login(username=slip["login"], password=slip["password"])
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")


@pytest.mark.parametrize("kind", ["students", "parents", "staff"])
def test_template_files_are_read_back_without_problems(client, kind):
    client.force_login(make_admin())

    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("imports:template", args=[kind, fmt]))
        assert response.status_code == 200
        assert f"umka-{kind}.{fmt}" in response["Content-Disposition"]
        table = read_table(b"".join(response), f"t.{fmt}")
        assert map_headers(kind, table.headers).problems == []
        assert table.rows == []


def test_xlsx_template_explains_each_column(client):
    from openpyxl import load_workbook

    client.force_login(make_admin())
    response = client.get(reverse("imports:template", args=["staff", "xlsx"]))

    workbook = load_workbook(io.BytesIO(b"".join(response)))
    assert workbook.sheetnames == ["Данные", "Пример", "Пояснения"]
    notes = [row[0] for row in workbook["Пояснения"].iter_rows(values_only=True)]
    assert "Режим работы" in notes


def test_unknown_template_is_404(client):
    client.force_login(make_admin())

    assert (
        client.get(reverse("imports:template", args=["pets", "csv"])).status_code == 404
    )
    assert (
        client.get(reverse("imports:template", args=["staff", "pdf"])).status_code
        == 404
    )
