"""Demo seminars (R6): `load_demo_seminars(rng=, now=, spaces=, students=)`.

In the first space (the demo `student`'s algebra, 7А) one seminar in each
phase — setting up, submission (half the class submitted; `student` not yet),
peer assessment (allocated, `student` has assessed one of two works), grading
(waiting in the teacher's queue), closed (graded with reviews: `student` and
`parent` read both grades); in the other spaces one under assessment and one
closed. Rows are written in bulk: no audit entries or notices.
"""

import datetime as dt
import random
import uuid
from decimal import Decimal

from umka.courses.deadlines import review_due_from
from umka.seminars import allocation, grading
from umka.seminars.models import Assessment, Criterion, Phase, Seminar, Work

PEERS = 2
CRITERIA = [
    (
        "Пример из жизни",
        4,
        [
            (4, "пример точный, зависимость линейная и обоснована"),
            (2, "пример есть, но зависимость не обоснована"),
            (0, "примера нет"),
        ],
    ),
    (
        "Формула и график",
        4,
        [
            (4, "формула верна, график построен по точкам"),
            (2, "есть ошибка в формуле или графике"),
            (0, "нет ни формулы, ни графика"),
        ],
    ),
    ("Оформление", 2, [(2, "аккуратно, с подписями"), (0, "неразборчиво")]),
]
TOPICS = [
    ("Стоимость такси", "Цена поездки $y = 60 + 25x$, где $x$ — километры."),
    ("Мобильная связь", "Абонентская плата 300 ₽ и 2 ₽ за минуту: $y = 300 + 2x$."),
    ("Свеча", "Свеча длиной 20 см сгорает на 2 см в час: $h = 20 - 2t$."),
    ("Бак с водой", "В бак наливают 15 л в минуту: $V = 15t$."),
    ("Поездка на велосипеде", "Скорость 12 км/ч, путь $s = 12t$."),
    ("Копилка", "Каждую неделю кладу 100 ₽, было 250 ₽: $S = 250 + 100n$."),
]
COMMENTS = [
    "Пример понятный, формула верная. Не хватает подписей на осях.",
    "Хорошо объяснено, почему зависимость линейная. График аккуратный.",
    "Формула верна, но в таблице ошибка при $x = 3$ — проверь вычисления.",
    "Интересный пример! Стоит добавить, что означает коэффициент $k$.",
]
REVIEWS = {
    5: "Работа полная: пример жизненный, формула и график верны, вывод о смысле "
    "коэффициентов сделан. Отлично!",
    4: "Хорошая работа. В графике пропущена подпись оси $y$; в остальном всё верно.",
    3: "Пример подходит, но формула записана с ошибкой в свободном члене. Разберите "
    "задачу 5 из § 7 и исправьте.",
}
ASSESSING_REVIEWS = {
    5: "Оценки справедливые и согласуются с другими; комментарии полезные.",
    4: "Оценки в целом точные; комментарии стоило бы сделать подробнее.",
    3: "Оценки часто расходятся с другими: перечитайте описания критериев.",
    2: "Оценки расходятся с другими или не выставлены вовремя.",
}


def _work_text(rng: random.Random) -> tuple[str, str]:
    title, formula = rng.choice(TOPICS)
    return title, (
        f"{formula}\n\nЭто линейная функция вида $y = kx + b$: при увеличении "
        "аргумента на 1 значение меняется на одно и то же число. Таблица и график "
        "— во вложении к тетради."
    )


def _seminar(space, teacher_id, phase, title, now, opens, sub_due, ass_due):
    seminar = Seminar.objects.create(
        space=space,
        title=title,
        topic="Линейная функция",
        instructions=(
            "Найдите в жизни пример линейной зависимости, запишите её формулой "
            "$y = kx + b$, постройте график по трём точкам и объясните смысл "
            "коэффициентов $k$ и $b$."
        ),
        phase=phase,
        opens_at=now + dt.timedelta(days=opens),
        submission_due_at=now + dt.timedelta(days=sub_due),
        assessment_due_at=now + dt.timedelta(days=ass_due),
        by_date=True,
        peers=PEERS,
        created_by_id=teacher_id,
        phase_changed_at=now,
    )
    Criterion.objects.bulk_create(
        Criterion(
            seminar=seminar,
            position=n,
            title=title,
            max_points=points,
            levels=[{"points": p, "text": t} for p, t in levels],
        )
        for n, (title, points, levels) in enumerate(CRITERIA, start=1)
    )
    return seminar


def _works(rng, seminar, authors, submitted_at) -> list[Work]:
    works = []
    for author in authors:
        title, text = _work_text(rng)
        works.append(
            Work(
                seminar=seminar,
                author_id=author,
                token=uuid.UUID(int=rng.getrandbits(128)),
                title=title,
                text=text,
                submitted_at=submitted_at - dt.timedelta(hours=rng.randrange(1, 60)),
                updated_at=submitted_at,
            )
        )
    Work.objects.bulk_create(works)
    return works


def _assess(rng, seminar, works, when, *, share_done, skip=()):
    """Allocate (balanced) and fill `share_done` of the assessments."""
    by_author = {w.author_id: w for w in works}
    pairs = allocation.allocate(list(by_author), seminar.peers, rng)
    criteria = list(seminar.criteria.all())
    rows = []
    for reviewer, author in sorted(pairs):
        row = Assessment(
            work=by_author[author],
            author_id=author,
            reviewer_id=reviewer,
            allocated_at=when - dt.timedelta(days=2),
        )
        done = (reviewer, author) not in skip and rng.random() < share_done
        if done:
            quality = rng.choice([1.0, 1.0, 0.75, 0.5])
            row.scores = {
                str(c.pk): max(0, round(c.max_points * quality) - rng.randrange(0, 2))
                for c in criteria
            }
            row.total = Decimal(sum(row.scores.values()))
            row.comment = rng.choice(COMMENTS)
            row.assessed_at = when - dt.timedelta(hours=rng.randrange(1, 40))
        rows.append(row)
    Assessment.objects.bulk_create(rows)
    return rows


def _grade(rng, seminar, works, now, teacher_id, *, share_graded):
    agreement = grading.agreements(seminar)
    due = review_due_from(now - dt.timedelta(days=1))
    for w in works:
        w.agreement = agreement.get(w.author_id)
        w.review_due_at = due
        if rng.random() < share_graded:
            w.status = Work.Status.GRADED
            w.mark = rng.choice([5, 5, 4, 4, 3])
            w.review = REVIEWS[w.mark]
            w.assessing_mark = grading.suggested_mark(w.agreement)
            if w.assessing_mark is not None:
                w.assessing_review = ASSESSING_REVIEWS[w.assessing_mark]
            w.graded_by_id, w.graded_at, w.version = teacher_id, now, 1
    Work.objects.bulk_update(
        works,
        [
            "agreement",
            "review_due_at",
            "status",
            "mark",
            "review",
            "assessing_mark",
            "assessing_review",
            "graded_by",
            "graded_at",
            "version",
        ],
    )


def _one_of_two_done(seminar, rows, student_id, now) -> None:
    """The demo student has assessed one work given to them, not the other."""
    mine = [r.pk for r in rows if r.reviewer_id == student_id]
    if not mine:
        return
    Assessment.objects.filter(pk__in=mine).update(
        assessed_at=None, total=None, scores={}, comment=""
    )
    criteria = list(seminar.criteria.all())
    Assessment.objects.filter(pk=mine[0]).update(
        assessed_at=now - dt.timedelta(hours=5),
        total=Decimal(sum(c.max_points - 1 for c in criteria)),
        scores={str(c.pk): c.max_points - 1 for c in criteria},
        comment=COMMENTS[0],
    )


def load_demo_seminars(
    *, rng: random.Random, now: dt.datetime, spaces, students, teachers, student_id
) -> dict[str, int]:
    """`spaces` (the demo student's first), `students` by class id, `teachers`
    by space id, `student_id` (the demo `student`, or None)."""
    counts = {"seminars": 0, "works": 0, "assessments": 0}
    for n, space in enumerate(spaces):
        teacher = teachers[space.pk]
        pupils = list(students.get(space.school_class_id, []))
        if len(pupils) < 3:
            continue
        phases = (
            ["setup", "submission", "assessment", "grading", "closed"]
            if n == 0
            else ["assessment", "closed"]
        )
        for phase in phases:
            made = _in_phase(rng, space, teacher, phase, pupils, now, student_id)
            counts["seminars"] += 1
            counts["works"] += made[0]
            counts["assessments"] += made[1]
    return counts


def _in_phase(rng, space, teacher, phase, pupils, now, student_id):
    days = {
        "setup": (5, 12, 16),
        "submission": (-3, 4, 8),
        "assessment": (-9, -1, 3),
        "grading": (-14, -6, -2),
        "closed": (-30, -22, -17),
    }[phase]
    title = {
        "setup": "Семинар: квадратичная функция вокруг нас",
        "submission": "Семинар: линейная функция в жизни",
        "assessment": "Семинар: графики зависимостей",
        "grading": "Семинар: задачи на движение",
        "closed": "Семинар: прямая пропорциональность",
    }[phase]
    seminar = _seminar(space, teacher, Phase(phase), title, now, *days)
    if phase == "setup":
        return 0, 0
    submitted_at = seminar.submission_due_at - dt.timedelta(hours=3)
    if phase == "submission":
        authors = [p for p in pupils[: len(pupils) // 2] if p != student_id]
        return len(_works(rng, seminar, authors, now - dt.timedelta(hours=2))), 0
    authors = pupils[:-2] if len(pupils) > 5 else pupils
    if student_id in pupils and student_id not in authors:
        authors = [student_id, *authors[1:]]
    works = _works(rng, seminar, authors, submitted_at)
    if phase == "assessment":
        rows = _assess(rng, seminar, works, now, share_done=0.5)
        _one_of_two_done(seminar, rows, student_id, now)
        return len(works), len(rows)
    rows = _assess(rng, seminar, works, seminar.assessment_due_at, share_done=0.9)
    finished = phase == "closed"
    _grade(rng, seminar, works, now, teacher, share_graded=1.0 if finished else 0.3)
    if finished and student_id in authors:
        Work.objects.filter(seminar=seminar, author_id=student_id).update(
            status=Work.Status.GRADED,
            mark=5,
            review=REVIEWS[5],
            assessing_mark=4,
            assessing_review=ASSESSING_REVIEWS[4],
            graded_by_id=teacher,
            graded_at=now - dt.timedelta(days=10),
            version=1,
        )
    return len(works), len(rows)
