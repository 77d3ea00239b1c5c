"""How fast a school's first import runs: 3,000 students, then 3,000 parents, then
a journal export of 20,000 grades of those students (with «н», «5-» and «5/4» mixed in).

Runs on a throwaway database (SQLite in a temporary folder, or BENCH_DATABASE_URL,
e.g. postgres://postgres@127.0.0.1:5432/umka_bench — it must exist and be empty)
with the production password hashers, and prints seconds per phase:

    .venv/bin/python bench/import_bench.py [--students 3000]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAST = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
    "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
    "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
    "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов",
    "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов",
]  # fmt: skip
BOYS = [
    "Александр",
    "Максим",
    "Иван",
    "Артём",
    "Дмитрий",
    "Никита",
    "Михаил",
    "Даниил",
    "Егор",
    "Андрей",
    "Илья",
    "Кирилл",
    "Алексей",
    "Роман",
    "Матвей",
]
GIRLS = [
    "Анна",
    "Мария",
    "Елена",
    "Дарья",
    "Алиса",
    "Полина",
    "Виктория",
    "Екатерина",
    "Софья",
    "Ксения",
    "Варвара",
    "Ольга",
    "Вера",
    "Арина",
]
FATHERS = ["Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Игорь",
           "Олег", "Павел", "Николай", "Юрий", "Роман", "Виктор"]  # fmt: skip


def _patronymic(father: str, female: bool) -> str:
    stem = {"Игорь": "Игор", "Юрий": "Юрь", "Николай": "Никола"}.get(father, father)
    if stem.endswith("й"):
        stem = stem[:-1]
    if female:
        return stem + ("евна" if stem in ("Игор", "Юрь", "Никола") else "овна")
    return stem + ("евич" if stem in ("Игор", "Юрь", "Никола") else "ович")


def _female(last: str) -> str:
    return last + "а"


def make_rows(count: int, rng: random.Random):
    """Students (unique by ФИО + birth date) and one parent row per student."""
    import datetime as dt

    students, parents, seen = [], [], set()
    while len(students) < count:
        female = rng.random() < 0.5
        last = rng.choice(LAST)
        father = rng.choice(FATHERS)
        first = rng.choice(GIRLS if female else BOYS)
        grade = rng.randint(1, 11)
        born = dt.date(2025 - 7 - grade, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        key = (last, first, father, born)
        if key in seen:
            continue
        seen.add(key)
        student_last = _female(last) if female else last
        middle = _patronymic(father, female)
        students.append(
            [
                student_last,
                first,
                middle,
                born.strftime("%d.%m.%Y"),
                f"{grade}{rng.choice('АБВ')}",
            ]
        )
        n = len(parents)
        mother = f"{rng.choice(GIRLS)} {_patronymic(rng.choice(FATHERS), True)}"
        parents.append(
            [f"{_female(last)} {mother}", f"parent{n}@example.org", f"+7916{n:07d}",
             f"{student_last} {first} {middle}, {born:%d.%m.%Y}", "мать"]
        )  # fmt: skip
    return students, parents


def grade_rows(students, year, today, rng: random.Random, count: int = 20_000):
    """A journal export of algebra grades of `students`, dated from the year's start
    to today; about 5 % «н», 3 % «5-» or «4+», 1 % «5/4»."""
    import datetime as dt

    days = max(1, (today - year.starts_on).days + 1)
    # The birth date tells namesakes of a class apart.
    rows = [["ФИО", "Дата рождения", "Класс", "Предмет", "Дата", "Оценка", "Тема",
             "Вид работы"]]  # fmt: skip
    for n in range(count):
        last, first, middle, born, school_class = students[n % len(students)]
        day = year.starts_on + dt.timedelta(days=rng.randrange(days))
        roll = rng.random()
        if roll < 0.05:
            mark = "н"
        elif roll < 0.08:
            mark = rng.choice(["5-", "4+"])
        elif roll < 0.09:
            mark = "5/4"
        else:
            mark = str(rng.choice([2, 3, 3, 4, 4, 4, 5, 5]))
        work = f"работа {n // len(students)}"
        rows.append(
            [f"{last} {first} {middle}", born, school_class, "Алгебра",
             f"{day:%d.%m.%Y}", mark, f"Тема {n % 17}", work]
        )  # fmt: skip
    return rows


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3000)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="umka-bench-")
    os.environ["UMKA_VAR_DIR"] = var
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{var}/bench.sqlite3"
    )
    os.environ["TASKS_IMMEDIATE"] = "1"  # the import task runs when the upload commits
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from umka.accounts.models import Role
    from umka.accounts.services import user_create
    from umka.core import clock
    from umka.imports import registry, services
    from umka.imports.models import ImportJob
    from umka.imports.readers import read_table
    from umka.imports.rows import no_progress
    from umka.imports.tests.helpers import csv_bytes
    from umka.school.models import AcademicYear, SchoolClass, Subject

    call_command("migrate", verbosity=0)
    today = clock.today()
    start_year = today.year if today.month >= 9 else today.year - 1
    year = AcademicYear.objects.create(
        name=f"{start_year}/{start_year + 1}",
        starts_on=today.replace(year=start_year, month=9, day=1),
        ends_on=today.replace(year=start_year + 1, month=8, day=31),
    )
    SchoolClass.objects.bulk_create(
        SchoolClass(year=year, grade=g, letter=letter)
        for g in range(1, 12)
        for letter in "АБВ"
    )
    admin, _password = user_create(
        actor=None,
        username="bench-admin",
        last_name="Админ",
        first_name="Бенч",
        roles=(Role.ADMINISTRATOR,),
        password="bench-password-1",  # noqa: S106
    )
    students, parents = make_rows(args.students, random.Random(7))
    files = {
        "students": csv_bytes(
            [["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс"], *students]
        ),
        "parents": csv_bytes(
            [["ФИО", "E-mail", "Телефон", "Дети", "Кем приходится"], *parents]
        ),
    }
    python = sys.version.split()[0]
    print(f"database: {connection.vendor}; {os.cpu_count()} CPUs; Python {python}")
    t0 = time.perf_counter()
    table = read_table(_xlsx(students), "students.xlsx")
    print(f"read {len(table.rows)} rows of .xlsx: {time.perf_counter() - t0:5.2f} s")

    files["grades"] = csv_bytes(grade_rows(students, year, today, random.Random(11)))
    Subject.objects.create(name="Алгебра")
    for kind, data in files.items():
        t0 = time.perf_counter()
        table = read_table(data, f"{kind}.csv")
        t1 = time.perf_counter()
        spec = registry.get(kind)
        # A job to point at (grades keep theirs), as the service would make.
        job = ImportJob.objects.create(kind=kind, created_by=admin, file_name="x.csv")
        context = registry.Context(
            job_id=job.pk,
            actor=admin,
            today=today,
            year=year,
            options=spec.option_defaults(),
        )
        with transaction.atomic():
            plan = services.plan_file(spec, table, context)
            t2 = time.perf_counter()
            if plan.errors:
                raise SystemExit(f"unexpected errors: {plan.errors[:5]}")
            spec.apply(plan, context, no_progress)
        t3 = time.perf_counter()
        counts = plan.counts()
        absences = f", absences {counts['absences']}" if "absences" in counts else ""
        print(
            f"{kind:9} {len(table.rows):>6} rows: read {t1 - t0:5.2f} s, "
            f"validate {t2 - t1:5.2f} s, apply {t3 - t2:5.2f} s, "
            f"total {t3 - t0:5.2f} s (created {counts['created']}{absences})"
        )

    # A re-import through the real service path (job, audit, progress): no change.
    for kind, data in files.items():
        t0 = time.perf_counter()
        job = services.import_job_create(
            actor=admin, kind=kind, file_name=f"{kind}.csv", data=data, year=year
        )
        job.refresh_from_db()
        elapsed = time.perf_counter() - t0
        summary = job.summary
        print(
            f"re-import {kind:9} {elapsed:5.2f} s: status {job.status}, created "
            f"{summary.get('created')}, changed {summary.get('changed')}, "
            f"unchanged {summary.get('unchanged')}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
