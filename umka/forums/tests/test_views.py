"""Forum pages: a role matrix for every view (status and nothing changed); the
thread page's query count does not grow with its posts; a reply sent twice is
stored once; a closed thread refuses a reply with the reason and keeps the
text; a hidden post shows its reason to its author only; two moderators at
once — the second is told."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.courses.tests.factories import ROLES, as_role, is_login_redirect
from umka.forums import moderation
from umka.forums.models import Forum, Post, Report, Subscription, Thread
from umka.forums.tests.factories import course_forum, parents_forum, reply, start

pytestmark = pytest.mark.django_db

#: Course forum readers: its students and teachers, and the deputy (overseer).
COURSE_READERS = ("student", "teacher", "deputy")
#: Parents' forum of 7А readers: the parent of a 7А student, the class teacher
#: (`teacher`), the deputy.
PARENTS_READERS = ("parent", "teacher", "deputy")


def state():
    return [
        list(Forum.objects.order_by("pk").values()),
        list(Thread.objects.order_by("pk").values()),
        list(Post.objects.order_by("pk").values()),
        list(Report.objects.order_by("pk").values()),
        list(Subscription.objects.order_by("pk").values()),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_course_forum_role_matrix(client, school, role):
    thread = start(course_forum(school), school.student, title="Про дроби")
    before = state()
    client = as_role(client, school, role)
    pages = [
        client.get(reverse("forums:space", args=[school.space.pk])),
        client.get(reverse("forums:thread", args=[thread.pk])),
        client.get(reverse("forums:post_fragment", args=[thread.posts.get().pk])),
    ]
    if role == "anonymous":
        assert all(is_login_redirect(p) for p in pages)
    elif role in COURSE_READERS:
        assert [p.status_code for p in pages] == [200, 200, 200]
        assert "Про дроби" in pages[0].content.decode()
    else:
        # Parents read their child's graded discussion, not the class's forum.
        assert [p.status_code for p in pages] == [404, 404, 404]
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_parents_forum_role_matrix(client, school, role):
    thread = start(parents_forum(school), school.parent, title="Экскурсия")
    before = state()
    client = as_role(client, school, role)
    pages = [
        client.get(reverse("forums:class", args=[school.class_7a.pk])),
        client.get(reverse("forums:thread", args=[thread.pk])),
    ]
    if role == "anonymous":
        assert all(is_login_redirect(p) for p in pages)
    elif role in PARENTS_READERS:
        assert [p.status_code for p in pages] == [200, 200]
    else:
        assert [p.status_code for p in pages] == [404, 404]
    assert state() == before


def test_a_forum_is_not_made_for_an_outsider(client, school):
    client.force_login(school.other_student)
    assert (
        client.get(reverse("forums:space", args=[school.space.pk])).status_code == 404
    )
    assert (
        client.get(reverse("forums:class", args=[school.class_7a.pk])).status_code
        == 404
    )
    assert not Forum.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_reply_role_matrix(client, school, role):
    thread = start(course_forum(school), school.classmate)
    before = state()
    response = as_role(client, school, role).post(
        reverse("forums:reply", args=[thread.pk]),
        {"token": str(uuid.uuid4()), "body": "Мой ответ"},
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("student", "teacher"):
        assert response.status_code == 302
        assert Post.objects.filter(body="Мой ответ").count() == 1
        return
    else:
        # The deputy reads and moderates but does not post.
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_new_thread_role_matrix(client, school, role):
    forum = parents_forum(school)
    before = state()
    client = as_role(client, school, role)
    page = client.get(reverse("forums:thread_new", args=[forum.pk]))
    posted = client.post(
        reverse("forums:thread_new", args=[forum.pk]),
        {"token": str(uuid.uuid4()), "title": "Собрание", "body": "В четверг"},
    )
    if role == "anonymous":
        assert is_login_redirect(posted)
    elif role in ("parent", "teacher"):
        assert page.status_code == 200
        assert posted.status_code == 302
        assert Thread.objects.get().title == "Собрание"
        return
    else:
        assert (page.status_code, posted.status_code) == (404, 404)
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_hide_role_matrix(client, school, role):
    thread = start(course_forum(school), school.student)
    post = reply(thread, school.classmate, body="Спам")
    before = state()
    response = as_role(client, school, role).post(
        reverse("forums:post_hide", args=[post.pk]), {"version": 0, "reason": "Спам"}
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in ("teacher", "deputy"):
        assert response.status_code == 302
        assert Post.objects.get(pk=post.pk).hide_reason == "Спам"
        return
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_lock_pin_and_edit_role_matrix(client, school, role):
    thread = start(course_forum(school), school.classmate)
    post = thread.posts.get()
    before = state()
    client = as_role(client, school, role)
    responses = [
        client.post(
            reverse("forums:thread_lock", args=[thread.pk]),
            {"version": 0, "locked": "1"},
        ),
        client.post(
            reverse("forums:thread_pin", args=[thread.pk]),
            {"version": 1, "pinned": "1"},  # the lock made it 1
        ),
        client.get(reverse("forums:post_edit", args=[post.pk])),
    ]
    if role == "anonymous":
        assert all(is_login_redirect(r) for r in responses)
    elif role in ("teacher", "deputy"):
        assert [r.status_code for r in responses] == [302, 302, 200]
        return
    else:
        assert [r.status_code for r in responses] == [404, 404, 404]
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_report_role_matrix(client, school, role):
    thread = start(course_forum(school), school.classmate)
    post = thread.posts.get()
    before = state()
    response = as_role(client, school, role).post(
        reverse("forums:post_report", args=[post.pk]), {"reason": "Грубо"}
    )
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in COURSE_READERS:
        assert response.status_code == 302
        assert Report.objects.get().reporter == getattr(school, role)
        return
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.requirement("R6")
def test_a_reply_sent_twice_through_the_form_is_stored_once(client, school):
    thread = start(course_forum(school), school.classmate)
    client.force_login(school.student)
    form = {"token": str(uuid.uuid4()), "body": "Двойной щелчок"}
    url = reverse("forums:reply", args=[thread.pk])
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert Post.objects.filter(body="Двойной щелчок").count() == 1


@pytest.mark.requirement("R6")
def test_a_reply_to_a_closed_thread_answers_409_and_keeps_the_text(client, school):
    thread = start(course_forum(school), school.classmate)
    moderation.thread_lock(actor=school.teacher, thread=thread, version=0, locked=True)
    before = state()
    client.force_login(school.student)
    response = client.post(
        reverse("forums:reply", args=[thread.pk]),
        {"token": str(uuid.uuid4()), "body": "Набранный ответ"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Тема закрыта: ответы больше не принимаются." in page
    assert state() == before


@pytest.mark.requirement("R6")
def test_two_moderators_hiding_at_once_the_second_is_told(client, school):
    thread = start(course_forum(school), school.classmate)
    post = reply(thread, school.student)
    moderation.post_hide(actor=school.teacher, post=post, version=0, reason="Первый")
    before = state()
    client.force_login(school.deputy)
    response = client.post(
        reverse("forums:post_hide", args=[post.pk]),
        {"version": 0, "reason": "Второй"},
        follow=True,
    )
    assert "только что изменил" in response.content.decode()
    assert state() == before


def test_a_hidden_post_shows_its_reason_to_its_author_only(client, school):
    thread = start(course_forum(school), school.classmate)
    post = reply(thread, school.student, body="Неуместный текст")
    moderation.post_hide(actor=school.teacher, post=post, version=0, reason="Оффтоп")
    url = reverse("forums:post_fragment", args=[post.pk])
    pages = {}
    for who in ("student", "classmate", "teacher"):
        client.force_login(getattr(school, who))
        pages[who] = client.get(url).content.decode()
    assert "Оффтоп" in pages["student"]
    assert "Неуместный текст" in pages["student"]
    assert "Оффтоп" not in pages["classmate"]
    assert "Неуместный текст" not in pages["classmate"]
    assert "скрыто модератором" in pages["classmate"]
    assert "Неуместный текст" in pages["teacher"]


def test_quoting_through_the_form(client, school):
    thread = start(course_forum(school), school.classmate, body="Исходная мысль")
    first = thread.posts.get()
    client.force_login(school.student)
    page = client.get(reverse("forums:thread", args=[thread.pk]), {"quote": first.pk})
    assert 'id="quote-preview"' in page.content.decode()
    client.post(
        reverse("forums:reply", args=[thread.pk]),
        {"token": str(uuid.uuid4()), "body": "Согласен", "quote": first.pk},
    )
    quoted = Post.objects.get(body="Согласен")
    assert quoted.quote_of == first
    fragment = client.get(reverse("forums:post_fragment", args=[quoted.pk]))
    assert "Исходная мысль" in fragment.content.decode()


def test_an_attachment_passes_the_upload_check_and_is_downloaded(client, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    thread = start(course_forum(school), school.classmate)
    client.force_login(school.student)
    client.post(
        reverse("forums:reply", args=[thread.pk]),
        {
            "token": str(uuid.uuid4()),
            "body": "Вот решение",
            "files": SimpleUploadedFile("решение.txt", b"x = 2"),
        },
    )
    post = Post.objects.get(body="Вот решение")
    url = reverse("forums:file", args=[post.files.get().pk])
    assert client.get(url)["Content-Disposition"].startswith("attachment")
    client.force_login(school.other_student)
    assert client.get(url).status_code == 404


#: The thread page: session, user, roles, badge, the thread, the moderator
#: check, the posts' count and page, their files, the teachers, following, the
#: forums to move to (none for a student).
@pytest.mark.requirement("R6")
def test_the_thread_page_query_count_does_not_grow_with_posts(client, school):
    thread = start(course_forum(school), school.classmate)
    client.force_login(school.student)

    def count(**query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("forums:thread", args=[thread.pk]), query)
            assert response.status_code == 200
        return len(ctx)

    few = count()
    for n in range(120):
        reply(thread, school.classmate if n % 2 else school.teacher, body=f"№{n}")
    assert count() == few
    assert count(page=1) == few


def test_the_index_lists_ones_forums(client, school):
    parents_forum(school)
    client.force_login(school.parent)
    page = client.get(reverse("forums:index")).content.decode()
    assert "Родители 7А" in page
    assert "Алгебра, 7А" not in page
    client.force_login(school.student)
    page = client.get(reverse("forums:index")).content.decode()
    assert "Алгебра, 7А" in page
    assert "Родители 7А" not in page


def test_following_a_thread_through_the_page(client, school):
    thread = start(course_forum(school), school.classmate)
    client.force_login(school.student)
    client.post(reverse("forums:subscribe"), {"thread": thread.pk})
    assert Subscription.objects.filter(user=school.student, thread=thread).exists()
    client.post(reverse("forums:subscribe"), {"thread": thread.pk})
    assert not Subscription.objects.filter(user=school.student).exists()
