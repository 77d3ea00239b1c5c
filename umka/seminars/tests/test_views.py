"""Seminar pages: a role matrix for every view (status and nothing changed); a
graded work with its written review is visible to the student and each parent
with rights and answers 404 to other students and other parents (R6); peers see
a work without its author's name, the author sees assessments without the
assessors' names; a crafted address to assess one's own work is refused with a
clear message and stores nothing."""

import uuid

import pytest
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.courses.tests.factories import ROLES, as_role, is_login_redirect
from umka.seminars import grading
from umka.seminars.models import Assessment, Criterion, Phase, Seminar, Work
from umka.seminars.tests.factories import assess, make_seminar, submit, switch

pytestmark = pytest.mark.django_db

REVIEW = "Рецензия: пример выбран удачно, вывод обоснован."


def state():
    return [
        list(Seminar.objects.order_by("pk").values()),
        list(Criterion.objects.order_by("pk").values()),
        list(Work.objects.order_by("pk").values()),
        list(Assessment.objects.order_by("pk").values()),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    ]


def assessed(school):
    """Both 7А students submitted and assessed each other; grading is on."""
    seminar = make_seminar(school)
    mine = submit(seminar, school.student, title="Тарифы такси")
    theirs = submit(seminar, school.classmate, title="Счёт за воду")
    switch(school, seminar, Phase.ASSESSMENT)
    assess(theirs, school.student, comment="Комментарий Марии")
    assess(mine, school.classmate, points=(3, 2), comment="Комментарий Петра")
    switch(school, seminar, Phase.GRADING)
    return seminar, mine, theirs


def graded(school):
    seminar, mine, theirs = assessed(school)
    mine = grading.work_grade(
        actor=school.teacher,
        work=mine,
        version=0,
        mark=5,
        review=REVIEW,
        assessing_mark=4,
        assessing_review="Оценки взвешенные.",
    )
    return seminar, mine, theirs


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_a_graded_work_with_its_review_role_matrix(client, school, role):
    seminar, work, _ = graded(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("seminars:work", args=[work.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        page = response.content.decode()
        assert "пример выбран удачно" in page
        assert '<strong id="work-grade">5</strong>' in page
        assert '<strong id="assessing-grade">4</strong>' in page
        # The assessors are named to the teachers only.
        assert ("Петров Пётр" in page) == (role in ("teacher", "deputy"))
        assert "Комментарий Петра" in page
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.requirement("R6")
def test_an_assessor_sees_the_work_without_its_author_or_grades(client, school):
    seminar, work, _ = graded(school)
    client.force_login(school.classmate)
    page = client.get(reverse("seminars:work", args=[work.pk])).content.decode()
    assert "Тарифы такси" in page
    assert "Иванова Мария" not in page
    assert "пример выбран удачно" not in page
    assert 'id="work-grade"' not in page


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_seminar_page_role_matrix(client, school, role):
    seminar, _, _ = assessed(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("seminars:detail", args=[seminar.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="phases"' in page
        assert ('id="roster"' in page) == (role in ("teacher", "deputy"))
        if role == "student":
            assert 'id="todo"' in page
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_a_seminar_in_setup_is_seen_by_its_teachers_only(client, school, role):
    seminar = make_seminar(school, phase=Phase.SETUP)
    response = as_role(client, school, role).get(
        reverse("seminars:detail", args=[seminar.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    else:
        assert response.status_code == (200 if role in ("teacher", "deputy") else 404)


@pytest.mark.parametrize("role", ROLES)
def test_submit_role_matrix(client, school, role):
    seminar = make_seminar(school)
    before = state()
    response = as_role(client, school, role).post(
        reverse("seminars:submit", args=[seminar.pk]),
        {"token": str(uuid.uuid4()), "title": "Моя работа", "text": "Текст работы"},
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role == "student":
        assert response.status_code == 302
        assert Work.objects.get().author == school.student
        return
    else:
        assert response.status_code == 404
    assert state() == before


def test_a_refused_work_keeps_what_was_typed(client, school, clock):
    seminar = make_seminar(school)
    clock.travel(seminar.submission_due_at)
    client.force_login(school.student)
    response = client.post(
        reverse("seminars:submit", args=[seminar.pk]),
        {"token": str(uuid.uuid4()), "title": "Опоздал", "text": "Набранный текст"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Приём работ закончился 16.11.2026 20:00" in page
    assert not Work.objects.exists()


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_assess_role_matrix(client, school, role):
    """Only the classmate it is given to may assess the student's work; the
    student themself is refused with the reason (a crafted address)."""
    seminar = make_seminar(school)
    work = submit(seminar, school.student)
    submit(seminar, school.classmate)
    switch(school, seminar, Phase.ASSESSMENT)
    criteria = list(seminar.criteria.all())
    before = state()
    response = as_role(client, school, role).post(
        reverse("seminars:assess", args=[work.pk]),
        {f"c{criteria[0].pk}": "4", f"c{criteria[1].pk}": "2", "comment": "Свою!"},
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role == "student":
        assert response.status_code == 403
        assert "Это ваша работа: оценивать её нельзя." in response.content.decode()
    elif role in ("parent", "teacher", "deputy"):
        # They see the work, but it is not theirs to assess.
        assert response.status_code == 403
        assert "не поручена вам" in response.content.decode()
    else:
        assert response.status_code == 404
    assert state() == before


def test_the_classmate_assesses_through_the_form(client, school):
    seminar = make_seminar(school)
    work = submit(seminar, school.student)
    submit(seminar, school.classmate)
    switch(school, seminar, Phase.ASSESSMENT)
    criteria = list(seminar.criteria.all())
    client.force_login(school.classmate)
    page = client.get(reverse("seminars:assess", args=[work.pk]))
    assert page.status_code == 200
    assert "полностью" in page.content.decode()  # the level's descriptor
    response = client.post(
        reverse("seminars:assess", args=[work.pk]),
        {f"c{criteria[0].pk}": "3", f"c{criteria[1].pk}": "2", "comment": "Неплохо"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(work=work).total == 5


@pytest.mark.parametrize("role", ROLES)
def test_grade_page_role_matrix(client, school, role):
    seminar, work, _ = assessed(school)
    before = state()
    client = as_role(client, school, role)
    url = reverse("seminars:grade", args=[work.pk])
    page = client.get(url)
    posted = client.post(url, {"version": 0, "mark": "3", "review": "Чужая рецензия"})
    if role == "anonymous":
        assert is_login_redirect(page)
        assert is_login_redirect(posted)
        assert state() == before
    elif role == "teacher":
        assert page.status_code == 200
        assert posted.status_code == 302
        assert Work.objects.get(pk=work.pk).mark == 3
    else:
        assert (page.status_code, posted.status_code) == (404, 404)
        assert state() == before


def test_a_stale_grade_answers_409_and_keeps_the_typed_review(client, school):
    seminar, work, _ = graded(school)
    client.force_login(school.teacher)
    response = client.post(
        reverse("seminars:grade", args=[work.pk]),
        {"version": 0, "mark": "2", "review": "Мой набранный текст"},
    )
    assert response.status_code == 409
    assert "Мой набранный текст" in response.content.decode()
    assert Work.objects.get(pk=work.pk).mark == 5


@pytest.mark.parametrize("role", ROLES)
def test_teacher_pages_role_matrix(client, school, role):
    seminar = make_seminar(school)
    before = state()
    client = as_role(client, school, role)
    urls = [
        reverse("seminars:new", args=[school.space.pk]),
        reverse("seminars:edit", args=[seminar.pk]),
        reverse("seminars:criteria", args=[seminar.pk]),
        reverse("seminars:allocation", args=[seminar.pk]),
    ]
    statuses = [client.get(url).status_code for url in urls]
    posted = client.post(
        reverse("seminars:switch", args=[seminar.pk]), {"to": Phase.ASSESSMENT}
    )
    if role == "anonymous":
        assert is_login_redirect(posted)
    elif role == "teacher":
        assert statuses == [200] * len(urls)
        assert posted.status_code == 302
        assert Seminar.objects.get().phase == Phase.ASSESSMENT
        return
    elif role == "deputy":
        # The deputy oversees: reads the allocation, changes nothing.
        assert statuses == [404, 404, 404, 200]
        assert posted.status_code == 404
    else:
        assert set(statuses) == {404}
        assert posted.status_code == 404
    assert state() == before


def test_the_teacher_creates_a_seminar_and_its_criteria(client, school):
    client.force_login(school.teacher)
    response = client.post(
        reverse("seminars:new", args=[school.space.pk]),
        {
            "title": "Эссе",
            "topic": "Функции",
            "opens_at": "2026-11-10T08:00",
            "submission_due_at": "2026-11-17T20:00",
            "assessment_due_at": "2026-11-20T20:00",
            "peers": "2",
            "allocation": "random",
        },
    )
    seminar = Seminar.objects.get()
    assert response["Location"] == reverse("seminars:criteria", args=[seminar.pk])
    response = client.post(
        reverse("seminars:criteria", args=[seminar.pk]),
        {
            "rows": "2",
            "title_0": "Логика",
            "points_0": "3",
            "levels_0": "3 — всё связно\n0 — нет связи",
            "title_1": "",
            "points_1": "",
        },
    )
    assert response.status_code == 302
    criterion = Criterion.objects.get()
    assert criterion.levels == [
        {"points": 3, "text": "всё связно"},
        {"points": 0, "text": "нет связи"},
    ]


def test_criteria_with_a_bad_descriptor_are_refused_and_kept(client, school):
    seminar = make_seminar(school, phase=Phase.SETUP)
    before = state()
    client.force_login(school.teacher)
    response = client.post(
        reverse("seminars:criteria", args=[seminar.pk]),
        {"rows": "1", "title_0": "Логика", "points_0": "3", "levels_0": "всё связно"},
    )
    assert response.status_code == 400
    assert "Строка 1" in response.content.decode()
    assert "всё связно" in response.content.decode()
    assert state() == before


def test_the_space_page_shows_the_seminar_and_what_to_do(client, school):
    seminar = make_seminar(school)
    client.force_login(school.student)
    page = client.get(reverse("courses:space", args=[school.space.pk])).content
    page = page.decode()
    assert seminar.title in page
    assert "Сдайте работу до 16.11.2026 20:00." in page


@pytest.mark.parametrize("role", ROLES)
def test_work_file_role_matrix(client, school, role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from umka.seminars import submitting

    seminar = make_seminar(school)
    work = submitting.work_submit(
        actor=school.student,
        seminar=seminar,
        token=uuid.uuid4(),
        title="С файлом",
        text="",
        files=[SimpleUploadedFile("план.txt", "План работы".encode())],
    )
    response = as_role(client, school, role).get(
        reverse("seminars:file", args=[work.files.get().pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
    else:
        assert response.status_code == 404
