"""Chat fan-out in a live room (R4): one sender, --clients receivers in one room,
through the real ASGI stack (uvicorn or daphne → Channels → the Redis channel
layer).

    make bench-chat                                   # 100 receivers, 500 messages
    .venv/bin/python bench/chat_fanout.py --clients 100 --messages 500 --window 10

It makes a throwaway var folder with a SQLite database (or BENCH_DATABASE_URL, e.g.
postgres://postgres@127.0.0.1:5432/umka_chat — it must exist and be empty),
migrates it, creates a small school with an approved schedule and a chat
consultation session starting now for --clients students chosen one by one, its
room, and a signed-in session for each student and for the organiser (the
sender). For each --server in turn (default: uvicorn as production runs it, then
daphne, on the same school) it starts --servers processes on the loopback, all on
the Redis channel layer (--redis, default redis://127.0.0.1:6379/9: that database
index is FLUSHED at the start and at the end), spreads the receivers over them
and puts the sender on the first one, so every message crosses processes through
Redis.

Once everyone has its `hello` and the `joined` notices have settled, the sender
posts --messages chat messages, with at most --window waiting for their echo (or
at --rate messages per second), for at most --seconds; each message's client_id
names it, and its send time is kept (one process, one monotonic clock). With the
window alone the servers are saturated, so the latency is mostly queueing (about
window / throughput); `--rate 10` shows the latency of a room that keeps up.

Every receiver notes when each message arrives. It prints the messages and
deliveries per second, the median, p99 and max delivery latency (send → arrival
at a receiver), the sender's echo time and the deliveries lost or duplicated,
with the goals beside them, and the CPU the servers and the clients spent a delivery;
with several servers, one line each at the end. The exit status is 1 if a
delivery was lost or duplicated, or if the sender got stuck — never for speed.
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.layer_cost import LAYERS  # noqa: E402
from bench.servers import (  # noqa: E402
    checked_redis_url,
    claim_redis,
    close_connections,
    cpu_seconds,
    family,
    free_port,
    release_redis,
    wait_for,
)

DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
#: How the server writes a chat message's frame (umka/rooms/consumers.py, _event).
MESSAGE_FRAME = '{"type": "message", "message": {'
CLIENT_ID = re.compile(r'"client_id": "([^"\\]*)"')
TEXT = "<p>Проверьте, пожалуйста, решение: <b>x = 12 / 7</b>, а не 7 / 12.</p>"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="receivers (100)")
    parser.add_argument("--messages", type=int, default=500, help="messages (500)")
    parser.add_argument(
        "--window",
        type=int,
        default=10,
        help="messages sent but not yet echoed to the sender, at most (10)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="messages per second (default 0: as fast as the window allows)",
    )
    parser.add_argument(
        "--servers", type=int, default=2, help="app server processes (default 2)"
    )
    parser.add_argument(
        "--server",
        nargs="+",
        choices=sorted(SERVERS),
        default=["uvicorn", "daphne"],
        help="the ASGI servers, measured one after the other in the same run on the "
        "same school (default: uvicorn, as production runs it, then daphne); name "
        "them again to take turns on a busy machine: uvicorn daphne uvicorn daphne",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS", DEFAULT_REDIS),
        help=f"Redis for the channel layer, with a database index of its own that "
        f"is flushed (default {DEFAULT_REDIS})",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=25.0,
        help="stop sending after this many seconds even if messages are left (25)",
    )
    parser.add_argument(
        "--layer",
        choices=["pubsub", "lists"],
        default="pubsub",
        help="the servers' channel layer (CHANNEL_LAYER): Redis pub/sub, production's "
        "default, or channels-redis' list-based layer",
    )
    parser.add_argument(
        "--layer-messages",
        type=int,
        default=300,
        help="messages of the channel layers' own comparison first (0: skip it)",
    )
    parser.add_argument(
        "--drain",
        type=float,
        default=10.0,
        help="seconds to wait for missing deliveries after the last echo (10)",
    )
    return parser.parse_args()


# --- Redis ----------------------------------------------------------------------------

LOCK = "umka-bench-chat-fanout"


# --- Django and the school -----------------------------------------------------------


def server_env(var_dir: str, redis_url: str, layer: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("JANUS_URL", "DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "UMKA_VAR_DIR": var_dir,
            "DATABASE_URL": os.environ.get(
                "BENCH_DATABASE_URL", f"sqlite:///{var_dir}/bench.sqlite3"
            ),
            "REDIS_URL": redis_url,
            "CHANNEL_LAYER": layer,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "chat-fanout-bench-not-secret",
            "DEBUG": "0",
            "STATIC_FROM_APPS": "1",  # no collectstatic for a throwaway run
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            # Persistent connections, as a production server runs (booking_rush too).
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        }
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    for name in ("JANUS_URL", "DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(env)
    import django

    django.setup()


def build_room(clients: int):
    """An approved schedule, a chat session starting now for `clients` students
    (chosen one by one, no class), its room; the organiser and the students."""
    import datetime as dt

    from django.test.utils import override_settings

    from umka.accounts.models import Role, RoleAssignment, User
    from umka.consultations.models import Consultation
    from umka.rooms import services
    from umka.rooms.tests.factories import approved_school, make_session

    # The factory gives its people a password: no need for a million PBKDF2 rounds.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=fast):
        school = approved_school()
    students = User.objects.bulk_create(
        User(
            username=f"chat_{i:04d}",
            last_name=f"Ученик{i}",
            first_name="Бенч",
            password=f"!chat{i}",  # unusable: they never sign in with a password
        )
        for i in range(clients)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=s, role=Role.STUDENT) for s in students
    )
    occurrence = make_session(
        school,
        form=Consultation.Form.CHAT,
        starts_in=-dt.timedelta(minutes=1),
        minutes=45,
        classes=[],
        students=students,
    )
    room = services.room_for_occurrence(occurrence)
    return room, school.teacher, students


def sign_in(users) -> list[str]:
    """A session id for each user, as the browser's `sessionid` cookie holds it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


# --- The servers ----------------------------------------------------------------------


#: How each ASGI server is started on a loopback port: uvicorn as production runs it
#: (deploy/systemd/umka-ws@.service), daphne as it ran before.
SERVERS = {
    "uvicorn": [
        "uvicorn",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--ws",
        "websockets-sansio",
        "--ws-per-message-deflate",
        "false",
        "--lifespan",
        "off",
        "--no-access-log",
        "--log-level",
        "warning",
    ],
    "daphne": ["daphne", "-b", "127.0.0.1", "-p", "{port}", "-v", "0"],
}


def start_server(server: str, port: int, env: dict[str, str], log) -> subprocess.Popen:
    program, *arguments = SERVERS[server]
    return subprocess.Popen(  # noqa: S603 (our own venv's server, fixed arguments)
        [
            str(Path(sys.executable).parent / program),
            *(a.format(port=port) for a in arguments),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(servers: list[subprocess.Popen]) -> None:
    for proc in servers:
        if proc.poll() is None:
            proc.terminate()
    for proc in servers:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- The clients ----------------------------------------------------------------------


class Run:
    """What the clients share: send times, arrivals, the last bit of noise."""

    def __init__(self, messages: int, receivers: int, tag: str):
        # Each pass (server) has client ids of its own: a later pass's messages
        # are new ones, not resends of an earlier one's.
        self.prefix = f"bench-{os.getpid()}-{tag}-"
        self.sent: list[float | None] = [None] * messages
        self.echoed: list[float | None] = [None] * messages
        # arrivals[r][n]: when receiver r got message n.
        self.arrivals: list[dict[int, float]] = [{} for _ in range(receivers)]
        self.duplicates = 0
        self.delivered = 0
        self.expected = messages * receivers
        self.all_delivered = asyncio.Event()
        self.last_noise = time.perf_counter()  # joined/left/typing… arrivals
        self.presence_frames = 0  # joined/left frames the receivers got
        self.presence_people = 0  # …and the people they named
        self.errors: list[str] = []
        self.sending_over = False
        self.time_limited = False  # the sender stopped at --seconds
        self.load = 0.0  # the load average when sending starts
        self.cpu = (0.0, 0.0)  # the servers' and the clients' CPU while sending

    def number(self, client_id: str) -> int | None:
        if not client_id.startswith(self.prefix):
            return None
        return int(client_id[len(self.prefix) :])


async def connect(port: int, room: int, session: str):
    from websockets.asyncio.client import connect as ws_connect

    ws = await ws_connect(
        f"ws://127.0.0.1:{port}/ws/rooms/{room}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": f"sessionid={session}"},
        compression=None,
        ping_interval=None,
        open_timeout=30,
        max_size=2**22,
    )
    first = json.loads(await asyncio.wait_for(ws.recv(), 30))
    if first.get("type") != "hello":
        raise RuntimeError(f"expected hello, got {first}")
    return ws


def _arrived(run: Run, mine: dict[int, float], n: int | None, now: float) -> None:
    """Message n reached a receiver (once, or a duplicate)."""
    if n is None:
        return
    if n in mine:
        run.duplicates += 1
        return
    mine[n] = now
    run.delivered += 1
    if run.delivered >= run.expected:
        run.all_delivered.set()


async def receive(ws, index: int, run: Run) -> None:
    from websockets.exceptions import ConnectionClosed

    mine = run.arrivals[index]
    try:
        async for raw in ws:
            now = time.perf_counter()
            if raw.startswith(MESSAGE_FRAME):
                # The receivers are the load generator, not what is measured: a
                # hundred of them read 20,000 frames a second, so a chat message
                # is only searched for its client_id, not parsed.
                found = CLIENT_ID.search(raw)
                _arrived(run, mine, run.number(found.group(1)) if found else None, now)
                continue
            data = json.loads(raw)
            if data.get("type") != "message":
                if data.get("type") == "error":
                    run.errors.append(f"receiver {index}: {data}")
                elif data.get("type") in ("joined", "left"):
                    run.presence_frames += 1
                    run.presence_people += len(
                        data.get("participants") or data.get("peers") or [1]
                    )
                run.last_noise = now
                continue
            _arrived(run, mine, run.number(data["message"].get("client_id", "")), now)
    except ConnectionClosed as closed:
        run.errors.append(f"receiver {index} disconnected: {closed}")


async def send_all(ws, run: Run, window: int, rate: float, seconds: float) -> None:
    """Send every message with at most `window` unechoed (the echo frees a place),
    for at most `seconds`."""
    from websockets.exceptions import ConnectionClosed

    places = asyncio.Semaphore(window)
    echoed = 0
    sent = 0
    done = asyncio.Event()

    async def echoes() -> None:
        nonlocal echoed
        try:
            async for raw in ws:
                now = time.perf_counter()
                data = json.loads(raw)
                if data.get("type") == "error":
                    run.errors.append(f"sender: {data}")
                    places.release()
                    continue
                if data.get("type") != "message":
                    continue
                n = run.number(data["message"].get("client_id", ""))
                if n is None or run.echoed[n] is not None:
                    continue
                run.echoed[n] = now
                echoed += 1
                places.release()
                if echoed == sent and run.sending_over:
                    done.set()
        except ConnectionClosed as closed:
            run.errors.append(f"sender disconnected: {closed}")
            done.set()

    listener = asyncio.create_task(echoes())
    started = time.perf_counter()
    deadline = started + seconds
    for n in range(len(run.sent)):
        try:
            await asyncio.wait_for(places.acquire(), 30)
        except TimeoutError:
            run.errors.append(f"sender: no echo for 30 s, stopped after {n} messages")
            break
        if rate:
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
        if time.perf_counter() > deadline:
            run.time_limited = True
            break
        run.sent[n] = time.perf_counter()
        message = {"type": "chat", "client_id": f"{run.prefix}{n}", "html": TEXT}
        await ws.send(json.dumps(message))
        sent += 1
    run.sending_over = True
    run.expected = sent * len(run.arrivals)
    if run.delivered >= run.expected:
        run.all_delivered.set()
    if echoed == sent:
        done.set()
    try:
        await asyncio.wait_for(done.wait(), 30)
    except TimeoutError:
        run.errors.append(f"sender: {echoed} of {sent} echoes in 30 s")
    listener.cancel()


async def settle(run: Run, quiet: float = 1.0, limit: float = 30.0) -> None:
    """Wait until the `joined` notices of everyone connecting have stopped."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if time.perf_counter() - run.last_noise >= quiet:
            return
        await asyncio.sleep(0.1)


def _own_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def bench(
    args,
    server: str,
    turn: int,
    ports: list[int],
    room: int,
    sender_key: str,
    keys: list[str],
    pids=(),
):
    run = Run(args.messages, len(keys), f"{server}{turn}")
    started = time.perf_counter()
    gate = asyncio.Semaphore(16)  # connections opening at once

    async def open_one(port: int, key: str):
        async with gate:
            return await connect(port, room, key)

    homes = [ports[i % len(ports)] for i in range(len(keys))]
    receivers = await asyncio.gather(
        *(open_one(port, key) for port, key in zip(homes, keys, strict=True))
    )
    listeners = [
        asyncio.create_task(receive(ws, i, run)) for i, ws in enumerate(receivers)
    ]
    sender = await connect(ports[0], room, sender_key)
    connected = time.perf_counter() - started
    await settle(run)

    run.load = os.getloadavg()[0]
    cpu = (cpu_seconds(pids), _own_cpu())
    first_send = time.perf_counter()
    await send_all(sender, run, args.window, args.rate, args.seconds)
    last_echo = time.perf_counter()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(run.all_delivered.wait(), args.drain)
    run.cpu = (cpu_seconds(pids) - cpu[0], _own_cpu() - cpu[1])
    await asyncio.sleep(0.3)  # late duplicates, if any
    for task in listeners:
        task.cancel()
    await asyncio.gather(
        sender.close(), *(ws.close() for ws in receivers), return_exceptions=True
    )
    return run, homes, connected, first_send, last_echo


# --- Main -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(
    args, server: str, run: Run, homes, ports, connected, first_send, last_echo
) -> tuple[int, str]:
    latencies = []
    last_arrival = first_send
    per_server = dict.fromkeys(ports, 0)
    for index, mine in enumerate(run.arrivals):
        per_server[homes[index]] += len(mine)
        for n, at in mine.items():
            latencies.append((at - run.sent[n]) * 1000)
            last_arrival = max(last_arrival, at)
    echoes = [
        (e - s) * 1000
        for s, e in zip(run.sent, run.echoed, strict=True)
        if s is not None and e is not None
    ]
    sent = sum(1 for s in run.sent if s is not None)
    expected = sent * len(run.arrivals)
    lost = expected - run.delivered
    wall = max(last_arrival - first_send, 1e-9)
    spread = ", ".join(
        f":{port} {homes.count(port)} receivers"
        + (" + sender" if port == ports[0] else "")
        for port in ports
    )
    pace = f"{args.rate:g} msg/s" if args.rate else "as fast as the echo allows"
    print(
        f"chat_fanout: {args.servers} {server} "
        f"process{'es' if args.servers > 1 else ''} "
        f"({spread}), channel layer {LAYERS[args.layer]} on "
        f"{args.redis}; {os.environ['DATABASE_URL'].split(':')[0]}, "
        f"DB_CONN_MAX_AGE={os.environ['DB_CONN_MAX_AGE']}; window {args.window}, "
        f"{pace}; load average {run.load:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"  clients connected   {len(homes)} receivers + 1 sender in {connected:.1f} s"
    )
    joins = len(homes) + 1
    print(
        f"  presence frames     {run.presence_frames} «joined» frames naming "
        f"{run.presence_people} people reached the receivers for {joins} joins: "
        f"{run.presence_frames / joins:.1f} a join (one frame per person per join "
        f"would be {joins * (joins - 1) // 2})"
    )
    limited = f" (stopped at --seconds {args.seconds:g})" if run.time_limited else ""
    print(f"  messages sent       {sent} of {args.messages}{limited}")
    print(
        f"  deliveries          {run.delivered} of {expected} "
        f"(lost {lost}, duplicates {run.duplicates})"
    )
    print(
        "  per server          "
        + ", ".join(f":{port} {count}" for port, count in per_server.items())
    )
    print(f"  wall time           {wall:.2f} s (first send → last delivery)")
    print(
        f"  throughput          {sent / wall:.1f} messages/s, "
        f"{run.delivered / wall:.0f} deliveries/s"
        + ("" if args.rate else " (goal: ≥ 200 messages/s, 20,000 deliveries/s)")
    )
    summary = (
        f"{server:8} {sent / wall:6.1f} messages/s ({run.delivered / wall:6.0f} "
        "deliveries/s" + ("" if args.rate else "; goal ≥ 200 and 20,000") + ")"
    )
    if latencies:
        p99 = percentile(latencies, 0.99)
        print(
            f"  delivery latency    median {statistics.median(latencies):.1f} ms, "
            f"p99 {p99:.1f} ms, max {max(latencies):.1f} ms"
            + (" (goal at 10 msg/s: p99 ≤ 50 ms)" if args.rate else "")
        )
        summary += f", median {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms"
        summary += " (goal ≤ 50 ms)" if args.rate else ""
    if echoes:
        print(
            f"  echo to the sender  median {statistics.median(echoes):.1f} ms, "
            f"p99 {percentile(echoes, 0.99):.1f} ms"
        )
    print(
        f"  sending             {last_echo - first_send:.2f} s (first send → last echo)"
    )
    if run.delivered:
        servers_us, clients_us = (1e6 * c / run.delivered for c in run.cpu)
        summary += f", servers {servers_us:.0f} µs CPU a delivery"
        print(
            f"  CPU                 the servers {servers_us:.0f} µs, the clients "
            f"{clients_us:.0f} µs a delivery ({run.cpu[0]:.1f} and {run.cpu[1]:.1f} "
            f"CPU seconds in {wall:.1f} s on {os.cpu_count()} cores)"
        )
    for error in run.errors[:10]:
        print(f"  ! {error}")
    unsent = sent < args.messages and not run.time_limited
    summary += (
        f", load average {run.load:.1f}; lost {lost}, duplicates {run.duplicates}"
    )
    return (1 if lost or run.duplicates or unsent or not sent else 0), summary


def layer_comparison(redis_url: str, args) -> None:
    """The channel layers' own cost in the same run: fan-out to --clients channels
    in two layer instances (the two app servers), no Django, no WebSockets."""
    from bench import layer_cost

    results = layer_cost.measure(
        redis_url, args.clients, args.layer_messages, args.window
    )
    print(
        f"Channel layers alone: {args.clients} channels in one group over two "
        f"layer instances, {args.layer_messages} group_sends, window {args.window}:"
    )
    for kind, (rate, deliveries, median, p99, lost) in results.items():
        print(
            f"  {kind:7} {LAYERS[kind]:46} {rate:7.1f} messages/s, "
            f"{deliveries:8.0f} deliveries/s, median {median:.1f} ms, "
            f"p99 {p99:.1f} ms, lost {lost}"
        )
    pubsub, lists = results["pubsub"][0], results["lists"][0]
    print(f"  pub/sub carries {pubsub / lists:.1f}× the messages of the list layer")


def serve_and_measure(
    args, server: str, turn: int, env, var_dir: str, room: int, keys, started, prepared
) -> tuple[int, str]:
    """Start --servers processes of `server`, run the room through them, stop them."""
    ports = [free_port() for _ in range(args.servers)]
    logs = [Path(var_dir) / f"{server}-{port}.log" for port in ports]
    servers: list[subprocess.Popen] = []
    try:
        for port, log_path in zip(ports, logs, strict=True):
            with log_path.open("w") as log:
                servers.append(start_server(server, port, env, log))
        for port, proc, log_path in zip(ports, servers, logs, strict=True):
            try:
                wait_for(port, proc, server)
            except RuntimeError:
                sys.stderr.write(log_path.read_text()[-3000:])
                raise
        up = time.perf_counter() - started
        print(f"set-up {prepared:.1f} s, {server} up {up:.1f} s", flush=True)
        pids = [pid for proc in servers for pid in family(proc.pid)]
        run, homes, connected, first_send, last_echo = asyncio.run(
            bench(args, server, turn, ports, room, keys[0], keys[1:], pids)
        )
        result = report(
            args, server, run, homes, ports, connected, first_send, last_echo
        )
    finally:
        stop(servers)
    for log_path in logs:
        text = log_path.read_text().strip()
        if text and ("Traceback" in text or "ERROR" in text):
            print(f"  ! {log_path.name}:\n{text[-2000:]}")
    return result


def main() -> int:
    args = parse_args()
    if min(args.clients, args.messages, args.window, args.servers) < 1:
        sys.exit("clients, messages, window and servers must be at least 1")
    redis_url = checked_redis_url(args.redis, DEFAULT_REDIS)
    claim_redis(redis_url, LOCK)
    var_dir = tempfile.mkdtemp(prefix="umka-chat-")
    started = time.perf_counter()
    try:
        if args.layer_messages:
            layer_comparison(redis_url, args)
        env = server_env(var_dir, redis_url, args.layer)
        setup_django(env)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        room, teacher, students = build_room(args.clients)
        keys = sign_in([teacher, *students])
        connections.close_all()
        prepared = time.perf_counter() - started

        statuses, summaries = [], []
        for turn, server in enumerate(args.server):
            status, summary = serve_and_measure(
                args, server, turn, env, var_dir, room.pk, keys, started, prepared
            )
            statuses.append(status)
            summaries.append(summary)
        if len(summaries) > 1:
            print("The servers in this run:")
            for summary in summaries:
                print(f"  {summary}")
        print(f"total {time.perf_counter() - started:.1f} s")
        return max(statuses)
    finally:
        close_connections()
        release_redis(redis_url, LOCK)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
