"""Current grades of the demo school: a realistic term, with some topics clearly
weak (R9 — what the topic analysis is shown on).

`load_demo_grades(rng=…, today=…)` is called by the demo loader after the school
(classes, enrolments, teaching assignments, program parts) is saved. It reads the
school back, plans every grade in memory from `rng` and saves them with a few
bulk inserts. `wipe_demo_grades()` removes them before a reset.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from umka.accounts.models import Role, User
from umka.core.topics import normalise_topic
from umka.demo import curriculum as cur
from umka.demo.grade_topics import TOPICS
from umka.grades.importing.kind import GRADES
from umka.grades.models import HIGHEST_GRADE, LOWEST_GRADE, Grade
from umka.imports.models import ImportJob
from umka.school.models import (
    AcademicYear,
    Enrolment,
    Holiday,
    ProgramPartCompletion,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
)

#: Subjects graded in the demo, by grade.
SENIOR_SUBJECTS = (
    cur.RUSSIAN,
    cur.LITERATURE,
    cur.FOREIGN,
    cur.MATHS,
    cur.ALGEBRA,
    cur.GEOMETRY,
    cur.CALCULUS,
    cur.HISTORY,
    cur.PHYSICS,
    cur.CHEMISTRY,
    cur.BIOLOGY,
)
PRIMARY_SUBJECTS = (cur.RUSSIAN, cur.MATHS, cur.READING, cur.WORLD)
#: Subjects assessed «зачтено» / «не зачтено» instead of 2–5 (ОРКСЭ in grade 4).
PASS_FAIL_SUBJECTS = (cur.ORKSE,)
#: The demo's showcase: 7А's algebra is weak on this topic whenever it is taught.
SHOWCASE = ("7А", cur.ALGEBRA, "Линейные уравнения с параметром")
#: A term shorter than this also takes in the period before it.
MIN_TERM_DAYS = 28
WEAK_TOPIC_SHARE = 0.3
#: How much lower the grades of a weak topic are (the rest average about 3.9).
WEAK_TOPIC_EFFECT = 1.2
#: The showcase's weak topic is weaker still: it must stand out on any day of the
#: term the demo is loaded on (a handful of grades early in a topic are noisy).
SHOWCASE_EFFECT = 1.5

#: Oral and homework grades, with their weights and effect on the grade.
_SINGLE_WORK = (
    ("ответ у доски", 4, 0.1),
    ("устный ответ", 3, 0.15),
    ("домашняя работа", 3, 0.2),
    ("работа на уроке", 2, 0.1),
)
_CLASS_TEST = {
    cur.RUSSIAN: "диктант",
    cur.LITERATURE: "сочинение",
    cur.READING: "проверочная работа",
    cur.WORLD: "проверочная работа",
    cur.FOREIGN: "тест",
    cur.ORKSE: "зачёт",
}


def _term(year: AcademicYear, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """From the start of the current study period (or of the one before, if the
    current one began less than four weeks ago) to today."""
    periods = list(
        StudyPeriod.objects.filter(year=year, starts_on__lte=today).order_by(
            "starts_on"
        )
    )
    if not periods:
        return None
    start = periods[-1].starts_on
    if (today - start).days < MIN_TERM_DAYS and len(periods) > 1:
        start = periods[-2].starts_on
    return start, today


@dataclass
class _Lesson:
    day: dt.date
    topic: str


class _Planner:
    def __init__(self, rng: random.Random, today: dt.date, year: AcademicYear):
        self.rng = rng
        self.today = today
        self.year = year
        periods = list(StudyPeriod.objects.filter(year=year).order_by("starts_on"))
        self.periods = periods
        self.first_day, self.last_day = periods[0].starts_on, periods[-1].ends_on
        self.holidays = list(
            Holiday.objects.filter(year=year).values_list("starts_on", "ends_on")
        )
        self.keys: dict[str, str] = {}
        #: rows of INSERT_FIELDS
        self.grades: list[tuple] = []

    def study_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5
            and any(p.starts_on <= day <= p.ends_on for p in self.periods)
            and not any(a <= day <= b for a, b in self.holidays)
        )

    def key(self, topic: str) -> str:
        if topic not in self.keys:
            self.keys[topic] = normalise_topic(topic)
        return self.keys[topic]

    def fine_topic(self, topics: list[str], day: dt.date) -> str:
        """The lesson topic of `day`, the topics spread evenly over the year."""
        span = (self.last_day - self.first_day).days or 1
        at = int(len(topics) * (day - self.first_day).days / span)
        return topics[max(0, min(len(topics) - 1, at))]


def _part_topic(parts: list[tuple[dt.date, str]], day: dt.date) -> str:
    """The program part a class is working on: the first not yet completed."""
    for planned_on, title in parts:
        if day <= planned_on:
            return title
    return parts[-1][1]


def load_demo_grades(*, rng: random.Random, today: dt.date) -> int:
    """Create the demo school's current grades; returns how many journal entries.

    Grades 5–11 in the main subjects and grades 2–4 in Russian, maths, reading and
    the world around: 2–5 grades a student a subject a month (more for subjects
    with more hours), oral answers and homework of a few students each lesson, a
    самостоятельная at the end of most topics and a контрольная (диктант,
    сочинение…) at the end of every third. About a third of class × subject pairs
    have one clearly weak topic (mostly 2 and 3); 7А's algebra always does
    («Линейные уравнения с параметром» when it falls in the term). Whoever misses a
    class work gets «н» (an absence, about 7 %); ОРКСЭ in grade 4 is assessed
    «зачтено» / «не зачтено».
    """
    year = AcademicYear.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
    if year is None or not StudyPeriod.objects.filter(year=year).exists():
        return 0
    term = _term(year, today)
    if term is None:
        return 0
    planner = _Planner(rng, today, year)
    start, end = term
    days = [
        start + dt.timedelta(days=n)
        for n in range((end - start).days + 1)
        if planner.study_day(start + dt.timedelta(days=n))
    ]
    if not days:
        return 0
    second_period = planner.periods[1].starts_on if len(planner.periods) > 1 else None

    classes = list(
        SchoolClass.objects.filter(year=year, grade__gte=2).order_by("grade", "letter")
    )
    subjects = {s.name: s for s in Subject.objects.all()}
    teachers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for class_id, subject_id, teacher_id in (
        TeachingAssignment.objects.filter(school_class__year=year)
        .order_by("pk")
        .values_list("school_class_id", "subject_id", "teacher_id")
    ):
        teachers[(class_id, subject_id)].append(teacher_id)
    members: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for student_id, class_id, starts, ends in (
        Enrolment.objects.filter(school_class__year=year)
        .order_by("student_id", "starts_on")
        .values_list("student_id", "school_class_id", "starts_on", "ends_on")
    ):
        members[class_id].append((student_id, starts, ends))
    parts: dict[tuple[int, int], list[tuple[dt.date, str]]] = defaultdict(list)
    for class_id, subject_id, planned_on, title in (
        ProgramPartCompletion.objects.filter(school_class__year=year)
        .order_by("planned_on", "program_part__number")
        .values_list(
            "school_class_id",
            "program_part__subject_id",
            "planned_on",
            "program_part__title",
        )
    ):
        parts[(class_id, subject_id)].append((planned_on, title))

    ability: dict[int, float] = {}
    for class_id in sorted(members):
        for student_id, _s, _e in members[class_id]:
            if student_id not in ability:
                ability[student_id] = max(-1.3, min(1.1, rng.gauss(0, 0.55)))
    job = ImportJob(
        kind=GRADES,
        status=ImportJob.Status.DONE,
        created_by=User.objects.filter(role_assignments__role=Role.ADMINISTRATOR)
        .order_by("pk")
        .first(),
        file_name=f"Выгрузка из электронного журнала {today:%d.%m.%Y}.xlsx",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    job.save()

    # Pass/fail subjects last: the marks of the others stay what they were.
    for pass_fail in (False, True):
        for school_class in classes:
            names = PRIMARY_SUBJECTS if school_class.grade <= 4 else SENIOR_SUBJECTS
            if pass_fail:
                names = PASS_FAIL_SUBJECTS
            for name, hours in cur.subjects_of_grade(school_class.grade):
                if name not in names or name not in subjects:
                    continue
                subject = subjects[name]
                _class_subject(
                    planner,
                    job,
                    school_class,
                    subject,
                    hours,
                    days=[
                        d
                        for d in days
                        if school_class.grade > 2
                        or not second_period
                        or d >= second_period
                    ],
                    topics=TOPICS.get(name, {}).get(school_class.grade),
                    parts=parts.get((school_class.pk, subject.pk)) or [(end, name)],
                    members=members[school_class.pk],
                    teachers=teachers.get((school_class.pk, subject.pk), []),
                    ability=ability,
                    pass_fail=pass_fail,
                )
    _insert(planner.grades)
    count = len(planner.grades)
    kind_at = INSERT_FIELDS.index("kind")
    absences = sum(1 for row in planner.grades if row[kind_at] == Grade.Kind.ABSENT)
    ImportJob.objects.filter(pk=job.pk).update(
        total_rows=count,
        summary={
            "rows": count,
            "created": count,
            "changed": 0,
            "unchanged": 0,
            "absences": absences,
            "ignored_columns": [],
        },
    )
    return count


def _class_subject(
    planner: _Planner,
    job: ImportJob,
    school_class: SchoolClass,
    subject: Subject,
    hours: int,
    *,
    days: list[dt.date],
    topics: list[str] | None,
    parts: list[tuple[dt.date, str]],
    members: list[tuple[int, dt.date, dt.date | None]],
    teachers: list[int],
    ability: dict[int, float],
    pass_fail: bool = False,
) -> None:
    rng = planner.rng
    weekdays = set(rng.sample(range(5), min(hours, 5)))
    lessons = [
        _Lesson(
            d,
            planner.fine_topic(topics, d) if topics else _part_topic(parts, d),
        )
        for d in days
        if d.weekday() in weekdays
    ]
    if not lessons:
        return
    # Lessons in runs of one topic.
    blocks: list[list[_Lesson]] = []
    for lesson in lessons:
        if blocks and blocks[-1][-1].topic == lesson.topic:
            blocks[-1].append(lesson)
        else:
            blocks.append([lesson])
    term_topics = [b[0].topic for b in blocks]
    weak: set[str] = set()
    weak_effect = WEAK_TOPIC_EFFECT
    showcase_class, showcase_subject, showcase_topic = SHOWCASE
    if (str(school_class), subject.name) == (showcase_class, showcase_subject):
        weak_effect = SHOWCASE_EFFECT
        weak.add(
            showcase_topic
            if showcase_topic in term_topics
            else term_topics[len(term_topics) // 2]
        )
    elif rng.random() < WEAK_TOPIC_SHARE:
        longer = [b[0].topic for b in blocks if len(b) >= 2] or term_topics
        weak.add(rng.choice(longer))

    class_effect = rng.gauss(0, 0.15)
    if (str(school_class), subject.name) == (showcase_class, showcase_subject):
        # The showcase class is otherwise fine: its one weak topic stands out.
        class_effect = abs(class_effect)
    subject_effect = {s: rng.gauss(0, 0.3) for s, _a, _b in members}
    # Teachers of a class halved into groups take the halves in turn.
    students = sorted({s for s, _a, _b in members})
    teacher_of = {
        s: (teachers[n % len(teachers)] if teachers else None)
        for n, s in enumerate(students)
    }
    per_month = {1: 2.5, 2: 3.5}.get(hours, 4.5)
    months = max(1.0, len(days) / 21)
    whole_class = sum(1 for b in blocks[:-1] if len(b) >= 2) * 0.8
    single_chance = max(
        0.05, min(0.6, (per_month * months - whole_class) / max(1, len(lessons)))
    )
    works, weights = (
        [w for w, _n, _e in _SINGLE_WORK],
        [n for _w, n, _e in _SINGLE_WORK],
    )
    work_effect = {w: e for w, _n, e in _SINGLE_WORK}
    work_effect.update({"самостоятельная работа": -0.15})
    test = _CLASS_TEST.get(subject.name, "контрольная работа")
    work_effect[test] = -0.3
    finished_topics = 0

    def present(day: dt.date) -> list[int]:
        return [
            s
            for s, starts, ends in members
            if starts <= day and (ends is None or day <= ends)
        ]

    def grade(student: int, lesson: _Lesson, work: str, drift: float) -> None:
        mean = (
            3.85
            + ability.get(student, 0.0)
            + subject_effect.get(student, 0.0)
            + class_effect
            + topic_effect[lesson.topic]
            + work_effect.get(work, 0.0)
            + drift
        )
        if lesson.topic in weak:
            mean -= weak_effect
        value = max(LOWEST_GRADE, min(HIGHEST_GRADE, round(mean + rng.gauss(0, 0.65))))
        if pass_fail:
            passed = value >= 3
            entry(student, lesson, work, Grade.Kind.PASS if passed else Grade.Kind.FAIL)
        else:
            entry(student, lesson, work, Grade.Kind.MARK, value)

    def entry(
        student: int, lesson: _Lesson, work: str, kind: str, value: int | None = None
    ) -> None:
        planner.grades.append(
            (
                student,
                school_class.pk,
                subject.pk,
                lesson.day,
                str(kind),
                value,
                "",
                lesson.topic,
                planner.key(lesson.topic),
                work,
                teacher_of.get(student),
                Grade.Source.IMPORT.value,
                job.pk,
            )
        )

    def absent(student: int, lesson: _Lesson, work: str) -> None:
        entry(student, lesson, work, Grade.Kind.ABSENT)

    topic_effect = {t: rng.gauss(0, 0.2) for t in term_topics}
    for number, block in enumerate(blocks):
        slope = rng.gauss(0, 0.3)
        ended = number < len(blocks) - 1
        for at, lesson in enumerate(block):
            # From −slope/2 at the topic's first lesson to +slope/2 at its last.
            drift = slope * (at / max(1, len(block) - 1) - 0.5)
            last = at == len(block) - 1
            # A check in the middle of a long topic, and early in a weak one (it
            # went badly: that is how the teacher sees the topic is weak).
            check_at = 1 if lesson.topic in weak else len(block) // 2
            if len(block) >= (2 if lesson.topic in weak else 4) and at == check_at:
                for student in present(lesson.day):
                    if rng.random() < 0.93:
                        grade(student, lesson, "самостоятельная работа", drift)
                    else:
                        absent(student, lesson, "самостоятельная работа")
                continue
            if last and ended and len(block) >= 2:
                finished_topics += 1
                if finished_topics % 3 == 0:
                    work = test
                elif rng.random() < 0.6:
                    work = "самостоятельная работа"
                else:
                    work = ""
                if work:
                    for student in present(lesson.day):
                        if rng.random() < 0.93:  # somebody is always ill: «н»
                            grade(student, lesson, work, drift)
                        else:
                            absent(student, lesson, work)
                    continue
            for student in present(lesson.day):
                if rng.random() < single_chance:
                    work = rng.choices(works, weights)[0]
                    grade(student, lesson, work, drift)


#: The columns the demo fills, in the order of its rows.
INSERT_FIELDS = (
    "student",
    "school_class",
    "subject",
    "date",
    "kind",
    "value",
    "written",
    "topic",
    "topic_key",
    "work_type",
    "teacher",
    "source",
    "import_job",
)


def _insert(rows: list[tuple]) -> None:
    """Write the rows straight through the driver — COPY on PostgreSQL, executemany
    elsewhere: tens of thousands of grades in about a second, where bulk_create
    spends many seconds building SQL row by row."""
    meta = Grade._meta
    quote = connection.ops.quote_name
    names = (*INSERT_FIELDS, "created_at", "updated_at")
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    day = connection.ops.adapt_datefield_value
    date_at = INSERT_FIELDS.index("date")
    params = [
        (*row[:date_at], day(row[date_at]), *row[date_at + 1 :], now, now)
        for row in rows
    ]
    # Identifiers come from the model's metadata; every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def wipe_demo_grades() -> None:
    """Delete every grade and import of grades (before the demo school is wiped)."""
    Grade.objects.all().delete()
    ImportJob.objects.filter(kind=GRADES).delete()
