"""Assignments for the tests: one with an automatic question and a written part."""

import datetime as dt
import uuid
from decimal import Decimal

from umka.assignments import services
from umka.assignments.models import Assignment, Kind
from umka.assignments.submitting import submission_submit
from umka.core.tests.clock import MOSCOW

OPENS = dt.datetime(2026, 11, 9, 8, 0, tzinfo=MOSCOW)
DUE = dt.datetime(2026, 11, 16, 20, 0, tzinfo=MOSCOW)

CHOICE = {
    "choices": [
        {"text": "x = 2", "fraction": 100.0},
        {"text": "x = −2", "fraction": 0.0},
        {"text": "x = 4", "fraction": 0.0},
    ]
}


def make_assignment(school, *, space=None, publish=True, **values) -> Assignment:
    space = space or school.space
    teacher = space.teacher_links.first().teacher
    settings = {
        "title": "Линейные уравнения",
        "topic": "Линейные уравнения с одной переменной",
        "instructions": "Решите уравнения. Корень $x$ запишите точно.",
        "opens_at": OPENS,
        "due_at": DUE,
        "late_allowed": False,
        "attempts_allowed": 1,
        "counts": Assignment.Counts.LAST,
        "scale": Assignment.Scale.FIVE,
        "show_scores": Assignment.ShowScores.AT_ONCE,
        **values,
    }
    assignment = services.assignment_create(actor=teacher, space=space, **settings)
    services.part_add(
        actor=teacher,
        assignment=assignment,
        kind=Kind.SINGLE,
        text="Решите уравнение $3x - 6 = 0$.",
        data=CHOICE,
        points=Decimal(2),
    )
    services.part_add(
        actor=teacher,
        assignment=assignment,
        kind=Kind.TEXT,
        text="Объясните, как вы решали.",
        data={},
        points=Decimal(3),
    )
    if publish:
        services.assignment_publish(actor=teacher, assignment=assignment)
    assignment.refresh_from_db()
    return assignment


def submit(
    assignment, student, *, choice=0, text="Перенёс 6 и разделил на 3.", token=None
):
    parts = list(assignment.parts.order_by("position"))
    return submission_submit(
        actor=student,
        assignment=assignment,
        token=token or uuid.uuid4(),
        responses={parts[0].pk: {"choice": choice}, parts[1].pk: {"text": text}},
    )
