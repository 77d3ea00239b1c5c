"""Topic counts for the teacher's analysis (R9), deadlines as people read them (R13)."""

import datetime as dt

import pytest

from umka.core.topics import clean_topic, normalise_topic
from umka.requests import answering, selectors, services
from umka.requests.models import Request
from umka.requests.tests.factories import MOSCOW, topical_consultation, write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Уравнения с одной переменной", "уравнения с одной переменной"),
        ("  уравнения   с одной\tпеременной. ", "уравнения с одной переменной"),
        ("«Уравнения с одной переменной»!", "уравнения с одной переменной"),
        ("Свёртка", "свертка"),
        ("…", ""),
    ],
)
def test_normalise_topic(typed, key):
    assert normalise_topic(typed) == key


def test_clean_topic_is_one_line_and_short():
    assert clean_topic("Тема\nвторая  строка") == "Тема вторая строка"
    assert len(clean_topic("я" * 500)) == 200


@pytest.mark.requirement("R9")
def test_request_counts_by_topic(school, clock):
    write(school)
    write(school, actor=school.student, topic="уравнения с одной переменной.")
    closed = write(school, topic="Системы уравнений")
    services.request_close(actor=school.parent, req=closed)
    write(school, subject=school.physics, topic="Системы уравнений")
    write(school, actor=school.other_parent, student=school.other_student)  # 7Б
    counts = selectors.request_counts_by_topic(
        subject=school.algebra, school_class=school.class_7a
    )
    assert counts == {"уравнения с одной переменной": 2, "системы уравнений": 1}
    clock.set(2026, 11, 24, 9, 0)
    write(school, topic="Системы уравнений")
    since_day = selectors.request_counts_by_topic(
        subject=school.algebra,
        school_class=school.class_7a,
        since=dt.date(2026, 11, 24),
    )
    assert since_day == {"системы уравнений": 1}
    since_moment = selectors.request_counts_by_topic(
        subject=school.algebra,
        school_class=school.class_7a,
        since=dt.datetime(2026, 11, 17, 10, 0, tzinfo=MOSCOW),
    )
    assert since_moment["системы уравнений"] == 2


def test_topic_suggestions_are_program_parts_of_subject_and_grade(school):
    assert selectors.topic_suggestions(school.algebra, 7) == [
        "Рациональные числа",
        "Уравнения с одной переменной",
        "Системы уравнений",
    ]
    assert selectors.topic_suggestions(school.algebra, 8) == []
    assert selectors.topic_suggestions(None, 7) == []


@pytest.mark.requirement("R13")
def test_working_days_left_skip_weekends_and_holidays(school, clock):
    clock.set(2026, 11, 27, 18, 30)  # Friday; due Thursday 3.12 (1.12 a holiday)
    req = write(school)

    def left(*moment):
        [with_deadline] = selectors.with_deadlines(
            [Request.objects.get(pk=req.pk)], dt.datetime(*moment, tzinfo=MOSCOW)
        )
        return with_deadline.deadline

    assert left(2026, 11, 27, 19, 0).days_left == 3  # Mon, Wed, Thu
    assert left(2026, 11, 30, 9, 0).days_left == 2  # Wed, Thu
    assert left(2026, 12, 2, 9, 0).days_left == 1
    today = left(2026, 12, 3, 9, 0)
    assert (today.days_left, today.overdue) == (0, False)
    assert left(2026, 12, 3, 18, 31).overdue
    answering.request_answer(actor=school.teacher, req=req, kind="written", text="…")
    assert not left(2026, 12, 10, 9, 0).running


def test_consultations_for_folding(school):
    mine = topical_consultation(school)
    for_7b = topical_consultation(school, classes=[school.class_7b])
    req = write(school)
    assert list(selectors.consultations_for_folding(school.teacher, req)) == [mine]
    other = write(school, actor=school.other_parent, student=school.other_student)
    assert list(selectors.consultations_for_folding(school.teacher, other)) == [for_7b]
    assert not selectors.consultations_for_folding(school.physics_teacher, req).exists()
