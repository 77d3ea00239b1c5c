"""Graded discussions (R6, R13): when the period ends each student who posted
waits in the queue; the teacher rates their posts with a written review, which
the student and each parent with rights read (404 for other students and
parents); the grade joins the results page and the e-journal export."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.courses import review_queue
from umka.courses.tests.factories import ROLES, as_role, is_login_redirect
from umka.forums import discussions
from umka.forums.models import Discussion, DiscussionGrade
from umka.forums.tests.factories import course_forum, reply, start
from umka.notifications.models import Notification

pytestmark = pytest.mark.django_db

REVIEW = "Аргументы точные, ссылки на правила к месту."


def set_discussion(school, **values):
    return discussions.discussion_create(
        actor=school.teacher,
        forum=course_forum(school),
        title="Обсуждение: где встречаются пропорции",
        topic="Пропорции",
        starts_on=values.get("starts_on", dt.date(2026, 11, 9)),
        ends_on=values.get("ends_on", dt.date(2026, 11, 15)),
    )


def closed(school):
    discussion = set_discussion(school)
    thread = start(course_forum(school), school.teacher, title="Пропорции вокруг нас")
    reply(thread, school.student, body="Рецепт пирога — пропорция.")
    reply(thread, school.student, body="И масштаб карты.")
    reply(thread, school.classmate, body="Скорость и время.")
    discussions.discussion_close(actor=school.teacher, discussion=discussion)
    return discussion


def graded(school):
    discussion = closed(school)
    grade = DiscussionGrade.objects.get(discussion=discussion, student=school.student)
    return discussions.discussion_grade(
        actor=school.teacher, grade=grade, version=0, mark=5, review=REVIEW
    )


def state():
    return [
        list(Discussion.objects.order_by("pk").values()),
        list(DiscussionGrade.objects.order_by("pk").values()),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    ]


def test_closing_makes_a_grade_for_each_student_who_posted(school):
    discussion = closed(school)
    grades = {g.student: g.posts for g in discussion.grades.all()}
    assert grades == {school.student: 2, school.classmate: 1}  # not the teacher


def test_posts_outside_the_period_do_not_count(school, clock):
    discussion = set_discussion(
        school, starts_on=dt.date(2026, 11, 11), ends_on=dt.date(2026, 11, 12)
    )
    thread = start(course_forum(school), school.teacher)
    reply(thread, school.student)  # 10 November: before the period
    discussions.discussion_close(actor=school.teacher, discussion=discussion)
    assert not discussion.grades.exists()


def test_the_period_closes_by_itself_the_next_day(school, clock):
    discussion = set_discussion(school)
    thread = start(course_forum(school), school.teacher)
    reply(thread, school.student)
    assert discussions.discussions_close_ended() == 0
    clock.travel(
        dt.datetime(2026, 11, 16, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    )
    assert discussions.discussions_close_ended() == 1
    assert Discussion.objects.get(pk=discussion.pk).closed_at is not None
    assert discussions.discussions_close_ended() == 0  # once


def test_only_the_courses_teacher_sets_and_grades(school):
    with pytest.raises(DomainError):
        discussions.discussion_create(
            actor=school.other_teacher,
            forum=course_forum(school),
            title="Чужое",
            topic="Тема",
            starts_on=dt.date(2026, 11, 9),
            ends_on=dt.date(2026, 11, 15),
        )
    discussion = closed(school)
    grade = discussion.grades.first()
    with pytest.raises(DomainError):
        discussions.discussion_grade(
            actor=school.other_teacher, grade=grade, version=0, mark=2, review="Нет"
        )


@pytest.mark.requirement("R6")
def test_a_grade_needs_a_review_and_the_family_is_told(school):
    discussion = closed(school)
    grade = DiscussionGrade.objects.get(discussion=discussion, student=school.student)
    with pytest.raises(DomainError, match="рецензию"):
        discussions.discussion_grade(
            actor=school.teacher, grade=grade, version=0, mark=4, review=""
        )
    discussions.discussion_grade(
        actor=school.teacher, grade=grade, version=0, mark=4, review=REVIEW
    )
    told = set(
        Notification.objects.filter(kind="courses.graded").values_list(
            "recipient", flat=True
        )
    )
    assert told == {school.student.pk, school.parent.pk}
    with pytest.raises(DomainError, match="изменил"):
        discussions.discussion_grade(
            actor=school.teacher, grade=grade, version=0, mark=3, review="Иначе"
        )


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("role", ROLES)
def test_a_graded_discussion_with_its_review_role_matrix(client, school, role):
    grade = graded(school)
    before = state()
    response = as_role(client, school, role).get(
        reverse("forums:grade", args=[grade.pk])
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "parent", "teacher", "deputy"):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Аргументы точные" in page
        assert '<strong id="discussion-grade">5</strong>' in page
        assert "Рецепт пирога" in page  # the graded posts
        assert "Скорость и время" not in page  # not another student's
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_discussion_pages_role_matrix(client, school, role):
    discussion = closed(school)
    grade = DiscussionGrade.objects.get(discussion=discussion, student=school.student)
    before = state()
    client = as_role(client, school, role)
    page = client.get(reverse("forums:discussion", args=[discussion.pk]))
    posted = client.post(
        reverse("forums:grade", args=[grade.pk]),
        {"version": 0, "mark": "4", "review": "Рецензия"},
    )
    if role == "anonymous":
        assert is_login_redirect(page)
    elif role == "teacher":
        assert page.status_code == 200
        assert posted.status_code == 302
        assert DiscussionGrade.objects.get(pk=grade.pk).mark == 4
        return
    elif role == "deputy":
        assert page.status_code == 200
        assert posted.status_code == 404
    elif role in ("student", "parent"):
        # They read the grade page, but neither list nor grade.
        assert (page.status_code, posted.status_code) == (404, 404)
    else:
        assert (page.status_code, posted.status_code) == (404, 404)
    assert state() == before


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("who", ["student", "parent"])
def test_the_grade_is_on_the_results_page(client, school, who):
    graded(school)
    client.force_login(getattr(school, who))
    page = client.get(reverse("courses:results")).content.decode()
    assert "Обсуждение: где встречаются пропорции" in page
    assert "Аргументы точные" in page


def test_the_grade_is_in_the_export(client, school):
    graded(school)
    client.force_login(school.teacher)
    text = client.get(
        reverse("courses:export", args=[school.space.pk, "csv"])
    ).content.decode("utf-8-sig")
    assert "Пропорции" in text
    assert REVIEW in text


@pytest.mark.requirement("R13")
def test_waiting_grades_are_in_the_queue_and_escalate(school, clock):
    closed(school)
    items = [i for i in review_queue.queue_for(school.teacher) if "forums" in i.key]
    assert len(items) == 2
    due = DiscussionGrade.objects.first().review_due_at
    clock.travel(due + dt.timedelta(minutes=1))
    assert review_queue.remind_and_escalate(clock.now)["escalated"] == 2
    assert set(DiscussionGrade.objects.values_list("escalated_to", flat=True)) == {
        school.deputy.pk
    }


def test_the_teacher_sets_a_discussion_through_the_page(client, school):
    forum = course_forum(school)
    client.force_login(school.teacher)
    response = client.post(
        reverse("forums:discussion_new", args=[forum.pk]),
        {
            "title": "Спор о дробях",
            "topic": "Дроби",
            "starts_on": "2026-11-09",
            "ends_on": "2026-11-20",
        },
    )
    discussion = Discussion.objects.get()
    assert response["Location"] == reverse("forums:discussion", args=[discussion.pk])
