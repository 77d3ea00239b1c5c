"""Demo e-assignments (R6): `load_demo_assignments(rng=, today=)`.

Called by the demo loader once the school exists: course spaces are made from the
teaching assignments, then every class gets assignments in its main maths or
Russian space — and every space of the demo `teacher` too — in each state:

- not yet open (opens in three days);
- open, half the class has submitted (waiting in the teacher's queue);
- graded: submitted before the due date, graded with a written review;
- late: late work accepted, some submitted after the due date, graded or waiting;
- overdue in the queue: submitted nine days ago, the review deadline passed,
  escalated to the deputy head (R13).

`student` (7А) has graded work with reviews that `parent` reads too, an open
assignment to submit and work waiting; `teacher` has a queue with overdue work.
Rows are written in bulk: no audit entries or notices (the history is in them).
"""

import datetime as dt
import random
import uuid
from collections import defaultdict
from decimal import Decimal

from umka.accounts.models import User
from umka.assignments.grading_scale import mark_for
from umka.assignments.models import Answer, Assignment, Kind, Part, Submission
from umka.assignments.scoring import score
from umka.core import clock
from umka.courses.deadlines import review_due_from
from umka.courses.models import CourseSpace, SpaceTeacher
from umka.courses.sync import spaces_sync
from umka.school.models import Enrolment
from umka.school.selectors import current_year

#: The space of each class that gets assignments: the first subject it has.
MAIN_SUBJECTS = ("Алгебра", "Математика", "Русский язык")
DEMO_TEACHER = "teacher"
DEMO_DEPUTY = "deputy"

MATHS = [
    (
        Kind.SINGLE,
        "Решите уравнение $3x - 6 = 0$.",
        {
            "choices": [
                {"text": "$x = 2$", "fraction": 100.0},
                {"text": "$x = -2$", "fraction": 0.0},
                {"text": "$x = 3$", "fraction": 0.0},
            ]
        },
        2,
    ),
    (
        Kind.NUMBER,
        "Найдите значение выражения $2{,}5 \\cdot 4 - 3$.",
        {
            "answers": [
                {"value": "7", "tolerance": "0", "fraction": 100.0},
            ]
        },
        2,
    ),
    (
        Kind.SHORT,
        "Как называется число, которое подставляют вместо переменной и "
        "получают верное равенство?",
        {
            "answers": [
                {"text": "корень уравнения", "fraction": 100.0},
                {"text": "корень", "fraction": 100.0},
            ]
        },
        1,
    ),
    (
        Kind.TEXT,
        "Составьте уравнение по условию задачи и решите его: «В двух "
        "классах 56 учеников, в 7А на 4 больше, чем в 7Б. Сколько учеников в 7Б?»",
        {},
        5,
    ),
]
RUSSIAN = [
    (
        Kind.SINGLE,
        "В каком слове пишется буква **Ё**?",
        {
            "choices": [
                {"text": "ж..лтый", "fraction": 100.0},
                {"text": "ш..колад", "fraction": 0.0},
                {"text": "ж..ноглот", "fraction": 0.0},
            ]
        },
        2,
    ),
    (
        Kind.MULTIPLE,
        "Отметьте слова с приставкой **пре-**.",
        {
            "choices": [
                {"text": "прекрасный", "fraction": 50.0},
                {"text": "преодолеть", "fraction": 50.0},
                {"text": "приехать", "fraction": -50.0},
                {"text": "пришкольный", "fraction": -50.0},
            ]
        },
        2,
    ),
    (
        Kind.SHORT,
        "Назовите часть речи слова «быстро».",
        {
            "answers": [
                {"text": "наречие", "fraction": 100.0},
            ]
        },
        1,
    ),
    (
        Kind.TEXT,
        "Напишите мини-сочинение (5–7 предложений) «Мой любимый "
        "осенний день», используя два причастных оборота.",
        {},
        5,
    ),
]
TITLES = {
    "upcoming": ("Подготовка к контрольной работе", "Повторение"),
    "open": ("Домашняя работа: уравнения и выражения", "Линейные уравнения"),
    "graded": ("Самостоятельная работа №1", "Решение задач"),
    "late": ("Работа над ошибками", "Анализ ошибок"),
    "overdue": ("Проверочная работа по разделу", "Обобщение"),
}
REVIEWS = {
    5: "Отличная работа: решение полное, вычисления без ошибок, ответ записан "
    "верно. Так держать!",
    4: "Хорошо. В задании 2 потерян знак при переносе слагаемого — проверяйте себя "
    "подстановкой. Оформление аккуратное.",
    3: "Основные шаги верны, но объяснение неполное: распишите, почему выбран этот "
    "способ. Приходите на консультацию в четверг — разберём похожие задачи.",
    2: "Пока не засчитано: ответы не совпадают с условием. Разберите пример из "
    "учебника (§ 12) и сдайте работу заново.",
}
ANSWERS = [
    "Пусть в 7Б $x$ учеников, тогда в 7А $x + 4$. $x + x + 4 = 56$, $2x = 52$, "
    "$x = 26$. Ответ: 26.",
    "x + (x + 4) = 56, значит x = 26. В 7Б 26 учеников.",
    "Ответ 26, потому что 56 − 4 = 52 и 52 : 2 = 26.",
]


def _responses(rng, questions) -> list[dict]:
    out = []
    for kind, _text, data, _points in questions:
        right = rng.random() < 0.75
        if kind == Kind.SINGLE:
            out.append({"choice": 0 if right else rng.randrange(1, 3)})
        elif kind == Kind.MULTIPLE:
            out.append({"choices": [0, 1] if right else [0, 2]})
        elif kind == Kind.NUMBER:
            out.append({"text": "7" if right else "10"})
        elif kind == Kind.SHORT:
            out.append({"text": data["answers"][0]["text"] if right else "число"})
        else:
            out.append({"text": rng.choice(ANSWERS)})
    return out


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.at(day, dt.time(hour, minute))


def _spaces(year) -> list[CourseSpace]:
    spaces = list(
        CourseSpace.objects.filter(year=year, kind=CourseSpace.Kind.CLASS)
        .select_related("subject", "school_class")
        .order_by("school_class__grade", "school_class__letter", "pk")
    )
    chosen, by_class = [], defaultdict(list)
    for space in spaces:
        by_class[space.school_class_id].append(space)
    for class_spaces in by_class.values():
        for subject in MAIN_SUBJECTS:
            match = [s for s in class_spaces if s.subject.name == subject]
            if match:
                chosen.append(match[0])
                break
    demo_teacher_spaces = set(
        SpaceTeacher.objects.filter(
            teacher__username=DEMO_TEACHER, space__year=year
        ).values_list("space", flat=True)
    )
    chosen_pks = {s.pk for s in chosen}
    chosen += [s for s in spaces if s.pk in demo_teacher_spaces - chosen_pks]
    return chosen


def load_demo_assignments(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    year = current_year(today)
    if year is None:
        return {"spaces": 0, "assignments": 0, "submissions": 0}
    spaces_sync(year=year, audited=False)
    spaces = _spaces(year)
    teachers = {}
    for link in SpaceTeacher.objects.filter(space__in=spaces).order_by("teacher_id"):
        teachers.setdefault(link.space_id, link.teacher_id)
    students = defaultdict(list)
    for e in (
        Enrolment.objects.filter(school_class__year=year, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .order_by("student__last_name", "student_id")
    ):
        students[e.school_class_id].append(e.student_id)
    deputy = User.objects.filter(username=DEMO_DEPUTY).first()
    now = clock.now() if today == clock.today() else _at(today, 12)
    due_days: dict[dt.date, int] = {}
    plan = _plan(rng, today, spaces, teachers)
    Assignment.objects.bulk_create([a for a, _q, _s in plan], batch_size=500)
    parts = []
    for assignment, questions, _state in plan:
        parts.append(
            [
                Part(
                    assignment=assignment,
                    position=i,
                    kind=kind,
                    text=text,
                    data=data,
                    points=Decimal(points),
                )
                for i, (kind, text, data, points) in enumerate(questions, start=1)
            ]
        )
    Part.objects.bulk_create([p for ps in parts for p in ps], batch_size=1000)
    submissions, answers = [], []
    for (assignment, questions, state), assignment_parts in zip(
        plan, parts, strict=True
    ):
        class_students = students.get(assignment.space.school_class_id, [])
        for student_id in class_students:
            made = _submission(
                rng, now, assignment, state, student_id, questions, deputy, due_days
            )
            if made is None:
                continue
            submission, responses = made
            submissions.append(submission)
            answers.append((submission, assignment_parts, responses))
    Submission.objects.bulk_create(submissions, batch_size=1000)
    rows = []
    for submission, assignment_parts, responses in answers:
        for part, response in zip(assignment_parts, responses, strict=True):
            auto = score(part.kind, part.data, part.points, response)
            if auto is None:
                # The teacher's score of a written part, once graded.
                rows.append(
                    Answer(
                        submission=submission,
                        part=part,
                        response=response,
                        score=getattr(submission, "teacher_points", None),
                    )
                )
                continue
            rows.append(
                Answer(
                    submission=submission,
                    part=part,
                    response=response,
                    auto_score=auto,
                    score=auto,
                )
            )
    Answer.objects.bulk_create(rows, batch_size=2000)
    return {
        "spaces": len(spaces),
        "assignments": len(plan),
        "submissions": len(submissions),
    }


def _plan(rng, today, spaces, teachers):
    plan = []
    for space in spaces:
        questions = MATHS if space.subject.name != "Русский язык" else RUSSIAN
        max_points = Decimal(sum(q[3] for q in questions))
        for state, (opens, due) in {
            "upcoming": (3, 10),
            "open": (-2, 5),
            "graded": (-20, -13),
            "late": (-12, -8),
            "overdue": (-14, -9),
        }.items():
            title, topic = TITLES[state]
            plan.append(
                (
                    Assignment(
                        space=space,
                        title=title,
                        topic=topic,
                        instructions=(
                            "Выполните задания. Решение записывайте подробно; "
                            "формулы — между знаками `$`, например $x^2 + 1$."
                        ),
                        author_id=teachers.get(space.pk),
                        status=Assignment.Status.PUBLISHED,
                        opens_at=_at(today + dt.timedelta(days=opens), 8),
                        due_at=_at(today + dt.timedelta(days=due), 20),
                        late_allowed=state == "late",
                        attempts_allowed=2 if state == "open" else 1,
                        max_points=max_points,
                    ),
                    questions,
                    state,
                )
            )
    return plan


def _review_due(submitted: dt.datetime, due_days: dict[dt.date, int]) -> dt.datetime:
    """The review deadline (working days), computed once per calendar day."""
    day = clock.local_date(submitted)
    if day not in due_days:
        start = clock.at(day, dt.time(12))
        due_days[day] = (review_due_from(start).date() - day).days
    return submitted + dt.timedelta(days=due_days[day])


def _submission(rng, now, assignment, state, student_id, questions, deputy, due_days):
    if state == "upcoming" or rng.random() < {"open": 0.5}.get(state, 0.15):
        return None
    due = assignment.due_at
    if state == "open":
        submitted = now - dt.timedelta(hours=rng.randrange(1, 40))
    elif state == "late" and rng.random() < 0.4:
        submitted = due + dt.timedelta(hours=rng.randrange(2, 48))
    else:
        submitted = due - dt.timedelta(hours=rng.randrange(2, 72))
    submitted = max(submitted, assignment.opens_at + dt.timedelta(minutes=30))
    responses = _responses(rng, questions)
    auto = sum(
        (
            score(kind, data, Decimal(points), r) or Decimal(0)
            for (kind, _t, data, points), r in zip(questions, responses, strict=True)
        ),
        Decimal(0),
    )
    submission = Submission(
        assignment=assignment,
        student_id=student_id,
        attempt=1,
        token=uuid.UUID(int=rng.getrandbits(128)),
        submitted_at=submitted,
        late=submitted > due,
        auto_points=auto,
        review_due_at=_review_due(submitted, due_days),
    )
    graded = state == "graded" or (state == "late" and rng.random() < 0.5)
    if graded:
        teacher_part = Decimal(rng.choice([3, 4, 5]))
        points = auto + teacher_part
        mark = mark_for(points, assignment.max_points)
        submission.status = Submission.Status.GRADED
        submission.points, submission.mark = points, mark
        submission.teacher_points = teacher_part
        submission.review = REVIEWS[mark]
        submission.graded_by_id = assignment.author_id
        submission.graded_at = min(
            submitted + dt.timedelta(days=rng.randrange(1, 3), hours=3), now
        )
        submission.version = 1
    elif state == "overdue" and deputy is not None:
        submission.escalated_at = submission.review_due_at + dt.timedelta(minutes=15)
        submission.escalated_to = deputy
        submission.reminded_at = submission.review_due_at - dt.timedelta(hours=20)
    return submission, responses
