"""How fast the public schedule page renders for the demo school (R8).

Loads the demo school into a throwaway database (SQLite in a temporary folder, or
BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/umka_bench — it must
exist and be empty), makes sure the published schedule current for today has at
least --sessions consultation sessions (topping it up with bulk-written weekly
consultations of the school's teaching assignments when the demo has fewer), then
renders each public view --runs times through Django's test client and prints the
rows, median and p95 render time and the SQL query count:

    .venv/bin/python bench/public_schedule_bench.py [--sessions 2000] [--runs 30]
"""

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(var: str) -> None:
    os.environ["UMKA_VAR_DIR"] = var
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{var}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["STATIC_FROM_APPS"] = "1"  # no collectstatic for a throwaway run
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def _current_published(today: dt.date):
    from umka.consultations.publication import selectors as publication

    return publication.current_schedule(list(publication.published_schedules()), today)


def _period_for(today: dt.date):
    """The study period containing today, else the next, else the last one."""
    from umka.school.models import StudyPeriod

    periods = list(StudyPeriod.objects.select_related("year").order_by("starts_on"))
    for period in periods:
        if period.starts_on <= today <= period.ends_on:
            return period
    upcoming = [p for p in periods if p.starts_on > today]
    return upcoming[0] if upcoming else periods[-1]


def _published_schedule(today: dt.date):
    """The demo's published schedule for today, or a new one for today's period."""
    from umka.accounts.models import Role, User
    from umka.consultations.models import ScheduleDocument
    from umka.core import clock

    schedule = _current_published(today)
    if schedule is not None:
        return schedule
    period = _period_for(today)
    director = User.objects.filter(role_assignments__role=Role.DIRECTOR).first()
    now = clock.now()
    schedule, _created = ScheduleDocument.objects.update_or_create(
        year=period.year,
        period=period,
        defaults={
            "status": ScheduleDocument.Status.PUBLISHED,
            "approved_at": now,
            "approved_by": director,
            "approver_position": "Директор",
            "published_at": now,
            "version": 1,
        },
    )
    return schedule


def _top_up(schedule, target: int) -> int:
    """Add weekly consultations (bulk, rules not checked) until `target` sessions."""
    import itertools

    from umka.consultations.models import Consultation, Occurrence
    from umka.core import clock
    from umka.school.models import TeachingAssignment

    have = Occurrence.objects.filter(consultation__schedule=schedule).count()
    if have >= target:
        return 0
    weeks = max(1, (schedule.ends_on - schedule.starts_on).days // 7)
    assignments = itertools.cycle(
        TeachingAssignment.objects.filter(school_class__year=schedule.year)
        .select_related("teacher", "subject", "school_class")
        .order_by("pk")
    )
    forms = itertools.cycle(
        [
            Consultation.Form.VIDEOCONFERENCE,
            Consultation.Form.WEBINAR,
            Consultation.Form.CHAT,
        ]
    )
    tz = clock.zone()
    consultations, classes, count = [], [], 0
    for i in itertools.count():
        if have + count >= target:
            break
        a = next(assignments)
        first = schedule.starts_on + dt.timedelta(days=i % 5)
        c = Consultation(
            schedule=schedule,
            organiser=a.teacher,
            subject=a.subject,
            form=next(forms),
            recurrence=Consultation.Recurrence.WEEKLY,
            starts_on=first,
            start_time=dt.time(14 + i % 4, 15 * (i % 4)),
            duration_minutes=40,
            repeat_until=first + dt.timedelta(weeks=weeks - 1),
            how_to_join=f"Кабинет {100 + i % 40}",
            created_by=a.teacher,
        )
        consultations.append(c)
        classes.append(a.school_class_id)
        count += weeks
    Consultation.objects.bulk_create(consultations, batch_size=500)
    through = Consultation.audience_classes.through
    through.objects.bulk_create(
        [
            through(consultation_id=c.pk, schoolclass_id=k)
            for c, k in zip(consultations, classes, strict=True)
        ],
        batch_size=500,
    )
    sessions = []
    for c in consultations:
        for week in range(weeks):
            start = dt.datetime.combine(
                c.starts_on + dt.timedelta(weeks=week), c.start_time, tzinfo=tz
            )
            sessions.append(
                Occurrence(
                    consultation=c,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=40),
                )
            )
    Occurrence.objects.bulk_create(sessions, batch_size=1000)
    return len(consultations)


def _measure(client, url: str, params: dict, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm caches (school, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    count = len(queries)  # now: the next request empties the log
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
    return times, count


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="umka-bench-")
    _setup(var)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from umka.consultations.models import Occurrence
    from umka.consultations.publication import rows as public_rows
    from umka.core import clock
    from umka.demo.builder import DEFAULT_SEED
    from umka.demo.services import demo_school_load

    try:
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        started = time.perf_counter()
        demo_school_load(seed=DEFAULT_SEED if args.seed is None else args.seed)
        print(f"demo school loaded in {time.perf_counter() - started:.1f} s")
        today = clock.today()
        schedule = _published_schedule(today)
        added = _top_up(schedule, args.sessions)
        sessions = Occurrence.objects.filter(consultation__schedule=schedule).count()
        rows = len(public_rows.consultation_rows(schedule))
        print(
            f"schedule: {schedule} (published), {rows} consultations, "
            f"{sessions} sessions" + (f" ({added} added in bulk)" if added else "")
        )
        client = Client()
        page = reverse("schedule:detail", args=[schedule.pk])
        start = public_rows.default_window_start(schedule, today)
        school_class = (
            schedule.consultations.values_list("audience_classes", flat=True)
            .exclude(audience_classes=None)
            .first()
        )
        cases = [
            ("/schedule/ (today's schedule)", reverse("schedule:index"), {}),
            ("by consultation", page, {}),
            (
                "sessions by date (4 weeks)",
                page,
                {"view": "sessions", "from": start.isoformat()},
            ),
            ("one class", page, {"class": school_class}),
            ("embed", reverse("schedule:embed"), {"schedule": schedule.pk}),
            ("print form", reverse("schedule:print", args=[schedule.pk]), {}),
            (
                "class calendar feed",
                reverse("schedule:calendar_class", args=[school_class]),
                {},
            ),
            ("PDF", reverse("schedule:pdf", args=[schedule.pk]), {}),
            (
                "PDF, one class",
                reverse("schedule:pdf", args=[schedule.pk]),
                {"class": school_class},
            ),
        ]
        goals = {"PDF": 1000, "PDF, one class": 300}
        print(
            "(the consultations table is cached per schedule version, filter and "
            "language: after the first render the page reads it from the cache; "
            "the print form renders it every time)"
        )
        print(f"{'view':32} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
        for name, url, params in cases:
            runs = max(3, args.runs // 6) if name == "PDF" else args.runs
            times, queries = _measure(client, url, params, runs)
            goal = f"   (goal: median under {goals[name]} ms)" if name in goals else ""
            print(
                f"{name:32} {statistics.median(times):10.1f} "
                f"{_p95(times):10.1f} {queries:8d}{goal}"
            )
    finally:
        connection.close()
        shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
