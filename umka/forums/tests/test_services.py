"""Forum services (R6): threads and replies (a reply posted twice is stored
once), quoting, closed threads, moderation with its races, reports, moving,
announcements, following with one digest outside the quiet hours."""

import datetime as dt
import uuid

import pytest
from django.core import mail

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.core.tests.clock import MOSCOW
from umka.forums import digest, moderation, services
from umka.forums.models import Post, Report, Subscription, Thread
from umka.forums.tests.factories import course_forum, parents_forum, reply, start
from umka.notifications.models import Notification

pytestmark = pytest.mark.django_db


def everything():
    return [
        list(Thread.objects.order_by("pk").values()),
        list(Post.objects.order_by("pk").values()),
        list(Report.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    ]


@pytest.mark.requirement("R6")
def test_a_reply_posted_twice_is_stored_once(school):
    thread = start(course_forum(school), school.student)
    token = uuid.uuid4()
    first = reply(thread, school.classmate, token=token)
    again = reply(thread, school.classmate, token=token)
    assert first.pk == again.pk
    assert Post.objects.filter(thread=thread).count() == 2
    assert Thread.objects.get().posts_count == 2


def test_a_new_thread_sent_twice_is_stored_once(school):
    forum = course_forum(school)
    token = uuid.uuid4()
    one = services.thread_create(
        actor=school.student, forum=forum, token=token, title="Т", body="Текст"
    )
    two = services.thread_create(
        actor=school.student, forum=forum, token=token, title="Т", body="Текст"
    )
    assert one.pk == two.pk
    assert Thread.objects.count() == 1


@pytest.mark.requirement("R6")
def test_a_reply_to_a_closed_thread_is_refused_and_nothing_is_stored(school):
    thread = start(course_forum(school), school.student)
    moderation.thread_lock(actor=school.teacher, thread=thread, version=0, locked=True)
    before = everything()
    with pytest.raises(DomainError, match="Тема закрыта"):
        reply(thread, school.classmate)
    assert everything() == before


def test_an_outsider_cannot_post(school):
    thread = start(course_forum(school), school.student)
    for outsider in (school.other_student, school.parent, school.deputy):
        with pytest.raises(DomainError):
            reply(thread, outsider)
    assert Post.objects.count() == 1


def test_a_quote_must_come_from_the_same_thread(school):
    forum = course_forum(school)
    one, other = start(forum, school.student), start(forum, school.classmate)
    foreign = other.posts.get()
    with pytest.raises(DomainError, match="не из этой темы"):
        reply(one, school.classmate, quote=foreign)
    first = one.posts.get()
    quoted = reply(one, school.classmate, quote=first)
    assert quoted.quote_of == first


def test_an_empty_or_overlong_message_is_refused(school):
    thread = start(course_forum(school), school.student)
    with pytest.raises(DomainError, match="Напишите сообщение"):
        reply(thread, school.classmate, body="   ")
    with pytest.raises(DomainError, match="слишком длинн"):
        reply(thread, school.classmate, body="я" * 10_001)


def test_the_author_edits_until_the_thread_closes(school):
    thread = start(course_forum(school), school.student)
    post = thread.posts.get()
    post = services.post_edit(actor=school.student, post=post, version=0, body="Испр.")
    moderation.thread_lock(actor=school.teacher, thread=thread, version=0, locked=True)
    with pytest.raises(DomainError, match="закрыта"):
        services.post_edit(
            actor=school.student, post=post, version=post.version, body="Ещё"
        )
    with pytest.raises(DomainError):
        services.post_edit(actor=school.classmate, post=post, version=1, body="Чужое")
    assert Post.objects.get().body == "Испр."


def test_a_moderators_edit_keeps_the_text_before_in_the_audit_trail(school):
    thread = start(course_forum(school), school.student, body="Исходный текст")
    post = thread.posts.get()
    services.post_edit(actor=school.teacher, post=post, version=0, body="Поправлено")
    entry = AuditEntry.objects.get(action="forums.edited")
    assert entry.changes["body"] == ["Исходный текст", "Поправлено"]


@pytest.mark.requirement("R6")
def test_hiding_needs_a_reason_which_the_author_is_told(school):
    thread = start(course_forum(school), school.student)
    post = reply(thread, school.classmate, body="Грубость")
    with pytest.raises(DomainError, match="почему"):
        moderation.post_hide(actor=school.teacher, post=post, version=0, reason=" ")
    moderation.post_hide(
        actor=school.teacher, post=post, version=0, reason="Грубый тон"
    )
    notice = Notification.objects.get(
        recipient=school.classmate, kind="forums.moderated"
    )
    assert notice.body == "Грубый тон"


@pytest.mark.requirement("R6")
def test_two_moderators_at_once_the_second_is_told_and_nothing_changes(school):
    thread = start(course_forum(school), school.student)
    post = reply(thread, school.classmate)
    moderation.post_hide(actor=school.teacher, post=post, version=0, reason="Спам")
    before = everything()
    with pytest.raises(DomainError, match="только что изменил"):
        moderation.post_hide(actor=school.deputy, post=post, version=0, reason="Флуд")
    with pytest.raises(DomainError, match="только что изменил"):
        services.post_edit(actor=school.deputy, post=post, version=0, body="Иное")
    assert everything() == before
    assert Post.objects.get(pk=post.pk).hide_reason == "Спам"


def test_only_moderators_hide_pin_lock_and_move(school):
    thread = start(course_forum(school), school.student)
    post = thread.posts.get()
    before = everything()
    for call in (
        lambda: moderation.post_hide(
            actor=school.classmate, post=post, version=0, reason="x"
        ),
        lambda: moderation.thread_lock(
            actor=school.student, thread=thread, version=0, locked=True
        ),
        lambda: moderation.thread_pin(
            actor=school.other_teacher, thread=thread, version=0, pinned=True
        ),
    ):
        with pytest.raises(DomainError):
            call()
    assert everything() == before


def test_a_report_reaches_the_moderators_once_and_hiding_resolves_it(school):
    thread = start(course_forum(school), school.student)
    post = reply(thread, school.classmate, body="Реклама")
    moderation.post_report(actor=school.student, post=post, reason="Реклама")
    with pytest.raises(DomainError, match="уже пожаловались"):
        moderation.post_report(actor=school.student, post=post, reason="Снова")
    with pytest.raises(DomainError, match="своё"):
        moderation.post_report(actor=school.classmate, post=post, reason="Я")
    assert Notification.objects.filter(
        recipient=school.teacher, kind="forums.reported"
    ).exists()
    moderation.post_hide(actor=school.teacher, post=post, version=0, reason="Реклама")
    assert Report.objects.get().resolved_by == school.teacher


def test_a_thread_moves_only_within_the_moderators_forums_of_its_kind(school):
    from umka.courses.models import SpaceTeacher

    SpaceTeacher.objects.create(
        space=school.other_space, teacher=school.teacher, from_assignment=False
    )
    thread = start(course_forum(school), school.student)
    other = services.forum_of_space(school.other_space)
    with pytest.raises(DomainError, match="того же вида"):
        moderation.thread_move(
            actor=school.teacher, thread=thread, version=0, to=parents_forum(school)
        )
    moved = moderation.thread_move(
        actor=school.teacher, thread=thread, version=0, to=other
    )
    assert (moved.forum, moved.moved_from) == (other, course_forum(school))


def test_only_the_teacher_pins_an_announcement_which_reaches_the_class(school):
    forum = course_forum(school)
    with pytest.raises(DomainError, match="Закреплять"):
        services.thread_create(
            actor=school.student,
            forum=forum,
            token=uuid.uuid4(),
            title="Я главный",
            body="!",
            pinned=True,
        )
    services.thread_create(
        actor=school.teacher,
        forum=forum,
        token=uuid.uuid4(),
        title="Контрольная",
        body="В пятницу.",
        pinned=True,
    )
    told = set(
        Notification.objects.filter(kind="forums.announcement").values_list(
            "recipient", flat=True
        )
    )
    assert told == {school.student.pk, school.classmate.pk}


def test_the_parents_forum_is_for_the_classes_parents_and_the_class_teacher(school):
    forum = parents_forum(school)
    thread = start(forum, school.parent, title="Экскурсия", body="Кто поедет?")
    reply(thread, school.teacher, body="Список у меня.")
    for outsider in (school.other_parent, school.student, school.other_teacher):
        with pytest.raises(DomainError):
            reply(thread, outsider)


# --- Following and the digest --------------------------------------------------------


def test_one_digest_for_many_posts_and_not_of_ones_own(school, clock):
    thread = start(course_forum(school), school.student)  # the author follows it
    for n in range(5):
        reply(thread, school.classmate, body=f"Ответ {n}")
    reply(thread, school.student, body="Моё")
    clock.travel(dt.datetime(2026, 11, 10, 12, 0, tzinfo=MOSCOW))
    assert digest.digests_send() == 1
    notice = Notification.objects.get(recipient=school.student, kind="forums.digest")
    assert "5" in notice.title
    # Nothing new: nothing more, however often the task runs.
    clock.advance(hours=30)
    assert digest.digests_send() == 0


def test_the_digest_waits_out_the_quiet_hours_and_the_day(school, clock):
    thread = start(course_forum(school), school.student)
    reply(thread, school.classmate)
    clock.travel(dt.datetime(2026, 11, 10, 21, 0, tzinfo=MOSCOW))
    assert digest.digests_send() == 0  # a student at 21:00
    clock.travel(dt.datetime(2026, 11, 11, 8, 7, tzinfo=MOSCOW))
    assert digest.digests_send() == 1
    reply(thread, school.classmate, body="Ещё")
    clock.advance(hours=3)
    assert digest.digests_send() == 0  # at most one a day
    clock.advance(hours=22)
    assert digest.digests_send() == 1


def test_a_digest_is_one_e_mail(school, clock, django_capture_on_commit_callbacks):
    school.student.email = "masha@example.org"
    school.student.save()
    thread = start(course_forum(school), school.student)
    for _ in range(3):
        reply(thread, school.classmate)
    clock.travel(dt.datetime(2026, 11, 10, 12, 0, tzinfo=MOSCOW))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digest.digests_send()
    assert len(mail.outbox) == 1
    assert "3" in mail.outbox[0].subject


def test_following_a_forum_and_stopping(school, clock):
    forum = course_forum(school)
    assert services.subscription_toggle(actor=school.classmate, forum=forum)
    start(forum, school.student, title="Новая тема")
    clock.advance(hours=1)
    assert digest.digests_send() == 1
    assert not services.subscription_toggle(actor=school.classmate, forum=forum)
    assert not Subscription.objects.filter(user=school.classmate).exists()


def test_a_hidden_post_is_not_in_the_digest(school, clock):
    thread = start(course_forum(school), school.student)
    post = reply(thread, school.classmate)
    moderation.post_hide(actor=school.teacher, post=post, version=0, reason="Нет")
    clock.advance(hours=1)
    assert digest.digests_send() == 0


def test_an_outsider_cannot_follow(school):
    with pytest.raises(DomainError):
        services.subscription_toggle(
            actor=school.other_student, forum=course_forum(school)
        )
