"""Course pages: a role matrix for every view (status and nothing changed), the
results page with grades and reviews for the student and each parent (R6), the
e-journal export, pasted images."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from umka.assignments import grading
from umka.assignments.tests.factories import make_assignment, submit
from umka.audit.models import AuditEntry
from umka.courses.models import CourseSpace, SpaceImage, SpaceTeacher
from umka.courses.tests.factories import ROLES, as_role, is_login_redirect
from umka.school.models import Enrolment

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def state():
    return [
        list(CourseSpace.objects.order_by("pk").values()),
        list(SpaceTeacher.objects.order_by("pk").values()),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    ]


def graded(school, review="Хорошая работа: **все шаги** верны, $x = 2$."):
    submission = submit(make_assignment(school), school.student)
    return grading.submission_grade(
        actor=school.teacher,
        submission=submission,
        version=submission.version,
        review=review,
        mark=5,
    )


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_results_page_role_matrix(client, school, role):
    graded(school)
    before = state()
    response = as_role(client, school, role).get(reverse("courses:results"))
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent"):
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-grade="5"' in page
        assert "<strong>все шаги</strong>" in page
        assert '<span class="math inline">x = 2</span>' in page
    elif role in ("other_student", "other_parent"):
        assert response.status_code == 200
        assert "Линейные уравнения" not in response.content.decode()
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.requirement("R6")
def test_a_parent_cannot_read_another_childs_results(client, school):
    graded(school)
    client.force_login(school.other_parent)
    url = reverse("courses:results") + f"?student={school.student.pk}"
    assert client.get(url).status_code == 404


#: The results page: session, user, roles, badge, children, submissions, and the
#: work not submitted (enrolments, group members, assignments, extensions); then
#: one query of each other form (seminar works, glossary entries, discussion
#: grades).
RESULTS_QUERIES = 13


@pytest.mark.requirement("R6")
def test_results_page_query_count_does_not_grow_with_results(client, school):
    client.force_login(school.parent)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("courses:results")).status_code == 200
        return len(ctx)

    graded(school)
    assert count() == RESULTS_QUERIES
    for n in range(6):
        a = make_assignment(school, title=f"Работа {n}")
        s = submit(a, school.student)
        grading.submission_grade(
            actor=school.teacher, submission=s, version=0, review="Ок", mark=4
        )
    assert count() == RESULTS_QUERIES


@pytest.mark.parametrize("role", ROLES)
def test_space_page_role_matrix(client, school, role):
    make_assignment(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("courses:space", args=[school.space.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        assert "Линейные уравнения" in response.content.decode()
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_index_lists_only_visible_spaces(client, school, role):
    response = as_role(client, school, role).get(reverse("courses:index"))
    if role == "anonymous":
        assert is_login_redirect(response)
        return
    if role == "administrator":
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert ("Алгебра, 7А" in page) == (
        role in ("student", "parent", "teacher", "deputy")
    )
    assert ("Алгебра, 7Б" in page) == (
        role in ("other_student", "other_parent", "other_teacher", "deputy")
    )


@pytest.mark.parametrize("role", ROLES)
def test_members_and_archive_role_matrix(client, school, role):
    before = state()
    client = as_role(client, school, role)
    members = client.get(reverse("courses:members", args=[school.space.pk]))
    archive = client.post(reverse("courses:archive", args=[school.space.pk]))
    if role == "anonymous":
        assert is_login_redirect(members)
        assert is_login_redirect(archive)
        assert state() == before
    elif role in ("teacher", "deputy"):
        assert members.status_code == 200
        assert archive.status_code == 302
        school.space.refresh_from_db()
        assert school.space.is_archived
    else:
        assert (members.status_code, archive.status_code) == (404, 404)
        assert state() == before


def test_a_teacher_adds_a_co_teacher(client, school):
    client.force_login(school.teacher)
    response = client.post(
        reverse("courses:members", args=[school.space.pk]),
        {"action": "add_teacher", "teacher": school.other_teacher.pk},
    )
    assert response.status_code == 302
    assert SpaceTeacher.objects.filter(
        space=school.space, teacher=school.other_teacher, from_assignment=False
    ).exists()


def test_a_teacher_creates_a_group_space_across_classes(client, school):
    client.force_login(school.teacher)
    response = client.post(
        reverse("courses:group_new"),
        {
            "title": "Элективный курс",
            "subject": school.algebra.pk,
            "students": [school.student.pk, school.other_student.pk],
        },
    )
    assert response.status_code == 302
    group = CourseSpace.objects.get(kind="group")
    client.force_login(school.other_student)
    assert client.get(reverse("courses:space", args=[group.pk])).status_code == 200
    client.force_login(school.classmate)
    assert client.get(reverse("courses:space", args=[group.pk])).status_code == 404


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_export_role_matrix_and_columns(client, school, role):
    graded(school)
    before = state()
    client = as_role(client, school, role)
    xlsx = client.get(reverse("courses:export", args=[school.space.pk, "xlsx"]))
    text = client.get(reverse("courses:export", args=[school.space.pk, "csv"]))
    if role == "anonymous":
        assert is_login_redirect(xlsx)
    elif role in ("teacher", "deputy"):
        rows = list(
            csv.reader(io.StringIO(text.content.decode("utf-8-sig")), delimiter=";")
        )
        assert rows[0][:5] == ["ФИО", "Класс", "Дата", "Оценка", "Тема"]
        assert rows[1][:5] == [
            school.student.full_name,
            "7А",
            "10.11.2026",
            "5",
            "Линейные уравнения с одной переменной",
        ]
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert [c.value for c in sheet[2]][:4] == rows[1][:3] + [5]
    else:
        assert (xlsx.status_code, text.status_code) == (404, 404)
    assert state() == before


def test_export_keeps_formulas_out(client, school):
    school.student.last_name = "=HYPERLINK(1)"
    school.student.save()
    graded(school)
    client.force_login(school.teacher)
    text = client.get(reverse("courses:export", args=[school.space.pk, "csv"]))
    assert "\n'=HYPERLINK(1)" in text.content.decode("utf-8-sig").replace("\r", "")


def test_a_pasted_image_is_stored_and_served_only_to_whom_may_see_it(client, school):
    client.force_login(school.student)
    upload = SimpleUploadedFile("снимок.png", PNG, content_type="image/png")
    response = client.post(
        reverse("courses:image_upload", args=[school.space.pk]), {"image": upload}
    )
    assert response.status_code == 200
    markdown = response.json()["markdown"]
    image = SpaceImage.objects.get()
    assert markdown == f"![снимок](/courses/images/{image.key}/)"
    url = reverse("courses:image", args=[image.key])
    for role, status in (
        ("student", 200),
        ("parent", 200),
        ("teacher", 200),
        ("classmate", 404),
        ("other_parent", 404),
        ("other_teacher", 404),
    ):
        client.force_login(getattr(school, role))
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Type"] == "image/png"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]


def test_a_pasted_file_that_is_not_an_image_is_refused(client, school):
    client.force_login(school.student)
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>")
    response = client.post(
        reverse("courses:image_upload", args=[school.space.pk]), {"image": fake}
    )
    assert response.status_code == 400
    assert "x.png" in response.json()["error"]
    assert SpaceImage.objects.count() == 0


def test_outsiders_cannot_paste_into_a_space(client, school):
    client.force_login(school.other_student)
    upload = SimpleUploadedFile("a.png", PNG)
    response = client.post(
        reverse("courses:image_upload", args=[school.space.pk]), {"image": upload}
    )
    assert response.status_code == 404


def test_a_moved_student_keeps_their_results(client, school):
    import datetime as dt

    graded(school)
    Enrolment.objects.filter(student=school.student).update(
        ends_on=dt.date(2026, 11, 9)
    )
    client.force_login(school.student)
    assert 'data-grade="5"' in client.get(reverse("courses:results")).content.decode()


def test_a_teacher_of_the_teaching_assignments_cannot_be_removed_by_hand(
    client, school
):
    client.force_login(school.deputy)
    response = client.post(
        reverse("courses:members", args=[school.space.pk]),
        {"action": "remove_teacher", "teacher": school.teacher.pk},
        follow=True,
    )
    assert "измените нагрузку" in response.content.decode()
    assert SpaceTeacher.objects.filter(
        space=school.space, teacher=school.teacher
    ).exists()
