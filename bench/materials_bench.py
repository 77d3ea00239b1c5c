"""The library of learning materials at size (R2): the list and search pages with
20,000 materials, on SQLite (FTS5) and on PostgreSQL (Russian full-text search).

    make bench-materials
    .venv/bin/python bench/materials_bench.py --materials 20000 --requests 30

For each database (each in its own process): a throwaway database (a temporary
SQLite file; `umka_materials_bench_<pid>` on --pg, or --pg-db), migrated; a school
of 10 classes with students, parents, teachers; --materials materials written in
bulk (titles and texts from a maths and physics vocabulary, every audience, 10 %
drafts). Then the list page and searches, through Django's test client as a
student, a parent, a teacher and a deputy head: median and 95th-percentile time of
--requests renders each, and the SQL queries of one render — the same at 1,000
materials and at the full size (the exit status is 1 if they differ). The
databases are dropped at the end.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "уравнение",
    "уравнения",
    "дроби",
    "дробь",
    "треугольник",
    "треугольники",
    "окружность",
    "площадь",
    "периметр",
    "функция",
    "график",
    "производная",
    "интеграл",
    "логарифм",
    "степень",
    "корень",
    "многочлен",
    "неравенство",
    "система",
    "прогрессия",
    "вектор",
    "угол",
    "параллелограмм",
    "ромб",
    "трапеция",
    "скорость",
    "ускорение",
    "сила",
    "энергия",
    "давление",
    "плотность",
    "масса",
    "объём",
    "процент",
    "пропорция",
    "отношение",
    "координаты",
    "прямая",
    "луч",
    "отрезок",
    "теорема",
    "задача",
    "решение",
    "правило",
    "свойство",
    "признак",
    "формула",
    "пример",
    "упражнение",
    "повторение",
    "контрольная",
    "самостоятельная",
    "памятка",
    "конспект",
    "разбор",
    "подготовка",
    "экзамен",
]
#: Most of a text is other words: a query matches a realistic share of the library.
FILLER = [f"термин{n}" for n in range(3000)]
QUERIES = ("уравнения", "дроби треугольник", "теорема пифагора", "уравнеие")
ROLES = ("student", "parent", "teacher", "deputy")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--materials", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a throwaway database is created and dropped)",
    )
    parser.add_argument("--pg-db", default=f"umka_materials_bench_{os.getpid()}")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--child", choices=("sqlite", "postgresql"))
    return parser.parse_args()


def _admin(pg: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def build_school():
    import datetime as dt

    from umka.accounts.models import Role
    from umka.accounts.tests.factories import (
        ParentLinkFactory,
        make_parent,
        make_person,
        make_student,
    )
    from umka.core import clock
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
        starts_on=dt.date(start, 9, 1),
        ends_on=dt.date(start + 1, 8, 31),
    )
    subjects = [
        Subject.objects.create(name=name)
        for name in ("Алгебра", "Геометрия", "Физика", "Информатика", "История")
    ]
    classes = [
        SchoolClass.objects.create(year=year, grade=grade, letter=letter)
        for grade in (5, 6, 7, 8, 9)
        for letter in ("А", "Б")
    ]
    people = {"deputy": make_person(Role.DEPUTY_HEAD, username="bench-deputy")}
    for n, subject in enumerate(subjects):
        teacher = make_person(Role.TEACHER, username=f"bench-teacher-{n}")
        people.setdefault("teacher", teacher)
        for school_class in classes[n % 2 :: 2]:
            TeachingAssignment.objects.create(
                teacher=teacher,
                subject=subject,
                school_class=school_class,
                hours_per_week=2,
            )
    for c, school_class in enumerate(classes):
        for n in range(10):
            student = make_student(username=f"bench-student-{c}-{n}")
            Enrolment.objects.create(
                student=student, school_class=school_class, starts_on=year.starts_on
            )
            parent = make_parent(username=f"bench-parent-{c}-{n}")
            ParentLinkFactory(parent=parent, student=student)
            if (c, n) == (4, 0):
                people["student"], people["parent"] = student, parent
    return people, subjects, classes


def write_materials(count: int, subjects, classes, authors, rng, start: int = 0):
    """`count` materials in bulk, with their classes, first versions and search
    texts (as the services would write them)."""
    import datetime as dt

    from umka.core import clock
    from umka.materials.models import (
        Material,
        MaterialClass,
        MaterialText,
        MaterialVersion,
    )

    now = clock.now()
    rows, texts = [], []
    for n in range(start, start + count):
        title = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
        body = " ".join(
            rng.choice(WORDS) if k % 20 == 0 else rng.choice(FILLER) for k in range(80)
        )
        audience = rng.choices(["classes", "parents", "staff"], [85, 8, 7])[0]
        published = None if n % 10 == 9 else now - dt.timedelta(minutes=n)
        rows.append(
            Material(
                kind="page",
                audience=audience,
                title=f"{title} {n}",
                body=body,
                subject=rng.choice(subjects),
                author=rng.choice(authors),
                publish_at=published,
                notified_at=published,
                updated_at=now,
            )
        )
        texts.append(body)
    made = Material.objects.bulk_create(rows, batch_size=1000)
    MaterialClass.objects.bulk_create(
        (
            MaterialClass(material=m, school_class=c)
            for m in made
            if m.audience != "staff"
            for c in rng.sample(classes, rng.choice([1, 1, 1, 2]))
        ),
        batch_size=2000,
    )
    MaterialVersion.objects.bulk_create(
        (
            MaterialVersion(
                material=m,
                number=1,
                kind=m.kind,
                title=m.title,
                body=m.body,
                changed_by=m.author,
                changed_at=now,
            )
            for m in made
        ),
        batch_size=1000,
    )
    MaterialText.objects.bulk_create(
        (
            MaterialText(material=m, title=m.title, body=t)
            for m, t in zip(made, texts, strict=True)
        ),
        batch_size=1000,
    )


def measure(client, people, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    client.get(url)  # warm: the school's row and the session are cached after it
    for n in range(requests):
        started = time.perf_counter()
        if n == 0:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            queries = len(ctx)
        else:
            response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times) * 1000, p95 * 1000, queries


def child(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    rng = random.Random(42)  # noqa: S311 — bench data, not secrets
    people, subjects, classes = build_school()
    authors = [people["teacher"], people["deputy"]]
    index = reverse("materials:index")
    urls = [index, *(f"{index}?q={q}" for q in QUERIES)]

    def queries_now() -> dict:
        counts = {}
        for role in ROLES:
            client = Client()
            client.force_login(people[role])
            for url in urls:
                counts[(role, url)] = measure(client, people, url, 1)[2]
        return counts

    write_materials(1_000, subjects, classes, authors, rng)
    small = queries_now()
    started = time.perf_counter()
    write_materials(args.materials - 1_000, subjects, classes, authors, rng, 1_000)
    written = time.perf_counter() - started
    print(
        f"  {connection.vendor}: {args.materials:,} materials "
        f"(written in {written:.1f} s)"
    )
    failed = False
    for role in ROLES:
        client = Client()
        client.force_login(people[role])
        for url in urls:
            median, p95, queries = measure(client, people, url, args.requests)
            label = url.replace(index, "list") or "list"
            same = queries == small[(role, url)]
            failed |= not same
            print(
                f"    {role:8} {label:28} median {median:6.1f} ms  "
                f"p95 {p95:6.1f} ms  queries {queries}"
                + ("" if same else f" (at 1,000: {small[(role, url)]})")
            )
    return 1 if failed else 0


def run_child(args, vendor: str) -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    env["STATIC_FROM_APPS"] = "1"
    env["TWO_FACTOR_REQUIRED"] = "0"  # the bench's deputy signs in with force_login
    var = tempfile.mkdtemp(prefix=f"umka-materials-bench-{vendor}-")
    env["UMKA_VAR_DIR"] = var
    (Path(var) / "static").mkdir(exist_ok=True)
    if vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
    else:
        env["DATABASE_URL"] = f"{args.pg}/{args.pg_db}"
        _admin(args.pg, f'CREATE DATABASE "{args.pg_db}"')
    try:
        return subprocess.run(  # noqa: S603 — this script, its own arguments
            [
                sys.executable,
                __file__,
                "--child",
                vendor,
                "--materials",
                str(args.materials),
                "--requests",
                str(args.requests),
            ],
            env=env,
            check=False,
            timeout=1800,
        ).returncode
    finally:
        if vendor == "postgresql":
            _admin(args.pg, f'DROP DATABASE IF EXISTS "{args.pg_db}" WITH (FORCE)')


def main() -> int:
    args = parse_args()
    if args.child:
        return child(args)
    print(
        f"The library with {args.materials:,} materials: the list and searches "
        f"{', '.join(f'«{q}»' for q in QUERIES)}, {args.requests} renders each"
    )
    failed = 0
    for vendor in ("sqlite", "postgresql"):
        if args.only in (None, vendor):
            failed |= run_child(args, vendor)
    print("query counts: " + ("GREW with the library" if failed else "constant"))
    return failed


if __name__ == "__main__":
    sys.exit(main())
