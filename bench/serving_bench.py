"""Serving as production does: `make run`'s server against the production recipe,
in the same run, on the demo school (PostgreSQL and Redis, as a school runs).

    make bench-serving
    .venv/bin/python bench/serving_bench.py --seconds 8 --clients 16

It creates a throwaway database (`<BENCH_DB_PREFIX>serving_<pid>`, default prefix
`umka_`, on --pg; dropped at the end), loads the demo school, signs people in
beforehand and opens a window of slots per server for the booking path. Then it
serves Umka with each server in turn on the loopback:

- `make run`'s: `manage.py runserver` (daphne's, one process, ASGI), with make
  run's environment (no kept database connections);
- production's: gunicorn with deploy/gunicorn/umka.conf.py (WSGI, one worker
  process a core plus one, 4 threads each) with deploy/umka.env.sample's kept
  connections (DB_CONN_MAX_AGE=60). nginx is not in the loop: both are measured
  directly.

(both up at once) and puts --clients keep-alive clients on each page for
--seconds per server, in turns (A B A B, so both meet the machine's other load
alike): the public
schedule (/schedule/), the parent's home page (signed in), and the booking path
(POST /bookings/slots/<id>/book/ by the students of a class on the slots of one
window: a few bookings, then «taken» and «already booked» refusals, as in a rush).
It prints requests per second, the median and p95 latency, the servers' CPU
time per request and the answers of each, and the ratio of the two servers. The
exit status is 1 if a page answers an error (5xx) or a slot is booked twice.
"""

import argparse
import datetime as dt
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import (  # noqa: E402
    add_pg_argument,
    checked_redis_url,
    claim_redis,
    close_connections,
    cpu_seconds,
    family,
    free_port,
    release_redis,
    wait_for,
)

DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
ERRORS: list[str] = []  # the first server error, for the report
LOCK = "umka-bench-serving"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="clients at once (16)")
    parser.add_argument(
        "--seconds", type=float, default=8.0, help="seconds on each page (8)"
    )
    add_pg_argument(parser)
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_SERVING", DEFAULT_REDIS),
        help=f"Redis with a database index of its own, flushed ({DEFAULT_REDIS})",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


# --- The school -------------------------------------------------------------------


def prepare(server_count: int):
    """The demo school; sessions for the parent and a class's students; a window
    of 8 slots per server, bookable now, for the booking path."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils.crypto import get_random_string

    from umka.accounts.models import User
    from umka.bookings.models import BookingWindow, Slot
    from umka.core import clock
    from umka.demo.services import demo_school_load
    from umka.school.models import Enrolment, TeachingAssignment

    demo_school_load()

    def signed_in(user) -> tuple[str, str]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key, get_random_string(32)

    parent = User.objects.get(username="parent")
    teacher = User.objects.get(username="teacher")
    today = clock.today()
    assignment = TeachingAssignment.objects.filter(teacher=teacher).first()
    students = [
        e.student
        for e in Enrolment.objects.filter(
            school_class=assignment.school_class, starts_on__lte=today
        )
        .exclude(ends_on__lt=today)
        .select_related("student")
    ]
    now = clock.now()
    windows = []
    for n in range(server_count):
        day = today + dt.timedelta(days=40 + 7 * n)
        starts = clock.at(day, dt.time(7, 0))
        window = BookingWindow.objects.create(
            organiser=teacher,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            slot_minutes=15,
            opens_at=now - dt.timedelta(hours=1),
            form=BookingWindow._meta.get_field("form").choices[0][0],
            created_by=teacher,
            created_at=now,
        )
        Slot.objects.bulk_create(
            Slot(
                window=window,
                starts_at=starts + dt.timedelta(minutes=15 * k),
                ends_at=starts + dt.timedelta(minutes=15 * (k + 1)),
            )
            for k in range(8)
        )
        windows.append(list(window.slots.values_list("pk", flat=True)))
    families = [signed_in(s) for s in students]
    return signed_in(parent), families, windows


# --- The servers ----------------------------------------------------------------------


def start(kind: str, port: int, log) -> subprocess.Popen:
    env = os.environ.copy()
    if kind == "make run":
        # make run's own environment: no kept connections (under ASGI each
        # request's thread would keep one, until PostgreSQL has no more).
        env["DB_CONN_MAX_AGE"] = "0"
        command = [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
        ]
    else:
        env["WEB_BIND"] = f"127.0.0.1:{port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn/umka.conf.py",
            "config.wsgi:application",
        ]
    return subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def describe(kind: str) -> str:
    if kind == "make run":
        return "manage.py runserver (daphne, 1 process, ASGI)"
    import multiprocessing

    workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
    threads = int(os.environ.get("WEB_THREADS", "4"))
    return f"gunicorn, deploy/gunicorn/umka.conf.py ({workers} workers × {threads})"


# --- The load -----------------------------------------------------------------------


def load(port: int, requests, clients: int, seconds: float):
    """`clients` threads, each on one keep-alive connection, sending the request
    `requests(i, n)` gives (method, path, body, cookie) for `seconds`."""
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    errors: list[str] = ERRORS
    stop_at = time.perf_counter() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        n = 0
        while time.perf_counter() < stop_at:
            method, path, body, (session, csrf) = requests(i, n)
            headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}"}
            if method == "POST":
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["X-CSRFToken"] = csrf
            sent = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            if status >= 500 and not errors:
                errors.append(f"{method} {path}: {status} {content[:300]!r}")
            mine.append((status, (time.perf_counter() - sent) * 1000))
            n += 1
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def double_bookings() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT slot_id FROM bookings_booking "
            "WHERE status IN ('booked', 'held', 'no_show') GROUP BY slot_id "
            "HAVING count(*) > 1) twice"
        )
        return cursor.fetchone()[0]


# --- Main -----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    db = f"{os.environ.get('BENCH_DB_PREFIX', 'umka_')}serving_{os.getpid()}"
    redis_url = checked_redis_url(args.redis, DEFAULT_REDIS)
    claim_redis(redis_url, LOCK)
    var_dir = tempfile.mkdtemp(prefix="umka-serving-")
    from bench.booking_rush import create_database, drop_database

    create_database(args.pg, db)
    servers: dict = {}
    started = time.perf_counter()
    try:
        os.environ.update(
            {
                "DATABASE_URL": f"{args.pg.rstrip('/')}/{db}",
                "REDIS_URL": redis_url,
                "UMKA_VAR_DIR": var_dir,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "SECRET_KEY": "serving-bench-not-secret",
                "DEBUG": "0",
                "STATIC_FROM_APPS": "1",
                "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "WARNING",
                "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
            }
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        kinds = ["make run", "production"]
        parent, families, windows = prepare(len(kinds))
        connections.close_all()
        print(
            f"serving_bench: demo school on PostgreSQL, Redis {redis_url}; "
            f"{args.clients} keep-alive clients, {args.seconds:g} s a page; "
            f"set-up {time.perf_counter() - started:.1f} s; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        note = urllib.parse.urlencode({"note": "Разобрать задачу из контрольной"})
        servers, ports, pids = {}, {}, {}
        for index, kind in enumerate(kinds):
            ports[kind] = free_port()
            log = (Path(var_dir) / f"server-{index}.log").open("w")
            servers[kind] = start(kind, ports[kind], log)
        for index, kind in enumerate(kinds):
            try:
                wait_for(ports[kind], servers[kind], kind)
            except RuntimeError:
                log_path = Path(var_dir) / f"server-{index}.log"
                sys.stderr.write(log_path.read_text()[-3000:])
                raise
            pids[kind] = family(servers[kind].pid)
            print(f"  {kind:10} {describe(kind)}")

        def pages(index: int):
            slots, rng = windows[index], random.Random(index)
            return {
                "public schedule": lambda i, n: ("GET", "/schedule/", None, parent),
                "parent's home": lambda i, n: ("GET", "/", None, parent),
                "booking path": lambda i, n: (
                    "POST",
                    f"/bookings/slots/{rng.choice(slots)}/book/",
                    note,
                    families[(i * 7 + n) % len(families)],
                ),
            }

        figures: dict[tuple[str, str], tuple[float, float]] = {}
        failed = False
        rounds = 2  # A B A B: both servers see the machine's other load alike
        for page in ("public schedule", "parent's home", "booking path"):
            print(f"{page}:")
            for index, kind in enumerate(kinds):
                load(ports[kind], pages(index)[page], args.clients, 1.0)  # warm up
            got = {kind: ([], 0.0, 0.0) for kind in kinds}
            for _ in range(rounds):
                for index, kind in enumerate(kinds):
                    cpu = cpu_seconds(pids[kind])
                    results, wall = load(
                        ports[kind],
                        pages(index)[page],
                        args.clients,
                        args.seconds / rounds,
                    )
                    done, walls, cpus = got[kind]
                    got[kind] = (
                        done + results,
                        walls + wall,
                        cpus + cpu_seconds(pids[kind]) - cpu,
                    )
            for kind in kinds:
                results, wall, cpu = got[kind]
                latencies = [ms for _status, ms in results]
                answers: dict[int, int] = {}
                for status, _ms in results:
                    answers[status] = answers.get(status, 0) + 1
                failed |= any(s >= 500 or s == 0 for s in answers)
                rate = len(results) / wall
                p95 = percentile(latencies, 0.95)
                figures[(kind, page)] = (rate, p95)
                print(
                    f"  {kind:10} {rate:7.1f} requests/s, median "
                    f"{statistics.median(latencies):6.1f} ms, p95 {p95:6.1f} ms, "
                    f"server CPU {1000 * cpu / max(len(results), 1):5.1f} ms a "
                    "request; answers "
                    + ", ".join(f"{s}×{c}" for s, c in sorted(answers.items()))
                )
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            server.wait(timeout=30)
        servers = {}
        print("production / make run (same run):")
        for page in ("public schedule", "parent's home", "booking path"):
            (rate_a, p95_a), (rate_b, p95_b) = (
                figures[("make run", page)],
                figures[("production", page)],
            )
            print(
                f"  {page:16} {rate_b / rate_a:5.2f}× the requests per second, "
                f"p95 {p95_b:.0f} ms against {p95_a:.0f} ms"
            )
        doubled = double_bookings()
        connections.close_all()
        print(
            f"double bookings: {doubled}; total {time.perf_counter() - started:.1f} s"
        )
        for error in ERRORS:
            print(f"  ! the first server error: {error}")
        if failed:
            for log_path in sorted(Path(var_dir).glob("server-*.log")):
                if "Traceback" in (text := log_path.read_text()):
                    tail = text[text.index("Traceback") :][:3000]
                    print(f"  ! {log_path.name}:\n{tail}")
        return 1 if failed or doubled else 0
    finally:
        for server in servers.values():
            if server.poll() is None:
                server.kill()
        close_connections()
        if not args.keep:
            drop_database(args.pg, db)
        release_redis(redis_url, LOCK)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
