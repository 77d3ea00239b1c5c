"""Faults, measured (issue 15): Redis stopped in the middle of a chat, PostgreSQL
restarted during a booking rush, the task worker killed in the middle of an import.

    make bench-faults
    .venv/bin/python bench/faults.py --clients 20 --outage 10

It runs its own throwaway servers, never the machine's: a PostgreSQL cluster made
with `initdb` under a temporary folder (as the `postgres` user when run as root)
on a free loopback port, and a `redis-server` on another free port (database 12),
with RDB persistence as a packaged Redis has (a stop saves, a start loads). Umka
runs on them as in production: gunicorn for pages and bookings, uvicorn for the
rooms' WebSocket (Redis pub/sub channel layer), the Huey worker.

1. Redis stops for --outage seconds in the middle of a chat among --clients
   people (a quarter only listen). Each client behaves as room.js: it reconnects
   with backoff asking for the messages after the last id it has, keeps what it
   wrote until the server echoes it and sends it again after a reconnect. Pages
   are probed and bookings made meanwhile; their e-mails cannot be queued.
2. PostgreSQL is stopped for --pg-down seconds, then started, during a booking
   rush of --bookers students; a client retries a 503 (retryable) and tries
   another slot on a 409.
3. The task worker is killed (SIGKILL) while it applies an import of
   --import-rows students; the sweep then marks the job failed.

Per fault it prints the requests refused during it, the seconds to recover, and
what was lost (messages, bookings, rows half-applied): the exit status is 1 if
anything was lost or doubled, or a 500 answered.
"""

import argparse
import asyncio
import contextlib
import glob
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import booking_rush, chat_fanout  # noqa: E402
from bench.servers import free_port, wait_for  # noqa: E402

DB_NAME = "umka_faults"
REDIS_DB = 12


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="chat clients (20)")
    parser.add_argument("--outage", type=float, default=10, help="Redis down, s (10)")
    parser.add_argument("--bookers", type=int, default=80, help="rush clients (80)")
    parser.add_argument("--pg-down", type=float, default=3, help="PostgreSQL down, s")
    parser.add_argument("--import-rows", type=int, default=3000, help="rows (3000)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    return parser.parse_args()


def log(text: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- Our own PostgreSQL and Redis -----------------------------------------------------


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class OwnPostgres:
    def __init__(self, folder: Path):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            sys.exit("bench-faults needs PostgreSQL's initdb (/usr/lib/postgresql)")
        self.bin = Path(found[-1]).parent
        self.dir = folder / "pg"
        self.port = free_port()
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
            shutil.chown(self.dir, "postgres")
        subprocess.run(  # noqa: S603
            _as_postgres(
                [str(self.bin / "initdb"), "-D", str(self.dir), "-A", "trust"]
                + ["-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
            ),
            check=True,
            capture_output=True,
        )
        self.start()

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=200"
        )
        subprocess.run(  # noqa: S603
            _as_postgres(
                [str(self.bin / "pg_ctl"), "-D", str(self.dir), "-o", options]
                + ["-l", str(self.dir / "log"), "-w", *args]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"


class OwnRedis:
    def __init__(self, folder: Path):
        self.dir = folder / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.proc = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.dir), "--save", "3600 1", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("our redis-server did not start")

    def stop(self) -> None:
        """As `systemctl stop redis`: SIGTERM, Redis saves its data and exits."""
        self.proc.terminate()
        self.proc.wait(10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/{REDIS_DB}"


# --- HTTP -----------------------------------------------------------------------------


def request(port, method, path, cookie, body=None) -> int:
    session, csrf = cookie
    headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}"}
    if body is not None:
        headers.update(
            {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf}
        )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def book(port, slot, cookie) -> int:
    body = urllib.parse.urlencode({"note": "Разобрать задачу из контрольной"})
    return request(port, "POST", f"/bookings/slots/{slot}/book/", cookie, body)


# --- Fault 1: Redis stops in the middle of a chat -------------------------------------


class ChatClient:
    """One person in the room, behaving as room.js does."""

    def __init__(self, index: int, key: str, port: int, room: int, sends: bool):
        self.index, self.key, self.port, self.room = index, key, port, room
        self.sends = sends
        self.last_id = 0
        self.seen: set[int] = set()
        self.duplicate_frames = 0
        self.outbox: dict[str, str] = {}
        self.written: list[str] = []  # every client_id it wrote
        self.refused: set[str] = set()
        self.ws = None
        self.online = asyncio.Event()
        self.reconnects = 0
        self.closed_codes: list[int] = []
        self.failures: list[str] = []

    def handle(self, data: dict) -> None:
        kind = data.get("type")
        if kind == "hello":
            for message in data.get("messages", []):
                self.message(message)
        elif kind == "message":
            self.message(data["message"])
        elif kind == "error" and data.get("client_id"):
            if data.get("code") == "too_fast":
                return  # stays in the outbox: sent again on the next round
            self.refused.add(data["client_id"])
            self.outbox.pop(data["client_id"], None)

    def message(self, message: dict) -> None:
        if message["id"] in self.seen:
            self.duplicate_frames += 1  # dropped by its id, as room.js does
        self.seen.add(message["id"])
        self.last_id = max(self.last_id, message["id"])
        self.outbox.pop(message.get("client_id") or "", None)

    async def run(self, stop: asyncio.Event) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import WebSocketException

        backoff = 0.25
        while not stop.is_set():
            try:
                async with connect(
                    f"ws://127.0.0.1:{self.port}/ws/rooms/{self.room}/"
                    f"?after={self.last_id}",
                    origin=f"http://127.0.0.1:{self.port}",
                    additional_headers={"Cookie": f"sessionid={self.key}"},
                    ping_interval=None,
                    open_timeout=10,
                ) as ws:
                    async for raw in ws:
                        data = json.loads(raw)
                        self.handle(data)
                        if data.get("type") == "hello":
                            self.ws = ws
                            self.online.set()
                            backoff = 0.25
                            for cid, html in list(self.outbox.items()):
                                await ws.send(self.frame(cid, html))
                    self.closed_codes.append(ws.close_code or 0)
            except (WebSocketException, OSError, TimeoutError) as exc:
                self.failures.append(type(exc).__name__)
            if self.ws is not None or self.online.is_set():
                self.reconnects += 1
            self.ws = None
            self.online.clear()
            if stop.is_set():
                break
            await asyncio.sleep(backoff * (0.75 + random.random() / 2))
            backoff = min(backoff * 2, 2.0)

    @staticmethod
    def frame(cid: str, html: str) -> str:
        return json.dumps({"type": "chat", "client_id": cid, "html": html})

    async def write(self, n: int) -> None:
        cid = f"c{self.index}-{n}"
        html = f"<p>Сообщение {n} от {self.index}</p>"
        self.outbox[cid] = html
        self.written.append(cid)
        if self.ws is not None:
            # A closed socket: sent again after the reconnect.
            with contextlib.suppress(Exception):
                await self.ws.send(self.frame(cid, html))


def chat_fault(args, redis: "OwnRedis", ports, room, keys, probe) -> dict:
    async def main() -> dict:
        stop = asyncio.Event()
        clients = [
            ChatClient(i, key, ports["ws"], room.pk, sends=i % 4 != 3)
            for i, key in enumerate(keys)
        ]
        runners = [asyncio.create_task(c.run(stop)) for c in clients]
        try:
            await asyncio.wait_for(
                asyncio.gather(*(c.online.wait() for c in clients)), 60
            )
        except TimeoutError:
            online = sum(c.online.is_set() for c in clients)
            failures = [f for c in clients for f in c.failures]
            raise RuntimeError(
                f"{online} clients online; failures {failures[:10]}"
            ) from None
        sending = True

        async def writer(client: ChatClient) -> None:
            n = 0
            await asyncio.sleep(random.random() * 3)
            while sending:
                await client.write(n)
                n += 1
                await asyncio.sleep(3)

        writers = [asyncio.create_task(writer(c)) for c in clients if c.sends]
        await asyncio.sleep(5)
        log(f"stopping Redis for {args.outage:g} s")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, redis.stop)
        down_at = time.monotonic()
        probe.start()
        await asyncio.sleep(args.outage)
        kept = await loop.run_in_executor(None, pending_tasks)
        await loop.run_in_executor(None, redis.start)
        up_at = time.monotonic()
        log("Redis is back")
        probe.stop()
        # Recovered: everyone online again, and what was written before Redis
        # came back is confirmed by the server (echoed, or in the history).
        waiting = {cid for c in clients for cid in c.outbox}
        online_after = None
        while time.monotonic() - up_at < 60:
            if online_after is None and all(c.online.is_set() for c in clients):
                online_after = time.monotonic() - up_at
            unconfirmed = waiting & {cid for c in clients for cid in c.outbox}
            if online_after is not None and not unconfirmed:
                break
            await asyncio.sleep(0.1)
        recovered = time.monotonic() - up_at
        await asyncio.sleep(4)
        sending = False
        for task in writers:
            task.cancel()
        # Let the last messages arrive everywhere.
        deadline = time.monotonic() + 20
        stored = set()
        while time.monotonic() < deadline:
            stored = await loop.run_in_executor(None, stored_ids, room)
            if all(
                c.online.is_set() and not c.outbox and stored <= c.seen for c in clients
            ):
                break
            await asyncio.sleep(0.5)
        stop.set()
        for c in clients:
            if c.ws is not None:
                await c.ws.close()
        await asyncio.gather(*runners, return_exceptions=True)
        return {
            "clients": clients,
            "stored": stored,
            "recovered": recovered,
            "online_after": online_after or recovered,
            "waiting": len(waiting),
            "kept": kept,
            "down_for": up_at - down_at,
        }

    return asyncio.run(main())


def stored_ids(room) -> set[int]:
    from django.db import connections

    from umka.rooms.models import ChatMessage

    try:
        return set(ChatMessage.objects.filter(room=room).values_list("pk", flat=True))
    finally:
        connections.close_all()


def pending_tasks() -> int:
    from django.db import connections

    from umka.core.models import PendingTask

    try:
        return PendingTask.objects.count()
    finally:
        connections.close_all()


def stored_client_ids(room) -> set[str]:
    from django.db import connections

    from umka.rooms.models import ChatMessage

    try:
        return set(
            ChatMessage.objects.filter(room=room).values_list("client_id", flat=True)
        )
    finally:
        connections.close_all()


class Probe:
    """During the outage: pages of a signed-in student and bookings, every 0.25 s
    and every 0.5 s, from threads."""

    def __init__(self, port, cookies, slots, pages):
        self.port, self.cookies, self.slots, self.pages = port, cookies, slots, pages
        self.page_answers: list[int] = []
        self.booked: list[tuple[int, int, int]] = []  # (slot, student index, status)
        self.running = False
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        self.running = True
        self.threads = [
            threading.Thread(target=self._pages, args=(0,)),
            threading.Thread(target=self._pages, args=(1,)),
            threading.Thread(target=self._bookings, args=(0,)),
            threading.Thread(target=self._bookings, args=(1,)),
        ]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join()

    def _pages(self, first: int) -> None:
        n = first
        while self.running:
            path = self.pages[n % len(self.pages)]
            self.page_answers.append(request(self.port, "GET", path, self.cookies[0]))
            n += 1
            time.sleep(0.25)

    def _bookings(self, half: int) -> None:
        for i, slot in enumerate(self.slots):
            if i % 2 != half:
                continue
            if not self.running:
                return
            self.booked.append((slot, i, book(self.port, slot, self.cookies[i])))
            time.sleep(0.5)


# --- Fault 2: PostgreSQL restarts during a booking rush -------------------------------


def rush_fault(args, pg: OwnPostgres, port, cookies, slots) -> dict:
    """Each client books one slot: 409 → another slot, 503 or no answer → the same
    again after a short pause (what a person does with «try again»)."""
    answers: list[tuple[float, int]] = []
    booked: dict[int, int] = {}  # client → slot it was told it booked
    lock = threading.Lock()
    start = time.monotonic() + 1.0
    rng = random.Random(7)
    # Its preferred slot, then at most four others (as booking_rush's --tries).
    plans = [
        [slots[i % len(slots)], *rng.sample(slots, 4)] for i in range(len(cookies))
    ]
    delays = [rng.random() * 4 for _ in cookies]
    down = {"at": None, "up": None}

    def client(i: int) -> None:
        time.sleep(max(0.0, start + delays[i] - time.monotonic()))
        tried = 0
        for _ in range(40):
            if tried >= len(plans[i]):
                return
            status = book(port, plans[i][tried], cookies[i])
            with lock:
                answers.append((time.monotonic(), status))
            if status == 302:
                booked[i] = plans[i][tried]
                return
            if status == 409:
                tried += 1
            elif status in (503, 0):
                time.sleep(0.5)
            else:
                return  # another answer: counted below

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(cookies))]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start + 1.5 - time.monotonic()))
    log(f"stopping PostgreSQL for {args.pg_down:g} s during the rush")
    down["at"] = time.monotonic()
    pg.stop()
    time.sleep(args.pg_down)
    pg.start()
    down["up"] = time.monotonic()
    log("PostgreSQL is back")
    for thread in threads:
        thread.join()
    after = [a for a in answers if a[0] > down["up"]]
    first_ok = min((t for t, s in after if s in (302, 409)), default=down["up"])
    return {
        "answers": answers,
        "booked": booked,
        "down": down,
        "recovered": first_ok - down["up"],
        "after": after,
    }


# --- Fault 3: the worker dies in the middle of an import ------------------------------


def _word(n: int) -> str:
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    word = ""
    while True:
        n, digit = divmod(n, len(letters))
        word += letters[digit]
        if not n:
            return word


def import_rows(count: int) -> bytes:
    lines = ["Фамилия;Имя;Отчество;Дата рождения;Класс;Логин"]
    for n in range(count):
        lines.append(f"Импорт{_word(n)};Иван;Петрович;01.09.2012;7А;imp{n:05d}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_fault(args, teacher_admin, year, restart_worker, kill_worker) -> dict:
    from django.conf import settings
    from django.db import connections, transaction

    from umka.accounts.models import User
    from umka.imports import services
    from umka.imports.progress import progress_get

    users_before = User.objects.count()
    with transaction.atomic():
        job = services.import_job_create(
            actor=teacher_admin,
            kind="students",
            file_name="students.csv",
            data=import_rows(args.import_rows),
            year=year,
            options={},
            dry_run=False,
        )
    deadline = time.monotonic() + 90
    phase = None
    while time.monotonic() < deadline:
        progress = progress_get(job.pk) or {}
        phase = progress.get("phase")
        if phase == "applying" and progress.get("done", 0) > 0:
            break
        time.sleep(0.1)
    log(f"killing the worker while the import is {phase} ({progress})")
    kill_worker()
    killed_at = time.monotonic()
    connections.close_all()
    job.refresh_from_db()
    status_after_kill = job.status
    users_after_kill = User.objects.count()
    # The sweep (every 5 minutes in production) with a short limit for the bench.
    settings.IMPORT_STALE_MINUTES = 0.05
    marked = 0
    while time.monotonic() - killed_at < 30 and not marked:
        time.sleep(0.5)
        marked = services.import_stale_fail()
    job.refresh_from_db()
    restart_worker()
    time.sleep(3)
    job.refresh_from_db()
    return {
        "phase": phase,
        "status_after_kill": status_after_kill,
        "status": job.status,
        "message": (job.errors or [{}])[0].get("message", ""),
        "half_applied": users_after_kill - users_before,
        "users_now": User.objects.count() - users_before,
        "recovered": time.monotonic() - killed_at - 3,
    }


# --- Main -----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="umka-faults-"))
    os.chmod(folder, 0o755)  # noqa: S103 - the postgres user enters it
    procs: dict[str, subprocess.Popen] = {}
    pg = redis = None
    began = time.monotonic()
    try:
        pg = OwnPostgres(folder)
        redis = OwnRedis(folder)
        booking_rush.create_database(pg.url, DB_NAME)
        var_dir = folder / "var"
        var_dir.mkdir()
        os.environ["OUTBOX_DRAIN_SECONDS"] = "1"
        os.environ["DB_CONN_MAX_AGE"] = "60"
        booking_rush.setup_django(f"{pg.url}/{DB_NAME}", str(var_dir), redis.url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        world = build_world(args)
        logs = open(folder / "servers.log", "w")  # noqa: SIM115
        ports = {"web": free_port(), "ws": free_port()}
        procs["web"] = booking_rush.start_server(ports["web"], 2, 4, logs)
        procs["ws"] = chat_fanout.start_server("uvicorn", ports["ws"], os.environ, logs)
        procs["worker"] = booking_rush.start_worker(logs)
        wait_for(ports["web"], procs["web"], "gunicorn")
        wait_for(ports["ws"], procs["ws"], "uvicorn")
        from django.db import connections

        connections.close_all()
        print(
            f"bench-faults: own PostgreSQL :{pg.port} and redis-server :{redis.port}"
            f" (db {REDIS_DB}); gunicorn, uvicorn, the Huey worker; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        failed = False

        # 1. Redis
        probe = Probe(
            ports["web"],
            world["outage_cookies"],
            world["outage_slots"],
            ["/", "/bookings/", "/bookings/find/", "/schedule/"],
        )
        result = chat_fault(
            args, redis, ports, world["room"], world["chat_keys"], probe
        )
        failed |= report_chat(args, result, probe, world)

        # 2. PostgreSQL
        rush = rush_fault(
            args, pg, ports["web"], world["rush_cookies"], world["rush_slots"]
        )
        failed |= report_rush(rush, world)

        # 3. the worker
        def kill_worker() -> None:
            procs["worker"].send_signal(signal.SIGKILL)
            procs["worker"].wait()

        def restart_worker() -> None:
            procs["worker"] = booking_rush.start_worker(logs)

        result = import_fault(
            args, world["admin"], world["year"], restart_worker, kill_worker
        )
        failed |= report_import(result)
        print(f"  the whole run took {time.monotonic() - began:.0f} s")
        return 1 if failed else 0
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110
            pass
        if redis and redis.proc and redis.proc.poll() is None:
            redis.proc.terminate()
        if pg:
            with contextlib.suppress(subprocess.CalledProcessError):
                pg.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"  kept {folder}")


def build_world(args) -> dict:
    """The rush's school (booking_rush) and the chat's room (chat_fanout)."""
    import datetime as dt

    from django.utils import timezone

    from umka.accounts.models import Role, RoleAssignment
    from umka.bookings.models import BookingWindow
    from umka.notifications.models import NotificationPreference

    outage_students = 20
    bookers = args.bookers
    slots_needed = outage_students + bookers * 3 // 4
    teacher, students, slot_ids = booking_rush.build_school(
        outage_students + bookers, slots_needed
    )
    BookingWindow.objects.update(opens_at=timezone.now() - dt.timedelta(minutes=1))
    # The teacher reads e-mail: each booking queues one (the task queue's work).
    teacher.email = "teacher@example.org"
    teacher.save(update_fields=["email"])
    NotificationPreference.objects.update_or_create(
        user=teacher, defaults={"email_enabled": True}
    )
    from umka.accounts.models import User

    admin = User.objects.create(username="faults_admin", last_name="Администратор")
    RoleAssignment.objects.create(user=admin, role=Role.ADMINISTRATOR)
    cookies = booking_rush.sign_in_everyone(students)
    room, _organiser, chat_students = chat_fanout.build_room(args.clients)
    from umka.school.models import AcademicYear

    return {
        "teacher": teacher,
        "admin": User.objects.get(pk=admin.pk),
        "year": AcademicYear.objects.get(name="bench"),
        "outage_cookies": cookies[:outage_students],
        "outage_slots": slot_ids[:outage_students],
        "rush_cookies": cookies[outage_students:],
        "rush_slots": slot_ids[outage_students:],
        "room": room,
        "chat_keys": chat_fanout.sign_in(chat_students),
        "students": students,
    }


def report_chat(args, result, probe: Probe, world) -> bool:
    from django.db import connections

    from umka.bookings.models import Booking
    from umka.core.models import PendingTask
    from umka.notifications.models import EmailDelivery

    clients = result["clients"]
    stored = result["stored"]
    stored_cids = stored_client_ids(world["room"])
    written = {cid for c in clients for cid in c.written}
    refused = {cid for c in clients for cid in c.refused}
    vanished = written - stored_cids - refused
    missing = sum(len(stored - c.seen) for c in clients)
    if missing:
        print(
            "   missing per client     "
            + ", ".join(
                f"{c.index}{'' if c.sends else ' (listens)'}: {len(stored - c.seen)}"
                for c in clients
                if stored - c.seen
            )
        )
    pages = probe.page_answers
    page_bad = [s for s in pages if s != 200]
    told_booked = {slot for slot, _i, status in probe.booked if status == 302}
    in_db = set(
        Booking.objects.filter(slot_id__in=world["outage_slots"]).values_list(
            "slot_id", flat=True
        )
    )
    bookings_bad = [s for _slot, _i, s in probe.booked if s != 302]
    lost_bookings = len(told_booked - in_db)
    # The task queue: the e-mails of the bookings made while Redis was away.
    deadline = time.monotonic() + 30
    waiting = PendingTask.objects.count()
    while time.monotonic() < deadline:
        waiting = PendingTask.objects.count()
        unsent = EmailDelivery.objects.exclude(status=EmailDelivery.Status.SENT).count()
        if not waiting and not unsent:
            break
        time.sleep(0.5)
    sent = EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).count()
    deliveries = EmailDelivery.objects.count()
    connections.close_all()
    print(
        f"1. Redis stopped for {result['down_for']:.1f} s during a chat of "
        f"{len(clients)} clients ({sum(c.sends for c in clients)} writing)"
    )
    print(
        f"   pages probed during it  {len(pages)}, refused {len(page_bad)} "
        f"{sorted(set(page_bad))}"
    )
    print(
        f"   bookings during it      {len(probe.booked)}, refused "
        f"{len(bookings_bad)} {sorted(set(bookings_bad))}, lost {lost_bookings}"
    )
    print(
        f"   chat messages           {len(written)} written, {len(stored)} accepted, "
        f"{len(refused)} refused visibly, {len(vanished)} vanished"
    )
    print(
        f"   deliveries              {len(stored) * len(clients) - missing} of "
        f"{len(stored) * len(clients)} (missing {missing}); duplicate frames "
        f"dropped by id {sum(c.duplicate_frames for c in clients)}"
    )
    print(
        f"   reconnects              {sum(c.reconnects for c in clients)} "
        f"(all {len(clients)} online again {result['online_after']:.1f} s, the "
        f"{result['waiting']} messages written meanwhile confirmed "
        f"{result['recovered']:.1f} s after Redis came back)"
    )
    print(
        f"   task queue              {result['kept']} tasks kept in the outbox "
        f"while Redis was away; {deliveries} e-mails, {sent} sent; "
        f"{waiting} still in the outbox"
    )
    return bool(
        vanished
        or missing
        or lost_bookings
        or page_bad
        or waiting
        or 500 in bookings_bad
    )


def report_rush(rush, world) -> bool:
    from django.db import connections

    from umka.bookings.models import Booking

    answers = rush["answers"]
    down = rush["down"]
    during = [s for t, s in answers if down["at"] <= t <= down["up"] + 0.5]
    after = [s for _t, s in rush["after"]]
    rows = list(
        Booking.objects.filter(slot_id__in=world["rush_slots"]).values_list(
            "slot_id", "student_id"
        )
    )
    student_of = {i: s.pk for i, s in enumerate(world["students"][20:])}
    told = {(slot, student_of[i]) for i, slot in rush["booked"].items()}
    lost = len(told - set(rows))
    per_slot = {}
    per_student = {}
    for slot, student in rows:
        per_slot[slot] = per_slot.get(slot, 0) + 1
        per_student[student] = per_student.get(student, 0) + 1
    doubled = sum(n - 1 for n in per_slot.values() if n > 1)
    twice = sum(n - 1 for n in per_student.values() if n > 1)
    connections.close_all()
    statuses = {}
    for _t, s in answers:
        statuses[s] = statuses.get(s, 0) + 1
    print(
        f"2. PostgreSQL stopped for {down['up'] - down['at']:.1f} s during a rush of "
        f"{len(world['rush_cookies'])} clients for {len(world['rush_slots'])} slots"
    )
    print(f"   answers                 {dict(sorted(statuses.items()))} (0: no answer)")
    print(
        f"   refused during it       {sum(1 for s in during if s in (503, 0))} "
        f"(503 retryable or no answer); 500s {statuses.get(500, 0)}"
    )
    print(
        f"   after it is back        {len(after)} answers, {after.count(500)} × 500, "
        f"first served {rush['recovered']:.1f} s after PostgreSQL started"
    )
    print(
        f"   bookings                {len(rows)} stored, {len(told)} told booked, "
        f"lost {lost}, slots doubled {doubled}, students twice {twice}"
    )
    return bool(lost or doubled or statuses.get(500))


def report_import(result) -> bool:
    print(f"3. The worker killed while the import was {result['phase']}")
    print(
        f"   after the kill          job {result['status_after_kill']}, "
        f"rows applied {result['half_applied']} (nothing half-applied)"
    )
    print(
        f"   after the sweep         job {result['status']}: «{result['message']}»; "
        f"marked {result['recovered']:.1f} s after the kill; "
        f"rows now {result['users_now']}"
    )
    return bool(
        result["half_applied"] or result["users_now"] or result["status"] != "failed"
    )


if __name__ == "__main__":
    sys.exit(main())
