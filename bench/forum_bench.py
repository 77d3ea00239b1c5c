"""Forums under load (R6): a long thread's page, and a class posting in one thread.

    make bench-forum
    .venv/bin/python bench/forum_bench.py --posts 2000 --people 30 --seconds 60

1. **A thread of --posts posts** (2,000): its pages (the last, the first, one in
   the middle; 50 posts a page) rendered through Django's test client for a
   reader: SQL queries, which must be the same as for a thread of 20 posts, and
   the median and 95th-percentile time of a render (--renders each).
2. **--people people posting in one thread for --seconds** (30 for 60 s) through
   the real HTTP stack (gunicorn, 2 workers × 8 threads → Django → PostgreSQL):
   each posts, waits for the answer and posts again; one post in ten is sent
   twice in a row (a resend after a dropped connection) and one in ten twice at
   once (a double click), with the same token. Then it counts by SQL: every post
   that was answered is stored, none twice, and the thread's counter matches.
   Prints posts per second and the median and p95 time of a post.

It creates a throwaway database (`umka_forum_bench_<pid>` on --pg, default
postgres://postgres@127.0.0.1:5432), migrates it and drops it at the end. The
exit status is 1 if a post is lost or doubled or a page's queries grow.
"""

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The booking rush's sign-in and server: the same real stack, another load.
from bench.booking_rush import sign_in_everyone, start_server  # noqa: E402
from bench.servers import free_port, wait_for  # noqa: E402

BODIES = [
    "Согласен: $k = \\frac{{y_2 - y_1}}{{x_2 - x_1}}$, проверил на примере {n}.",
    "А если прямая **горизонтальная**, то $k = 0$ (сообщение {n}).",
    "Вопрос {n}: почему график $y = 2x + 1$ не проходит через начало координат?",
    "Ответ {n}: потому что $b = 1$ — это сдвиг по оси $y$.",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
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


def build(people: int):
    """The course school of the tests (7А, its algebra teacher) with a class of
    `people`, and the forum of its algebra space."""
    from umka.accounts.tests.factories import make_student
    from umka.courses.tests.factories import YEAR_START, course_school
    from umka.forums.services import forum_of_space
    from umka.school.models import Enrolment

    school = course_school()
    students = [school.student, school.classmate]
    for n in range(people - len(students)):
        student = make_student(username=f"bench-student-{n}")
        Enrolment.objects.create(
            student=student, school_class=school.class_7a, starts_on=YEAR_START
        )
        students.append(student)
    return school.teacher, students, forum_of_space(school.space)


def long_thread(forum, authors, posts: int):
    """A thread of `posts` posts, written in bulk (quotes and files among them)."""
    import datetime as dt

    from umka.core import clock
    from umka.forums.models import Post, PostFile, Thread

    began = clock.now() - dt.timedelta(days=30)
    thread = Thread.objects.create(
        forum=forum,
        title=f"Тема на {posts} сообщений",
        author=authors[0],
        created_at=began,
        last_post_at=began,
    )
    rows = [
        Post(
            thread=thread,
            author=authors[n % len(authors)],
            body=BODIES[n % len(BODIES)].format(n=n),
            created_at=began + dt.timedelta(minutes=n),
        )
        for n in range(posts)
    ]
    Post.objects.bulk_create(rows, batch_size=1000)
    for n, post in enumerate(rows):
        if n % 7 == 3:
            post.quote_of = rows[n - 1]
    Post.objects.bulk_update([p for p in rows if p.quote_of_id], ["quote_of"])
    PostFile.objects.bulk_create(
        PostFile(post=p, file="forums/none.txt", name="решение.txt") for p in rows[::25]
    )
    Thread.objects.filter(pk=thread.pk).update(
        posts_count=posts, last_post_at=rows[-1].created_at
    )
    return thread


def render(client, url: str, times: int) -> tuple[int, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx)  # read now: the next request empties the log
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        client.get(url)
        spent.append(time.perf_counter() - started)
    return queries, spent


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def pages(args, forum, teacher, students) -> bool:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(students[0])
    short = long_thread(forum, [teacher, *students], 20)
    started = time.perf_counter()
    thread = long_thread(forum, [teacher, *students], args.posts)
    spent = time.perf_counter() - started
    print(f"  (the {args.posts}-post thread written in {spent:.1f} s)")
    few, _ = render(client, reverse("forums:thread", args=[short.pk]), 1)
    failed = False
    url = reverse("forums:thread", args=[thread.pk])
    last_page = (args.posts + 49) // 50
    for label, query in (
        ("last page", ""),
        ("first page", "?page=1"),
        ("middle page", f"?page={last_page // 2}"),
    ):
        queries, spent = render(client, url + query, args.renders)
        failed |= queries != few
        print(
            f"  {label}: {queries} queries (20-post thread: {few}), "
            f"median {statistics.median(spent) * 1000:.0f} ms, "
            f"p95 {p95(spent) * 1000:.0f} ms"
        )
    return failed


def post_reply(port, thread_id, cookie, token: str, body: str) -> tuple[int, float]:
    session, csrf = cookie
    data = urllib.parse.urlencode(
        {"token": token, "body": body, "csrfmiddlewaretoken": csrf}
    )
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            f"/forums/threads/{thread_id}/reply/",
            body=data,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "Referer": f"http://127.0.0.1:{port}/",
            },
        )
        status = conn.getresponse().status
    except OSError:
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - started


def crowd(args, port, thread_id, cookies) -> tuple[dict, list[float], int]:
    """Everyone posts until the time is up; returns the token → body of every
    post that was answered 302, the latencies and the other answers."""
    answered, latencies, other = {}, [], [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds
    barrier = threading.Barrier(len(cookies))

    def send(cookie, token, body):
        status, spent = post_reply(port, thread_id, cookie, token, body)
        with lock:
            latencies.append(spent)
            if status == 302:
                answered[token] = body
            else:
                other[0] += 1

    def person(n, cookie):
        rng = random.Random(n)  # noqa: S311 (a load pattern, not a secret)
        barrier.wait(timeout=60)
        count = 0
        while time.monotonic() < stop_at:
            token, count = str(uuid.uuid4()), count + 1
            body = f"Сообщение {count} от участника {n} ({token[:8]})"
            roll = rng.random()
            if roll < 0.1:  # a double click: the same post twice at once
                twin = threading.Thread(target=send, args=(cookie, token, body))
                twin.start()
                send(cookie, token, body)
                twin.join(60)
            else:
                send(cookie, token, body)
                if roll < 0.2:  # resent after a dropped connection
                    send(cookie, token, body)

    threads = [
        threading.Thread(target=person, args=(n, c)) for n, c in enumerate(cookies)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.seconds + 120)
    return answered, latencies, other[0]


def check(thread_id, answered: dict) -> tuple[int, int, bool]:
    from django.db.models import Count

    from umka.forums.models import Post, Thread

    stored = dict(
        Post.objects.filter(thread_id=thread_id, body__in=list(answered.values()))
        .values_list("body")
        .annotate(n=Count("pk"))
    )
    lost = sum(1 for body in answered.values() if body not in stored)
    doubled = sum(1 for n in stored.values() if n > 1)
    thread = Thread.objects.get(pk=thread_id)
    counter_right = thread.posts_count == thread.posts.count()
    return lost, doubled, counter_right


def main() -> int:
    args = parse_args()
    name = f"umka_forum_bench_{os.getpid()}"
    os.environ["DATABASE_URL"] = f"{args.pg}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["STATIC_FROM_APPS"] = "1"
    os.environ["TASKS_IMMEDIATE"] = "0"
    os.environ.setdefault("UMKA_VAR_DIR", tempfile.mkdtemp(prefix=f"{name}-"))
    var_dir = Path(os.environ["UMKA_VAR_DIR"])
    (var_dir / "static").mkdir(exist_ok=True)
    _admin(args.pg, f'CREATE DATABASE "{name}"')
    failed, server = False, None
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        teacher, students, forum = build(args.people)

        print(f"1. a thread of {args.posts} posts: its pages for a student")
        failed |= pages(args, forum, teacher, students)

        print(
            f"2. {args.people} people posting in one thread for {args.seconds:g} s "
            "(gunicorn 2 × 8 → PostgreSQL; one post in ten resent, one in ten "
            "double-clicked)"
        )
        thread = long_thread(forum, [teacher], 1)
        cookies = sign_in_everyone(students)
        connections.close_all()
        port = free_port()
        log_path = var_dir / "gunicorn.log"
        with log_path.open("w") as log:
            server = start_server(port, 2, 8, log)
            try:
                wait_for(port, server, "gunicorn")
            except RuntimeError:
                log.flush()
                sys.stderr.write(log_path.read_text()[-3000:])
                raise
            started = time.perf_counter()
            answered, latencies, other = crowd(args, port, thread.pk, cookies)
            wall = time.perf_counter() - started
            server.terminate()
            server.wait(timeout=30)
            server = None
        lost, doubled, counter_right = check(thread.pk, answered)
        print(
            f"  {len(answered)} posts answered in {wall:.1f} s: "
            f"{len(answered) / wall:.1f} posts/s; {len(latencies)} requests, "
            f"median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p95(latencies) * 1000:.0f} ms; other answers: {other}"
        )
        print(
            f"  lost: {lost}, doubled: {doubled}, the thread's counter "
            f"{'matches' if counter_right else 'DOES NOT match'}"
        )
        failed |= bool(lost or doubled or other or not counter_right)
    finally:
        if server is not None:
            server.kill()
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        _admin(args.pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
