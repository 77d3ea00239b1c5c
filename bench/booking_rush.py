"""The booking rush (R5): N clients try to book M slots the moment booking opens,
through the real HTTP stack (gunicorn → Django → PostgreSQL), then the same booking
transaction run bare through `pgbench` on the same database.

    make bench-booking                       # 200 clients, 50 slots
    .venv/bin/python bench/booking_rush.py --clients 200 --slots 50 --tries 3

It creates a throwaway database (`umka_rush_<pid>` on --pg, default
postgres://postgres@127.0.0.1:5432; dropped at the end), migrates it, opens the
slots through the booking service (R7 checked) for a teacher of one class of N
students, signs every student in beforehand (session and CSRF cookies), starts
gunicorn on the loopback, and releases all clients when booking opens. Each client
posts a booking for its preferred slot and, on «slot already taken» (HTTP 409),
tries another one, at most --tries times.

It prints bookings per second, attempts per second, the median and 95th percentile
latency, the number of double bookings counted by SQL (must be 0: the exit status is
1 otherwise), then pgbench's transactions per second for the bare transaction (lock
the slot, check it is free, INSERT under the same unique constraints) and the ratio
of the two — the price of the whole stack (sessions, CSRF, policies, audit trail,
notifications) per booking attempt.
"""

import argparse
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

DEFAULT_REDIS = "redis://127.0.0.1:6379/10"
LOCK = "umka-bench-booking-rush"

SLOTS_PER_WINDOW = 8
SLOT_MINUTES = 15
ACTIVE = ("booked", "held", "no_show")

PGBENCH_SCRIPT = """\
\\set s random(:lo, :hi)
\\set st random(:slo, :shi)
BEGIN;
SELECT id FROM bookings_slot WHERE id = :s FOR UPDATE;
INSERT INTO bookings_booking (uid, slot_id, window_id, student_id, booked_by_id, note,
    status, created_at, cancel_reason, outcome_note, private_note, sequence)
SELECT gen_random_uuid(), s.id, s.window_id, :st, :st, 'pgbench', 'booked', now(),
    '', '', '', 0
FROM bookings_slot s
WHERE s.id = :s AND NOT EXISTS (
    SELECT 1 FROM bookings_booking b
    WHERE b.slot_id = s.id AND b.status IN ('booked', 'held', 'no_show'))
ON CONFLICT DO NOTHING;
END;
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="N (default 200)")
    parser.add_argument("--slots", type=int, default=50, help="M (default 50)")
    parser.add_argument(
        "--tries", type=int, default=3, help="slots a client tries (default 3)"
    )
    add_pg_argument(parser)
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_BOOKING", DEFAULT_REDIS),
        help="Redis for sessions, cache and the task queue, as in production, with "
        f"a database index of its own that is flushed (default {DEFAULT_REDIS}); "
        "'' runs without Redis",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn workers (default: cores + 1, as deploy/gunicorn/umka.conf.py)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per gunicorn worker (default 4, as the production recipe)",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="post the form as a browser without JavaScript (whole pages, a 302) "
        "instead of as the booking page does (htmx: a panel, HX-Redirect)",
    )
    parser.add_argument(
        "--pgbench-seconds", type=int, default=10, help="length of the pgbench run"
    )
    parser.add_argument(
        "--pgbench-clients",
        type=int,
        default=0,
        help="pgbench clients (default: workers × threads, the server's concurrency)",
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=100_000,
        help="fresh slots for the pgbench run (so it books, not only refuses)",
    )
    parser.add_argument("--lead", type=float, default=3.0, help="seconds until opening")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--profile",
        metavar="SVG",
        help="sample the server with py-spy during the rush: write a flame graph "
        "there and print the top functions by time",
    )
    parser.add_argument(
        "--one-by-one",
        type=int,
        default=40,
        help="bookings and refusals measured one at a time, after the rush (40)",
    )
    return parser.parse_args()


# --- The database ---------------------------------------------------------------------


def admin_connection(server: str):
    import psycopg

    return psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True)


def create_database(server: str, name: str) -> None:
    with admin_connection(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    with admin_connection(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str, var_dir: str, redis_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "UMKA_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "booking-rush-bench-not-secret",
            "DEBUG": "0",
            # Static files straight from the apps: no collectstatic for a bench.
            "STATIC_FROM_APPS": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            # Persistent connections, as a production server runs (and pgbench).
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    import django

    django.setup()


# --- The school -----------------------------------------------------------------------


def build_school(clients: int, slot_count: int):
    """A teacher of one class of `clients` students with `slot_count` slots in
    windows on the coming days, opened through the service (R7 checked)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from umka.accounts.models import Role, RoleAssignment, User
    from umka.bookings.models import Slot
    from umka.privacy import texts
    from umka.privacy.models import Consent
    from umka.school.models import (
        AcademicYear,
        Contract,
        Enrolment,
        School,
        SchoolClass,
        Subject,
        TeachingAssignment,
    )

    today = timezone.localdate()
    School.objects.create(name="Школа бенчмарка", short_name="Бенч")
    year = AcademicYear.objects.create(
        name="bench",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=400),
    )
    school_class = SchoolClass.objects.create(year=year, grade=7, letter="А")
    teacher = User.objects.create(
        username="rush_teacher", last_name="Учитель", first_name="Бенч"
    )
    RoleAssignment.objects.create(user=teacher, role=Role.TEACHER)
    Contract.objects.create(
        person=teacher,
        position="Учитель",
        weekly_load_hours=Decimal(60),
        consultation_hours=Decimal(40),
    )
    TeachingAssignment.objects.create(
        teacher=teacher,
        subject=Subject.objects.create(name="Математика"),
        school_class=school_class,
        hours_per_week=Decimal(5),
    )
    students = User.objects.bulk_create(
        User(
            username=f"rush_{i:05d}",
            last_name=f"Ученик{i}",
            first_name="Бенч",
            password=f"!rush{i}",  # unusable: they never sign in with a password
        )
        for i in range(clients)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=s, role=Role.STUDENT) for s in students
    )
    Enrolment.objects.bulk_create(
        Enrolment(student=s, school_class=school_class, starts_on=year.starts_on)
        for s in students
    )
    # Each family has consented to the processing of its data (a booking is
    # refused without it), as in a school that has used Umka for a while.
    Consent.objects.bulk_create(
        Consent(
            subject=s,
            given_by=s,
            text_version=texts.current().version,
            given_at=timezone.now(),
        )
        for s in students
    )
    windows_needed = -(-slot_count // SLOTS_PER_WINDOW)
    # Opening is moved to «in a few seconds» once the server is up.
    _open_windows(teacher, today + dt.timedelta(days=2), windows_needed)
    slot_ids = list(
        Slot.objects.order_by("starts_at").values_list("pk", flat=True)[:slot_count]
    )
    # Slots beyond M (the last window's tail) are closed to this run.
    Slot.objects.exclude(pk__in=slot_ids).delete()
    return teacher, students, slot_ids


def _open_windows(teacher, first, count: int) -> list:
    """Windows 14:00–16:00 on `count` days from `first`, through the service (R7
    checked), opening for booking tomorrow."""
    import datetime as dt

    from django.utils import timezone

    from umka.bookings import windows

    dates = [first + dt.timedelta(days=i) for i in range(count)]
    made = []
    for start in range(0, len(dates), windows.MAX_DATES):
        made += windows.windows_open(
            actor=teacher,
            organiser=teacher,
            dates=dates[start : start + windows.MAX_DATES],
            start_time=dt.time(14, 0),
            end_time=dt.time(16, 0),
            slot_minutes=SLOT_MINUTES,
            opens_at=timezone.now() + dt.timedelta(days=1),
        )
    return made


def open_more_slots(teacher, count: int, after_days: int) -> list[int]:
    """`count` more slots on later days, for bookings one at a time."""
    import datetime as dt

    from django.utils import timezone

    from umka.bookings.models import Slot

    if count < 1:
        return []
    first = timezone.localdate() + dt.timedelta(days=after_days)
    made = _open_windows(teacher, first, -(-count // SLOTS_PER_WINDOW))
    return list(
        Slot.objects.filter(window__in=made)
        .order_by("starts_at")
        .values_list("pk", flat=True)[:count]
    )


def sign_in_everyone(students) -> list[tuple[str, str]]:
    """(session id, CSRF token) for each student, as a browser would hold them
    after signing in and opening the slot's page: the session in the configured
    store (Redis-cached here), its row in «where I am signed in», seen now."""
    import time as _time
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from umka.signin.models import SignedInSession
    from umka.signin.sessions import SEEN_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies, rows = [], []
    now = timezone.now()
    for student in students:
        session = store()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session[SEEN_KEY] = _time.time()
        session.create()
        cookies.append((session.session_key, get_random_string(32)))
        rows.append(
            SignedInSession(
                user=student,
                session_key=session.session_key,
                user_agent="booking-rush",
                ip_address="127.0.0.1",
                signed_in_at=now,
                last_seen=now,
            )
        )
    SignedInSession.objects.bulk_create(rows)
    return cookies


# --- The server -----------------------------------------------------------------------


def start_server(port: int, workers: int, threads: int, log) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--preload",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def start_worker(log) -> subprocess.Popen:
    """The task worker, as production runs it next to the app servers: it writes
    the notices of each booking after the commit."""
    return subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "manage.py", "run_huey", "--quiet"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for_notices(expected: int, seconds: float = 60) -> int:
    """Notices of new bookings written by the worker, once there are `expected`
    (or the time is up)."""
    from django.db import connections

    from umka.notifications.models import Notification

    deadline = time.monotonic() + seconds
    while True:
        count = Notification.objects.filter(kind="bookings.booked").count()
        connections.close_all()
        if count >= expected or time.monotonic() > deadline:
            return count
        time.sleep(0.5)


# --- The rush -------------------------------------------------------------------------


class Attempt:
    __slots__ = ("client", "latency", "slot", "status", "sent_at")

    def __init__(self, client, slot, status, latency, sent_at):
        self.client, self.slot, self.status = client, slot, status
        self.latency, self.sent_at = latency, sent_at


#: The booking page posts its form with htmx (HX-Request); --plain posts it as a
#: browser without JavaScript does, and gets whole pages.
HTMX = True


def post_booking(port: int, slot: int, cookie: tuple[str, str]) -> int:
    """The booking form's POST; 302 for a booking (htmx's HX-Redirect counts as
    one), 409 for «slot taken», else the status."""
    session, csrf = cookie
    body = urllib.parse.urlencode({"note": "Разобрать задачу из контрольной"})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Connection": "close",
    }
    if HTMX:
        headers["HX-Request"] = "true"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "POST", f"/bookings/slots/{slot}/book/", body=body, headers=headers
        )
        response = conn.getresponse()
        response.read()
        if response.getheader("HX-Redirect"):
            return 302
        return response.status
    finally:
        conn.close()


def warm_up(port: int, cookie: tuple[str, str], slot: int, count: int) -> None:
    """Load templates and translations in every worker thread before the rush, as
    on a server that has been up for a while (the slot is not open yet: nothing is
    booked)."""

    def get() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(
                "GET",
                f"/bookings/slots/{slot}/book/",
                headers={"Cookie": f"sessionid={cookie[0]}; csrftoken={cookie[1]}"},
            )
            conn.getresponse().read()
            post_booking(port, slot, cookie)  # refused: booking has not opened
        finally:
            conn.close()

    threads = [threading.Thread(target=get) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def rush(port, cookies, slot_ids, tries, opens_at_epoch) -> list[Attempt]:
    attempts: list[Attempt] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(cookies) + 1)
    rng = random.Random(42)  # the same preferences every run
    plans = []
    for i in range(len(cookies)):
        others = [s for s in slot_ids if s != slot_ids[i % len(slot_ids)]]
        plans.append(
            [
                slot_ids[i % len(slot_ids)],
                *rng.sample(others, min(tries - 1, len(others))),
            ]
        )

    def client(i: int) -> None:
        ready.wait()
        time.sleep(max(0.0, opens_at_epoch - time.time()))
        for slot in plans[i]:
            sent = time.perf_counter()
            try:
                status = post_booking(port, slot, cookies[i])
            except OSError:
                status = 0
            attempt = Attempt(i, slot, status, time.perf_counter() - sent, sent)
            with lock:
                attempts.append(attempt)
            if status != 409:  # booked, or refused for another reason: stop
                break

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(cookies))]
    for thread in threads:
        thread.start()
    ready.wait()
    for thread in threads:
        thread.join()
    return attempts


def one_by_one(port, cookies, slot_ids, pids, profile=None) -> dict:
    """Book each slot, then try each again as another student: one request at a
    time on an idle server. Latencies (ms), the server's CPU time per request (ms)
    and odd answers of each kind; with `profile` (the rush's SVG), each kind is
    sampled too (<name>-booking.svg, <name>-refusal.svg) and its profile kept."""
    result = {}
    for kind, shift, want in (("booking", 0, 302), ("refusal", 1, 409)):
        latencies, odd = [], []
        recorder = None
        if profile:
            from bench import profiling

            svg = Path(profile)
            svg = svg.with_name(f"{svg.stem}-{kind}{svg.suffix}")
            recorder = profiling.Recorder(pids[0], svg)
        cpu = cpu_seconds(pids)
        for i, slot in enumerate(slot_ids):
            sent = time.perf_counter()
            status = post_booking(port, slot, cookies[(i + shift) % len(cookies)])
            latencies.append((time.perf_counter() - sent) * 1000)
            if status != want:
                odd.append(status)
        per_request = (cpu_seconds(pids) - cpu) * 1000 / max(len(slot_ids), 1)
        result[kind] = (latencies, per_request, odd)
        if recorder:
            PROFILES[kind] = (recorder.svg, recorder.stop())
    return result


PROFILES: dict[str, tuple[Path, dict]] = {}  # one by one, with --profile


def _own_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def double_bookings(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM (SELECT slot_id FROM bookings_booking "
        "WHERE status = ANY(%s) GROUP BY slot_id HAVING count(*) > 1) twice",
        [list(ACTIVE)],
    )
    return cursor.fetchone()[0]


# --- pgbench --------------------------------------------------------------------------


def pgbench_pool(cursor, teacher_id: int, size: int) -> tuple[int, int]:
    """`size` fresh slots (windows of 8) far in the future, for pgbench to book."""
    windows = -(-size // SLOTS_PER_WINDOW)
    cursor.execute(
        """
        INSERT INTO bookings_bookingwindow (organiser_id, starts_at, ends_at,
            slot_minutes, opens_at, form, how_to_join, created_by_id, created_at,
            cancel_reason)
        SELECT %s, now() + make_interval(days => 400 + g),
            now() + make_interval(days => 400 + g, hours => 2), 15, now(),
            'chat', '', %s, now(), ''
        FROM generate_series(1, %s) g
        RETURNING id
        """,
        [teacher_id, teacher_id, windows],
    )
    window_ids = sorted(row[0] for row in cursor.fetchall())
    cursor.execute(
        """
        INSERT INTO bookings_slot (window_id, starts_at, ends_at)
        SELECT w.id, w.starts_at + make_interval(mins => 15 * k),
            w.starts_at + make_interval(mins => 15 * k + 15)
        FROM bookings_bookingwindow w, generate_series(0, %s) k
        WHERE w.id BETWEEN %s AND %s
        ORDER BY w.id, k
        """,
        [SLOTS_PER_WINDOW - 1, window_ids[0], window_ids[-1]],
    )
    cursor.execute(
        "SELECT min(id), max(id), count(*) FROM bookings_slot "
        "WHERE window_id BETWEEN %s AND %s",
        [window_ids[0], window_ids[-1]],
    )
    lo, hi, count = cursor.fetchone()
    if hi - lo + 1 != count:
        raise RuntimeError("pool slot ids are not contiguous")
    return lo, hi


def run_pgbench(args, db: str, lo, hi, slo, shi, clients: int) -> tuple[float, str]:
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        return 0.0, "pgbench not found: apt-get install postgresql (it ships pgbench)"
    server = urllib.parse.urlsplit(args.pg)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(PGBENCH_SCRIPT)
    command = [
        pgbench,
        "-h",
        server.hostname or "127.0.0.1",
        "-p",
        str(server.port or 5432),
        "-U",
        server.username or "postgres",
        "-n",
        "-f",
        script.name,
        "-c",
        str(clients),
        "-j",
        str(min(clients, os.cpu_count() or 2)),
        "-T",
        str(args.pgbench_seconds),
        "-D",
        f"lo={lo}",
        "-D",
        f"hi={hi}",
        "-D",
        f"slo={slo}",
        "-D",
        f"shi={shi}",
        db,
    ]
    env = {**os.environ}
    if server.password:
        env["PGPASSWORD"] = server.password
    try:
        out = subprocess.run(  # noqa: S603 (pgbench, fixed arguments)
            command, capture_output=True, text=True, check=True, env=env
        ).stdout
    finally:
        os.unlink(script.name)
    tps = next(
        float(line.split("=")[1].split()[0])
        for line in out.splitlines()
        if line.strip().startswith("tps =")
    )
    failed = next((line.strip() for line in out.splitlines() if "failed" in line), "")
    return tps, failed


# --- Main -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    args = parse_args()
    global HTMX
    HTMX = not args.plain
    if args.tries < 1 or args.clients < 1 or args.slots < 1:
        sys.exit("clients, slots and tries must be at least 1")
    db = f"{os.environ.get('BENCH_DB_PREFIX', 'umka_')}rush_{os.getpid()}"
    redis_url = checked_redis_url(args.redis, DEFAULT_REDIS) if args.redis else ""
    if redis_url:
        claim_redis(redis_url, LOCK)
    url = f"{args.pg.rstrip('/')}/{db}"
    var_dir = tempfile.mkdtemp(prefix="umka-rush-")
    started = time.perf_counter()
    create_database(args.pg, db)
    server = worker = None
    try:
        setup_django(url, var_dir, redis_url)
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        teacher, students, slot_ids = build_school(args.clients, args.slots)
        more_ids = open_more_slots(
            teacher,
            min(args.one_by_one, args.clients - 1),
            after_days=3 + -(-args.slots // SLOTS_PER_WINDOW),
        )
        cookies = sign_in_everyone(students)
        connections.close_all()
        prepared = time.perf_counter() - started

        port = free_port()
        log_path = Path(var_dir) / "gunicorn.log"
        with log_path.open("w") as log:
            worker = start_worker(log)
            server = start_server(port, args.workers, args.threads, log)
            try:
                wait_for(port, server, "gunicorn")
            except RuntimeError:
                log.flush()
                sys.stderr.write(log_path.read_text()[-3000:])
                raise
            warm_up(port, cookies[0], slot_ids[0], 4 * args.workers * args.threads)
            import datetime as dt

            from django.utils import timezone

            from umka.bookings.models import BookingWindow

            opens_at = timezone.now() + dt.timedelta(seconds=args.lead)
            BookingWindow.objects.update(opens_at=opens_at)
            connections.close_all()
            recorder = None
            if args.profile:
                from bench import profiling

                recorder = profiling.Recorder(server.pid, Path(args.profile))
            server_pids = family(server.pid)
            cpu_before = (cpu_seconds(server_pids), _own_cpu())
            attempts = rush(port, cookies, slot_ids, args.tries, opens_at.timestamp())
            rush_cpu = (
                cpu_seconds(server_pids) - cpu_before[0],
                _own_cpu() - cpu_before[1],
            )
            stacks = recorder.stop() if recorder else None
            # The rush's clients hold one booking each: the others book one by one.
            singles = one_by_one(
                port, cookies, more_ids, family(server.pid), args.profile
            )
            expected_notices = 2 * (
                sum(1 for a in attempts if a.status == 302)
                + sum(1 for _ in singles["booking"][0])
            )
            notices = wait_for_notices(expected_notices)
            worker.terminate()
            worker.wait(timeout=30)
            server.terminate()
            server.wait(timeout=30)
            server = None

        booked = [a for a in attempts if a.status == 302]
        taken = [a for a in attempts if a.status == 409]
        other = [a for a in attempts if a.status not in (302, 409)]
        first = min(a.sent_at for a in attempts)
        last = max(a.sent_at + a.latency for a in attempts)
        wall = last - first
        last_booking = max((a.sent_at + a.latency for a in booked), default=first)
        latencies = [a.latency * 1000 for a in attempts]
        per_slot: dict[int, int] = {}
        for a in booked:
            per_slot[a.slot] = per_slot.get(a.slot, 0) + 1
        with connection.cursor() as cursor:
            doubled_sql = double_bookings(cursor)
            cursor.execute(
                "SELECT count(DISTINCT slot_id) FROM bookings_booking "
                "WHERE status = ANY(%s) AND slot_id = ANY(%s)",
                [list(ACTIVE), slot_ids],
            )
            filled = cursor.fetchone()[0]
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        doubled_http = sum(1 for n in per_slot.values() if n > 1)

        print(
            f"booking_rush: {args.clients} clients, {len(slot_ids)} slots, "
            f"up to {args.tries} tries each, posting as "
            f"{'a page without JavaScript' if args.plain else 'the page does (htmx)'}"
            f"; gunicorn {args.workers} workers × "
            f"{args.threads} threads; {version}; "
            f"DB_CONN_MAX_AGE={os.environ['DB_CONN_MAX_AGE']}; "
            f"Redis {redis_url or 'none'}; load average {os.getloadavg()[0]:.1f}; "
            f"set-up {prepared:.1f} s"
        )
        print("HTTP (POST /bookings/slots/<id>/book/ the moment booking opens):")
        print(
            f"  attempts          {len(attempts)} in {wall:.2f} s = "
            f"{len(attempts) / wall:.1f} attempts/s"
        )
        fill_time = max(last_booking - first, 1e-9)
        print(
            f"  bookings          {len(booked)} in {fill_time:.2f} s = "
            f"{len(booked) / fill_time:.1f} bookings/s "
            f"({filled} of {len(slot_ids)} slots filled)"
        )
        print(f"  «slot taken»      {len(taken)} (HTTP 409)")
        if other:
            codes = sorted({a.status for a in other})
            print(f"  other answers     {len(other)} (HTTP {codes}) — see {log_path}")
        print(
            f"  latency           median {statistics.median(latencies):.0f} ms, "
            f"p95 {percentile(latencies, 0.95):.0f} ms, "
            f"max {max(latencies):.0f} ms"
        )
        server_ms, client_ms = (1000 * c / len(attempts) for c in rush_cpu)
        print(
            f"  CPU               server {server_ms:.1f} ms, the {args.clients} client "
            f"threads {client_ms:.1f} ms an attempt (the machine's {os.cpu_count()} "
            f"cores give {1000 * os.cpu_count() / (len(attempts) / wall):.1f} ms an "
            "attempt: PostgreSQL, Redis, the worker and other work take the rest)"
        )
        print(
            f"  double bookings   {doubled_sql} (SQL: slots with more than one active "
            f"booking); {doubled_http} slots answered 302 twice"
        )

        (b_lat, b_cpu, b_odd), (r_lat, r_cpu, r_odd) = (
            singles["booking"],
            singles["refusal"],
        )
        if b_lat and r_lat:
            print(
                f"One at a time on an idle server ({len(b_lat)} bookings, then "
                f"{len(r_lat)} refusals «slot taken» of the same slots):"
            )
            print(
                f"  booking  median {statistics.median(b_lat):.1f} ms, "
                f"server CPU {b_cpu:.1f} ms a request"
            )
            print(
                f"  refusal  median {statistics.median(r_lat):.1f} ms, "
                f"server CPU {r_cpu:.1f} ms a request"
            )
            times = statistics.median(b_lat) / statistics.median(r_lat)
            print(
                f"  a refusal costs {b_cpu / max(r_cpu, 1e-9):.2f}× less CPU than a "
                f"booking (goal ≥ 2×), {times:.2f}× less time"
            )
        if b_odd or r_odd:
            print(f"  ! unexpected answers one at a time: {sorted({*b_odd, *r_odd})}")
        lost_notices = max(0, expected_notices - notices)
        print(
            f"Notices of new bookings (written by the task worker after the commit): "
            f"{notices} of {expected_notices}"
            + (f" — {lost_notices} LOST" if lost_notices else "")
        )
        if stacks is not None:
            print(f"Profile of the server during the rush ({args.profile}):")
            print(profiling.summary(stacks))
        for kind, (svg, kind_stacks) in PROFILES.items():
            print(f"Profile of the {kind}s one at a time ({svg}):")
            print(profiling.summary(kind_stacks, count=12))

        with connection.cursor() as cursor:
            lo, hi = pgbench_pool(cursor, teacher.pk, args.pool)
        connections.close_all()
        ids = sorted(s.pk for s in students)
        if ids[-1] - ids[0] + 1 != len(ids):
            raise RuntimeError("student ids are not contiguous")
        pg_clients = args.pgbench_clients or args.workers * args.threads
        tps, failed = run_pgbench(args, db, lo, hi, ids[0], ids[-1], pg_clients)
        with connection.cursor() as cursor:
            doubled_after = double_bookings(cursor)
        rate = len(attempts) / wall
        print(
            f"pgbench (the same transaction: lock the slot, check it is free, INSERT "
            f"under the same constraints), {pg_clients} clients, "
            f"{args.pgbench_seconds} s, {hi - lo + 1} fresh slots:"
        )
        if tps:
            print(f"  {tps:.1f} transactions/s{f' ({failed})' if failed else ''}")
            print(
                f"  HTTP attempts / pgbench: {100 * rate / tps:.1f} % (goal ≥ 25 %); "
                f"pgbench / HTTP {tps / rate:.1f}×; "
                f"bookings/s through HTTP: {len(booked) / fill_time:.1f}"
            )
        else:
            print(f"  {failed}")
        print(f"  double bookings after pgbench: {doubled_after}")
        print(f"total {time.perf_counter() - started:.1f} s")
        return 1 if doubled_sql or doubled_http or doubled_after or lost_notices else 0
    finally:
        close_connections()
        for proc in (server, worker):
            if proc is not None and proc.poll() is None:
                proc.kill()
        if not args.keep:
            drop_database(args.pg, db)
        if redis_url:
            release_redis(redis_url, LOCK)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
