"""What the benchmarks that start the real stack share: a free loopback port,
waiting until a server answers its sign-in page, the CPU time of a server's
processes, and a Redis database index of a run's own."""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    port: int, proc: subprocess.Popen, what: str = "the server", seconds: float = 60
) -> None:
    """Return once GET /accounts/login/ answers 200; RuntimeError if the process
    exits or the time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} on port {port} exited ({proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} on port {port} did not answer")


# --- CPU time of a server and its workers -------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command may hold spaces: fields after the closing parenthesis.
    return raw[raw.rindex(")") + 2 :].split()


def family(pid: int) -> list[int]:
    """`pid` and its descendants (a server's forked workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        if fields := _stat(pid):
            total += int(fields[11]) + int(fields[12])
    return total / _TICK


# --- A Redis database index of a benchmark's own --------------------------------------


def checked_redis_url(url: str, example: str) -> str:
    """A benchmark flushes its database index: never the default one (0)."""
    path = urllib.parse.urlsplit(url).path.strip("/")
    if not path.isdigit() or int(path) == 0:
        sys.exit(
            f"--redis {url}: give a database index of its own (not 0), e.g. "
            f"{example} — the bench flushes it"
        )
    return url


def claim_redis(url: str, lock: str) -> None:
    """Take the database index for this run (a second run at the same time would
    flush the first one's keys) and empty it."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        if not client.set(lock, os.getpid(), nx=True, ex=600):
            sys.exit(
                f"another run (pid {client.get(lock).decode()}) is using {url}: "
                f"wait for it, or give another --redis database index"
            )
        for key in client.scan_iter(count=1000):
            if key != lock.encode():
                client.delete(key)
    finally:
        client.close()


def release_redis(url: str, lock: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        if client.get(lock) == str(os.getpid()).encode():
            client.flushdb()
    finally:
        client.close()


# --- PostgreSQL ----------------------------------------------------------------------


def add_pg_argument(parser) -> None:
    """--pg: the server a benchmark makes its throwaway database on."""
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a throwaway database is created and dropped)",
    )


def close_connections() -> None:
    """Close Django's database connections, if Django was set up at all."""
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 — Django may not be set up yet
        pass
