"""The administration's reports at a district's scale (R13): the demo school ×10 on
PostgreSQL — about 7,000 students with a year of consultations, requests and
bookings — and the academic year's report on it.

    make bench-reports
    .venv/bin/python bench/reports_bench.py --times 10 --runs 7

It creates a throwaway database (`<BENCH_DB_PREFIX>reports_<pid>`, default prefix
`umka_`, on --pg; dropped at the end), loads the demo school, measures each report
section, the whole report page (through Django's test client, signed in as the
demo director), its XLSX and PDF and the dashboard «Требует внимания» once for one
school, copies the school (`bench/district.py`) and measures them --runs times.
It prints each one's median and p95 and its queries for one school and for the
district, which must be the same (exit status 1 otherwise, or on a non-200).
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


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=10, help="copies (10)")
    parser.add_argument("--runs", type=int, default=7, help="measurements (7)")
    add_pg_argument(parser)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(fn, runs: int) -> tuple[int, list[float]]:
    """(queries of one call, times in ms of `runs` calls). A first call warms the
    caches (the school's row), so the count is of a call as most callers make it."""
    from django.db import connection

    fn()
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return count, times


def subjects(runs: int) -> dict[str, tuple[int, list[float]]]:
    """Everything measured: each section, the page, the exports, the dashboard."""
    from django.test import Client
    from django.urls import reverse

    from umka.accounts.models import User
    from umka.core import clock
    from umka.reports import registry
    from umka.reports.build import report_build
    from umka.reports.periods import period_of

    year = period_of("year", clock.today())
    client = Client()
    client.force_login(User.objects.get(username="director"))
    query = {
        "period": "dates",
        "first": year.first.isoformat(),
        "last": year.last.isoformat(),
    }

    def get(name):
        def call():
            response = client.get(reverse(name), query)
            if response.status_code != 200:
                raise RuntimeError(f"{name}: HTTP {response.status_code}")

        return call

    found = {}
    for section in registry.sections():
        found[f"section {section.code}"] = timed(
            lambda code=section.code: report_build(year, codes={code}), runs
        )
    found["report page (year)"] = timed(get("reports:index"), runs)
    found["export XLSX (year)"] = timed(get("reports:export_xlsx"), runs)
    found["export PDF (year)"] = timed(get("reports:export_pdf"), runs)
    found["«Требует внимания»"] = timed(get("reports:attention"), runs)
    return found


def main() -> int:
    args = parse_args()
    db = f"{os.environ.get('BENCH_DB_PREFIX', 'umka_')}reports_{os.getpid()}"
    var_dir = tempfile.mkdtemp(prefix="umka-reports-")
    from bench.booking_rush import create_database, drop_database

    create_database(args.pg, db)
    started = time.perf_counter()
    try:
        os.environ.update(
            {
                "DATABASE_URL": f"{args.pg.rstrip('/')}/{db}",
                "UMKA_VAR_DIR": var_dir,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "SECRET_KEY": "reports-bench-not-secret",
                "DEBUG": "0",
                "STATIC_FROM_APPS": "1",
                "ALLOWED_HOSTS": "testserver",
                "LOG_LEVEL": "ERROR",
                "DB_CONN_MAX_AGE": "60",
            }
        )
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from bench.district import replicate
        from umka.accounts.models import Role, RoleAssignment
        from umka.core import clock
        from umka.requests.models import Request

        call_command("migrate", verbosity=0)
        from umka.demo.services import demo_school_load

        demo_school_load()
        with clock.school_time():
            one = subjects(1)
            written = replicate(args.times)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            students = RoleAssignment.objects.filter(role=Role.STUDENT).count()
            print(
                f"reports_bench: the demo school ×{args.times} on {connection.vendor} "
                f"({connection.settings_dict['NAME']}): {students} students, "
                f"{Request.objects.count()} requests, {sum(written.values())} rows "
                f"copied; load average {os.getloadavg()[0]:.1f} on "
                f"{os.cpu_count()} CPUs"
            )
            many = subjects(args.runs)
        print(
            f"{'the year’s report':32} {'median ×1':>9} {f'×{args.times}':>8} "
            f"{'p95':>8} {'queries ×1':>10} {f'×{args.times}':>5}"
        )
        grew = []
        for name, (queries, times) in many.items():
            queries_one, times_one = one[name]
            if queries != queries_one:
                grew.append(name)
            print(
                f"{name:32} {statistics.median(times_one):9.1f} "
                f"{statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} "
                f"{queries_one:10d} {queries:5d}"
            )
        print(
            f"queries the same as for one school: {len(many) - len(grew)} of "
            f"{len(many)}" + (f" (grew: {', '.join(grew)})" if grew else "")
        )
        print(f"total {time.perf_counter() - started:.1f} s")
        return 1 if grew else 0
    finally:
        close_connections()
        if not args.keep:
            drop_database(args.pg, db)
        import shutil

        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
