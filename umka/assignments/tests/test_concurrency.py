"""Races (R6): «Отправить» pressed twice at once stores one submission; two
teachers grading at once — one grade is kept, the other is told it changed.

On PostgreSQL the attempts run in parallel threads with their own connections,
released together by a barrier; SQLite (one writer at a time) skips them (the
sequential versions are in test_submitting.py and test_grading.py).
"""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils.translation import override

from umka.assignments import grading
from umka.assignments.models import Submission
from umka.assignments.tests.factories import make_assignment, submit
from umka.core.errors import DomainError
from umka.courses.models import SpaceTeacher
from umka.courses.tests.factories import course_school

pytestmark = [
    pytest.mark.requirement("R6"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]


def _together(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            with override("ru"):
                results.append(("ok", call()))
        except DomainError as refused:
            results.append(("refused", refused.code))
        except Exception as error:  # noqa: BLE001 — reported by the test
            results.append(("error", repr(error)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_double_click_in_parallel_stores_one_submission():
    school = course_school()
    assignment = make_assignment(school)
    token = uuid.uuid4()
    results = _together(
        [lambda: submit(assignment, school.student, token=token).pk] * 8
    )
    assert [r[0] for r in results] == ["ok"] * 8
    assert len({r[1] for r in results}) == 1
    assert Submission.objects.count() == 1


def test_two_teachers_grading_at_once_keep_one_grade_and_tell_the_other():
    school = course_school()
    SpaceTeacher.objects.create(
        space=school.space, teacher=school.other_teacher, from_assignment=False
    )
    submission = submit(make_assignment(school), school.student)

    def by(teacher, mark):
        return lambda: (
            grading.submission_grade(
                actor=teacher,
                submission=submission,
                version=0,
                review=f"Оценка {mark}",
                mark=mark,
            ).mark
        )

    results = _together([by(school.teacher, 5), by(school.other_teacher, 3)])
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    assert ("refused", "stale") in results
    kept = next(r[1] for r in results if r[0] == "ok")
    current = Submission.objects.get()
    assert (current.mark, current.version) == (kept, 1)
