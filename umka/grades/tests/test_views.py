"""Grade pages: a role matrix for every view (status code and nothing changed),
the analysis page (chart, ranking, prefilled consultation link, requests), a
pinned query count, «my grades» for students and parents (R9, R3)."""

import datetime as dt
import io
import re
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.grades.models import Grade
from umka.grades.tests.factories import add_grade
from umka.grades.tests.helpers import HEADER, csv_bytes, grade_state
from umka.imports.models import ImportJob

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "student",
    "other_student",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "deputy",
    "administrator",
    "director",
)


def as_role(client, school, role):
    if role != "anonymous":
        client.force_login(getattr(school, role))
    return client


def state():
    return [grade_state(), list(ImportJob.objects.order_by("pk").values())]


def analysis_url(school, **extra):
    query = {
        "school_class": school.class_7a.pk,
        "subject": school.algebra.pk,
        **extra,
    }
    return (
        reverse("grades:analysis")
        + "?"
        + "&".join(f"{k}={v}" for k, v in query.items())
    )


def entry_url(school, **extra):
    query = {"school_class": school.class_7a.pk, "subject": school.algebra.pk, **extra}
    return (
        reverse("grades:entry") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    )


def is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def weak_class(school):
    """7А algebra: a weak topic, a fair one and a good one; the classmate struggles."""
    for day, s_value, c_value in (
        (dt.date(2026, 11, 9), 3, 2),
        (dt.date(2026, 11, 10), 2, 2),
        (dt.date(2026, 11, 11), 2, 3),
    ):
        add_grade(
            school, day=day, value=s_value, topic="Линейные уравнения с параметром"
        )
        add_grade(
            school,
            student=school.classmate,
            day=day,
            value=c_value,
            topic="Линейные уравнения с параметром",
        )
    for day in (dt.date(2026, 11, 12), dt.date(2026, 11, 13)):
        add_grade(school, day=day, value=4, topic="Системы уравнений")
        add_grade(
            school,
            student=school.classmate,
            day=day,
            value=3,
            topic="Системы уравнений",
        )
    add_grade(school, day=dt.date(2026, 11, 16), value=5, topic="Дроби")
    add_grade(
        school,
        student=school.classmate,
        day=dt.date(2026, 11, 16),
        value=5,
        topic="Дроби",
    )


# --- Role matrices -------------------------------------------------------------------


@pytest.mark.requirement("R9")
@pytest.mark.parametrize("role", ROLES)
def test_analysis_role_matrix(client, school, role):
    weak_class(school)
    before = state()
    response = as_role(client, school, role).get(analysis_url(school))
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("teacher", "deputy", "administrator", "director"):
        assert response.status_code == 200
        assert "Линейные уравнения с параметром" in response.content.decode()
    else:
        # Students, parents and a teacher of other classes: as if it did not exist.
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_index_role_matrix(client, school, role):
    response = as_role(client, school, role).get(reverse("grades:index"))
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "other_student", "parent", "other_parent"):
        assert response.status_code == 302
        assert response["Location"] == reverse("grades:mine")
    else:
        assert response.status_code == 200


def test_index_is_404_for_staff_who_neither_teach_nor_have_children(client, school):
    client.force_login(make_person(Role.STAFF))
    assert client.get(reverse("grades:index")).status_code == 404


def test_teacher_index_lists_own_classes_with_links(client, school):
    weak_class(school)
    client.force_login(school.teacher)
    page = client.get(reverse("grades:index")).content.decode()
    assert 'id="teaching-pairs"' in page
    assert analysis_url(school).split("?")[1].replace("&", "&amp;") in page
    assert "analysis-pick" not in page  # the picker is the administration's
    client.force_login(school.deputy)
    assert "analysis-pick" in client.get(reverse("grades:index")).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_entry_page_role_matrix(client, school, role):
    response = as_role(client, school, role).get(
        entry_url(school, date="2026-11-16", topic="Дроби")
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("teacher", "deputy", "administrator", "director"):
        assert response.status_code == 200
        page = response.content.decode()
        assert school.student.full_name in page
        assert school.other_student.full_name not in page
    else:
        assert response.status_code == 404


@pytest.mark.requirement("R9")
@pytest.mark.parametrize("role", ROLES)
def test_entry_post_role_matrix(client, school, role):
    before = state()
    url = entry_url(school, date="2026-11-16", topic="Дроби", work_type="ДЗ")
    response = as_role(client, school, role).post(
        url, {f"grade_{school.student.pk}": "5", f"grade_{school.classmate.pk}": ""}
    )
    if role == "anonymous":
        assert is_login_redirect(response)
        assert state() == before
    elif role in ("teacher", "deputy", "administrator", "director"):
        assert response.status_code == 302
        grade = Grade.objects.get()
        assert (grade.student, grade.value, grade.work_type) == (
            school.student,
            5,
            "домашняя работа",
        )
        assert grade.teacher == getattr(school, role)
    else:
        assert response.status_code == 404
        assert state() == before


def test_entry_page_shows_the_grades_already_given(client, school):
    add_grade(school, day=dt.date(2026, 11, 16), value=2, topic="Дроби", work_type="")
    client.force_login(school.teacher)
    page = client.get(entry_url(school, date="2026-11-16", topic="дроби")).content
    field = re.search(
        rf'<select name="grade_{school.student.pk}".*?</select>', page.decode(), re.S
    ).group(0)
    assert '<option value="2" selected>' in field


def test_entry_refuses_a_future_day_and_changes_nothing(client, school):
    client.force_login(school.teacher)
    url = entry_url(school, date="2026-11-25", topic="Дроби")
    response = client.post(url, {f"grade_{school.student.pk}": "5"})
    assert response.status_code == 200
    assert "будущем" in response.content.decode()
    assert not Grade.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_mine_role_matrix(client, school, role):
    add_grade(school, value=5, topic="Своя тема")
    add_grade(
        school,
        student=school.other_student,
        school_class=school.class_7b,
        value=2,
        topic="Чужая тема",
    )
    response = as_role(client, school, role).get(reverse("grades:mine"))
    if role == "anonymous":
        assert is_login_redirect(response)
        return
    if role in ("teacher", "other_teacher", "deputy", "administrator", "director"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = response.content.decode()
    if role in ("student", "parent"):
        assert "Своя тема" in page
        assert "Чужая тема" not in page
    else:
        assert "Чужая тема" in page
        assert "Своя тема" not in page


@pytest.mark.parametrize("role", ["student", "other_student", "parent"])
def test_nobody_opens_another_students_grades(client, school, role):
    add_grade(school, student=school.other_student, school_class=school.class_7b)
    client.force_login(getattr(school, role))
    target = school.other_student if role != "other_student" else school.student
    response = client.get(reverse("grades:mine") + f"?student={target.pk}")
    assert response.status_code == 404


def test_a_parent_switches_between_children(client, school):
    from umka.accounts.tests.factories import ParentLinkFactory

    ParentLinkFactory(parent=school.parent, student=school.classmate)
    add_grade(school, student=school.classmate, value=2, topic="Тема брата")
    client.force_login(school.parent)
    page = client.get(
        reverse("grades:mine") + f"?student={school.classmate.pk}"
    ).content.decode()
    assert "Тема брата" in page
    assert school.student.short_name in page  # the other child's tab


# --- Import pages -------------------------------------------------------------------


GOOD = csv_bytes(
    [HEADER, ["Иванова Мария", "7А", "Алгебра", "12.11.2026", "4", "Дроби", ""]]
)


def upload(client, data=GOOD, name="grades.csv", **fields):
    return client.post(
        reverse("imports:upload"),
        {"kind": "grades", "file": SimpleUploadedFile(name, data), **fields},
    )


@pytest.fixture
def teachers_job(school, client, django_capture_on_commit_callbacks):
    client.force_login(school.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client)
    client.logout()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.errors
    return job


@pytest.mark.requirement("R9")
@pytest.mark.parametrize("role", ROLES)
def test_import_upload_role_matrix(
    client, school, role, django_capture_on_commit_callbacks
):
    before = state()
    client = as_role(client, school, role)
    page = client.get(reverse("imports:upload") + "?kind=grades")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    if role == "anonymous":
        assert is_login_redirect(page)
        assert is_login_redirect(response)
        assert state() == before
    elif role in ("student", "other_student", "parent", "other_parent"):
        assert page.status_code == 404
        assert response.status_code == 404
        assert state() == before
    else:
        assert page.status_code == 200
        job = ImportJob.objects.get()
        assert response["Location"] == reverse("imports:detail", args=[job.pk])
        # other_teacher does not teach 7А algebra: the file is rejected, nothing added
        expected = (
            ImportJob.Status.REJECTED
            if role == "other_teacher"
            else ImportJob.Status.DONE
        )
        assert job.status == expected
        assert Grade.objects.count() == (0 if role == "other_teacher" else 1)


@pytest.mark.parametrize("role", ROLES)
def test_import_pages_role_matrix(client, school, teachers_job, role):
    urls = [
        reverse("imports:list") + "?kind=grades",
        reverse("imports:detail", args=[teachers_job.pk]),
        reverse("imports:progress", args=[teachers_job.pk]),
        reverse("imports:report", args=[teachers_job.pk]),
        reverse("imports:template", args=["grades", "csv"]),
        reverse("imports:template", args=["grades", "xlsx"]),
    ]
    before = state()
    client = as_role(client, school, role)
    responses = [client.get(url) for url in urls]
    codes = [r.status_code for r in responses]
    if role == "anonymous":
        assert all(is_login_redirect(r) for r in responses)
    elif role in ("student", "other_student", "parent", "other_parent"):
        assert codes == [404] * 6
    elif role == "other_teacher":
        # Another teacher's upload is not theirs to see.
        assert codes == [200, 404, 404, 404, 200, 200]
    else:
        assert codes == [200, 200, 204, 200, 200, 200]
    assert state() == before


def test_rejected_import_page_lists_each_bad_row(
    client, school, django_capture_on_commit_callbacks
):
    client.force_login(school.teacher)
    data = csv_bytes(
        [
            HEADER,
            ["Иванова Мария", "7А", "Алгебра", "12.11.2026", "7", "Дроби", ""],
            ["Никто Никтоевич", "7А", "Алгебра", "12.11.2026", "4", "Дроби", ""],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, data)
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-rejected"' in page
    assert page.count('class="error-row"') == 2
    report = client.get(reverse("imports:report", args=[ImportJob.objects.get().pk]))
    assert report.content.decode("utf-8-sig").count("\r\n") == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_files_import_as_they_are(
    client, school, fmt, django_capture_on_commit_callbacks
):
    """The examples of the templates happen to be this school's 7А."""
    client.force_login(school.teacher)
    template = client.get(reverse("imports:template", args=["grades", fmt])).content
    if fmt == "xlsx":
        # Only the first sheet is read, and it holds the header alone.
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(template))
        assert book.sheetnames == ["Оценки", "Пример", "Пояснения"]
        return
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, template)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Grade.objects.count() == 2


# --- The analysis page --------------------------------------------------------------


@pytest.mark.requirement("R9")
def test_analysis_ranks_topics_and_draws_one_bar_per_topic(client, school):
    weak_class(school)
    client.force_login(school.teacher)
    page = client.get(analysis_url(school)).content.decode()
    svg = re.search(r'<svg[^>]*role="img".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg
    assert re.search(r"<title id=\"topic-chart-title\">.+</title>", svg)
    assert re.search(r"<desc id=\"topic-chart-desc\">.+</desc>", svg)
    assert svg.count('<g class="bar') == 3
    bars = re.findall(r'<text class="label" x="0" y="\d+">(.*?)</text>', svg)
    assert bars == ["Линейные уравнения с параметром", "Системы уравнений", "Дроби"]
    widths = [
        float(w) for w in re.findall(r'<rect x="0" y="\d+" width="([\d.]+)"', svg)
    ]
    assert widths == [400.0, 200.0, 0.0]
    # The table is the chart's text alternative, in the same order.
    rows = re.findall(r'<tr data-topic="([^"]+)"', page)
    assert rows == ["линейные уравнения с параметром", "системы уравнений", "дроби"]
    assert "Как считается слабость темы" in page


@pytest.mark.requirement("R9")
def test_analysis_links_each_topic_to_a_prefilled_topical_consultation(client, school):
    weak_class(school)
    client.force_login(school.teacher)
    page = client.get(analysis_url(school)).content.decode()
    links = re.findall(r'class="button small consult-link" href="([^"]+)"', page)
    assert len(links) == 3
    url = urlsplit(links[0].replace("&amp;", "&"))
    assert url.path == "/consultations/new/"
    assert parse_qs(url.query) == {
        "subject": [str(school.algebra.pk)],
        "classes": [str(school.class_7a.pk)],
        "volume": ["topical"],
        "topics": ["Линейные уравнения с параметром"],
    }
    assert "Провести тематическую консультацию" in page


def test_analysis_offers_no_consultation_to_who_cannot_hold_one(client, school):
    weak_class(school)
    client.force_login(school.administrator)
    page = client.get(analysis_url(school)).content.decode()
    assert "consult-link" not in page


@pytest.mark.requirement("R9")
def test_analysis_lists_students_who_need_help_most(client, school):
    weak_class(school)
    client.force_login(school.teacher)
    page = client.get(analysis_url(school)).content.decode()
    table = re.search(
        r'<table class="stack" id="students-help">.*?</table>', page, re.S
    )
    rows = re.findall(r'<tr data-student="(\d+)"', table.group(0))
    assert rows == [str(school.classmate.pk), str(school.student.pk)]
    assert "Линейные уравнения с параметром" in table.group(0)


@pytest.mark.requirement("R9")
def test_analysis_counts_requests_on_each_topic(client, school, monkeypatch):
    from umka.requests import selectors as requests_selectors

    weak_class(school)
    asked = {}

    def counts(*, subject, school_class, since=None):
        asked.update(subject=subject, school_class=school_class, since=since)
        return {"Системы уравнений!": 4, "проценты": 2}

    monkeypatch.setattr(requests_selectors, "request_counts_by_topic", counts)
    client.force_login(school.teacher)
    page = client.get(analysis_url(school) + "&sort=requests").content.decode()
    assert asked == {
        "subject": school.algebra,
        "school_class": school.class_7a,
        "since": school.q2.starts_on,
    }
    rows = re.findall(r'<tr data-topic="([^"]+)"', page)
    assert rows[:2] == ["системы уравнений", "проценты"]


def test_analysis_works_without_the_requests_app(client, school, monkeypatch):
    weak_class(school)
    # A None entry makes `import umka.requests.selectors` raise ImportError.
    monkeypatch.setitem(sys.modules, "umka.requests.selectors", None)
    client.force_login(school.teacher)
    response = client.get(analysis_url(school))
    assert response.status_code == 200


def test_analysis_period_choice(client, school):
    add_grade(school, day=dt.date(2026, 10, 1), value=2, topic="Тема первой четверти")
    add_grade(school, day=dt.date(2026, 11, 10), value=5, topic="Тема второй четверти")
    client.force_login(school.teacher)
    current = client.get(analysis_url(school)).content.decode()
    assert "Тема второй четверти" in current
    assert "Тема первой четверти" not in current
    first = client.get(analysis_url(school, period=school.q1.pk)).content.decode()
    assert "Тема первой четверти" in first
    year = client.get(analysis_url(school, period="year")).content.decode()
    assert "Тема первой четверти" in year
    assert "Тема второй четверти" in year


def _grades(school, n, start=0):
    students = [school.student, school.classmate]
    Grade.objects.bulk_create(
        Grade(
            student=students[i % 2],
            school_class=school.class_7a,
            subject=school.algebra,
            date=dt.date(2026, 11, 5) + dt.timedelta(days=i % 15),
            value=2 + i % 4,
            topic=f"Тема {i % 7}",
            topic_key=f"тема {i % 7}",
            work_type=f"работа {i}",
            teacher=school.teacher,
        )
        for i in range(start, start + n)
    )


def test_analysis_query_count_is_the_same_for_20_and_200_grades(client, school):
    client.force_login(school.teacher)
    _grades(school, 20)
    client.get(analysis_url(school))  # the first request caches the school row
    with CaptureQueriesContext(connection) as few:
        assert client.get(analysis_url(school)).status_code == 200
    _grades(school, 180, start=20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(analysis_url(school)).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 16


def test_mine_query_count_does_not_grow_with_grades(client, school):
    client.force_login(school.student)
    _grades(school, 20)
    client.get(reverse("grades:mine"))  # the first request caches the school row
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("grades:mine"))
    _grades(school, 180, start=20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("grades:mine"))
    assert len(many) == len(few)


# --- The old addresses of grade imports -------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_old_import_addresses_lead_to_the_engine_pages(client, school, role):
    legacy = ImportJob.objects.create(
        kind="grades",
        file_name="journal.xlsx",
        created_by=school.teacher,
        status=ImportJob.Status.DONE,
        options={"grade_import_id": 7},
    )
    moved = {
        reverse("grades:import_list"): reverse("imports:list") + "?kind=grades",
        reverse("grades:import_new"): reverse("imports:upload") + "?kind=grades",
        reverse("grades:template", args=["xlsx"]): reverse(
            "imports:template", args=["grades", "xlsx"]
        ),
        reverse("grades:import_detail", args=[7]): reverse(
            "imports:detail", args=[legacy.pk]
        ),
        reverse("grades:import_progress", args=[7]): reverse(
            "imports:progress", args=[legacy.pk]
        ),
        reverse("grades:import_report", args=[7]): reverse(
            "imports:report", args=[legacy.pk]
        ),
    }
    before = state()
    client = as_role(client, school, role)
    for old, new in moved.items():
        response = client.get(old)
        if role == "anonymous":
            assert is_login_redirect(response), old
        elif role in ("student", "other_student", "parent", "other_parent"):
            assert response.status_code == 404, old
        elif role == "other_teacher" and "/imports/7/" in old:
            # Another teacher's upload is not theirs to see.
            assert response.status_code == 404, old
        else:
            assert response.status_code == 301, old
            assert response["Location"] == new
    assert client.get(reverse("grades:import_detail", args=[8])).status_code in (
        302,
        404,
    )
    assert state() == before


# --- Authorisation lives in the policies: the same answers for every role ---------


@pytest.mark.parametrize("role", ROLES)
def test_my_grades_of_one_student_role_matrix(client, school, role):
    add_grade(school, value=5, topic="Своя тема")
    before = state()
    response = as_role(client, school, role).get(
        reverse("grades:mine") + f"?student={school.student.pk}"
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent"):
        assert response.status_code == 200
        assert "Своя тема" in response.content.decode()
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_a_class_and_subject_one_does_not_teach_are_404_on_every_grade_page(
    client, school, role
):
    """7Б algebra is other_teacher's; a malformed or missing id is 404 too."""
    before = state()
    client = as_role(client, school, role)
    theirs = {"school_class": school.class_7b.pk, "subject": school.algebra.pk}
    pages = [
        reverse("grades:analysis") + "?" + urlencode(theirs),
        reverse("grades:entry") + "?" + urlencode(theirs),
    ]
    codes = [client.get(url).status_code for url in pages]
    broken = [
        reverse("grades:analysis") + "?school_class=abc&subject=1",
        reverse("grades:entry") + f"?school_class={school.class_7a.pk}&subject=999",
        reverse("grades:entry") + "?subject=1",
    ]
    broken_codes = [client.get(url).status_code for url in broken]
    if role == "anonymous":
        assert codes == [302, 302]
        assert broken_codes == [302, 302, 302]
    elif role in ("other_teacher", "deputy", "administrator", "director"):
        assert codes == [200, 200]
        assert broken_codes == [404, 404, 404]
    else:
        assert codes == [404, 404]
        assert broken_codes == [404, 404, 404]
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_a_grade_import_has_no_passwords_for_anyone(client, school, teachers_job, role):
    before = state()
    client = as_role(client, school, role)
    page = client.get(reverse("imports:credentials", args=[teachers_job.pk]))
    erase = client.post(reverse("imports:credentials_erase", args=[teachers_job.pk]))
    if role == "anonymous":
        assert is_login_redirect(page)
        assert is_login_redirect(erase)
    else:
        assert (page.status_code, erase.status_code) == (404, 404)
    assert state() == before


def test_a_teachers_list_of_grade_imports_pins_its_query_count(
    client, school, django_assert_num_queries
):
    client.force_login(school.teacher)
    url = reverse("imports:list") + "?kind=grades"
    for n in range(3):
        ImportJob.objects.create(
            kind="grades", created_by=school.teacher, file_name=f"{n}.csv"
        )
    client.get(url)  # warm the caches (school, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        ImportJob.objects.create(
            kind="grades", created_by=school.teacher, file_name=f"more {n}.csv"
        )
    with django_assert_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count('<tr data-kind="grades">') == 8
    # session, user, roles, «teaches this year» ×3 (kinds, the kind, its jobs),
    # count, notifications, jobs with their uploaders
    assert len(few) == 9


@pytest.mark.parametrize("role", ROLES)
def test_a_people_import_stays_the_administrators_whoever_imports_grades(
    client, school, role
):
    people = ImportJob.objects.create(
        kind="students",
        file_name="students.csv",
        created_by=school.administrator,
        status=ImportJob.Status.DONE,
        credentials=[{"user_id": 1, "name": "x", "login": "x", "password": "secret"}],
        credentials_count=1,
    )
    urls = [
        reverse("imports:detail", args=[people.pk]),
        reverse("imports:report", args=[people.pk]),
        reverse("imports:credentials", args=[people.pk]),
        reverse("imports:template", args=["students", "csv"]),
        reverse("imports:upload") + "?kind=students",
    ]
    before = state()
    client = as_role(client, school, role)
    codes = [client.get(url).status_code for url in urls]
    if role == "anonymous":
        assert codes == [302] * 5
    elif role == "administrator":
        assert codes == [200, 200, 200, 200, 200]
    else:
        assert codes == [404] * 5
    listing = client.get(reverse("imports:list"))
    if role in ("teacher", "other_teacher", "deputy", "director"):
        assert listing.status_code == 200
        assert "students.csv" not in listing.content.decode()
    if role != "administrator":
        assert state() == before
