"""Taking, replying, answering and redirecting requests (R9, R13)."""

import datetime as dt

import pytest

from umka.audit.models import AuditEntry
from umka.requests import answering
from umka.requests.models import Request, RequestMessage
from umka.requests.tests.factories import (
    MOSCOW,
    notices,
    pdf,
    refused,
    topical_consultation,
    write,
)

pytestmark = pytest.mark.django_db


# --- The staff side ---------------------------------------------------------------


def test_request_take_moves_to_in_progress_and_tells_the_author(school):
    req = write(school)
    answering.request_take(actor=school.teacher, req=req)
    req.refresh_from_db()
    assert req.status == Request.Status.IN_PROGRESS
    assert req.taken_at is not None
    assert notices(school.parent, "requests.taken")
    refused("forbidden", answering.request_take, actor=school.teacher, req=req)


def test_only_the_assignee_takes_a_request(school):
    req = write(school)
    for person in (school.parent, school.student, school.deputy, school.other_teacher):
        refused("forbidden", answering.request_take, actor=person, req=req)
    assert Request.objects.get().status == Request.Status.NEW


def test_request_reply_by_the_assignee_takes_it_and_tells_the_author(school):
    req = write(school)
    answering.request_reply(
        actor=school.teacher, req=req, text="Какой номер задачи?", files=[pdf()]
    )
    req.refresh_from_db()
    assert req.status == Request.Status.IN_PROGRESS
    message = req.messages.get(kind=RequestMessage.Kind.MESSAGE)
    assert message.attachments.count() == 1
    assert notices(school.parent, "requests.message")
    answering.request_reply(actor=school.parent, req=req, text="№ 345")
    assert notices(school.teacher, "requests.message")


def test_request_reply_refused_to_others(school):
    req = write(school)
    for person in (school.student, school.other_parent, school.other_teacher):
        refused("forbidden", answering.request_reply, actor=person, req=req, text="?")
    assert not RequestMessage.objects.exists()


def test_request_answer_in_writing(school):
    req = write(school)
    answering.request_answer(
        actor=school.teacher, req=req, kind=Request.AnswerKind.WRITTEN, text="Ответ"
    )
    req.refresh_from_db()
    assert req.status == Request.Status.ANSWERED
    assert req.answered_by == school.teacher
    assert req.messages.get(kind=RequestMessage.Kind.ANSWER).text == "Ответ"
    assert AuditEntry.objects.get(action="requests.answered").changes["on_time"]
    assert notices(school.parent, "requests.answered")


def test_request_answer_with_an_invitation_and_a_link(school):
    req = write(school)
    answering.request_answer(
        actor=school.teacher,
        req=req,
        kind=Request.AnswerKind.INVITATION,
        text="Жду в четверг в 15:00",
        link="https://meet.example.org/room-7",
    )
    req.refresh_from_db()
    assert req.answer_link == "https://meet.example.org/room-7"
    refused(
        "bad_link",
        answering.request_answer,
        actor=school.teacher,
        req=write(school),
        kind=Request.AnswerKind.INVITATION,
        text="Жду",
        link="javascript:alert(1)",
    )


def test_request_answer_folds_into_a_group_topical_consultation(school):
    consultation = topical_consultation(school)
    req = write(school)
    answering.request_answer(
        actor=school.teacher,
        req=req,
        kind=Request.AnswerKind.GROUP,
        consultation=consultation,
    )
    req.refresh_from_db()
    assert req.consultation == consultation
    assert req.answer_kind == Request.AnswerKind.GROUP
    assert "24.11.2026 10:00" in req.messages.get(kind="answer").text


def test_request_answer_refuses_someone_elses_or_an_overview_consultation(school):
    others = topical_consultation(school, organiser=school.other_teacher)
    overview = topical_consultation(school)
    overview.volume = "overview"
    overview.save()
    past = topical_consultation(
        school, starts_at=dt.datetime(2026, 11, 10, 15, 0, tzinfo=MOSCOW)
    )
    not_for_7a = topical_consultation(school, classes=[school.class_7b])
    req = write(school)
    for consultation in (others, overview, past, not_for_7a):
        refused(
            "bad_consultation",
            answering.request_answer,
            actor=school.teacher,
            req=req,
            kind=Request.AnswerKind.GROUP,
            consultation=consultation,
        )
    assert Request.objects.get().status == Request.Status.NEW


def test_request_answer_needs_text_and_only_once(school):
    req = write(school)
    refused(
        "required",
        answering.request_answer,
        actor=school.teacher,
        req=req,
        kind=Request.AnswerKind.WRITTEN,
        text=" ",
    )
    answering.request_answer(actor=school.teacher, req=req, kind="written", text="Да")
    refused(
        "forbidden",
        answering.request_answer,
        actor=school.teacher,
        req=req,
        kind="written",
        text="Ещё раз",
    )


def test_request_redirect_passes_it_on_with_a_reason(school):
    req = write(school)
    refused(
        "required",
        answering.request_redirect,
        actor=school.teacher,
        req=req,
        to=school.physics_teacher,
        reason="",
    )
    refused(
        "bad_assignee",
        answering.request_redirect,
        actor=school.teacher,
        req=req,
        to=school.parent,
        reason="Не ко мне",
    )
    due = req.due_at
    answering.request_redirect(
        actor=school.teacher,
        req=req,
        to=school.physics_teacher,
        reason="Вопрос о задаче по физике",
    )
    req.refresh_from_db()
    assert req.assignee == school.physics_teacher
    assert req.status == Request.Status.REDIRECTED
    assert req.due_at == due
    event = req.messages.get(kind=RequestMessage.Kind.REDIRECTED)
    assert event.to == school.physics_teacher
    assert event.text == "Вопрос о задаче по физике"
    assert notices(school.physics_teacher, "requests.new")
    assert notices(school.parent, "requests.redirected")
    entry = AuditEntry.objects.get(action="requests.redirected")
    assert entry.changes["reason"] == "Вопрос о задаче по физике"
    # The new assignee takes it; the old one no longer acts on it.
    answering.request_take(actor=school.physics_teacher, req=req)
    refused(
        "forbidden",
        answering.request_answer,
        actor=school.teacher,
        req=req,
        kind="written",
        text="…",
    )


def test_a_deputy_may_redirect_any_open_request(school):
    req = write(school)
    answering.request_redirect(
        actor=school.deputy_2, req=req, to=school.other_teacher, reason="Замена"
    )
    assert Request.objects.get().assignee == school.other_teacher
