"""Writing, routing, answering, rating and reopening requests (R9, R13)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from umka.accounts.models import Role
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.notifications.models import Notification
from umka.requests import services
from umka.requests.models import Request, RequestAttachment, RequestMessage
from umka.requests.tests.factories import (
    MOSCOW,
    answered,
    pdf,
    topical_consultation,
    write,
)
from umka.school.tests.factories import EnrolmentFactory, TeachingAssignmentFactory

pytestmark = pytest.mark.django_db


def refused(code: str, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.messages
    return caught.value


def notices(person, kind: str = "") -> list[Notification]:
    found = Notification.objects.filter(recipient=person)
    if kind:
        found = found.filter(kind=kind)
    return list(found.order_by("pk"))


# --- Writing and routing ----------------------------------------------------------


@pytest.mark.requirement("R9")
def test_request_create_goes_to_the_subject_teacher_of_the_childs_class(school):
    req = write(school)
    assert req.assignee == school.teacher
    assert req.school_class == school.class_7a
    assert req.status == Request.Status.NEW
    assert req.topic_key == "уравнения с одной переменной"
    assert req.routing_note == ""
    entry = AuditEntry.objects.get(action="requests.created")
    assert entry.actor == school.parent
    assert entry.target_id == str(req.pk)
    [notice] = notices(school.teacher, "requests.new")
    assert notice.url == req.get_absolute_url()
    assert "Уравнения с одной переменной" in notice.title


def test_request_create_several_teachers_takes_the_first_by_name_and_says_so(school):
    anna = make_person(Role.TEACHER, last_name="Абрамова", first_name="Анна")
    TeachingAssignmentFactory(
        teacher=anna, subject=school.algebra, school_class=school.class_7a
    )
    req = write(school)
    assert req.assignee == anna
    assert "Абрамова" in req.routing_note
    assert "Кондратьева" in req.routing_note


def test_request_create_to_the_class_teacher(school):
    req = write(
        school,
        addressee=Request.Addressee.CLASS_TEACHER,
        subject=None,
        category=Request.Category.ORGANISATION,
        topic="Расписание",
    )
    assert req.assignee == school.teacher
    assert req.subject is None


def test_request_create_to_the_administration_picks_the_least_busy_deputy(school):
    first = write(school, addressee=Request.Addressee.ADMINISTRATION, subject=None)
    second = write(school, addressee=Request.Addressee.ADMINISTRATION, subject=None)
    assert {first.assignee, second.assignee} == {school.deputy, school.deputy_2}


def test_request_create_refuses_when_nobody_teaches_the_subject(school):
    school.teacher.is_active = False
    school.teacher.save()
    error = refused("no_teacher", write, school)
    assert "Алгебра" in error.messages[0]
    assert "7А" in error.messages[0]


def test_request_create_refuses_a_subject_not_taught_in_the_class(school):
    refused(
        "bad_subject",
        write,
        school,
        actor=school.other_parent,
        student=school.other_student,
        subject=school.physics,
    )


def test_request_create_needs_a_subject_for_a_subject_teacher(school):
    refused("no_subject", write, school, subject=None)


def test_request_create_refuses_when_the_class_has_no_class_teacher(school):
    error = refused(
        "no_class_teacher",
        write,
        school,
        actor=school.other_parent,
        student=school.other_student,
        addressee=Request.Addressee.CLASS_TEACHER,
        subject=None,
    )
    assert "7Б" in error.messages[0]


def test_request_create_refuses_when_there_is_no_deputy(school):
    for deputy in (school.deputy, school.deputy_2):
        deputy.is_active = False
        deputy.save()
    refused(
        "no_deputy",
        write,
        school,
        addressee=Request.Addressee.ADMINISTRATION,
        subject=None,
    )


def test_request_create_needs_topic_and_text(school):
    refused("no_topic", write, school, topic=" … ")
    refused("required", write, school, text="   ")
    assert not Request.objects.exists()


def test_a_student_writes_about_themself(school):
    req = write(school, actor=school.student)
    assert req.author == req.student == school.student


@pytest.mark.requirement("R9")
def test_a_student_cannot_write_about_a_classmate(school):
    refused("forbidden", write, school, actor=school.student, student=school.classmate)
    assert not Request.objects.exists()


@pytest.mark.requirement("R9", "R3")
def test_a_parent_can_request_only_for_their_own_child(school):
    refused("forbidden", write, school, actor=school.parent, student=school.classmate)
    refused("forbidden", write, school, actor=school.other_parent)
    teacher = school.teacher
    refused("forbidden", write, school, actor=teacher)
    assert not Request.objects.exists()
    assert write(school, actor=school.parent).student == school.student


@pytest.mark.requirement("R9", "R3")
def test_a_parent_of_an_adult_child_who_did_not_keep_the_link_cannot_request(school):
    adult = make_student(birth_date=dt.date(2008, 1, 10))
    EnrolmentFactory(student=adult, school_class=school.class_7a)
    mother, father = make_parent(), make_parent()
    ParentLinkFactory(parent=mother, student=adult)
    ParentLinkFactory(parent=father, student=adult, kept_by_adult_student=True)
    refused("forbidden", write, school, actor=mother, student=adult)
    assert write(school, actor=father, student=adult).author == father


@pytest.mark.requirement("R9", "R3")
def test_an_unverified_link_gives_no_right_to_request(school):
    stranger = make_parent()
    ParentLinkFactory(parent=stranger, student=school.student, verified_at=None)
    refused("forbidden", write, school, actor=stranger)


# --- The deadline (R13) -----------------------------------------------------------


@pytest.mark.requirement("R13")
def test_deadline_counting_skips_weekends_and_holidays(school, clock):
    # Friday evening; Monday counts, Tuesday 1 December is a holiday, then
    # Wednesday and Thursday: due Thursday at the same time.
    clock.set(2026, 11, 27, 18, 30)
    req = write(school)
    assert req.due_at == dt.datetime(2026, 12, 3, 18, 30, tzinfo=MOSCOW)


@pytest.mark.requirement("R13")
def test_deadline_during_holidays_counts_from_the_first_school_day(school, clock):
    clock.set(2026, 10, 28, 12, 0)  # autumn holidays until 4 November
    req = write(school)
    assert req.due_at == dt.datetime(2026, 11, 9, 12, 0, tzinfo=MOSCOW)


@pytest.mark.requirement("R13")
def test_deadline_follows_the_schools_setting(school, clock):
    school.school.request_response_days = 5
    school.school.save()
    from umka.school.selectors import forget_cached_school

    forget_cached_school()
    req = write(school)  # Tuesday 17.11 → Tuesday 24.11
    assert req.due_at == dt.datetime(2026, 11, 24, 10, 0, tzinfo=MOSCOW)


def test_deadline_of_an_installation_without_a_school_is_three_days(school, clock):
    school.school.delete()
    from umka.school.selectors import forget_cached_school

    forget_cached_school()
    assert services.due_from(clock.moment) == dt.datetime(
        2026, 11, 20, 10, 0, tzinfo=MOSCOW
    )


# --- Attachments ------------------------------------------------------------------


def test_request_create_keeps_checked_attachments(school):
    req = write(school, files=[pdf("Контрольная 1.pdf")])
    [attachment] = req.attachments.all()
    assert attachment.name == "Контрольная 1.pdf"
    assert attachment.message is None
    assert attachment.file.name.startswith(f"requests/{req.pk}/")
    assert "Контрольная" not in attachment.file.name
    assert attachment.file.read() == pdf().read()


def test_request_create_refuses_a_renamed_file_and_writes_nothing(school):
    fake = SimpleUploadedFile("домашка.pdf", b"MZ\x90\x00 program")
    refused("content_mismatch", write, school, files=[fake])
    assert not Request.objects.exists()
    assert not RequestAttachment.objects.exists()


def test_request_create_refuses_too_many_files(school):
    refused("too_many_files", write, school, files=[pdf(f"{n}.pdf") for n in range(6)])


# --- The staff side ---------------------------------------------------------------


def test_request_take_moves_to_in_progress_and_tells_the_author(school):
    req = write(school)
    services.request_take(actor=school.teacher, req=req)
    req.refresh_from_db()
    assert req.status == Request.Status.IN_PROGRESS
    assert req.taken_at is not None
    assert notices(school.parent, "requests.taken")
    refused("forbidden", services.request_take, actor=school.teacher, req=req)


def test_only_the_assignee_takes_a_request(school):
    req = write(school)
    for person in (school.parent, school.student, school.deputy, school.other_teacher):
        refused("forbidden", services.request_take, actor=person, req=req)
    assert Request.objects.get().status == Request.Status.NEW


def test_request_reply_by_the_assignee_takes_it_and_tells_the_author(school):
    req = write(school)
    services.request_reply(
        actor=school.teacher, req=req, text="Какой номер задачи?", files=[pdf()]
    )
    req.refresh_from_db()
    assert req.status == Request.Status.IN_PROGRESS
    message = req.messages.get(kind=RequestMessage.Kind.MESSAGE)
    assert message.attachments.count() == 1
    assert notices(school.parent, "requests.message")
    services.request_reply(actor=school.parent, req=req, text="№ 345")
    assert notices(school.teacher, "requests.message")


def test_request_reply_refused_to_others(school):
    req = write(school)
    for person in (school.student, school.other_parent, school.other_teacher):
        refused("forbidden", services.request_reply, actor=person, req=req, text="?")
    assert not RequestMessage.objects.exists()


def test_request_answer_in_writing(school):
    req = write(school)
    services.request_answer(
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
    services.request_answer(
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
        services.request_answer,
        actor=school.teacher,
        req=write(school),
        kind=Request.AnswerKind.INVITATION,
        text="Жду",
        link="javascript:alert(1)",
    )


def test_request_answer_folds_into_a_group_topical_consultation(school):
    consultation = topical_consultation(school)
    req = write(school)
    services.request_answer(
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
            services.request_answer,
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
        services.request_answer,
        actor=school.teacher,
        req=req,
        kind=Request.AnswerKind.WRITTEN,
        text=" ",
    )
    services.request_answer(actor=school.teacher, req=req, kind="written", text="Да")
    refused(
        "forbidden",
        services.request_answer,
        actor=school.teacher,
        req=req,
        kind="written",
        text="Ещё раз",
    )


def test_request_redirect_passes_it_on_with_a_reason(school):
    req = write(school)
    refused(
        "required",
        services.request_redirect,
        actor=school.teacher,
        req=req,
        to=school.physics_teacher,
        reason="",
    )
    refused(
        "bad_assignee",
        services.request_redirect,
        actor=school.teacher,
        req=req,
        to=school.parent,
        reason="Не ко мне",
    )
    due = req.due_at
    services.request_redirect(
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
    services.request_take(actor=school.physics_teacher, req=req)
    refused(
        "forbidden",
        services.request_answer,
        actor=school.teacher,
        req=req,
        kind="written",
        text="…",
    )


def test_a_deputy_may_redirect_any_open_request(school):
    req = write(school)
    services.request_redirect(
        actor=school.deputy_2, req=req, to=school.other_teacher, reason="Замена"
    )
    assert Request.objects.get().assignee == school.other_teacher


# --- The requester's side ---------------------------------------------------------


def test_request_close_by_the_author_at_any_time_by_staff_once_answered(school):
    req = write(school)
    refused("forbidden", services.request_close, actor=school.teacher, req=req)
    services.request_close(actor=school.parent, req=req)
    req.refresh_from_db()
    assert req.status == Request.Status.CLOSED
    assert req.closed_by == school.parent
    other = answered(school)
    services.request_close(actor=school.teacher, req=other)
    assert Request.objects.get(pk=other.pk).status == Request.Status.CLOSED


@pytest.mark.requirement("R13")
def test_rating_only_by_the_requester_after_the_answer(school):
    req = write(school)
    refused("forbidden", services.request_rate, actor=school.parent, req=req, rating=5)
    services.request_answer(actor=school.teacher, req=req, kind="written", text="Ок")
    for person in (school.student, school.teacher, school.deputy, school.other_parent):
        refused("forbidden", services.request_rate, actor=person, req=req, rating=1)
    refused("bad_rating", services.request_rate, actor=school.parent, req=req, rating=6)
    refused("bad_rating", services.request_rate, actor=school.parent, req=req, rating=0)
    assert Request.objects.get().rating is None
    services.request_rate(actor=school.parent, req=req, rating=4, comment="Спасибо")
    req.refresh_from_db()
    assert (req.rating, req.rating_comment) == (4, "Спасибо")
    assert req.messages.get(kind=RequestMessage.Kind.RATED).rating == 4
    assert AuditEntry.objects.get(action="requests.rated").changes["rating"] == 4
    assert notices(school.teacher, "requests.rated")
    # Once per answer.
    refused("forbidden", services.request_rate, actor=school.parent, req=req, rating=5)
    assert Request.objects.get().rating == 4


@pytest.mark.requirement("R13")
def test_reopen_only_once_and_the_deadline_restarts(school, clock):
    req = answered(school)
    services.request_rate(actor=school.parent, req=req, rating=2)
    clock.set(2026, 11, 20, 16, 0)  # Friday
    refused(
        "forbidden",
        services.request_reopen,
        actor=school.teacher,
        req=req,
        reason="Хочу",
    )
    services.request_reopen(
        actor=school.parent, req=req, reason="Не понятно про перенос со знаком"
    )
    req.refresh_from_db()
    assert req.status == Request.Status.IN_PROGRESS
    assert req.reopen_count == 1
    assert req.due_at == dt.datetime(2026, 11, 25, 16, 0, tzinfo=MOSCOW)
    assert req.rating is None
    assert req.answered_at is None
    assert notices(school.teacher, "requests.reopened")
    services.request_answer(
        actor=school.teacher, req=req, kind="written", text="Подробнее: …"
    )
    services.request_rate(actor=school.parent, req=req, rating=5)
    error = refused(
        "reopened_already",
        services.request_reopen,
        actor=school.parent,
        req=req,
        reason="Ещё раз",
    )
    assert "once" in error.messages[0] or "один раз" in error.messages[0]
    req.refresh_from_db()
    assert (req.status, req.reopen_count, req.rating) == ("answered", 1, 5)
    assert list(req.messages.filter(kind="rated").values_list("rating", flat=True)) == [
        2,
        5,
    ]


def test_reopen_needs_a_reason(school):
    req = answered(school)
    refused(
        "required", services.request_reopen, actor=school.parent, req=req, reason=""
    )
    assert Request.objects.get().reopen_count == 0


# --- Shared topics (R9) -----------------------------------------------------------


@pytest.mark.requirement("R9")
def test_shared_topic_notice_when_three_requests_from_a_class_share_a_topic(school):
    write(school)
    write(school, actor=school.classmate, student=school.classmate)
    assert not notices(school.teacher, "requests.shared_topic")
    # Written differently, the same topic.
    write(school, actor=school.student, topic="уравнения  с одной переменной!")
    [notice] = notices(school.teacher, "requests.shared_topic")
    assert "7А" in notice.title
    assert "3" in notice.title
    entry = AuditEntry.objects.get(action="requests.shared_topic")
    assert entry.changes["open_requests"] == 3
    # Once per topic.
    write(school)
    assert len(notices(school.teacher, "requests.shared_topic")) == 1


def test_shared_topic_counts_only_open_requests_of_one_class_and_subject(
    school, settings
):
    settings.REQUESTS_SHARED_TOPIC_THRESHOLD = 2
    first = write(school)
    services.request_close(actor=school.parent, req=first)
    write(school, actor=school.other_parent, student=school.other_student)  # 7Б
    write(
        school,
        actor=school.classmate,
        student=school.classmate,
        subject=school.physics,
    )
    assert not notices(school.teacher, "requests.shared_topic")
    write(school, actor=school.classmate, student=school.classmate)
    assert not notices(school.teacher, "requests.shared_topic")
    write(school)
    assert len(notices(school.teacher, "requests.shared_topic")) == 1


# --- Reminders and escalation (R13) -----------------------------------------------


def test_reminder_about_a_day_before_due_once(school, clock):
    req = write(school)  # Tuesday 10:00, due Friday 10:00
    assert (
        services.requests_remind(dt.datetime(2026, 11, 18, 10, 0, tzinfo=MOSCOW)) == 0
    )
    thursday = dt.datetime(2026, 11, 19, 10, 0, tzinfo=MOSCOW)
    assert services.requests_remind(thursday) == 1
    assert services.requests_remind(thursday + dt.timedelta(hours=1)) == 0
    [notice] = notices(school.teacher, "requests.reminder")
    assert "20.11.2026 10:00" in notice.title
    req.refresh_from_db()
    assert req.reminded_at == thursday


def test_reminder_counts_working_days_over_a_weekend(school, clock):
    clock.set(2026, 11, 25, 10, 0)  # Wednesday → due Monday 30.11 10:00
    write(school)
    friday = dt.datetime(2026, 11, 27, 11, 0, tzinfo=MOSCOW)
    assert services.requests_remind(friday) == 1


def test_no_reminder_for_an_answered_request(school):
    answered(school)
    assert services.requests_remind(dt.datetime(2026, 11, 19, 12, tzinfo=MOSCOW)) == 0


@pytest.mark.requirement("R13")
def test_an_overdue_request_escalates_to_a_deputy_head(school):
    req = write(school)  # due Friday 20.11 10:00
    before_due = dt.datetime(2026, 11, 20, 9, 59, tzinfo=MOSCOW)
    assert services.requests_escalate(before_due) == 0
    overdue = dt.datetime(2026, 11, 20, 10, 15, tzinfo=MOSCOW)
    assert services.requests_escalate(overdue) == 1
    req.refresh_from_db()
    assert req.escalated_at == overdue
    assert req.escalated_to in (school.deputy, school.deputy_2)
    assert req.status == Request.Status.NEW
    entry = AuditEntry.objects.get(action="requests.escalated")
    assert entry.actor is None
    assert entry.actor_name
    assert entry.changes["escalated_to"] == str(req.escalated_to)
    assert notices(req.escalated_to, "requests.escalated")
    assert notices(school.teacher, "requests.escalated")
    assert req.messages.filter(kind=RequestMessage.Kind.ESCALATED).exists()
    # Once.
    assert services.requests_escalate(overdue + dt.timedelta(hours=1)) == 0
    assert AuditEntry.objects.filter(action="requests.escalated").count() == 1


@pytest.mark.requirement("R13")
def test_answered_requests_do_not_escalate(school):
    answered(school)
    assert services.requests_escalate(dt.datetime(2026, 12, 30, tzinfo=MOSCOW)) == 0


def test_escalation_skips_the_deputy_who_is_the_assignee(school):
    req = write(school, addressee=Request.Addressee.ADMINISTRATION, subject=None)
    services.requests_escalate(dt.datetime(2026, 11, 23, 12, tzinfo=MOSCOW))
    req.refresh_from_db()
    assert req.escalated_to not in (None, req.assignee)
    assert req.escalated_to.has_role(Role.DEPUTY_HEAD)


def test_escalation_goes_to_the_director_without_another_deputy(school):
    school.deputy_2.is_active = False
    school.deputy_2.save()
    req = write(school, addressee=Request.Addressee.ADMINISTRATION, subject=None)
    assert req.assignee == school.deputy
    services.requests_escalate(dt.datetime(2026, 11, 23, 12, tzinfo=MOSCOW))
    req.refresh_from_db()
    assert req.escalated_to == school.director


def test_reopen_restarts_escalation(school, clock):
    req = answered(school)
    services.request_reopen(actor=school.parent, req=req, reason="Неясно")
    req.refresh_from_db()
    assert req.escalated_at is None
    assert services.requests_escalate(req.due_at + dt.timedelta(minutes=1)) == 1


def test_the_periodic_task_runs_both(school, clock):
    from umka.requests.tasks import remind_and_escalate

    write(school)
    clock.set(2026, 11, 23, 9, 0)
    remind_and_escalate.call_local()
    req = Request.objects.get()
    assert req.escalated_at is not None


def test_files_are_removed_when_the_write_fails(school, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        write(school, files=[pdf()])
    assert not Request.objects.exists()
    media = settings.MEDIA_ROOT / "requests"
    assert not media.exists() or not any(media.rglob("*.pdf"))
