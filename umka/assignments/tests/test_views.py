"""Assignment pages: a role matrix for every view (status and nothing changed);
a graded result with its review is visible to the student and each parent with
rights and answers 404 to other students, other parents and teachers of other
spaces (R6); the answer form keeps what was typed after a refusal."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from umka.assignments import grading
from umka.assignments.models import (
    Answer,
    Assignment,
    BankQuestion,
    Part,
    Submission,
)
from umka.assignments.tests.factories import DUE, make_assignment, submit
from umka.audit.models import AuditEntry
from umka.courses.tests.factories import ROLES, as_role, is_login_redirect

pytestmark = pytest.mark.django_db


def state():
    return [
        list(Assignment.objects.order_by("pk").values()),
        list(Part.objects.order_by("pk").values()),
        list(Submission.objects.order_by("pk").values()),
        list(Answer.objects.order_by("pk").values()),
        list(BankQuestion.objects.order_by("pk").values()),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    ]


def graded(school):
    submission = submit(make_assignment(school), school.student)
    return grading.submission_grade(
        actor=school.teacher,
        submission=submission,
        version=0,
        review="Рецензия: решение верное, оформление аккуратное.",
        mark=5,
    )


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_a_graded_submission_with_its_review_role_matrix(client, school, role):
    submission = graded(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("assignments:submission", args=[submission.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        page = response.content.decode()
        assert "решение верное" in page
        assert '<strong id="submission-grade">5</strong>' in page
    else:
        # other student, other parent, the teacher of another space, the back office
        assert response.status_code == 404
    assert state() == before


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_assignment_page_role_matrix(client, school, role):
    assignment = make_assignment(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("assignments:detail", args=[assignment.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        page = response.content.decode()
        assert ('id="answer-form"' in page) == (role == "student")
        assert ('id="roster"' in page) == (role in ("teacher", "deputy"))
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_by_its_teachers_only(client, school, role):
    assignment = make_assignment(school, publish=False)
    response = as_role(client, school, role).get(
        reverse("assignments:detail", args=[assignment.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    else:
        assert response.status_code == (200 if role in ("teacher", "deputy") else 404)


@pytest.mark.parametrize("role", ROLES)
def test_grade_page_role_matrix(client, school, role):
    submission = submit(make_assignment(school), school.student)
    before = state()
    client = as_role(client, school, role)
    url = reverse("assignments:grade", args=[submission.pk])
    page = client.get(url)
    posted = client.post(url, {"version": 0, "review": "Чужая рецензия", "mark": "2"})
    if role == "anonymous":
        assert is_login_redirect(page)
        assert is_login_redirect(posted)
        assert state() == before
    elif role == "teacher":
        assert page.status_code == 200
        assert posted.status_code == 302
        assert Submission.objects.get().mark == 2
    else:
        # The deputy oversees and reads, but grades nothing; the rest do not see it.
        assert (page.status_code, posted.status_code) == (404, 404)
        assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_submit_role_matrix(client, school, role):
    assignment = make_assignment(school)
    part = assignment.parts.first()
    before = state()
    response = as_role(client, school, role).post(
        reverse("assignments:submit", args=[assignment.pk]),
        {"token": str(uuid.uuid4()), f"p{part.pk}": "0"},
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role == "student":
        assert response.status_code == 302
        assert Submission.objects.get().student == school.student
        return
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_editing_pages_role_matrix(client, school, role):
    assignment = make_assignment(school, publish=False)
    before = state()
    client = as_role(client, school, role)
    urls = [
        reverse("assignments:edit", args=[assignment.pk]),
        reverse("assignments:part_new", args=[assignment.pk]) + "?kind=matching",
        reverse("assignments:rubric", args=[assignment.pk]),
        reverse("assignments:from_bank", args=[assignment.pk]),
        reverse("assignments:new", args=[school.space.pk]),
    ]
    statuses = [client.get(url).status_code for url in urls]
    posted = client.post(reverse("assignments:publish", args=[assignment.pk]))
    if role == "anonymous":
        assert is_login_redirect(posted)
    elif role == "teacher":
        assert statuses == [200] * len(urls)
        assert posted.status_code == 302
        return
    else:
        assert set(statuses) == {404}
        assert posted.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_bank_pages_role_matrix(client, school, role):
    client = as_role(client, school, role)
    pages = [
        client.get(reverse(name)).status_code
        for name in ("assignments:bank", "assignments:bank_import")
    ]
    if role == "anonymous":
        return
    expected = 200 if role in ("teacher", "other_teacher") else 404
    assert pages == [expected, expected]


def test_a_teachers_bank_question_is_theirs_alone(client, school):
    question = BankQuestion.objects.create(
        owner=school.teacher,
        kind="short",
        text="2+2?",
        data={"answers": [{"text": "4", "fraction": 100}]},
    )
    client.force_login(school.other_teacher)
    url = reverse("assignments:bank_edit", args=[question.pk])
    assert client.get(url).status_code == 404
    client.force_login(school.teacher)
    assert client.get(url).status_code == 200


def test_a_refused_submission_keeps_what_was_typed(client, school, clock):
    assignment = make_assignment(school)
    text_part = assignment.parts.get(position=2)
    clock.travel(DUE + dt.timedelta(minutes=5))
    client.force_login(school.student)
    response = client.post(
        reverse("assignments:submit", args=[assignment.pk]),
        {"token": str(uuid.uuid4()), f"p{text_part.pk}": "Мой длинный ответ"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "16.11.2026 20:00" in page
    assert "Мой длинный ответ" in page
    assert Submission.objects.count() == 0


def test_a_second_post_of_the_same_form_stores_one_submission(client, school):
    assignment = make_assignment(school)
    part = assignment.parts.first()
    client.force_login(school.student)
    form = {"token": str(uuid.uuid4()), f"p{part.pk}": "0"}
    url = reverse("assignments:submit", args=[assignment.pk])
    first, second = client.post(url, form), client.post(url, form)
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1


def test_a_teacher_builds_an_assignment_through_the_pages(client, school):
    client.force_login(school.teacher)
    response = client.post(
        reverse("assignments:new", args=[school.space.pk]),
        {
            "title": "Проверочная",
            "topic": "Степени",
            "instructions": "Вычислите $2^{10}$.",
            "opens_at": "2026-11-10T10:00",
            "due_at": "2026-11-12T20:00",
            "attempts_allowed": 2,
            "counts": "best",
            "scale": "five",
            "show_scores": "after_due",
        },
    )
    assignment = Assignment.objects.get(title="Проверочная")
    assert response["Location"] == reverse("assignments:detail", args=[assignment.pk])
    assert assignment.due_at == dt.datetime(2026, 11, 12, 17, 0, tzinfo=dt.UTC)
    for kind, fields in (
        ("number", {"number": "1024", "tolerance": "0"}),
        ("multiple", {"choices": "+ 2^10\n+ 1024\n1000"}),
        ("short", {"answers": "степень\nпоказатель"}),
        ("matching", {"pairs": "2^3 -> 8\n2^4 -> 16"}),
        ("ordering", {"items": "2^1\n2^2\n2^3"}),
        ("text", {}),
        ("file", {}),
    ):
        response = client.post(
            reverse("assignments:part_new", args=[assignment.pk]),
            {"kind": kind, "text": f"Вопрос {kind}", "points": "1", **fields},
        )
        assert response.status_code == 302, (kind, response.content.decode()[:2000])
    assert assignment.parts.count() == 7
    response = client.post(
        reverse("assignments:part_new", args=[assignment.pk]),
        {"kind": "single", "text": "Без верного", "points": "1", "choices": "a\nb"},
    )
    assert "Отметьте верный вариант" in response.content.decode()
    client.post(reverse("assignments:publish", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.status == "published"


def test_the_student_answers_every_kind_through_the_form(client, school):
    from umka.assignments import services
    from umka.assignments.models import Kind

    assignment = make_assignment(school, publish=False)
    matching = services.part_add(
        actor=school.teacher,
        assignment=assignment,
        kind=Kind.MATCHING,
        text="Сопоставьте",
        data={"pairs": [{"left": "2^3", "right": "8"}, {"left": "2^4", "right": "16"}]},
    )
    ordering = services.part_add(
        actor=school.teacher,
        assignment=assignment,
        kind=Kind.ORDERING,
        text="По возрастанию",
        data={"items": ["1", "2", "3"]},
    )
    services.assignment_publish(actor=school.teacher, assignment=assignment)
    first = assignment.parts.get(position=1)
    client.force_login(school.student)
    page = client.get(reverse("assignments:detail", args=[assignment.pk]))
    assert f'name="p{matching.pk}_m0"' in page.content.decode()
    response = client.post(
        reverse("assignments:submit", args=[assignment.pk]),
        {
            "token": str(uuid.uuid4()),
            f"p{first.pk}": "0",
            f"p{matching.pk}_m0": "8",
            f"p{matching.pk}_m1": "16",
            f"p{ordering.pk}_o0": "1",
            f"p{ordering.pk}_o1": "2",
            f"p{ordering.pk}_o2": "3",
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.auto_points == 4  # 2 + 1 + 1


@pytest.mark.requirement("R6")
def test_automatic_scores_are_shown_after_the_due_date_when_the_teacher_says_so(
    client, school, clock
):
    assignment = make_assignment(school, show_scores=Assignment.ShowScores.AFTER_DUE)
    submission = submit(assignment, school.student)
    url = reverse("assignments:submission", args=[submission.pk])
    client.force_login(school.student)
    assert "2 из 2 б." not in client.get(url).content.decode()
    client.force_login(school.teacher)
    assert "2 из 2 б." in client.get(url).content.decode()
    clock.travel(DUE + dt.timedelta(minutes=1))
    client.force_login(school.student)
    assert "2 из 2 б." in client.get(url).content.decode()


@pytest.mark.requirement("R6")
def test_a_stale_grade_is_refused_with_409_and_keeps_what_was_typed(client, school):
    from umka.courses.models import SpaceTeacher

    SpaceTeacher.objects.create(
        space=school.space, teacher=school.other_teacher, from_assignment=False
    )
    submission = submit(make_assignment(school), school.student)
    text_part = submission.answers.get(part__position=2).part
    grading.submission_grade(
        actor=school.other_teacher,
        submission=submission,
        version=0,
        review="Первая рецензия",
        mark=3,
    )
    client.force_login(school.teacher)
    response = client.post(
        reverse("assignments:grade", args=[submission.pk]),
        {
            "version": "0",
            "mark": "5",
            "review": "Моя рецензия, набранная долго",
            f"score_{text_part.pk}": "2,5",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Орлов Павел Иванович" in page  # who changed it
    assert "Моя рецензия, набранная долго" in page
    assert 'value="2,5"' in page
    assert 'name="version" value="1"' in page
    current = Submission.objects.get()
    assert (current.mark, current.review) == (3, "Первая рецензия")


def test_answer_files_are_served_only_to_whom_may_see_the_work(client, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from umka.assignments import services
    from umka.assignments.models import AnswerFile, Kind
    from umka.assignments.submitting import submission_submit

    assignment = make_assignment(school, publish=False)
    part = services.part_add(
        actor=school.teacher,
        assignment=assignment,
        kind=Kind.FILE,
        text="Фото решения",
        data={"max_files": 5},
    )
    services.assignment_publish(actor=school.teacher, assignment=assignment)
    submission_submit(
        actor=school.student,
        assignment=assignment,
        token=uuid.uuid4(),
        responses={},
        files={part.pk: [SimpleUploadedFile("решение.txt", b"x = 2")]},
    )
    url = reverse("assignments:answer_file", args=[AnswerFile.objects.get().pk])
    for role in ROLES[1:]:
        client.force_login(getattr(school, role))
        response = client.get(url)
        expected = 200 if role in ("student", "parent", "teacher", "deputy") else 404
        assert response.status_code == expected, role
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")


def test_gift_export_downloads_the_teachers_own_bank(client, school):
    from umka.assignments import bank
    from umka.assignments.tests.test_gift import SAMPLE

    bank.bank_import_gift(actor=school.teacher, text=SAMPLE)
    client.force_login(school.teacher)
    text = client.get(reverse("assignments:bank_export")).content.decode()
    assert "::Корень уравнения::" in text
    client.force_login(school.other_teacher)
    assert (
        "Корень" not in client.get(reverse("assignments:bank_export")).content.decode()
    )


@pytest.mark.requirement("R6")
def test_work_not_submitted_by_the_due_date_shows_on_the_results_page(
    client, school, clock
):
    from umka.assignments import services

    assignment = make_assignment(school)
    services.extension_grant(
        actor=school.teacher,
        assignment=assignment,
        student=school.classmate,
        due_at=DUE + dt.timedelta(days=3),
    )
    clock.travel(DUE + dt.timedelta(hours=1))
    for person, missing in (
        (school.student, True),
        (school.parent, True),
        (school.classmate, False),  # extended
        (school.other_student, False),  # another class
    ):
        client.force_login(person)
        page = client.get(reverse("courses:results")).content.decode()
        assert ("Не сдано в срок" in page) == missing, person
    client.force_login(school.student)
    services.extension_grant(
        actor=school.teacher,
        assignment=assignment,
        student=school.student,
        due_at=DUE + dt.timedelta(days=2),
    )
    page = client.get(reverse("courses:results")).content.decode()
    assert "Не сдано в срок" not in page
