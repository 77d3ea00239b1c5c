"""E-assignments under load (R6): a class submitting at once, automatic scoring,
and the results and queue pages as submissions pile up.

    make bench-assignments
    .venv/bin/python bench/assignments_bench.py --students 30 --questions 20

1. **A class submits within the same second** on PostgreSQL: --students threads
   (own connections), released together by a barrier, each submit the
   --questions-question assignment through the service, and each presses
   «Отправить» twice (the same token). It checks that every student's work is
   stored once and scored right, and prints the median and 95th-percentile time of
   a submission.
2. **Automatic scoring**: --scored submissions of the same assignment scored in
   memory (the scorer the service uses): submissions per second.
3. **Pages**: the results page of a student and the queue «Проверить» of the
   teacher, rendered through Django's test client with 1× and 4× the submissions:
   SQL queries (must not grow) and the time of one render.

It creates a throwaway database (`umka_assignments_bench_<pid>` on --pg, default
postgres://postgres@127.0.0.1:5432), migrates it and drops it at the end. The
exit status is 1 if a submission is lost, doubled or scored wrong, or a page's
query count grows.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--scored", type=int, default=10_000)
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a throwaway database is created and dropped)",
    )
    return parser.parse_args()


def _admin(pg: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(sql)


#: (kind, answer key, a right response) — the assignment cycles through them.
QUESTIONS = [
    (
        "single",
        {"choices": [{"text": "2", "fraction": 100}, {"text": "3", "fraction": 0}]},
        {"choice": 0},
    ),
    (
        "multiple",
        {
            "choices": [
                {"text": "a", "fraction": 50},
                {"text": "b", "fraction": 50},
                {"text": "c", "fraction": -100},
            ]
        },
        {"choices": [0, 1]},
    ),
    (
        "short",
        {"answers": [{"text": "Уравнение", "fraction": 100}]},
        {"text": " уравнение "},
    ),
    (
        "number",
        {"answers": [{"value": "3.14", "tolerance": "0.01", "fraction": 100}]},
        {"text": "3,14"},
    ),
    (
        "matching",
        {
            "pairs": [
                {"left": "2^3", "right": "8"},
                {"left": "2^4", "right": "16"},
            ]
        },
        {"matches": {"0": "8", "1": "16"}},
    ),
    ("ordering", {"items": ["1", "2", "3", "4"]}, {"order": [0, 1, 2, 3]}),
]


def build(students_count: int, questions_count: int):
    import datetime as dt
    from decimal import Decimal

    from umka.accounts.models import Role
    from umka.accounts.tests.factories import make_person, make_student
    from umka.assignments import services
    from umka.core import clock
    from umka.courses.models import CourseSpace
    from umka.courses.sync import spaces_sync
    from umka.school.models import (
        AcademicYear,
        Enrolment,
        School,
        SchoolClass,
        Subject,
        TeachingAssignment,
    )

    today = clock.today()
    start = today.year if today.month >= 9 else today.year - 1
    School.objects.create(name="Школа для замера", short_name="Замер")
    year = AcademicYear.objects.create(
        name=f"{start}/{start + 1}",
        starts_on=today.replace(year=start, month=9, day=1),
        ends_on=today.replace(year=start + 1, month=8, day=31),
    )
    klass = SchoolClass.objects.create(year=year, grade=7, letter="А")
    subject = Subject.objects.create(name="Алгебра")
    teacher = make_person(Role.TEACHER, username="bench-teacher")
    TeachingAssignment.objects.create(
        teacher=teacher, subject=subject, school_class=klass, hours_per_week=3
    )
    students = []
    for n in range(students_count):
        student = make_student(username=f"bench-student-{n}")
        Enrolment.objects.create(
            student=student, school_class=klass, starts_on=year.starts_on
        )
        students.append(student)
    spaces_sync(year=year)
    space = CourseSpace.objects.get(school_class=klass)

    def assignment(title):
        made = services.assignment_create(
            actor=teacher,
            space=space,
            title=title,
            topic="Замер",
            instructions="",
            opens_at=clock.now() - dt.timedelta(hours=1),
            due_at=clock.now() + dt.timedelta(days=1),
            late_allowed=False,
            attempts_allowed=1,
            counts="last",
            scale="points",
            show_scores="at_once",
        )
        for i in range(questions_count):
            kind, data, _answer = QUESTIONS[i % len(QUESTIONS)]
            services.part_add(
                actor=teacher,
                assignment=made,
                kind=kind,
                text=f"Вопрос {i + 1}",
                data=data,
                points=Decimal(1),
            )
        services.assignment_publish(actor=teacher, assignment=made)
        return made

    return teacher, students, assignment


def responses_for(assignment) -> dict:
    parts = list(assignment.parts.order_by("position"))
    return {p.pk: QUESTIONS[(p.position - 1) % len(QUESTIONS)][2] for p in parts}


def rush(assignment, students) -> tuple[list[float], list[str]]:
    from django.db import connections

    from umka.assignments.submitting import submission_submit

    responses = responses_for(assignment)
    barrier = threading.Barrier(len(students) * 2)
    times, errors = [], []
    lock = threading.Lock()

    def press(student, token):
        try:
            barrier.wait(timeout=60)
            started = time.perf_counter()
            submission_submit(
                actor=student, assignment=assignment, token=token, responses=responses
            )
            with lock:
                times.append(time.perf_counter() - started)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = []
    for student in students:
        token = uuid.uuid4()
        threads.append(threading.Thread(target=press, args=(student, token)))
        threads.append(threading.Thread(target=press, args=(student, token)))
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    wall = time.perf_counter() - began
    print(f"  wall time for all {len(threads)} presses: {wall:.2f} s")
    return times, errors


def scoring_rate(assignment, count: int) -> float:
    from umka.assignments.scoring import scorer_for

    parts = list(assignment.parts.order_by("position"))
    responses = [QUESTIONS[i % len(QUESTIONS)][2] for i in range(len(parts))]
    started = time.perf_counter()
    scorers = [scorer_for(p.kind, p.data, p.points) for p in parts]
    total = 0
    for _ in range(count):
        for scorer, response in zip(scorers, responses, strict=True):
            total += scorer(response)
    elapsed = time.perf_counter() - started
    if total != count * len(parts):
        raise SystemExit(f"scored {total}, expected {count * len(parts)}")
    return count / elapsed


def page_queries(url: str, user) -> tuple[int, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return len(ctx), elapsed


def main() -> int:
    args = parse_args()
    name = f"umka_assignments_bench_{os.getpid()}"
    os.environ["DATABASE_URL"] = f"{args.pg}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["STATIC_FROM_APPS"] = "1"  # pages render without collectstatic
    os.environ.setdefault("UMKA_VAR_DIR", tempfile.mkdtemp(prefix=f"{name}-"))
    (Path(os.environ["UMKA_VAR_DIR"]) / "static").mkdir(exist_ok=True)
    _admin(args.pg, f'CREATE DATABASE "{name}"')
    failed = False
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        from decimal import Decimal

        from django.db import connections
        from django.urls import reverse

        from umka.assignments.models import Submission

        teacher, students, new_assignment = build(args.students, args.questions)
        first = new_assignment("Замер 1")
        connections.close_all()

        print(
            f"1. {args.students} students submit a {args.questions}-question "
            "assignment at once, each pressing «Отправить» twice (PostgreSQL)"
        )
        times, errors = rush(first, students)
        stored = Submission.objects.filter(assignment=first)
        right = stored.filter(auto_points=Decimal(args.questions)).count()
        per_student = stored.values("student").distinct().count()
        print(
            f"  submissions stored: {stored.count()} (students: {per_student}), "
            f"scored right: {right}, errors: {len(errors)}"
        )
        if errors:
            print("  ", errors[:3])
        failed |= stored.count() != args.students or per_student != args.students
        failed |= right != args.students or bool(errors)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"  per press: median {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
        )

        print(
            f"2. automatic scoring of {args.scored:,} submissions "
            f"× {args.questions} questions (in memory)"
        )
        rate = scoring_rate(first, args.scored)
        print(f"  {rate:,.0f} submissions per second")

        print("3. pages as submissions pile up (queries, one render)")
        results_url, queue_url = reverse("courses:results"), reverse("courses:queue")
        before = {
            "results": page_queries(results_url, students[0]),
            "queue": page_queries(queue_url, teacher),
        }
        for n in range(3):
            more = new_assignment(f"Замер {n + 2}")
            responses = responses_for(more)
            from umka.assignments.submitting import submission_submit

            for student in students:
                submission_submit(
                    actor=student,
                    assignment=more,
                    token=uuid.uuid4(),
                    responses=responses,
                )
        after = {
            "results": page_queries(results_url, students[0]),
            "queue": page_queries(queue_url, teacher),
        }
        waiting = Submission.objects.count()
        for page in ("results", "queue"):
            (q1, t1), (q4, t4) = before[page], after[page]
            print(
                f"  {page}: {q1} queries, {t1 * 1000:.0f} ms with "
                f"{args.students} submissions; {q4} queries, {t4 * 1000:.0f} ms "
                f"with {waiting}"
            )
            failed |= q4 != q1
    finally:
        from django.db import connections

        connections.close_all()
        _admin(args.pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
