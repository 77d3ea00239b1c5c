"""A school district (R13 at scale): the demo school ×10 on PostgreSQL — about
7,000 students, 9,700 parents and 400 staff with a year of consultations,
requests, bookings and grades — and the twenty busiest pages on it.

    make bench-scale
    .venv/bin/python bench/scale_bench.py --times 10 --runs 15

It creates a throwaway database (`<BENCH_DB_PREFIX>scale_<pid>`, default prefix
`umka_`, on --pg; dropped at the end), loads the demo school, renders each page
once to count its queries, copies the school's people and data until there are
--times of each (`bench/district.py`), and renders each page --runs times through
Django's test client (the whole middleware stack, no network). It prints each
page's median and p95 time against the goal (300 ms) and its queries for one
school and for the district, which must be the same. The exit status is 1 if a
page does not answer 200.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import add_pg_argument, close_connections  # noqa: E402

GOAL_MS = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=10, help="copies (10)")
    parser.add_argument("--runs", type=int, default=15, help="renders a page (15)")
    add_pg_argument(parser)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def pages() -> list[tuple[str, str, str, dict]]:
    """(name, demo login or '' for a visitor, path, query) of the busiest pages."""
    from django.urls import reverse

    from umka.school.models import SchoolClass, TeachingAssignment

    seventh = SchoolClass.objects.filter(grade=7).order_by("letter").first()
    taught = TeachingAssignment.objects.filter(teacher__username="teacher").first()
    home = reverse("home")
    return [
        ("home: student", "student", home, {}),
        ("home: parent", "parent", home, {}),
        ("home: teacher", "teacher", home, {}),
        ("home: deputy", "deputy", home, {}),
        ("home: director", "director", home, {}),
        ("home: administrator", "admin", home, {}),
        ("home: psychologist", "staff", home, {}),
        ("public schedule", "", reverse("schedule:index"), {}),
        (
            "public schedule, 7th class",
            "",
            reverse("schedule:index"),
            {"class": seventh.pk},
        ),
        (
            "topic analysis: teacher",
            "teacher",
            reverse("grades:analysis"),
            {"school_class": taught.school_class_id, "subject": taught.subject_id},
        ),
        ("grades: student", "student", reverse("grades:mine"), {}),
        ("requests: teacher", "teacher", reverse("requests:list"), {}),
        ("requests: parent", "parent", reverse("requests:list"), {}),
        ("requests: deputy", "deputy", reverse("requests:list"), {}),
        ("bookings: parent", "parent", reverse("bookings:mine"), {}),
        ("notifications: parent", "parent", reverse("notifications:list"), {}),
        ("consultations: teacher", "teacher", reverse("consultations:mine"), {}),
        ("schedules: deputy", "deputy", reverse("consultations:schedules"), {}),
        ("back office: people", "admin", "/backoffice/accounts/user/", {}),
        ("«Проверить»: teacher", "teacher", reverse("courses:queue"), {}),
    ]


def render(client, path: str, query: dict, runs: int):
    """(status, queries of one render, times in ms). A page that redirects once
    (a default filter) is measured where it leads."""
    from django.db import connection

    first = client.get(path, query)
    if first.status_code == 302 and first["Location"].startswith(path):
        path, query = first["Location"], {}
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        status = client.get(path, query).status_code
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path, query)
        times.append((time.perf_counter() - started) * 1000)
    return status, count, times


def measure(runs: int) -> dict[str, tuple[int, int, list[float]]]:
    from django.test import Client

    from umka.accounts.models import User

    clients: dict[str, Client] = {}
    results = {}
    for name, login, path, query in pages():
        if login not in clients:
            clients[login] = Client()
            if login:
                clients[login].force_login(User.objects.get(username=login))
        results[name] = render(clients[login], path, query, runs)
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    args = parse_args()
    db = f"{os.environ.get('BENCH_DB_PREFIX', 'umka_')}scale_{os.getpid()}"
    var_dir = tempfile.mkdtemp(prefix="umka-scale-")
    from bench.booking_rush import create_database, drop_database

    create_database(args.pg, db)
    started = time.perf_counter()
    try:
        os.environ.update(
            {
                "DATABASE_URL": f"{args.pg.rstrip('/')}/{db}",
                "UMKA_VAR_DIR": var_dir,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "SECRET_KEY": "scale-bench-not-secret",
                "DEBUG": "0",
                "STATIC_FROM_APPS": "1",
                "ALLOWED_HOSTS": "testserver",
                "LOG_LEVEL": "ERROR",
                "DB_CONN_MAX_AGE": "60",
                # The demo's staff sign in without a second factor (as `make run`).
                "TWO_FACTOR_REQUIRED": "0",
            }
        )
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from bench.district import replicate
        from umka.accounts.models import Role, RoleAssignment, User
        from umka.demo.services import demo_school_load

        call_command("migrate", verbosity=0)
        demo_school_load()
        loaded = time.perf_counter() - started
        one = measure(3)
        copied = time.perf_counter()
        written = replicate(args.times)
        copied = time.perf_counter() - copied
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        roles = {
            role: RoleAssignment.objects.filter(role=role).count()
            for role in (Role.STUDENT, Role.PARENT)
        }
        staff = User.objects.count() - sum(roles.values())
        print(
            f"scale_bench: the demo school ×{args.times} on {connection.vendor} "
            f"({connection.settings_dict['NAME']}): {roles[Role.STUDENT]} students, "
            f"{roles[Role.PARENT]} parents, about {staff} staff; "
            f"{sum(written.values())} rows copied in {copied:.1f} s "
            f"(demo loaded in {loaded:.1f} s); load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        many = measure(args.runs)
        print(
            f"{'page':32} {'median ×1':>9} {f'×{args.times}':>7} {'p95':>7} "
            f"{'goal':>5} {'queries ×1':>10} {f'×{args.times}':>5}"
        )
        failed = False
        over, grew = [], []
        for name, (status, queries, times) in many.items():
            status_one, queries_one, times_one = one[name]
            p95 = percentile(times, 0.95)
            if p95 >= GOAL_MS:
                over.append(name)
            if queries != queries_one:
                grew.append(name)
            failed |= status != 200 or status_one != 200
            mark = "" if status == 200 else f"  ! HTTP {status}"
            print(
                f"{name:32} {statistics.median(times_one):9.1f} "
                f"{statistics.median(times):7.1f} {p95:7.1f} "
                f"{'ok' if p95 < GOAL_MS else 'OVER':>5} {queries_one:10d} "
                f"{queries:5d}{mark}"
            )
        print(
            f"p95 under {GOAL_MS} ms: {len(many) - len(over)} of {len(many)} pages"
            + (f" (over: {', '.join(over)})" if over else "")
        )
        print(
            f"queries the same as for one school: {len(many) - len(grew)} of "
            f"{len(many)} pages" + (f" (grew: {', '.join(grew)})" if grew else "")
        )
        print(f"total {time.perf_counter() - started:.1f} s")
        return 1 if failed else 0
    finally:
        close_connections()
        if not args.keep:
            drop_database(args.pg, db)
        import shutil

        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
