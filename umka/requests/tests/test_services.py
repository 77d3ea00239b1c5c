"""Writing, closing, rating and reopening requests; shared topics (R9, R13)."""

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
from umka.requests import answering, services
from umka.requests.models import Request, RequestAttachment, RequestMessage
from umka.requests.tests.factories import (
    MOSCOW,
    answered,
    notices,
    pdf,
    refused,
    write,
)
from umka.school.tests.factories import EnrolmentFactory, TeachingAssignmentFactory

pytestmark = pytest.mark.django_db


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
    answering.request_answer(actor=school.teacher, req=req, kind="written", text="Ок")
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
    answering.request_answer(
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


def test_files_are_removed_when_the_write_fails(school, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        write(school, files=[pdf()])
    assert not Request.objects.exists()
    media = settings.MEDIA_ROOT / "requests"
    assert not media.exists() or not any(media.rglob("*.pdf"))
