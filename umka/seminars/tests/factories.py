"""Seminars for the tests: one in «Алгебра, 7А» with two criteria, and helpers
to take it through its phases. The course school has two students in 7А
(`student`, `classmate`); `third_student` adds a third."""

import datetime as dt
import uuid

from umka.accounts.tests.factories import make_student
from umka.core.tests.clock import MOSCOW
from umka.courses.tests.factories import YEAR_START
from umka.school.models import Enrolment
from umka.seminars import assessing, services, submitting
from umka.seminars.models import Phase, Seminar

OPENS = dt.datetime(2026, 11, 9, 8, 0, tzinfo=MOSCOW)
SUBMISSION_DUE = dt.datetime(2026, 11, 16, 20, 0, tzinfo=MOSCOW)
ASSESSMENT_DUE = dt.datetime(2026, 11, 20, 20, 0, tzinfo=MOSCOW)

CRITERIA = [
    {
        "title": "Тема раскрыта",
        "max_points": 4,
        "levels": [{"points": 4, "text": "полностью"}, {"points": 0, "text": "нет"}],
    },
    {"title": "Оформление", "max_points": 2, "levels": []},
]


def third_student(school, **names):
    student = make_student(last_name=names.get("last_name", "Сидорова"))
    Enrolment.objects.create(
        student=student, school_class=school.class_7a, starts_on=YEAR_START
    )
    return student


def make_seminar(school, *, phase=Phase.SUBMISSION, peers=1, **values) -> Seminar:
    """A seminar switched by hand up to `phase` (criteria set before)."""
    settings = {
        "title": "Проект «Линейная функция в жизни»",
        "topic": "Линейная функция",
        "instructions": "Найдите пример линейной зависимости и опишите его.",
        "program_part": None,
        "opens_at": OPENS,
        "submission_due_at": SUBMISSION_DUE,
        "assessment_due_at": ASSESSMENT_DUE,
        "by_date": False,
        "late_allowed": False,
        "peers": peers,
        "allocation": Seminar.Allocation.RANDOM,
        **values,
    }
    seminar = services.seminar_create(
        actor=school.teacher, space=school.space, **settings
    )
    services.criteria_set(actor=school.teacher, seminar=seminar, criteria=CRITERIA)
    if phase != Phase.SETUP:
        switch(school, seminar, Phase.SUBMISSION)
    seminar.refresh_from_db()
    return seminar


def switch(school, seminar, to):
    return services.seminar_switch(actor=school.teacher, seminar=seminar, to=to)


def submit(seminar, student, *, title="Такси: цена поездки", text="Цена = 50 + 20·км."):
    return submitting.work_submit(
        actor=student, seminar=seminar, token=uuid.uuid4(), title=title, text=text
    )


def assess(work, reviewer, *, points=(4, 2), comment="Хорошо раскрыто, аккуратно."):
    criteria = list(work.seminar.criteria.all())
    return assessing.assessment_submit(
        actor=reviewer,
        work=work,
        scores={c.pk: p for c, p in zip(criteria, points, strict=True)},
        comment=comment,
    )
