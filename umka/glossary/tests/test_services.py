"""Glossary services (R6): proposing, duplicates of a term or another name
(case and ё/е ignored, by the database too), the teacher's decision, grading."""

import pytest
from django.db import IntegrityError, transaction

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.glossary import services
from umka.glossary.models import Entry, EntryKey
from umka.glossary.tests.factories import approved, graded, propose
from umka.notifications.models import Notification

pytestmark = pytest.mark.django_db


def everything():
    return [
        list(Entry.objects.order_by("pk").values()),
        list(EntryKey.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    ]


def test_a_students_term_waits_for_the_teacher(school):
    entry = propose(school)
    assert entry.status == Entry.Status.PROPOSED
    assert entry.review_due_at is not None


def test_a_teachers_term_is_approved_at_once(school):
    entry = propose(school, author=school.teacher)
    assert entry.status == Entry.Status.APPROVED
    assert entry.review_due_at is None


def test_another_classes_student_cannot_propose(school):
    with pytest.raises(DomainError):
        propose(school, author=school.other_student)
    assert not Entry.objects.exists()


@pytest.mark.requirement("R6")
@pytest.mark.parametrize(
    ("first", "second"),
    [("Ёж", "еж"), ("ЁЖ", "ёж"), ("Медиана", " медиана. "), ("Ёлка", "ЕЛКА")],
)
def test_a_duplicate_term_is_refused_whatever_its_case_and_yo(school, first, second):
    propose(school, first)
    before = everything()
    with pytest.raises(DomainError, match="уже есть в глоссарии"):
        propose(school, second, author=school.classmate)
    assert everything() == before


@pytest.mark.requirement("R6")
def test_a_term_that_is_another_entrys_alias_is_a_duplicate(school):
    propose(school, "Ось абсцисс", aliases="ось Ox\nось х")
    with pytest.raises(DomainError, match="«Ось абсцисс» уже есть"):
        propose(school, "ОСЬ OX", author=school.classmate)
    with pytest.raises(DomainError, match="уже есть"):
        propose(school, "Абсцисса", aliases="ось х", author=school.classmate)
    assert Entry.objects.count() == 1


def test_the_same_term_in_another_space_is_no_duplicate(school):
    from umka.glossary import services

    propose(school, "Медиана")
    services.entry_propose(
        actor=school.other_student,
        space=school.other_space,
        term="Медиана",
        definition="Другой класс.",
    )
    assert Entry.objects.count() == 2


def test_the_database_refuses_a_duplicate_key(school):
    entry = propose(school, "Медиана")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryKey.objects.create(space=school.space, entry=entry, key="медиана")


def test_a_duplicate_caught_by_the_database_is_the_same_refusal(school, monkeypatch):
    """Two students proposing one term at once: the check before writing sees
    nothing, the unique key refuses the second."""
    propose(school, "Медиана")
    real = services.duplicate_of
    calls = []

    def blind_first_time(*args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "duplicate_of", blind_first_time)
    before = everything()
    with pytest.raises(DomainError, match="«Медиана» уже есть"):
        propose(school, "МЕДИАНА", author=school.classmate)
    assert everything() == before


def test_returning_needs_a_comment_and_the_author_corrects(school):
    entry = propose(school)
    with pytest.raises(DomainError, match="что исправить"):
        services.entry_return(actor=school.teacher, entry=entry, version=0, comment="")
    entry = services.entry_return(
        actor=school.teacher, entry=entry, version=0, comment="Добавьте пример."
    )
    assert entry.status == Entry.Status.RETURNED
    assert Notification.objects.filter(
        recipient=school.student, kind="courses.returned"
    ).exists()
    entry = services.entry_update(
        actor=school.student,
        entry=entry,
        version=entry.version,
        term="Медиана",
        definition="Медиана — пример: 1, 2, 3 → 2.",
    )
    assert entry.status == Entry.Status.PROPOSED


def test_the_author_cannot_change_an_approved_entry(school):
    entry = approved(school)
    with pytest.raises(DomainError):
        services.entry_update(
            actor=school.student,
            entry=entry,
            version=entry.version,
            term="Медиана",
            definition="Иначе",
        )


def test_two_teachers_deciding_at_once_the_second_is_told(school):
    entry = propose(school)
    services.entry_approve(actor=school.teacher, entry=entry, version=0)
    with pytest.raises(DomainError, match="изменил"):
        services.entry_return(
            actor=school.teacher, entry=entry, version=0, comment="Поздно"
        )
    assert Entry.objects.get().status == Entry.Status.APPROVED


@pytest.mark.requirement("R6")
def test_an_approved_entry_is_graded_with_a_review_and_the_family_is_told(school):
    entry = graded(school)
    assert (entry.mark, entry.status) == (5, Entry.Status.APPROVED)
    told = set(
        Notification.objects.filter(kind="courses.graded").values_list(
            "recipient", flat=True
        )
    )
    assert {school.student.pk, school.parent.pk} <= told


def test_a_proposal_cannot_be_graded_nor_graded_without_a_review(school):
    entry = propose(school)
    with pytest.raises(DomainError, match="одобрите"):
        services.entry_grade(
            actor=school.teacher, entry=entry, version=0, mark=4, review="Хорошо"
        )
    entry = approved(school, "Мода")
    with pytest.raises(DomainError, match="рецензию"):
        services.entry_grade(
            actor=school.teacher, entry=entry, version=entry.version, mark=4, review=""
        )


def test_the_database_refuses_a_grade_without_a_review(school):
    entry = approved(school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(mark=4)


def test_the_author_withdraws_a_proposal_and_its_term_is_free_again(school):
    entry = propose(school)
    services.entry_delete(actor=school.student, entry=entry)
    propose(school, "МЕДИАНА", author=school.classmate)
    assert Entry.objects.get().author == school.classmate


def test_a_pasted_image_in_an_approved_entry_is_seen_by_the_class(client, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from umka.courses.services import image_markdown, image_upload

    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08"
        b"\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00"
        b"\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    image = image_upload(
        actor=school.student,
        space=school.space,
        file=SimpleUploadedFile("рисунок.png", png),
    )
    entry = propose(school, "Парабола", definition=f"Кривая. {image_markdown(image)}")
    url = f"/courses/images/{image.key}/"
    client.force_login(school.classmate)
    assert client.get(url).status_code == 404  # not yet published
    services.entry_approve(actor=school.teacher, entry=entry, version=entry.version)
    assert client.get(url).status_code == 200
    client.force_login(school.other_student)
    assert client.get(url).status_code == 404
